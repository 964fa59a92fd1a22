"""/api/reasons, /api/departments and /api/teams: the lists the other endpoints refer to by code and name.
Managers edit the reason tree (add, rename, move, deactivate, owning department) and the departments."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from gezien.accounts.models import Department, Team, User
from gezien.api.auth import require_perm
from gezien.api.input import In
from gezien.contacts.models import ContactReason
from gezien.core.errors import Invalid, NotFound
from gezien.insights.rootcause.services import department_save, reason_create, reason_update

router = Router(tags=["reference"])


class ReasonOut(Schema):
    code: str
    name: str
    parent: str | None
    department: str | None = Field(description="the owning department's code (a child inherits its parent's)")
    active: bool

    @staticmethod
    def resolve_parent(obj: ContactReason) -> str | None:
        return obj.parent.code if obj.parent else None

    @staticmethod
    def resolve_department(obj: ContactReason) -> str | None:
        department = obj.department or (obj.parent.department if obj.parent else None)
        return department.code if department else None


class ReasonIn(In):
    code: str = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=120)
    parent: str | None = Field(None, max_length=60)
    department: str | None = Field(None, max_length=60)


class ReasonPatch(In):
    name: str | None = Field(None, min_length=1, max_length=120)
    parent: str | None = Field(None, max_length=60, description='a reason code; "" = top level')
    department: str | None = Field(None, max_length=60, description='a department code; "" = inherit')
    active: bool | None = None


class DepartmentOut(Schema):
    id: int
    code: str
    name: str
    owners: list[str]
    digest_email: str

    @staticmethod
    def resolve_owners(obj: Department) -> list[str]:
        return [u.get_username() for u in obj.owners.all()]


class DepartmentIn(In):
    code: str = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=120)
    owners: list[str] = Field(default_factory=list, max_length=50, description="usernames")
    digest_email: str = Field("", max_length=254)


class TeamOut(Schema):
    id: int
    name: str


@router.get("/reasons", response=list[ReasonOut])
def list_reasons(request: HttpRequest, include_inactive: bool = False) -> list[ContactReason]:
    require_perm(request, "contacts.view_contact")
    reasons = ContactReason.objects.select_related("parent", "department", "parent__department")
    return list(reasons if include_inactive else reasons.filter(active=True))


def _reason(code: str, field: str) -> ContactReason:
    found = ContactReason.objects.select_related("parent").filter(code=code).first()
    if found is None:
        raise Invalid(_("Onbekende contactreden."), field=field)
    return found


def _department(code: str) -> Department:
    found = Department.objects.filter(code=code).first()
    if found is None:
        raise Invalid(_("Onbekende afdeling."), field="department")
    return found


@router.post("/reasons", response={201: ReasonOut})
def create_reason(request: HttpRequest, payload: ReasonIn) -> Status[Any]:
    """A new contact reason (managers), optionally under a parent and owned by a department."""
    require_perm(request, "rootcause.manage_reasons")

    reason = reason_create(
        code=payload.code,
        name=payload.name,
        parent=_reason(payload.parent, "parent") if payload.parent else None,
        department=_department(payload.department) if payload.department else None,
    )
    return Status(201, reason)


@router.patch("/reasons/{code}", response=ReasonOut)
def change_reason(request: HttpRequest, code: str, payload: ReasonPatch) -> ContactReason:
    """Rename, move, set the owning department or (de)activate a reason (managers)."""
    require_perm(request, "rootcause.manage_reasons")

    reason = ContactReason.objects.filter(code=code).first()
    if reason is None:
        raise NotFound(_("Onbekende contactreden."))
    parent: ContactReason | bool | None = False
    if payload.parent is not None:
        parent = _reason(payload.parent, "parent") if payload.parent else None
    department: Department | bool | None = False
    if payload.department is not None:
        department = _department(payload.department) if payload.department else None
    return reason_update(
        reason=reason, name=payload.name, parent=parent, department=department, active=payload.active
    )


@router.get("/departments", response=list[DepartmentOut])
def list_departments(request: HttpRequest) -> list[Department]:
    """Departments outside customer service and their owners."""
    if not (
        request.user.has_perm("contacts.view_contact") or request.user.has_perm("rootcause.view_problem")
    ):
        require_perm(request, "contacts.view_contact")
    return list(Department.objects.prefetch_related("owners"))


@router.post("/departments", response={201: DepartmentOut})
def create_department(request: HttpRequest, payload: DepartmentIn) -> Status[Any]:
    """A new department with its owners (managers); owners get the department role."""
    require_perm(request, "rootcause.manage_reasons")

    owners = list(User.objects.filter(username__in=payload.owners))
    if len(owners) != len(set(payload.owners)):
        raise Invalid(_("Onbekende gebruiker bij de eigenaren."), field="owners")
    return Status(
        201,
        department_save(
            code=payload.code, name=payload.name, owners=owners, digest_email=payload.digest_email
        ),
    )


@router.get("/teams", response=list[TeamOut])
def list_teams(request: HttpRequest) -> list[Team]:
    require_perm(request, "contacts.view_contact")
    return list(Team.objects.all())
