"""/api/messages: one message with its signals, and the corrections people made to those signals."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.api.auth import require_perm
from gezien.api.common import DbId
from gezien.api.contacts import MessageOut
from gezien.api.input import In
from gezien.api.schemas import username_of
from gezien.audit.log import audit_from_request
from gezien.contacts import corrections, selectors
from gezien.contacts.models import Message, SignalCorrection
from gezien.contacts.vocabulary import CORRECTABLE
from gezien.core.errors import NotFound

router = Router(tags=["messages"])


class CorrectionIn(In):
    signal: str = Field(max_length=30, description=f"the signal corrected, one of: {', '.join(CORRECTABLE)}")
    value: bool = Field(description='true: the signal is there ("wel"); false: it is not ("niet")')
    note: str = Field(default="", max_length=300)


class CorrectionOut(Schema):
    id: int
    message_id: int
    signal: str
    value: bool
    note: str
    corrected_by: str | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_corrected_by(obj: SignalCorrection) -> str | None:
        return username_of(obj.corrected_by)


class MessageDetailOut(MessageOut):
    contact_id: int
    corrections: list[CorrectionOut]

    @staticmethod
    def resolve_corrections(obj: Message) -> list[SignalCorrection]:
        return list(obj.signal_corrections.all())


def _message(message_id: int) -> Message:
    message = selectors.message_with_signals(message_id)
    if message is None:
        raise NotFound(_("Niet gevonden."))
    return message


@router.get("/{message_id}", response=MessageDetailOut)
def read_message(request: HttpRequest, message_id: DbId) -> Message:
    """One message with its signals (null until analysed) and their corrections."""
    require_perm(request, "contacts.view_contact")
    message = _message(message_id)
    audit_from_request(
        request,
        action="message.view",
        object_type="message",
        object_id=message.pk,
        customer_id=message.contact.customer_id,
        details={"contact_id": message.contact_id},
    )
    return message


@router.get("/{message_id}/corrections", response=list[CorrectionOut])
def list_corrections(request: HttpRequest, message_id: DbId) -> list[SignalCorrection]:
    require_perm(request, "contacts.view_contact")
    return list(_message(message_id).signal_corrections.all())


@router.post("/{message_id}/corrections", response={201: CorrectionOut, 200: CorrectionOut})
def correct_signal(request: HttpRequest, message_id: DbId, payload: CorrectionIn) -> Status[Any]:
    """Say a signal is wrong (`value` false: "niet boos") or missing (true: "wel teleurgesteld").

    One correction per person, signal and message: saying it again updates it (200 instead of 201).
    """
    require_perm(request, "contacts.add_signalcorrection")
    result = corrections.signal_correct(
        message=_message(message_id),
        signal=payload.signal,
        value=payload.value,
        note=payload.note,
        actor=current_user(request),
    )
    return Status(201 if result.created else 200, result.correction)
