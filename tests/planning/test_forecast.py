"""The forecast learns weekday and time-of-day patterns and a recent trend from the interval history,
leaves out holidays, gives closed hours and holidays nothing, and follows the team lead's edits."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.contacts.services import contact_open
from gezien.core.errors import Invalid
from gezien.insights.rollups import insights_catch_up
from gezien.planning.forecast import forecast_model
from gezien.planning.history import ImportRow, history_catch_up, history_days, history_import
from gezien.planning.models import VolumeInterval
from gezien.planning.plan import plan_for
from gezien.planning.services import adjustment_add
from tests.planning.helpers import AMS, MONDAY, NOW, at, flat_pattern, import_pattern

pytestmark = pytest.mark.django_db


def quarter_volume(model_day: date, hour: int, minute: int = 0, channel: str = "phone") -> float:
    model = forecast_model(channel, min(model_day, MONDAY))
    for q in model.quarters(model_day):
        local = q.start.astimezone(AMS)
        if (local.hour, local.minute) == (hour, minute):
            return q.volume
    return 0.0


def test_a_steady_history_is_forecast_as_it_was_per_weekday_and_quarter() -> None:
    import_pattern()
    model = forecast_model("phone", MONDAY)
    assert model.history_days == 8 * 6
    monday, friday = MONDAY, MONDAY + timedelta(days=4)
    assert quarter_volume(monday, 9) == pytest.approx(flat_pattern(monday, 9, 0))
    assert quarter_volume(monday, 16, 30) == pytest.approx(flat_pattern(monday, 16, 30))
    assert quarter_volume(friday, 15) == pytest.approx(flat_pattern(friday, 15, 0))
    # The Monday-morning peak, and Monday busier than Friday.
    assert model.day_total(monday) > model.day_total(friday)
    assert quarter_volume(monday, 9) >= 2 * quarter_volume(monday, 16) > 0


def test_closed_days_and_hours_get_nothing() -> None:
    import_pattern()
    sunday = MONDAY + timedelta(days=6)
    model = forecast_model("phone", MONDAY)
    assert model.day_total(sunday) == 0
    assert model.quarters(sunday) == []
    starts = [q.start.astimezone(AMS) for q in model.quarters(MONDAY)]
    assert (starts[0].hour, starts[-1].hour, starts[-1].minute) == (8, 17, 45)  # opening hours 08-18
    saturday = model.quarters(MONDAY + timedelta(days=5))
    assert {q.start.astimezone(AMS).hour for q in saturday} == {9, 10, 11, 12}
    plan = plan_for(sunday, "phone", now=NOW)
    assert plan.closed == "gesloten" and plan.intervals == ()


def test_volume_outside_opening_hours_in_the_history_moves_into_them() -> None:
    import_pattern()
    early = [ImportRow("phone", at(MONDAY - timedelta(days=7 * w), 7), 15, 40.0) for w in range(1, 9)]
    history_import(rows=early)
    model = forecast_model("phone", MONDAY)
    assert all(q.start.astimezone(AMS).hour >= 8 for q in model.quarters(MONDAY))
    assert sum(q.volume for q in model.quarters(MONDAY)) == pytest.approx(model.day_total(MONDAY))


def test_a_growing_history_is_forecast_higher_than_its_average() -> None:
    first = MONDAY - timedelta(weeks=8)

    def growing(day: date, hour: int, minute: int) -> float:
        weeks = (day - first).days / 7
        return flat_pattern(day, hour, minute) * (1 + 0.02 * weeks)

    import_pattern(volume=growing)
    model = forecast_model("phone", MONDAY)
    flat_monday = sum(flat_pattern(MONDAY, h, 0) * 4 for h in range(8, 18))
    assert model.slope > 0
    # Eight weeks of +2 % a week: the next Monday is 16 % above the first, as the history went on.
    assert model.day_total(MONDAY) == pytest.approx(flat_monday * 1.16, rel=0.01)
    # Far ahead the trend is held at +25 % of the mean level.
    far = model.day_total(MONDAY + timedelta(weeks=52))
    assert far == pytest.approx(model.level_mean * 1.25 * model.weekday_index[0], rel=1e-6)


def test_holidays_are_left_out_of_the_history_and_get_no_volume() -> None:
    as_of = date(2026, 5, 11)  # a Monday; its eight weeks hold Paasmaandag, Koningsdag, Bevrijdingsdag
    import_pattern(as_of=as_of)
    # On two of them the platform counted a trickle of calls to the closed desk: not a pattern.
    history_import(
        rows=[
            ImportRow("phone", at(date(2026, 4, 27), 10), 15, 1.0),
            ImportRow("phone", at(date(2026, 5, 5), 10), 15, 1.0),
        ]
    )
    model = forecast_model("phone", as_of)
    assert model.history_days == 8 * 6 - 3
    assert quarter_volume_of(model, as_of, 9) == pytest.approx(flat_pattern(as_of, 9, 0))
    hemelvaart = date(2026, 5, 14)
    assert model.day_total(hemelvaart) == 0
    plan = plan_for(hemelvaart, "phone", now=NOW)
    assert plan.closed == "Hemelvaartsdag" and plan.volume == 0


def quarter_volume_of(model: object, day: date, hour: int) -> float:
    for q in model.quarters(day):  # type: ignore[attr-defined]
        if q.start.astimezone(AMS).hour == hour and q.start.astimezone(AMS).minute == 0:
            return float(q.volume)
    return 0.0


def test_without_history_the_forecast_is_zero_and_the_plan_needs_nobody() -> None:
    plan = plan_for(MONDAY, "chat", now=NOW)
    assert plan.volume == 0
    assert plan.intervals and all(i.agents == 0 and i.headcount == 0 for i in plan.intervals)
    assert not plan.scale_up


def test_a_percentage_raises_the_forecast_of_its_hours_only(make_user) -> None:  # type: ignore[no-untyped-def]
    import_pattern()
    lead = make_user("karin", "teamlead")
    adjustment_add(
        actor=lead,
        channel="phone",
        start=at(MONDAY, 10),
        end=at(MONDAY, 12),
        kind="percent",
        value=40,
        note="storing verwacht",
    )
    plan = plan_for(MONDAY, "phone", now=NOW)
    by_label = {i.label: i for i in plan.intervals}
    assert by_label["10:00–10:30"].volume == pytest.approx(1.4 * by_label["10:00–10:30"].base_volume)
    assert by_label["11:30–12:00"].adjusted
    assert by_label["12:00–12:30"].volume == pytest.approx(by_label["12:00–12:30"].base_volume)
    assert not by_label["09:30–10:00"].adjusted
    (shown,) = plan.adjustments
    assert shown.note == "storing verwacht" and shown.created_by == lead


def test_a_volume_override_replaces_and_spreads_by_the_forecast_shape(make_user) -> None:  # type: ignore[no-untyped-def]
    import_pattern()
    lead = make_user("karin", "teamlead")
    adjustment_add(
        actor=lead, channel="phone", start=at(MONDAY, 9), end=at(MONDAY, 9, 30), kind="volume", value=30
    )
    adjustment_add(
        actor=lead, channel="phone", start=at(MONDAY, 8), end=at(MONDAY, 18), kind="aht", value=420
    )
    adjustment_add(
        actor=lead, channel="phone", start=at(MONDAY, 9), end=at(MONDAY, 10), kind="percent", value=-50
    )
    by_label = {i.label: i for i in plan_for(MONDAY, "phone", now=NOW).intervals}
    assert by_label["09:00–09:30"].volume == pytest.approx(15)  # 30, then -50 %
    assert by_label["09:00–09:30"].base_volume == pytest.approx(2 * flat_pattern(MONDAY, 9, 0))
    assert by_label["14:00–14:30"].aht_seconds == 420
    assert by_label["14:00–14:30"].base_aht_seconds == pytest.approx(300)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"end": at(MONDAY, 9)}, "end"),
        ({"start": at(MONDAY, 9, 10)}, "start"),
        ({"kind": "double"}, "kind"),
        ({"value": float("nan")}, "value"),
        ({"value": -150.0}, "value"),
        ({"start": at(date(1999, 12, 31), 9)}, "start"),
        ({"kind": "volume", "end": at(MONDAY + timedelta(days=1), 10)}, "end"),
    ],
)
def test_bad_edits_are_refused_and_nothing_is_stored(make_user, change: dict, field: str) -> None:  # type: ignore[no-untyped-def]
    from gezien.planning.models import ForecastAdjustment

    lead = make_user("karin", "teamlead")
    values = {
        "channel": "phone",
        "start": at(MONDAY, 10),
        "end": at(MONDAY, 11),
        "kind": "percent",
        "value": 10.0,
    }
    with pytest.raises(Invalid) as refused:
        adjustment_add(actor=lead, **{**values, **change})
    assert refused.value.field == field
    assert not ForecastAdjustment.objects.exists()


def test_the_history_counts_the_desks_own_contacts_and_an_import_replaces_that_day(
    agent: User, django_capture_on_commit_callbacks: Any
) -> None:
    day = MONDAY - timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        for minute in (1, 7, 20):
            contact_open(
                channel="chat",
                identities=[("chat", f"bezoeker-{minute}")],
                text="Hallo",
                at=at(day, 9, minute),
            )
        contact_open(channel="phone", identities=[("phone", "0612345678")], at=at(day, 9, 5))
    insights_catch_up()
    assert history_catch_up() >= 1
    counted = {
        (r.channel, r.start.astimezone(AMS).strftime("%H:%M"), r.offered)
        for r in VolumeInterval.objects.all()
    }
    assert counted == {("chat", "09:00", 2.0), ("chat", "09:15", 1.0), ("phone", "09:00", 1.0)}
    assert history_catch_up() == 0  # nothing marked any more
    history_import(rows=[ImportRow("phone", at(day, 9), 30, 12.0, handled=10, aht_seconds=240)])
    (phone,) = history_days("phone", day, day)[-1:]
    assert (phone.source, phone.offered, phone.aht_seconds) == ("import", 12.0, 240.0)
    model = forecast_model("phone", MONDAY)
    assert model.day_total(MONDAY) == pytest.approx(12.0)  # the import, not the one logged call
    assert model.aht_weekday[0] == pytest.approx((2400 + 5 * model.aht_channel) / 15)
