"""The definitions honest resolution counts with: reason families, the "N werkdagen" window and
handling time per channel. Small pure functions, so the services, the fact contributor, the demo and
the docs all say the same thing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from gezien.contacts.models import ContactReason
from gezien.core.calendar import default_calendar


def working_days() -> int:
    return max(0, int(settings.GEZIEN_RESOLUTION_WORKING_DAYS))


def window_end(moment: datetime, days: int | None = None) -> datetime:
    """The end of "N werkdagen after `moment`": midnight (Europe/Amsterdam) after the N-th working day
    that follows the local day of `moment`. Working days are the calendar's: a day the desk is open
    (the opening hours; Saturday counts when the desk opens on Saturday) that is not a Dutch holiday."""
    n = working_days() if days is None else days
    local = timezone.localtime(moment)
    last = default_calendar().add_working_days(local.date(), n)
    tz = timezone.get_current_timezone()
    return datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)


def reason_tree() -> dict[int, ContactReason]:
    """The (small) reason tree, cached for a minute: every attach and fact batch needs it."""
    found: dict[int, ContactReason] | None = cache.get("resolution:reasons")
    if found is None:
        found = {r.pk: r for r in ContactReason.objects.all()}
        cache.set("resolution:reasons", found, 60)
    return found


def family_id(reason_id: int | None, reasons: Mapping[int, ContactReason]) -> int | None:
    """The root of a reason's family ("Levering" for "Levering vertraagd"): contacts about one family
    belong to one matter. A reason not in the tree is its own family."""
    if reason_id is None:
        return None
    seen = {reason_id}
    current = reasons.get(reason_id)
    while current is not None and current.parent_id is not None and current.parent_id not in seen:
        seen.add(current.parent_id)
        parent = reasons.get(current.parent_id)
        if parent is None:
            return current.parent_id
        current = parent
    return current.pk if current is not None else reason_id


@dataclass(frozen=True)
class Work:
    """What a contact's messages say about the agent's time (one aggregate row per contact)."""

    turn_start: float | None = None  # the earliest transcript turn's start offset (seconds into the call)
    turn_end: float | None = None  # the latest transcript turn's end offset
    first_message: datetime | None = None  # the first customer or agent message (not notes)
    last_message: datetime | None = None
    agent_replies: int = 0  # agent messages to the customer (not notes, not transcript turns)


def handling_seconds(channel: str, opened_at: datetime, closed_at: datetime | None, work: Work) -> int | None:
    """The agent time a closed contact took, in seconds (None while it is open or when unknown).

    - phone: the call's length from the transcript's turn offsets (first start to last end); without
      offsets, opened to closed, capped at GEZIEN_HANDLING_CAP_MINUTES;
    - chat: first to last message, capped at GEZIEN_HANDLING_CAP_MINUTES;
    - e-mail and web form: GEZIEN_EMAIL_HANDLING_MINUTES per agent reply (None without a reply).
    """
    if closed_at is None:
        return None
    cap = max(1, int(settings.GEZIEN_HANDLING_CAP_MINUTES)) * 60
    if channel == "phone":
        if work.turn_start is not None and work.turn_end is not None and work.turn_end > work.turn_start:
            return round(work.turn_end - work.turn_start)
        return _capped((closed_at - opened_at).total_seconds(), cap)
    if channel == "chat":
        if work.first_message is None or work.last_message is None:
            return None
        return _capped((work.last_message - work.first_message).total_seconds(), cap)
    if work.agent_replies <= 0:
        return None
    return work.agent_replies * max(0, int(settings.GEZIEN_EMAIL_HANDLING_MINUTES)) * 60


def _capped(seconds: float, cap: int) -> int:
    return int(max(0.0, min(seconds, float(cap))))
