"""The staffing plan in the demo: eight weeks of the telephony platform's interval history (a Dutch call
centre: a Monday-morning peak, a quieter Friday afternoon, Saturday mornings, closed on Sundays and
holidays) and two weeks of shifts for the phone and chat agents. On the coming Monday (today, when it is
Monday) three of Team Noord's phone agents are in training until 11:00, so Karin Postma's plan shows a
red gap over the Monday-morning peak, with the scale-up alert beside it.

Deterministic (one seeded generator, days counted from `now`), idempotent (shifts from today on are
left alone once there), and quick (~1,800 interval rows and ~150 shifts in bulk)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from gezien.accounts.models import User
from gezien.core.calendar import default_calendar
from gezien.planning.history import ImportRow, history_catch_up, history_import
from gezien.planning.intervals import day_start, local_tz
from gezien.planning.models import Shift

SEED = 6
HISTORY_WEEKS = 8
SHIFT_DAYS = 14
PHONE_AHT = 300.0
# Calls per half hour on an ordinary Wednesday, from 08:00 to 18:00.
WEEKDAY_SHAPE = (4, 8, 12, 16, 16, 15, 14, 12, 10, 10, 12, 13, 13, 12, 11, 10, 9, 6, 3, 3)
SATURDAY_SHAPE = (3, 4, 4, 4, 4, 3, 3, 2)  # 09:00 to 13:00
DAY_FACTOR = {0: 1.4, 1: 1.1, 2: 1.0, 3: 1.0, 4: 0.95}
FRIDAY_AFTERNOON = 0.7
GROWTH_PER_WEEK = 0.01

EARLY, HALF_NINE = (time(8), time(16, 30)), (time(8, 30), time(17))
NINE, LATE = (time(9), time(17, 30)), (time(9, 30), time(18))
# username, channels, weekday shift: phone 4 early, then 1, 1 and 3 later; chat two early, two late.
WEEKDAY_ROSTER: tuple[tuple[str, str, tuple[time, time]], ...] = (
    ("agent", "phone", EARLY),
    ("fatima.elamrani", "phone", EARLY),
    ("emre.yilmaz", "phone", EARLY),
    ("youssef.benali", "phone", EARLY),
    ("shanti.ramdin", "phone", HALF_NINE),
    ("mark.vandijk", "phone", NINE),
    ("joyce.martina", "phone", LATE),
    ("daan.visser", "phone", LATE),
    ("anouk.smit", "phone", LATE),
    ("naomi.pinas", "chat", EARLY),
    ("lotte.brouwer", "chat", EARLY),
    ("tim.hoekstra", "chat", LATE),
    ("mehmet.demir", "chat", LATE),
)
SATURDAY_ROSTER = (
    ("emre.yilmaz", "phone"),
    ("joyce.martina", "phone"),
    ("youssef.benali", "phone"),
    ("anouk.smit", "phone"),
    ("lotte.brouwer", "chat"),
    ("tim.hoekstra", "chat"),
)
# On the showcase Monday these are in training until 11:00 (the lead can move it and close the gap).
TRAINING = ("fatima.elamrani", "mark.vandijk", "daan.visser")
TRAINING_UNTIL = time(11)
TRAINING_NOTE = "Training nieuwe tarieven tot 11:00"


def showcase_monday(today: date) -> date:
    """Today when it is Monday, else the coming Monday."""
    return today + timedelta(days=(7 - today.weekday()) % 7)


def _calls(day: date, slot: int, rng: random.Random, first: date) -> float:
    weekday = day.weekday()
    if weekday == 5:
        base = float(SATURDAY_SHAPE[slot])
    else:
        base = WEEKDAY_SHAPE[slot] * DAY_FACTOR[weekday]
        if weekday == 4 and slot >= 10:
            base *= FRIDAY_AFTERNOON
    growth = 1 + GROWTH_PER_WEEK * (day - first).days / 7
    return max(0.0, base * growth * rng.gauss(1.0, 0.08))


def history_rows(today: date) -> list[ImportRow]:
    """Half-hour rows of the telephony platform for the open days of the weeks before `today`."""
    calendar = default_calendar()
    rng = random.Random(SEED)
    first = today - timedelta(weeks=HISTORY_WEEKS)
    rows = []
    for n in range(HISTORY_WEEKS * 7):
        day = first + timedelta(days=n)
        if not calendar.is_working_day(day):
            continue
        opening = time(9) if day.weekday() == 5 else time(8)
        slots = len(SATURDAY_SHAPE if day.weekday() == 5 else WEEKDAY_SHAPE)
        for slot in range(slots):
            start = datetime.combine(day, opening, tzinfo=local_tz()) + timedelta(minutes=30 * slot)
            calls = round(_calls(day, slot, rng, first), 1)
            aht = round(PHONE_AHT * rng.gauss(1.0, 0.05))
            rows.append(ImportRow("phone", start, 30, calls, handled=round(calls * 0.95, 1), aht_seconds=aht))
    return rows


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=local_tz())


def shifts_for(day: date, people: dict[str, User], lead: User | None, monday: date) -> list[Shift]:
    calendar = default_calendar()
    if not calendar.is_working_day(day):
        return []
    made = []
    if day.weekday() == 5:
        for username, channel in SATURDAY_ROSTER:
            if username in people:
                made.append(
                    Shift(
                        user=people[username],
                        channels=channel,
                        start=_at(day, time(9)),
                        end=_at(day, time(13)),
                        created_by=lead,
                    )
                )
        return made
    for username, channel, (start, end) in WEEKDAY_ROSTER:
        if username not in people:
            continue
        note = ""
        if day == monday and username in TRAINING:
            start, note = TRAINING_UNTIL, TRAINING_NOTE
        made.append(
            Shift(
                user=people[username],
                channels=channel,
                start=_at(day, start),
                end=_at(day, end),
                note=note,
                created_by=lead,
            )
        )
    return made


def load_planning_demo(now: datetime | None = None) -> dict[str, int]:
    """Import the interval history and write the shifts (once). Returns what it wrote."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    counts = {"planningsintervallen": 0, "diensten": 0}
    counts["historiedagen"] = history_catch_up(limit=None)  # the demo's own contacts, per quarter
    if Shift.objects.filter(start__gte=day_start(today)).exists():
        return counts
    users = User.objects.filter(username__in=[*(r[0] for r in WEEKDAY_ROSTER), "teamlead"])
    people = {u.username: u for u in users}
    lead = people.pop("teamlead", None)
    monday = showcase_monday(today)
    shifts = [
        s for n in range(SHIFT_DAYS) for s in shifts_for(today + timedelta(days=n), people, lead, monday)
    ]
    with transaction.atomic():
        counts["planningsintervallen"] = history_import(rows=history_rows(today))
        Shift.objects.bulk_create(shifts, batch_size=500)
    counts["diensten"] = len(shifts)
    return counts
