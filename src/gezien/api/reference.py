"""/api/reasons and /api/teams: the lists the other endpoints refer to by code and name."""

from django.http import HttpRequest
from ninja import Router, Schema

from gezien.accounts.models import Team
from gezien.api.auth import require_perm
from gezien.contacts.models import ContactReason

router = Router(tags=["reference"])


class ReasonOut(Schema):
    code: str
    name: str
    parent: str | None

    @staticmethod
    def resolve_parent(obj: ContactReason) -> str | None:
        return obj.parent.code if obj.parent else None


class TeamOut(Schema):
    id: int
    name: str


@router.get("/reasons", response=list[ReasonOut])
def list_reasons(request: HttpRequest) -> list[ContactReason]:
    require_perm(request, "contacts.view_contact")
    return list(ContactReason.objects.filter(active=True).select_related("parent"))


@router.get("/teams", response=list[TeamOut])
def list_teams(request: HttpRequest) -> list[Team]:
    require_perm(request, "contacts.view_contact")
    return list(Team.objects.all())
