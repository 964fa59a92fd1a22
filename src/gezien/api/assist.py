"""API: the agent assist (R6-R10, R20). Hints beside a contact with the customer's words behind each, the
draft check as the agent types, what agents did with the hints, protocols, incidents and breaks, the
team leads' notifications, promises to keep, and warm transfers."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, Field

from gezien.accounts.http import current_user
from gezien.accounts.models import User
from gezien.api.auth import require_perm
from gezien.api.common import BoundedLimitOffset, CustomerBrief, DbId, Moment, find_or_404
from gezien.api.customers import DetailOut
from gezien.api.input import In
from gezien.assist import selectors, services
from gezien.assist.hints import hints_for
from gezien.assist.models import ContactProtocol, HintAction, Incident, WarmTransfer
from gezien.assist.selectors import Assist
from gezien.assist.situation import contact_situation
from gezien.contacts.addressing import Cite
from gezien.contacts.models import Contact, ContactReason
from gezien.contacts.selectors import Card
from gezien.core.errors import Invalid, NotFound
from gezien.customers import services as customer_services
from gezien.customers.models import DetailKind, RememberedDetail
from gezien.notifications.models import Notification
from gezien.notifications.selectors import notifications_for
from gezien.notifications.services import notification_read, notifications_read_all
from gezien.presence.services import incident_break_take

router = Router(tags=["assist"])

HANDLE = "contacts.handle_contact"
SUPERVISE = "contacts.supervise_queue"
DRAFT_MAX_CHARS = 20_000

HintActionLiteral = Literal["dismissed", "unfolded", "used"]
ProtocolLiteral = Literal["bereavement", "illness", "abuse"]
Severity = Literal["info", "warn", "alert"]


# --- output ---------------------------------------------------------------------------------------------


class AssistCiteBrief(Schema):
    """The words behind a hint: `words` in message `message_id` made the analysis raise `signal`."""

    signal: str
    words: str
    message_id: int | None


class AssistCiteOut(AssistCiteBrief):
    rule: str = Field(description="the lexicon entry or pattern that matched")


class ColleagueOut(Schema):
    id: int
    username: str
    full_name: str

    @staticmethod
    def resolve_username(obj: User) -> str:
        return obj.get_username()

    @staticmethod
    def resolve_full_name(obj: User) -> str:
        return obj.get_full_name()


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
    id: int
    channel: str
    opened_at: datetime
    summary: str
    last_agent_words: str


class MatterReasonOut(Schema):
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


class PhoneOut(Schema):
    greeting: str
    steps: list[PhoneStepOut]


class TransferOut(Schema):
    id: int
    contact_id: int
    from_agent: ColleagueOut | None
    to_agent: ColleagueOut
    note: str
    state: Literal["announced", "acknowledged", "connected", "cancelled"]
    announced_at: datetime
    acknowledged_at: datetime | None
    finished_at: datetime | None


class IncidentOut(Schema):
    id: int
    contact_id: int
    agent: ColleagueOut | None = Field(description="who bore it")
    source: Literal["detected", "reported"]
    note: str
    evidence: list[AssistCiteBrief]
    reported_by: ColleagueOut | None
    break_taken_at: datetime | None
    break_minutes: int
    created_at: datetime

    @staticmethod
    def resolve_evidence(obj: Incident) -> list[dict[str, Any]]:
        return [_stored_cite(item) for item in obj.evidence]


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
    because: list[AssistCiteBrief] = Field(description="the customer's words behind it")
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
        return obj.user.get_username() if obj.user else None


class ProtocolOut(Schema):
    id: int
    contact_id: int
    protocol: ProtocolLiteral
    evidence: list[AssistCiteBrief]
    started_by: str | None = Field(description="null: the desk saw it in the customer's words")
    started_at: datetime

    @staticmethod
    def resolve_evidence(obj: ContactProtocol) -> list[dict[str, Any]]:
        return [_stored_cite(item) for item in obj.evidence]

    @staticmethod
    def resolve_started_by(obj: ContactProtocol) -> str | None:
        return obj.started_by.get_username() if obj.started_by else None


class OpenPromiseOut(Schema):
    id: int
    customer: CustomerBrief
    text: str
    due_at: datetime
    overdue: bool
    done_at: datetime | None
    created_by: str | None
    created_at: datetime

    @staticmethod
    def resolve_overdue(obj: RememberedDetail) -> bool:
        return obj.done_at is None and obj.due_at is not None and obj.due_at < timezone.now()

    @staticmethod
    def resolve_created_by(obj: RememberedDetail) -> str | None:
        return obj.created_by.get_username() if obj.created_by else None


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


# --- input ----------------------------------------------------------------------------------------------


class BodyIn(In):
    """A request body: a field the endpoint does not know is refused (422), never silently dropped."""

    model_config = ConfigDict(extra="forbid")


class DraftIn(BodyIn):
    text: str = Field(max_length=DRAFT_MAX_CHARS, description="the reply as typed so far")


class HintActionIn(BodyIn):
    action: HintActionLiteral
    note: str = Field(default="", max_length=300)


class ProtocolIn(BodyIn):
    protocol: ProtocolLiteral


class OwnershipIn(BodyIn):
    text: str = Field(min_length=1, max_length=2000, description="the promise, e.g. 'Terugbellen over ...'")
    due_at: Moment = Field(description="when it is due; in the future")


class IncidentIn(BodyIn):
    note: str = Field(default="", max_length=2000)


class BreakIn(BodyIn):
    minutes: int | None = Field(default=None, ge=1, le=60, description="default: the desk's break length")


class TransferIn(BodyIn):
    to_agent_id: DbId
    note: str = Field(min_length=1, max_length=500, description="what the colleague should know")


class RememberIn(BodyIn):
    text: str = Field(min_length=1, max_length=2000)


class PromiseFilter(In):
    overdue: bool = Field(default=False, description="only those past their due time")
    mine: bool = Field(default=False, description="only those you made")


class NotificationFilter(In):
    unread: bool = False


class ReadAllIn(In):
    kind: str | None = Field(
        default=None, max_length=20, description="only notifications of this kind (default: all)"
    )


class ReadAllOut(Schema):
    read: int = Field(description="how many unread notifications are now read")


# --- helpers --------------------------------------------------------------------------------------------


def _stored_cite(item: Any) -> dict[str, Any]:
    """A cite as the models store it: [signal, words, message_id]."""
    signal, words, message_id = [*item, "", "", None][:3]
    return {"signal": str(signal), "words": str(words), "message_id": message_id}


def _assist_contact(contact_id: int) -> tuple[Contact, Card | None]:
    try:
        return selectors.contact_for_assist(contact_id)
    except Contact.DoesNotExist as exc:
        raise NotFound(_("Dit contact bestaat niet.")) from exc


def _contact(contact_id: int) -> Contact:
    return find_or_404(
        Contact.objects.select_related("customer", "assigned_agent"),
        contact_id,
        _("Dit contact bestaat niet."),
    )


def _reason(reason: ContactReason) -> dict[str, str]:
    return {"code": reason.code, "name": str(reason.name)}


def _cites(cites: Iterable[Cite]) -> list[dict[str, Any]]:
    return [{"signal": c.signal, "words": c.words, "message_id": c.message_id, "rule": c.rule} for c in cites]


def _assist_out(assist: Assist, user: User) -> dict[str, Any]:
    situation = assist.situation
    matter = situation.matter
    address = situation.address
    return {
        "contact_id": situation.contact.pk,
        "lang": situation.lang,
        "recognised": situation.recognised,
        "address": {
            "address": address.address,
            "source": address.source,
            "name": address.name,
            "evidence": _cites(address.evidence),
        },
        "listen_first": situation.listen_first,
        "acknowledged": situation.acknowledged,
        "hints": [hint.as_dict() for hint in assist.hints],
        "dismissed": assist.dismissed,
        "matter": None
        if matter is None
        else {
            "reason": _reason(matter.reason),
            "count": matter.count,
            "days": matter.days(situation.now),
            "since": matter.since,
            "inferred": matter.inferred,
            "claim": _cites(matter.claim),
            "earlier": [
                {
                    "id": e.contact.pk,
                    "channel": e.contact.channel,
                    "opened_at": e.contact.opened_at,
                    "summary": e.contact.summary,
                    "last_agent_words": e.last_agent_words,
                }
                for e in matter.earlier
            ],
        },
        "known_problems": [
            {
                "reason": _reason(p.reason),
                "customers": p.customers,
                "problem_id": p.problem_id,
                "title": p.title,
                "status": p.status,
                "answer": p.answer,
            }
            for p in situation.known_problems
        ],
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
    existed = HintAction.objects.filter(contact=contact, hint=hint, action=payload.action, user=user).exists()
    action = services.hint_act(
        contact=contact, hint=hint, action=payload.action, user=user, note=payload.note, shown=shown
    )
    return Status(200 if existed else 201, action)


@router.get("/contacts/{contact_id}/hint-actions", response=list[HintActionOut])
def list_hint_actions(request: HttpRequest, contact_id: DbId) -> list[HintAction]:
    """What was done with the hints on this contact: team leads see everyone's, agents their own."""
    require_perm(request, HANDLE)
    user = current_user(request)
    actions = _contact(contact_id).hint_actions.select_related("user")
    if not user.has_perm(SUPERVISE):
        actions = actions.filter(user=user)
    return list(actions)


# --- protocols, repeat matters, life events -------------------------------------------------------------


@router.post("/contacts/{contact_id}/protocols", response={201: ProtocolOut, 200: ProtocolOut})
def start_protocol(request: HttpRequest, contact_id: DbId, payload: ProtocolIn) -> Status[Any]:
    """Switch the contact to a protocol (bereavement, illness, abuse); once: a second start answers 200."""
    require_perm(request, HANDLE)
    contact = _contact(contact_id)
    existed = ContactProtocol.objects.filter(contact=contact, protocol=payload.protocol).exists()
    started = services.protocol_start(contact=contact, protocol=payload.protocol, actor=current_user(request))
    return Status(200 if existed else 201, started)


@router.post("/contacts/{contact_id}/ownership", response={201: DetailOut})
def take_ownership(request: HttpRequest, contact_id: DbId, payload: OwnershipIn) -> Status[Any]:
    """R7, "ik houd dit zelf in de gaten": take the contact and promise the customer something by
    `due_at`. The promise is kept on the customer's card (and listed under /promises)."""
    require_perm(request, HANDLE)
    require_perm(request, "customers.add_remembereddetail")
    promise = services.ownership_take(
        contact=_contact(contact_id), agent=current_user(request), due_at=payload.due_at, text=payload.text
    )
    return Status(201, promise)


@router.post("/contacts/{contact_id}/remember-event", response={201: DetailOut})
def remember_event(request: HttpRequest, contact_id: DbId, payload: RememberIn) -> Status[Any]:
    """R8: remember a death or illness on the customer's card, so that nobody asks again."""
    require_perm(request, HANDLE)
    require_perm(request, "customers.add_remembereddetail")
    detail = services.life_event_remember(
        contact=_contact(contact_id), text=payload.text, actor=current_user(request)
    )
    return Status(201, detail)


def _open_promises(user: User, *, overdue: bool, mine: bool) -> QuerySet[RememberedDetail]:
    promises = RememberedDetail.objects.filter(kind=DetailKind.PROMISE, done_at__isnull=True)
    if overdue:
        promises = promises.filter(due_at__lt=timezone.now())
    if mine:
        promises = promises.filter(created_by=user)
    return promises.select_related("customer", "created_by").order_by("due_at", "id")


@router.get("/promises", response=list[OpenPromiseOut])
@paginate(BoundedLimitOffset)
def list_promises(request: HttpRequest, filters: Query[PromiseFilter]) -> QuerySet[RememberedDetail]:
    """Open promises (toezeggingen) to customers, the soonest due first."""
    require_perm(request, HANDLE)
    require_perm(request, "customers.view_customer")
    return _open_promises(current_user(request), overdue=filters.overdue, mine=filters.mine)


@router.post("/promises/{detail_id}/done", response=OpenPromiseOut)
def keep_promise(request: HttpRequest, detail_id: DbId) -> RememberedDetail:
    """Mark a promise kept (saying it again keeps the first moment)."""
    require_perm(request, HANDLE)
    require_perm(request, "customers.change_remembereddetail")
    promise = find_or_404(
        RememberedDetail.objects.filter(kind=DetailKind.PROMISE).select_related("customer", "created_by"),
        detail_id,
        _("Deze toezegging bestaat niet."),
    )
    return customer_services.detail_update(detail=promise, done=True, actor=current_user(request))


# --- incidents, breaks, notifications -------------------------------------------------------------------


@router.post("/contacts/{contact_id}/incidents", response={201: IncidentOut})
def report_incident(request: HttpRequest, contact_id: DbId, payload: IncidentIn) -> Status[Any]:
    """Report abuse on this contact yourself: it is logged, your team lead is told, and you may take a
    break."""
    require_perm(request, HANDLE)
    incident = services.incident_log(
        contact=_contact(contact_id),
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


# --- warm transfers (R10) -------------------------------------------------------------------------------


@router.post("/contacts/{contact_id}/warm-transfers", response={201: TransferOut})
def announce_transfer(request: HttpRequest, contact_id: DbId, payload: TransferIn) -> Status[Any]:
    """Announce the customer to a colleague; connect once they acknowledged."""
    require_perm(request, HANDLE)
    contact = _contact(contact_id)
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
            "contact", "from_agent", "to_agent"
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
