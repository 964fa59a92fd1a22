"""API: the agent assist (R6-R10, R20). Hints beside a contact with the customer's words behind each, the
draft check as the agent types, what agents did with the hints, protocols, incidents and breaks, the
team leads' notifications, promises to keep, and warm transfers.

This module holds the assist beside a contact, the draft check, hint actions and protocols; promises,
incidents and notifications, and warm transfers have modules of their own (promises, incidents,
transfers)."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.accounts.models import User
from gezien.api.auth import require_perm
from gezien.api.common import DbId, contact_or_404
from gezien.api.incidents import IncidentOut
from gezien.api.input import In
from gezien.api.schemas import CiteBrief, stored_cite, username_of
from gezien.api.transfers import TransferOut
from gezien.assist import selectors, services
from gezien.assist.hints import hints_for
from gezien.assist.models import ContactProtocol, HintAction
from gezien.assist.selectors import Assist
from gezien.assist.situation import EarlierContact, contact_situation
from gezien.contacts.models import Contact
from gezien.contacts.selectors import Card
from gezien.core.errors import NotFound

router = Router(tags=["assist"])

HANDLE = "contacts.handle_contact"
SUPERVISE = "contacts.supervise_queue"
DRAFT_MAX_CHARS = 20_000

HintActionLiteral = Literal["dismissed", "unfolded", "used"]
ProtocolLiteral = Literal["bereavement", "illness", "abuse"]
Severity = Literal["info", "warn", "alert"]


# --- output ---------------------------------------------------------------------------------------------


class AssistCiteOut(CiteBrief):
    rule: str = Field(description="the lexicon entry or pattern that matched")


class AddressChoiceOut(Schema):
    address: Literal["u", "je"]
    source: Literal["remembered", "detected", "default"] = Field(
        description="remembered on the card, detected in the customer's words, or the default u"
    )
    name: str = Field(description="how to call the customer; empty when unknown")
    evidence: list[AssistCiteOut]


class HintOut(Schema):
    key: str = Field(description="stable key, e.g. listen_first, repeat, protocol:bereavement")
    severity: Severity
    title: str
    text: str
    because: list[AssistCiteOut] = Field(description="the signals and the customer's words behind the hint")
    suggestions: list[str] = Field(description="sentences for the customer, in their register")
    steps: list[str] = Field(description="a protocol's steps for the agent")
    actions: list[str] = Field(
        description="what the desk can do from the hint: take_ownership, log_incident, take_break, "
        "remember_event, unfold"
    )
    proposal: str


class EarlierContactOut(Schema):
    """An earlier contact about the matter (`assist.situation.EarlierContact`)."""

    id: int
    channel: str
    opened_at: datetime
    summary: str
    last_agent_words: str

    @staticmethod
    def resolve_id(obj: EarlierContact) -> int:
        return obj.contact.pk

    @staticmethod
    def resolve_channel(obj: EarlierContact) -> str:
        return str(obj.contact.channel)

    @staticmethod
    def resolve_opened_at(obj: EarlierContact) -> datetime:
        return obj.contact.opened_at

    @staticmethod
    def resolve_summary(obj: EarlierContact) -> str:
        return obj.contact.summary


class MatterReasonOut(Schema):
    """A contact reason as the assist names it (read from `ContactReason`)."""

    code: str
    name: str


class MatterOut(Schema):
    reason: MatterReasonOut = Field(description="the reason family of this contact and the earlier ones")
    count: int = Field(description="contacts about this matter, this one included")
    days: int = Field(description="in how many days")
    since: datetime
    inferred: bool = Field(description="this contact has no reason yet: taken from the customer's words")
    claim: list[AssistCiteOut] = Field(description="what the customer says about it")
    earlier: list[EarlierContactOut] = Field(description="oldest first")


class KnownProblemOut(Schema):
    reason: MatterReasonOut
    customers: int = Field(description="distinct customers linked to the problem")
    problem_id: int = Field(description="the open problem on the root-cause board (/api/problems/{id})")
    title: str
    status: str
    answer: str = Field(description="the department's latest answer ('' when none yet)")


class PhoneStepOut(Schema):
    key: str
    text: str
    done: bool
    failed: bool = Field(
        description="known not done: the call's recording shows the agent talked over the customer"
    )
    moments: list[str] = Field(description="where in the call (m:ss) the agent started over the customer")


class PhoneOut(Schema):
    greeting: str
    steps: list[PhoneStepOut]


class AssistOut(Schema):
    contact_id: int
    lang: str = Field(description="the customer's language: nl or en")
    recognised: bool
    address: AddressChoiceOut
    listen_first: bool = Field(description="upset, repeat or abusive: listen and acknowledge first")
    acknowledged: bool = Field(description="an agent's words in this contact acknowledged the feeling")
    hints: list[HintOut] = Field(description="most urgent first; those you dismissed left out")
    dismissed: int = Field(description="how many hints you dismissed on this contact")
    matter: MatterOut | None = Field(description="repeat contacts about the same matter")
    known_problems: list[KnownProblemOut]
    protocols: list[ProtocolLiteral]
    solutions_open: bool = Field(description="solutions unfold once the feeling is acknowledged")
    phone: PhoneOut | None = Field(description="greeting and opening checklist, for phone contacts")
    transfer: TransferOut | None = Field(description="a warm transfer of this contact under way")
    incidents: list[IncidentOut] = Field(description="incidents on this contact you may see")
    break_until: datetime | None = Field(description="when your break after an incident ends")


class DraftFindingOut(Schema):
    key: str
    severity: Severity
    message: str
    draft_words: list[str] = Field(description="the words in the draft that caused it")
    because: list[CiteBrief] = Field(description="the customer's words behind it")
    suggestion: str


class DraftCheckOut(Schema):
    findings: list[DraftFindingOut]
    draft_register: Literal["formal", "informal", "mixed", "unknown"] = Field(
        alias="register", description="the draft's register"
    )
    acts: list[str]
    acknowledges: bool = Field(description="the draft acknowledges the customer's feeling")
    solutions_open: bool


class HintActionOut(Schema):
    id: int
    contact_id: int
    hint: str
    action: HintActionLiteral
    note: str
    shown: dict[str, Any] = Field(description="the hint as it read when it was acted on")
    user: str | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_user(obj: HintAction) -> str | None:
        return username_of(obj.user)


class ProtocolOut(Schema):
    id: int
    contact_id: int
    protocol: ProtocolLiteral
    evidence: list[CiteBrief]
    started_by: str | None = Field(description="null: the desk saw it in the customer's words")
    started_at: datetime

    @staticmethod
    def resolve_evidence(obj: ContactProtocol) -> list[dict[str, Any]]:
        return [stored_cite(item) for item in obj.evidence]

    @staticmethod
    def resolve_started_by(obj: ContactProtocol) -> str | None:
        return username_of(obj.started_by)


# --- input ----------------------------------------------------------------------------------------------


class DraftIn(In):
    text: str = Field(max_length=DRAFT_MAX_CHARS, description="the reply as typed so far")


class HintActionIn(In):
    action: HintActionLiteral
    note: str = Field(default="", max_length=300)


class ProtocolIn(In):
    protocol: ProtocolLiteral


# --- helpers --------------------------------------------------------------------------------------------


def _assist_contact(contact_id: int) -> tuple[Contact, Card | None]:
    try:
        return selectors.contact_for_assist(contact_id)
    except Contact.DoesNotExist as exc:
        raise NotFound(_("Dit contact bestaat niet.")) from exc


def _assist_out(assist: Assist, user: User) -> dict[str, Any]:
    """What `AssistOut` reads from the assist: the situation's parts are read by their schemas (the
    address with its cites, the matter's reason and earlier contacts, the known problems)."""
    situation = assist.situation
    matter = situation.matter
    return {
        "contact_id": situation.contact.pk,
        "lang": situation.lang,
        "recognised": situation.recognised,
        "address": situation.address,
        "listen_first": situation.listen_first,
        "acknowledged": situation.acknowledged,
        "hints": [hint.as_dict() for hint in assist.hints],
        "dismissed": assist.dismissed,
        "matter": None
        if matter is None
        else {
            "reason": matter.reason,
            "count": matter.count,
            "days": matter.days(situation.now),
            "since": matter.since,
            "inferred": matter.inferred,
            "claim": matter.claim,
            "earlier": matter.earlier,
        },
        "known_problems": situation.known_problems,
        "protocols": sorted(situation.protocols),
        "solutions_open": assist.solutions_open,
        "phone": assist.phone,
        "transfer": assist.transfer,
        "incidents": assist.incidents,  # those `incidents_visible_to` the user
        "break_until": assist.break_until,
    }


# --- the assist beside a contact, and the draft check ---------------------------------------------------


@router.get("/contacts/{contact_id}/assist", response=AssistOut)
def read_assist(request: HttpRequest, contact_id: DbId) -> dict[str, Any]:
    """Everything the desk shows beside the contact: how to address the customer, the hints (each with
    the customer's words behind it), the repeat matter, known problems, protocols, whether the solutions
    are open, the phone opening, a warm transfer under way, and incidents."""
    require_perm(request, HANDLE)
    user = current_user(request)
    contact, card = _assist_contact(contact_id)
    return _assist_out(selectors.contact_assist(contact, card, user), user)


@router.post("/contacts/{contact_id}/draft-check", response=DraftCheckOut, by_alias=True)
def check_draft(request: HttpRequest, contact_id: DbId, payload: DraftIn) -> dict[str, object]:
    """Check a reply while it is typed: register, data requests before acknowledging, upsell in a
    complaint, shouting. Stores nothing."""
    require_perm(request, HANDLE)
    try:
        return selectors.draft_check_cached(contact_id, current_user(request), payload.text).as_dict()
    except Contact.DoesNotExist as exc:
        raise NotFound(_("Dit contact bestaat niet.")) from exc


# --- hints ----------------------------------------------------------------------------------------------


@router.post("/contacts/{contact_id}/hints/{hint}/actions", response={201: HintActionOut, 200: HintActionOut})
def act_on_hint(request: HttpRequest, contact_id: DbId, hint: str, payload: HintActionIn) -> Status[Any]:
    """Say you dismissed a hint ("niet nuttig"), unfolded the solutions, or used a suggestion. Saying it
    again updates the note (200 instead of 201). A dismissed hint is left out of your next assist."""
    require_perm(request, HANDLE)
    user = current_user(request)
    contact, card = _assist_contact(contact_id)
    situation = contact_situation(contact, card, user_id=user.pk)
    shown = next((h.as_dict() for h in hints_for(situation, include_dismissed=True) if h.key == hint), None)
    action, created = services.hint_act(
        contact=contact, hint=hint, action=payload.action, user=user, note=payload.note, shown=shown
    )
    return Status(201 if created else 200, action)


@router.get("/contacts/{contact_id}/hint-actions", response=list[HintActionOut])
def list_hint_actions(request: HttpRequest, contact_id: DbId) -> list[HintAction]:
    """What was done with the hints on this contact: team leads see everyone's, agents their own."""
    require_perm(request, HANDLE)
    user = current_user(request)
    actions = contact_or_404(contact_id).hint_actions.select_related("user")
    if not user.has_perm(SUPERVISE):
        actions = actions.filter(user=user)
    return list(actions)


# --- protocols, repeat matters, life events -------------------------------------------------------------


@router.post("/contacts/{contact_id}/protocols", response={201: ProtocolOut, 200: ProtocolOut})
def start_protocol(request: HttpRequest, contact_id: DbId, payload: ProtocolIn) -> Status[Any]:
    """Switch the contact to a protocol (bereavement, illness, abuse); once: a second start answers 200."""
    require_perm(request, HANDLE)
    contact = contact_or_404(contact_id)
    started, created = services.protocol_start(
        contact=contact, protocol=payload.protocol, actor=current_user(request)
    )
    return Status(201 if created else 200, started)
