"""Writes for honest resolution: matters on contacts, links by agents, the customer's confirmation, and
settling matters the customer did not come back about.

A recognised contact with a reason joins its customer's open matter about the same reason family (the
root of the reason tree) when that matter is still open at the moment the contact opened: one of its
contacts is still open, or its last contact closed less than N working days earlier
(`GEZIEN_RESOLUTION_WORKING_DAYS`), and it saw a contact within `GEZIEN_REPEAT_WINDOW_DAYS`. Otherwise
the contact starts a new matter. Agents can move a contact to another matter of the same customer
(`matter_link`) or give it a matter of its own (`matter_unlink`); those choices are never undone
automatically.

A matter is resolved when the customer confirms it (`matter_confirm`: an agent records it, or a survey
answer says so), or when nobody came back about it within N working days after its last contact
closed (`matters_settle`, resolution `no_return`, resolved at the moment the window ended). A customer
saying "nee" reopens a resolved matter and restarts the no-return clock from that moment.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.contacts.models import Contact, ContactEvent, Matter, Status
from gezien.contacts.services import contact_event_add
from gezien.core.errors import Conflict, Invalid
from gezien.core.prepared import IdsQuery
from gezien.customers.models import Customer
from gezien.insights.facts import facts_mark_stale
from gezien.insights.models import ContactFact
from gezien.insights.resolution.rules import family_id, reason_tree, window_end, working_days

if TYPE_CHECKING:
    from gezien.accounts.models import User

logger = logging.getLogger(__name__)

MANUAL = ("link", "unlink")  # MATTER events an agent made; automatic attaching leaves those alone
TITLE_CHARS = 300


def _stale_after_commit(matter_ids: Iterable[int | None]) -> None:
    ids = sorted({i for i in matter_ids if i is not None})
    if not ids:
        return

    def mark() -> None:
        facts_mark_stale(list(Contact.objects.filter(matter_id__in=ids).values_list("pk", flat=True)))

    transaction.on_commit(mark)


def _title(contact: Contact) -> str:
    reason = contact.reason.name if contact.reason else ""
    text = contact.subject or contact.summary or reason
    return str(text)[:TITLE_CHARS]


def _still_open(matter: Matter, last_closed: datetime | None, open_contacts: int, at: datetime) -> bool:
    """Whether `matter` is still running at moment `at` (the no-return window has not passed)."""
    if open_contacts > 0 or last_closed is None:
        return True
    return at < window_end(max(last_closed, matter.last_contact_at))


def _resolve_no_return(matter: Matter, last_closed: datetime) -> None:
    matter.state = Matter.State.RESOLVED
    matter.resolution = Matter.Resolution.NO_RETURN
    matter.resolved_at = window_end(max(last_closed, matter.last_contact_at))
    matter.save(update_fields=["state", "resolution", "resolved_at", "updated_at"])


def _matter_for(contact: Contact, customer_id: int) -> Matter:
    """The open matter this contact belongs to, or a new one (inside the caller's transaction)."""
    reasons = reason_tree()
    family = family_id(contact.reason_id, reasons)
    since = contact.opened_at - timedelta(days=settings.GEZIEN_REPEAT_WINDOW_DAYS)
    wanted = Matter.objects.filter(
        customer_id=customer_id, state=Matter.State.OPEN, last_contact_at__gte=since
    )
    # Lock first, then read the figures: PostgreSQL refuses FOR UPDATE together with GROUP BY.
    list(wanted.select_for_update().values_list("pk", flat=True))
    candidates = wanted.annotate(
        last_closed=Max("contacts__closed_at"),
        open_contacts=Count("contacts", filter=~Q(contacts__status=Status.CLOSED)),
    ).order_by("-last_contact_at", "-pk")
    for matter in candidates:
        if family_id(matter.reason_id, reasons) != family:
            continue
        last_closed: datetime | None = matter.last_closed
        if _still_open(matter, last_closed, matter.open_contacts, contact.opened_at):
            return matter
        assert last_closed is not None
        _resolve_no_return(matter, last_closed)  # its window passed before this contact came
        _stale_after_commit([matter.pk])
    return _new_matter(contact, customer_id)


def _new_matter(contact: Contact, customer_id: int) -> Matter:
    return Matter.objects.create(
        customer_id=customer_id,
        reason_id=contact.reason_id,
        title=_title(contact),
        opened_at=contact.opened_at,
        last_contact_at=contact.opened_at,
    )


def _refresh_span(matter: Matter) -> None:
    """Keep a matter's opened_at / last_contact_at true to its contacts (a "nee" may push the latter)."""
    span = matter.contacts.aggregate(first=Min("opened_at"), last=Max("opened_at"))
    if span["first"] is None:
        return
    matter.opened_at, matter.last_contact_at = span["first"], span["last"]
    matter.save(update_fields=["opened_at", "last_contact_at", "updated_at"])


def _put(contact: Contact, matter: Matter) -> None:
    contact.matter = matter
    contact.save(update_fields=["matter", "updated_at"])
    changed = False
    if contact.opened_at < matter.opened_at:
        matter.opened_at, changed = contact.opened_at, True
    if contact.opened_at > matter.last_contact_at:
        matter.last_contact_at, changed = contact.opened_at, True
    if changed:
        matter.save(update_fields=["opened_at", "last_contact_at", "updated_at"])


def _forget_if_empty(matter_id: int | None) -> None:
    if matter_id is not None and not Contact.objects.filter(matter_id=matter_id).exists():
        Matter.objects.filter(pk=matter_id).delete()


def _manually_placed(contact_id: int) -> bool:
    last = (
        ContactEvent.objects.filter(contact_id=contact_id, kind=ContactEvent.Kind.MATTER)
        .order_by("-at", "-pk")
        .values_list("data", flat=True)
        .first()
    )
    return isinstance(last, dict) and last.get("action") in MANUAL


def matters_attach(contact_ids: Sequence[int]) -> None:
    """Give these contacts their matter where they have a customer and a reason (the listener on
    changed contacts; it runs after their commit). A contact whose customer or reason family no longer
    fits its matter moves, unless an agent put it there.

    Cheap for the common case (a message on a contact that has its matter): one query."""
    matters_place(contact_ids)


_WITH_CUSTOMER_AND_REASON = IdsQuery(
    lambda ids: Contact.objects.filter(pk__in=ids, customer__isnull=False, reason__isnull=False).values_list(
        "pk"
    )[:1]
)


def matters_place(contact_ids: Sequence[int]) -> int:
    """`matters_attach`, returning the number of contacts placed in a (new or other) matter."""
    if not _WITH_CUSTOMER_AND_REASON.rows(contact_ids):  # prepared: a new contact has no reason yet
        return 0
    rows = list(
        Contact.objects.filter(pk__in=list(contact_ids), customer__isnull=False, reason__isnull=False)
        .select_related("matter", "reason")
        .only("pk", "customer_id", "reason_id", "opened_at", "subject", "summary", "matter", "reason__name")
    )
    placed = 0
    reasons: dict[int, Any] | None = None
    for contact in rows:
        matter = contact.matter
        if matter is not None:
            reasons = reasons or reason_tree()
            fits = matter.customer_id == contact.customer_id and family_id(
                matter.reason_id, reasons
            ) == family_id(contact.reason_id, reasons)
            if fits or _manually_placed(contact.pk):
                continue
        placed += _attach_one(contact.pk)
    return placed


@transaction.atomic
def _attach_one(contact_id: int) -> int:
    contact = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("reason", "matter")
        .filter(pk=contact_id, customer__isnull=False, reason__isnull=False)
        .first()
    )
    if contact is None or contact.customer_id is None:
        return 0
    Customer.objects.select_for_update().filter(pk=contact.customer_id).exists()  # one attach per customer
    previous = contact.matter_id
    matter = _matter_for(contact, contact.customer_id)
    if matter.pk == previous:
        return 0
    _put(contact, matter)
    if previous is not None:
        _forget_if_empty(previous)
        other = Matter.objects.filter(pk=previous).first()
        if other is not None:
            _refresh_span(other)
    contact_event_add(
        contact=contact, kind=ContactEvent.Kind.MATTER, actor=None, action="auto", matter=matter.pk
    )
    _stale_after_commit([matter.pk, previous])
    return 1


def _check_customer(contact: Contact) -> int:
    if contact.customer_id is None:
        raise Invalid(
            _("Koppel eerst de klant aan dit contact; een kwestie hoort bij een klant."), field="contact"
        )
    return contact.customer_id


@transaction.atomic
def matter_link(*, contact: Contact, matter: Matter, actor: User | None) -> Contact:
    """An agent says this contact is about `matter` (of the same customer). Linking a contact that came
    after the matter was resolved reopens it: the customer came back about it."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    customer_id = _check_customer(contact)
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    if matter.customer_id != customer_id:
        raise Conflict(_("Deze kwestie hoort bij een andere klant."), field="matter")
    previous = contact.matter_id
    if previous == matter.pk:
        return contact
    came_back = matter.resolved_at is not None and contact.opened_at >= matter.resolved_at
    if matter.state == Matter.State.RESOLVED and came_back:
        _reopen(matter, contact.opened_at)
    _put(contact, matter)
    _forget_if_empty(previous)
    old = Matter.objects.filter(pk=previous).first() if previous else None
    if old is not None:
        _refresh_span(old)
    contact_event_add(
        contact=contact,
        kind=ContactEvent.Kind.MATTER,
        actor=actor,
        action="link",
        matter=matter.pk,
        previous=previous,
    )
    _stale_after_commit([matter.pk, previous])
    return contact


@transaction.atomic
def matter_unlink(*, contact: Contact, actor: User | None) -> Contact:
    """An agent says this contact is not about the matter it is in: it gets a matter of its own."""
    contact = Contact.objects.select_for_update(of=("self",)).select_related("reason").get(pk=contact.pk)
    customer_id = _check_customer(contact)
    previous = contact.matter_id
    if previous is None:
        raise Conflict(_("Dit contact hoort nog bij geen kwestie."), field="matter")
    if not Contact.objects.filter(matter_id=previous).exclude(pk=contact.pk).exists():
        raise Conflict(_("Dit contact is al de enige in zijn kwestie."), field="matter")
    own = _new_matter(contact, customer_id)
    _put(contact, own)
    old = Matter.objects.get(pk=previous)
    _refresh_span(old)
    contact_event_add(
        contact=contact,
        kind=ContactEvent.Kind.MATTER,
        actor=actor,
        action="unlink",
        matter=own.pk,
        previous=previous,
    )
    _stale_after_commit([own.pk, previous])
    return contact


def _reopen(matter: Matter, at: datetime) -> None:
    matter.state = Matter.State.OPEN
    matter.resolution = ""
    matter.resolved_at = None
    matter.last_contact_at = max(matter.last_contact_at, at)
    matter.save(update_fields=["state", "resolution", "resolved_at", "last_contact_at", "updated_at"])


@transaction.atomic
def matter_confirm(
    *,
    matter: Matter,
    resolved: bool = True,
    actor: User | None = None,
    contact: Contact | None = None,
    source: str = "agent",
    at: datetime | None = None,
) -> Matter:
    """The customer says the matter is resolved ("ja") or not ("nee").

    "ja" resolves it (confirmed; a matter settled by no return becomes confirmed). "nee" reopens a
    resolved matter and restarts the no-return clock from now, and counts against first-contact
    resolution. Recorded as a MATTER event on `contact` (by default the matter's newest contact)."""
    when = at or timezone.now()
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    if contact is None:
        contact = matter.contacts.order_by("-opened_at", "-pk").first()
    elif contact.matter_id != matter.pk:
        raise Conflict(_("Dit contact hoort niet bij deze kwestie."), field="contact")
    if contact is None:
        raise Conflict(_("Deze kwestie heeft geen contacten."), field="matter")
    if resolved:
        if matter.state != Matter.State.RESOLVED:
            matter.state = Matter.State.RESOLVED
            matter.resolved_at = when
        matter.resolution = Matter.Resolution.CONFIRMED
        matter.save(update_fields=["state", "resolution", "resolved_at", "updated_at"])
    else:
        _reopen(matter, when)
    contact_event_add(
        contact=contact,
        kind=ContactEvent.Kind.MATTER,
        actor=actor,
        action="confirmed" if resolved else "not_resolved",
        matter=matter.pk,
        source=source,
    )
    _stale_after_commit([matter.pk])
    return matter


def on_survey_answer(response: Any) -> None:
    """Listener on survey answers: "opgelost? ja/nee" is the customer's word on the contact's matter."""
    resolved = getattr(response, "resolved", None)
    if resolved is None:
        return
    contact = response.invitation.contact
    if contact.matter_id is None:
        matters_attach([contact.pk])
        contact = Contact.objects.get(pk=contact.pk)
    if contact.matter_id is None:
        return
    matter = Matter.objects.get(pk=contact.matter_id)
    at = getattr(response, "answered_at", None) or getattr(response, "created_at", None)
    matter_confirm(matter=matter, resolved=bool(resolved), contact=contact, source="survey", at=at)


def _at_least() -> timedelta:
    """A window of N working days ends at a midnight at least N calendar days after the local day it
    started: whatever started later than this before now cannot have ended (a cheap indexed filter)."""
    return timedelta(days=max(working_days() - 1, 0))


def matters_settle(now: datetime | None = None) -> list[int]:
    """Resolve (no return) every open matter whose contacts are all closed and whose N working days
    after the last of them have passed; resolved_at is the moment the window ended. Returns their ids."""
    now = now or timezone.now()
    cutoff = now - _at_least()
    candidates = (
        Matter.objects.filter(state=Matter.State.OPEN, last_contact_at__lt=cutoff)
        .annotate(
            last_closed=Max("contacts__closed_at"),
            open_contacts=Count("contacts", filter=~Q(contacts__status=Status.CLOSED)),
            n=Count("contacts"),
        )
        .filter(n__gt=0, open_contacts=0)
    )
    settled: list[Matter] = []
    for matter in candidates:
        last_closed: datetime = matter.last_closed  # all its contacts are closed
        end = window_end(max(last_closed, matter.last_contact_at))
        if end <= now:
            matter.state = Matter.State.RESOLVED
            matter.resolution = Matter.Resolution.NO_RETURN
            matter.resolved_at = end
            settled.append(matter)
    if settled:
        with transaction.atomic():
            # Only those still open: a confirmation or a new contact may have come in meanwhile.
            still = set(
                Matter.objects.filter(pk__in=[m.pk for m in settled], state=Matter.State.OPEN).values_list(
                    "pk", flat=True
                )
            )
            settled = [m for m in settled if m.pk in still]
            Matter.objects.bulk_update(settled, ["state", "resolution", "resolved_at"], batch_size=500)
            _stale_after_commit([m.pk for m in settled])
    return [m.pk for m in settled]


def naive_windows_mark_stale(now: datetime | None = None, *, lookback_days: int = 60) -> int:
    """Mark stale the facts whose naive window ("N werkdagen") has passed while they still say pending,
    so "geen terugbelverzoek" becomes yes or no. Stateless: a missed tick is caught up by the next."""
    now = now or timezone.now()
    rows = (
        ContactFact.objects.filter(
            naive_resolved="pending",
            closed_at__isnull=False,
            closed_at__lt=now - _at_least(),
            closed_at__gte=now - timedelta(days=lookback_days + working_days()),
        )
        .filter(Q(customer_id__isnull=False) | ~Q(contact__identity_value=""))
        .values_list("contact_id", "closed_at")
    )
    due = [cid for cid, closed_at in rows if closed_at is not None and window_end(closed_at) <= now]
    facts_mark_stale(due)
    return len(due)


@dataclass
class Tick:
    settled: list[int] = field(default_factory=list)
    naive_stale: int = 0


def resolution_tick(now: datetime | None = None) -> Tick:
    """The periodic entry point: settle matters whose window passed, and mark stale the facts whose
    naive window passed. Run it every few minutes (`resolution_tick_task`); it is idempotent."""
    now = now or timezone.now()
    return Tick(settled=matters_settle(now), naive_stale=naive_windows_mark_stale(now))


# --- loading history -------------------------------------------------------------------------------


@dataclass
class _Draft:
    customer_id: int
    reason_id: int
    title: str
    contacts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def last_opened(self) -> datetime:
        opened: datetime = self.contacts[-1]["opened_at"]
        return opened

    def open_at(self, at: datetime, repeat_days: int) -> bool:
        if at - self.last_opened > timedelta(days=repeat_days):
            return False
        closes = [c["closed_at"] for c in self.contacts]
        if any(c is None or c > at for c in closes):
            return True
        return at < window_end(max(max(closes), self.last_opened))


def matters_backfill(now: datetime | None = None) -> int:
    """Give matters to contacts loaded in bulk (the demo, an import) that have a customer and a reason
    but no matter, replaying them in the order they opened with the same rules as live attaching, and
    settle what has passed. Contacts that have a matter are left alone. Returns the matters made."""
    now = now or timezone.now()
    reasons = reason_tree()
    rows = (
        Contact.objects.filter(matter__isnull=True, customer__isnull=False, reason__isnull=False)
        .order_by("opened_at", "pk")
        .values("pk", "customer_id", "reason_id", "opened_at", "closed_at", "subject", "summary")
    )
    current: dict[tuple[int, int | None], _Draft] = {}
    drafts: list[_Draft] = []
    repeat_days = settings.GEZIEN_REPEAT_WINDOW_DAYS
    for row in rows:
        key = (row["customer_id"], family_id(row["reason_id"], reasons))
        draft = current.get(key)
        if draft is None or not draft.open_at(row["opened_at"], repeat_days):
            title = row["subject"] or row["summary"] or getattr(reasons.get(row["reason_id"]), "name", "")
            draft = _Draft(row["customer_id"], row["reason_id"], str(title)[:TITLE_CHARS])
            current[key] = draft
            drafts.append(draft)
        draft.contacts.append(dict(row))
    with transaction.atomic():
        matters = [_matter_of(draft, now) for draft in drafts]
        Matter.objects.bulk_create(matters, batch_size=500)
        placed = []
        for matter, draft in zip(matters, drafts, strict=True):
            placed += [Contact(pk=c["pk"], matter_id=matter.pk) for c in draft.contacts]
        Contact.objects.bulk_update(placed, ["matter"], batch_size=500)
        ids = [c.pk for c in placed]
        transaction.on_commit(lambda: facts_mark_stale(ids))
    return len(matters)


def _matter_of(draft: _Draft, now: datetime) -> Matter:
    closes = [c["closed_at"] for c in draft.contacts]
    matter = Matter(
        customer_id=draft.customer_id,
        reason_id=draft.reason_id,
        title=draft.title,
        opened_at=draft.contacts[0]["opened_at"],
        last_contact_at=draft.last_opened,
    )
    if all(c is not None for c in closes):
        end = window_end(max(max(closes), draft.last_opened))
        if end <= now:
            matter.state = Matter.State.RESOLVED
            matter.resolution = Matter.Resolution.NO_RETURN
            matter.resolved_at = end
    return matter
