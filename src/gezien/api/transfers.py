"""API: warm transfers (R10): announce the customer to a colleague, who acknowledges before the agent
connects; either may cancel."""

from datetime import datetime
from typing import Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.accounts.models import User
from gezien.api.auth import require_perm
from gezien.api.common import DbId, contact_or_404, find_or_404
from gezien.api.input import In
from gezien.api.schemas import PersonOut
from gezien.assist import selectors, services
from gezien.assist.models import WarmTransfer
from gezien.core.errors import Invalid

router = Router(tags=["assist"])

HANDLE = "contacts.handle_contact"


# --- output and input ----------------------------------------------------------------------------------


class TransferOut(Schema):
    id: int
    contact_id: int
    from_agent: PersonOut | None
    to_agent: PersonOut
    note: str
    state: Literal["announced", "acknowledged", "connected", "cancelled"]
    announced_at: datetime
    acknowledged_at: datetime | None
    finished_at: datetime | None


class TransferIn(In):
    to_agent_id: DbId
    note: str = Field(min_length=1, max_length=500, description="what the colleague should know")


# --- warm transfers (R10) -------------------------------------------------------------------------------


@router.post("/contacts/{contact_id}/warm-transfers", response={201: TransferOut})
def announce_transfer(request: HttpRequest, contact_id: DbId, payload: TransferIn) -> Status[Any]:
    """Announce the customer to a colleague; connect once they acknowledged."""
    require_perm(request, HANDLE)
    contact = contact_or_404(contact_id)
    to_agent = User.objects.filter(pk=payload.to_agent_id).first()
    if to_agent is None:
        raise Invalid(_("Onbekende collega."), field="to_agent_id")
    transfer = services.transfer_announce(
        contact=contact, from_agent=current_user(request), to_agent=to_agent, note=payload.note
    )
    return Status(201, transfer)


@router.get("/warm-transfers", response=list[TransferOut])
def list_transfers(request: HttpRequest) -> list[WarmTransfer]:
    """Warm transfers under way that you announced or are asked to take, oldest first."""
    require_perm(request, HANDLE)
    return list(selectors.transfers_for(current_user(request)))


def _transfer(transfer_id: int, user: User) -> WarmTransfer:
    return find_or_404(
        WarmTransfer.objects.filter(Q(to_agent=user) | Q(from_agent=user)).select_related(
            "contact", "from_agent__team", "to_agent__team"
        ),
        transfer_id,
        _("Deze doorverbinding bestaat niet."),
    )


@router.post("/warm-transfers/{transfer_id}/acknowledge", response=TransferOut)
def acknowledge_transfer(request: HttpRequest, transfer_id: DbId) -> WarmTransfer:
    """The colleague says they are ready to take the customer."""
    require_perm(request, HANDLE)
    user = current_user(request)
    return services.transfer_acknowledge(transfer=_transfer(transfer_id, user), user=user)


@router.post("/warm-transfers/{transfer_id}/connect", response=TransferOut)
def connect_transfer(request: HttpRequest, transfer_id: DbId) -> WarmTransfer:
    """Connect, only after the colleague acknowledged (409 before): the contact moves to them."""
    require_perm(request, HANDLE)
    user = current_user(request)
    return services.transfer_connect(transfer=_transfer(transfer_id, user), user=user)


@router.post("/warm-transfers/{transfer_id}/cancel", response=TransferOut)
def cancel_transfer(request: HttpRequest, transfer_id: DbId) -> WarmTransfer:
    require_perm(request, HANDLE)
    user = current_user(request)
    return services.transfer_cancel(transfer=_transfer(transfer_id, user), user=user)
