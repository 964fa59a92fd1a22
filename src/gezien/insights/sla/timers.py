"""Service-level timers of a contact: first response and resolution, counted in opening hours.

First response: the first agent reply of kind message (not a note, transcript or system message) at or
after the contact opened. Resolution: the contact closing. Both run from `opened_at` against the target
of the contact's channel and current priority (`SlaPolicy`), in seconds of opening hours of the
working-day calendar (Europe/Amsterdam, Dutch holidays): an e-mail that arrives on Saturday evening
starts its clock on Monday morning.

States: `none` (no active target), `running`, `soon` ("bijna over tijd": `warn_share` of the target
used), `met` (done in time), `breached` (done late, or not done and past the deadline). A contact that
closes unanswered before its first-response deadline has no first-response outcome (`none`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import F, Min
from django.utils.translation import gettext as _

from gezien.contacts.models import Author, Contact, Message, MessageKind
from gezien.core.calendar import WorkCalendar, default_calendar
from gezien.insights.models import Outcome
from gezien.insights.sla.models import SlaPolicy

NONE, RUNNING, SOON, MET, BREACHED = "none", "running", "soon", "met", "breached"
PENDING_STATES = (RUNNING, SOON)
# Worst first: the state a queue row shows when its two timers differ.
SEVERITY = {BREACHED: 4, SOON: 3, RUNNING: 2, MET: 1, NONE: 0}

PolicyKey = tuple[str, str]


@dataclass(frozen=True)
class Timer:
    kind: str  # "first_response" or "resolution"
    state: str
    target_seconds: int | None = None
    due: datetime | None = None
    warn_at: datetime | None = None
    used_seconds: int | None = None  # opening-hour seconds from opening until done, closing or now
    done_at: datetime | None = None

    @property
    def left_seconds(self) -> int | None:
        if self.target_seconds is None or self.used_seconds is None:
            return None
        return self.target_seconds - self.used_seconds

    @property
    def over_seconds(self) -> int:
        left = self.left_seconds
        return -left if left is not None and left < 0 else 0

    @property
    def outcome(self) -> str:
        if self.state == MET:
            return Outcome.YES
        if self.state == BREACHED:
            return Outcome.NO
        return Outcome.PENDING

    @property
    def label(self) -> str:
        """What the desk shows: "nog 1u 20m", "bijna over tijd (nog 12m)", "over tijd 35m"."""
        left = self.left_seconds or 0
        if self.state == RUNNING:
            return _("nog %(time)s") % {"time": short_duration(left)}
        if self.state == SOON:
            return _("bijna over tijd (nog %(time)s)") % {"time": short_duration(left)}
        if self.state == BREACHED:
            return _("over tijd %(time)s") % {"time": short_duration(self.over_seconds)}
        if self.state == MET:
            return _("gehaald")
        return ""


@dataclass(frozen=True)
class ContactTimers:
    first_response: Timer
    resolution: Timer

    @property
    def worst(self) -> str:
        return max((self.first_response.state, self.resolution.state), key=SEVERITY.__getitem__)

    def next_deadline(self) -> tuple[datetime, datetime] | None:
        """(warn moment, deadline) of the earliest timer still running, or None."""
        pending = [t for t in (self.first_response, self.resolution) if t.state in PENDING_STATES and t.due]
        if not pending:
            return None
        first = min(pending, key=lambda t: t.due)  # type: ignore[arg-type,return-value]
        assert first.due is not None and first.warn_at is not None
        return first.warn_at, first.due


def short_duration(seconds: int) -> str:
    """ "35m", "1u 20m", "38u 5m": hours and minutes of opening time, rounded up to the minute."""
    minutes = max(0, math.ceil(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(h)du %(m)dm") % {"h": hours, "m": minutes}
    return _("%(m)dm") % {"m": minutes}


def timer(
    *,
    kind: str,
    start: datetime,
    target_minutes: int | None,
    warn_share: float,
    done_at: datetime | None,
    stopped_at: datetime | None,
    now: datetime,
    calendar: WorkCalendar,
) -> Timer:
    """One timer. `done_at`: when the target was reached (a reply, closing); `stopped_at`: when it can
    no longer be reached (closed unanswered)."""
    end = done_at or stopped_at
    if not target_minutes:
        used = calendar.business_seconds(start, end) if end else None
        return Timer(kind, NONE, used_seconds=used, done_at=done_at)
    target = target_minutes * 60
    due = calendar.add_business_seconds(start, target)
    warn_at = calendar.add_business_seconds(start, max(1, math.ceil(target * warn_share)))
    moment = end or now
    used = calendar.business_seconds(start, moment)
    if done_at is not None:
        state = MET if done_at <= due else BREACHED
    elif moment >= due:
        state = BREACHED
    elif stopped_at is not None:
        state = NONE
    else:
        state = SOON if moment >= warn_at else RUNNING
    return Timer(kind, state, target, due, warn_at, used, done_at)


def contact_timers(
    contact: Contact,
    policy: SlaPolicy | None,
    first_reply_at: datetime | None,
    now: datetime,
    calendar: WorkCalendar | None = None,
) -> ContactTimers:
    calendar = calendar or default_calendar()
    active = policy is not None and policy.active
    warn = policy.warn_share if policy is not None else 0.8
    return ContactTimers(
        first_response=timer(
            kind="first_response",
            start=contact.opened_at,
            target_minutes=policy.first_response_minutes if active and policy else None,
            warn_share=warn,
            done_at=first_reply_at,
            stopped_at=contact.closed_at,
            now=now,
            calendar=calendar,
        ),
        resolution=timer(
            kind="resolution",
            start=contact.opened_at,
            target_minutes=policy.resolution_minutes if active and policy else None,
            warn_share=warn,
            done_at=contact.closed_at,
            stopped_at=None,
            now=now,
            calendar=calendar,
        ),
    )


POLICIES_CACHE_KEY = "sla:policies"
POLICIES_CACHE_SECONDS = 60


def policies_by_key() -> dict[PolicyKey, SlaPolicy]:
    """The active policies by (channel, priority): one query, then cached for a minute (every contact
    page shows its timers); saving or deleting a policy forgets the cached ones (`policies_forget`)."""
    found: dict[PolicyKey, SlaPolicy] | None = cache.get(POLICIES_CACHE_KEY)
    if found is None:
        found = {(p.channel, p.priority): p for p in SlaPolicy.objects.filter(active=True)}
        cache.set(POLICIES_CACHE_KEY, found, POLICIES_CACHE_SECONDS)
    return found


def policies_forget(**_kwargs: object) -> None:
    """Drop the cached policies (connected to SlaPolicy's post_save and post_delete)."""
    cache.delete(POLICIES_CACHE_KEY)


def first_replies(contact_ids: Iterable[int]) -> dict[int, datetime]:
    """The first agent reply (kind message, at or after opening) of each contact: one query."""
    ids = list(contact_ids)
    if not ids:
        return {}
    rows = (
        Message.objects.filter(
            contact_id__in=ids,
            author=Author.AGENT,
            kind=MessageKind.MESSAGE,
            sent_at__gte=F("contact__opened_at"),
        )
        .order_by()
        .values("contact_id")
        .annotate(first=Min("sent_at"))
    )
    return {row["contact_id"]: row["first"] for row in rows}


def first_reply_in(contact: Contact) -> datetime | None:
    """The first agent reply among messages already loaded with the contact (no query)."""
    replies = [
        m.sent_at
        for m in contact.messages.all()
        if m.author == Author.AGENT and m.kind == MessageKind.MESSAGE and m.sent_at >= contact.opened_at
    ]
    return min(replies, default=None)


def timers_for(
    contacts: Iterable[Contact],
    now: datetime,
    *,
    policies: Mapping[PolicyKey, SlaPolicy] | None = None,
) -> dict[int, ContactTimers]:
    """The timers of many contacts in two queries (policies, first replies), whatever their number."""
    contacts = list(contacts)
    policies = policies_by_key() if policies is None else policies
    replies = first_replies(c.pk for c in contacts)
    calendar = default_calendar()
    return {
        c.pk: contact_timers(c, policies.get((c.channel, c.priority)), replies.get(c.pk), now, calendar)
        for c in contacts
    }


def first_response_due(contact: Contact, now: datetime) -> datetime | None:
    """When the customer of `contact` may expect a first answer by its service level (None: no target):
    what the e-mail acknowledgement promises (registered with `gezien.mail.outgoing.answer_expected_from`)."""
    policy = policies_by_key().get((contact.channel, contact.priority))
    if policy is None or not policy.active or not policy.first_response_minutes:
        return None
    return default_calendar().add_business_seconds(contact.opened_at, policy.first_response_minutes * 60)
