"""API: incidents of abuse (R9) and the break after one, and the notifications team leads and agents
get (incidents, warm transfers, retention, wellbeing, capacity)."""

from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.api.auth import require_perm
from gezien.api.common import BoundedLimitOffset, DbId, contact_or_404, find_or_404
from gezien.api.input import In
from gezien.api.schemas import CiteBrief, PersonOut, stored_cite
from gezien.assist import selectors, services
from gezien.assist.models import Incident
from gezien.notifications.models import Notification
from gezien.notifications.selectors import notifications_for
from gezien.notifications.services import notification_read, notifications_read_all
from gezien.presence.services import incident_break_take

router = Router(tags=["assist"])

HANDLE = "contacts.handle_contact"


class IncidentOut(Schema):
    id: int
    contact_id: int
    agent: PersonOut | None = Field(description="who bore it")
    source: Literal["detected", "reported"]
    note: str
    evidence: list[CiteBrief]
    reported_by: PersonOut | None
    break_taken_at: datetime | None
    break_minutes: int
    created_at: datetime

    @staticmethod
    def resolve_evidence(obj: Incident) -> list[dict[str, Any]]:
        return [stored_cite(item) for item in obj.evidence]


class NotificationOut(Schema):
    id: int
    kind: str = Field(
        description="incident, transfer, retention, wellbeing, capacity, ... (registered by features)"
    )
    text: str
    contact_id: int | None
    incident_id: int | None
    link: str
    created_at: datetime
    read_at: datetime | None


class IncidentIn(In):
    note: str = Field(default="", max_length=2000)


class BreakIn(In):
    minutes: int | None = Field(default=None, ge=1, le=60, description="default: the desk's break length")


class NotificationFilter(In):
    unread: bool = False


class ReadAllIn(In):
    kind: str | None = Field(
        default=None, max_length=20, description="only notifications of this kind (default: all)"
    )


class ReadAllOut(Schema):
    read: int = Field(description="how many unread notifications are now read")


# --- incidents, breaks, notifications -------------------------------------------------------------------


@router.post("/contacts/{contact_id}/incidents", response={201: IncidentOut})
def report_incident(request: HttpRequest, contact_id: DbId, payload: IncidentIn) -> Status[Any]:
    """Report abuse on this contact yourself: it is logged, your team lead is told, and you may take a
    break."""
    require_perm(request, HANDLE)
    incident = services.incident_log(
        contact=contact_or_404(contact_id),
        source=Incident.Source.REPORTED,
        note=payload.note,
        reported_by=current_user(request),
    )
    return Status(201, incident)


@router.get("/incidents", response=list[IncidentOut])
@paginate(BoundedLimitOffset)
def list_incidents(request: HttpRequest) -> QuerySet[Incident]:
    """Incidents of abuse, newest first: team leads see all, agents the ones they bore or reported."""
    require_perm(request, HANDLE)
    return selectors.incidents_visible_to(current_user(request))


@router.post("/incidents/{incident_id}/break", response=IncidentOut)
def take_break(request: HttpRequest, incident_id: DbId, payload: BreakIn) -> Incident:
    """Take the short break offered after an incident (the routing passes you by until it ends)."""
    require_perm(request, HANDLE)
    user = current_user(request)
    incident = find_or_404(selectors.incidents_visible_to(user), incident_id, _("Dit incident bestaat niet."))
    return incident_break_take(incident=incident, user=user, minutes=payload.minutes)


@router.get("/notifications", response=list[NotificationOut])
@paginate(BoundedLimitOffset)
def list_notifications(request: HttpRequest, filters: Query[NotificationFilter]) -> QuerySet[Notification]:
    """Your notifications, newest first: incidents (team leads) and warm transfers announced to you."""
    require_perm(request, HANDLE)
    return notifications_for(current_user(request), unread_only=filters.unread)


@router.post("/notifications/read-all", response=ReadAllOut)
def read_all_notifications(request: HttpRequest, filters: Query[ReadAllIn]) -> dict[str, int]:
    """Mark all your unread notifications read ("alles gelezen"), or those of one `kind`."""
    require_perm(request, HANDLE)
    return {"read": notifications_read_all(user=current_user(request), kind=filters.kind)}


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def read_notification(request: HttpRequest, notification_id: DbId) -> Notification:
    require_perm(request, HANDLE)
    user = current_user(request)
    found = find_or_404(notifications_for(user), notification_id, _("Deze melding bestaat niet."))
    return notification_read(notification=found, user=user)
