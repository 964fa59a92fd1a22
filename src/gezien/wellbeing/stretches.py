"""Time on the queue, stretches and breaks, read from agent state spans (pure: no queries).

Working the queue means being available, in contact or in after-contact work. Everything else (a break
of any kind, signed off, or no state at all) is time off the queue. A *pause* is one unbroken stretch of
time off the queue; it is a break that counts when it lasts at least the policy's `min_break_minutes`
(shorter ones neither end a stretch nor add to the time on the queue). A pause that runs past midnight
(Europe/Amsterdam) is the end of a working day, never a break: it ends the stretch, and the night (or the
weekend) is not counted as rest. A *stretch* is the time on the queue between two counted breaks; its
length is the time actually worked in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from gezien.presence.models import WORKING_STATES, BreakKind, State
from gezien.presence.selectors import Span

WORKING = frozenset(str(s) for s in WORKING_STATES)


@dataclass
class Pause:
    """Time off the queue between two moments of work (or going on at the end)."""

    start: datetime
    end: datetime
    lunch: bool = False  # a lunch break was part of it
    on_break: bool = False  # someone chose a break in it (not only signed off)
    between_work: bool = False  # work came after it

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60

    @property
    def overnight(self) -> bool:
        """It runs past midnight: the end of a working day (signed off for the night), not a break."""
        return local_day(self.start) != local_day(self.end - timedelta(microseconds=1))


@dataclass
class Stretch:
    start: datetime  # the first moment on the queue after a counted break
    end: datetime  # the last moment on the queue so far
    seconds: float = 0.0  # time worked in it (short pauses left out)

    @property
    def minutes(self) -> float:
        return self.seconds / 60


@dataclass
class Timeline:
    stretches: list[Stretch] = field(default_factory=list)
    breaks: list[Pause] = field(default_factory=list)  # pauses that count as a break
    pause_now: Pause | None = None  # time off the queue going on at the end (any length)

    @property
    def current(self) -> Stretch | None:
        """The stretch going on at the end: the last one, unless a counted break came after it."""
        if not self.stretches:
            return None
        last = self.stretches[-1]
        if self.breaks and self.breaks[-1].start >= last.end:
            return None
        return last


def timeline(spans: Iterable[Span], min_break_minutes: int) -> Timeline:
    """Stretches and counted breaks of one person's spans (oldest first, as `spans_between` gives them)."""
    found = Timeline()
    stretch: Stretch | None = None
    pause: Pause | None = None
    least = timedelta(minutes=max(0, min_break_minutes))
    for span in spans:
        if span.state in WORKING:
            if stretch is not None and span.start > stretch.end:
                pause = pause or Pause(stretch.end, span.start)
                pause.end = span.start
            if pause is not None and stretch is not None:
                pause.between_work = True
                if pause.overnight:
                    stretch = None  # a new working day: a new stretch, but the night was no break
                elif pause.end - pause.start >= least:
                    found.breaks.append(pause)
                    stretch = None
            pause = None
            if stretch is None:
                stretch = Stretch(span.start, span.end)
                found.stretches.append(stretch)
            stretch.seconds += span.seconds
            stretch.end = span.end
        elif stretch is not None:  # time off the queue after some work
            pause = pause or Pause(stretch.end, span.start)
            pause.end = span.end
            pause.lunch = pause.lunch or span.break_kind == BreakKind.LUNCH
            pause.on_break = pause.on_break or span.state == State.BREAK
    if pause is not None and stretch is not None:
        found.pause_now = pause
        if pause.end - pause.start >= least and not pause.overnight:
            found.breaks.append(pause)
    return found


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the desk's time zone."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


@dataclass
class DayTime:
    """One person's day on the queue."""

    day: date
    queue_seconds: float = 0.0
    stretches: list[Stretch] = field(default_factory=list)  # those that started this day
    breaks: list[Pause] = field(default_factory=list)  # counted breaks that started this day

    @property
    def queue_minutes(self) -> int:
        return int(self.queue_seconds // 60)

    @property
    def longest_minutes(self) -> int:
        return int(max((s.seconds for s in self.stretches), default=0.0) // 60)

    def rest_breaks(self) -> list[Pause]:
        """The breaks besides lunch that gave rest this day: between work, or a break going on now
        (signing off at the end of the day is no break)."""
        return [b for b in self.breaks if not b.lunch and (b.between_work or b.on_break)]

    @property
    def lunch_minutes(self) -> int:
        return int(sum(b.minutes for b in self.breaks if b.lunch))

    @property
    def break_minutes(self) -> int:
        return int(sum(b.minutes for b in self.rest_breaks()))


def days_of(spans: Sequence[Span], line: Timeline, days: Sequence[date]) -> dict[date, DayTime]:
    """Split one person's time on the queue, stretches and breaks over local days."""
    found = {d: DayTime(d) for d in days}
    for span in spans:
        if span.state not in WORKING:
            continue
        moment = span.start
        while moment < span.end:
            day = local_day(moment)
            until = min(span.end, day_start(day + timedelta(days=1)))
            if day in found:
                found[day].queue_seconds += (until - moment).total_seconds()
            moment = until
    for stretch in line.stretches:
        day = local_day(stretch.start)
        if day in found:
            found[day].stretches.append(stretch)
    for pause in line.breaks:
        day = local_day(pause.start)
        if day in found:
            found[day].breaks.append(pause)
    return found
