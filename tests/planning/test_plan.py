"""The plan: required agents and headcount per interval as the workforce library computes them from
the channel's targets, the people scheduled, the gap, and the scale-up figures; shifts and targets are
changed by the right people only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from gezien.accounts.models import User
from gezien.accounts.services import team_ensure
from gezien.core.errors import Conflict, Forbidden, Invalid
from gezien.planning.models import Shift
from gezien.planning.plan import plan_for
from gezien.planning.selectors import targets_by_channel
from gezien.planning.services import shift_create, shift_delete, shift_update, target_save
from gezien.workforce import erlang_a_metrics, erlang_c_metrics, required_agents
from tests.planning.helpers import MONDAY, NOW, at, import_pattern

pytestmark = pytest.mark.django_db

Maker = Callable[..., User]


def staff(
    make_user: Maker, lead: User, n: int, start: int, end: int, channels: tuple[str, ...] = ("phone",)
) -> None:
    for i in range(n):
        person = make_user(f"agent-{start}-{i}-{'-'.join(channels)}", "agent")
        shift_create(actor=lead, user=person, channels=channels, start=at(MONDAY, start), end=at(MONDAY, end))


def test_required_agents_and_the_gap_are_the_libraries_answer(make_user: Maker) -> None:
    import_pattern()
    lead = make_user("karin", "teamlead")
    staff(make_user, lead, 4, 8, 17)
    plan = plan_for(MONDAY, "phone", now=NOW)
    target = targets_by_channel()["phone"]
    assert (target.service_level, target.target_seconds, target.patience_seconds) == (0.8, 20, 120)
    peak = next(i for i in plan.intervals if i.label == "09:00–09:30")
    expected = required_agents(peak.volume, 1800, peak.aht_seconds, 20, 0.8, patience_s=120, shrinkage=0.3)
    assert (peak.agents, peak.headcount) == (expected.agents, expected.headcount)
    assert peak.scheduled == 4 and peak.on_line == 2  # 4 people, 30 % shrinkage
    assert peak.gap == 4 - expected.headcount and peak.short == expected.headcount - 4 > 0
    assert peak.service_level == pytest.approx(
        erlang_a_metrics(peak.volume, 1800, peak.aht_seconds, 120, 2, 20).service_level_offered
    )
    assert peak.service_level < 0.8 <= peak.service_level_with_extra
    # The evening after the shifts end: nobody scheduled, everyone needed is short.
    evening = next(i for i in plan.intervals if i.label == "17:30–18:00")
    assert evening.scheduled == 0 and evening.short == evening.headcount > 0
    assert plan.scale_up.ranges[0].start == at(MONDAY, 8)
    assert plan.scale_up.extra_max == max(i.short for i in plan.intervals)
    assert plan.scale_up.service_level < plan.scale_up.service_level_with_extra


def test_chat_counts_three_at_once_and_email_uses_erlang_c(make_user: Maker) -> None:
    import_pattern("chat", aht=600)
    import_pattern("email", aht=400)
    chat = next(i for i in plan_for(MONDAY, "chat", now=NOW).intervals if i.label == "10:00–10:30")
    expected = required_agents(
        chat.volume, 1800, chat.aht_seconds, 60, 0.8, patience_s=300, shrinkage=0.3, concurrency=3
    )
    assert chat.agents == expected.agents
    single = required_agents(chat.volume, 1800, chat.aht_seconds, 60, 0.8, patience_s=300, concurrency=1)
    assert chat.agents < single.agents
    email = next(i for i in plan_for(MONDAY, "email", now=NOW).intervals if i.label == "10:00–10:30")
    expected_c = required_agents(email.volume, 1800, email.aht_seconds, 3600, 0.9, shrinkage=0.3)
    assert (email.agents, email.headcount) == (expected_c.agents, expected_c.headcount)
    assert (
        email.service_level == erlang_c_metrics(email.volume, 1800, email.aht_seconds, 0, 3600).service_level
    )


def test_a_manager_tightens_the_target_and_the_plan_needs_more(make_user: Maker) -> None:
    import_pattern()
    before = next(i for i in plan_for(MONDAY, "phone", now=NOW).intervals if i.label == "09:00–09:30")
    manager = make_user("hans", "manager")
    target_save(
        actor=manager,
        channel="phone",
        service_level=0.9,
        target_seconds=10,
        patience_seconds=None,
        max_abandon=None,
        max_occupancy=0.85,
        shrinkage=0.35,
        concurrency=1,
    )
    after = next(i for i in plan_for(MONDAY, "phone", now=NOW).intervals if i.label == "09:00–09:30")
    expected = required_agents(
        after.volume, 1800, after.aht_seconds, 10, 0.9, max_occupancy=0.85, shrinkage=0.35
    )
    assert (after.agents, after.headcount) == (expected.agents, expected.headcount)
    assert after.headcount > before.headcount
    with pytest.raises(Forbidden):
        target_save(
            actor=make_user("karin", "teamlead"),
            channel="phone",
            service_level=0.5,
            target_seconds=10,
            patience_seconds=None,
            max_abandon=None,
            max_occupancy=None,
            shrinkage=0.3,
            concurrency=1,
        )
    with pytest.raises(Invalid) as refused:
        target_save(
            actor=manager,
            channel="phone",
            service_level=1.0,
            target_seconds=10,
            patience_seconds=None,
            max_abandon=None,
            max_occupancy=None,
            shrinkage=0.3,
            concurrency=1,
        )
    assert refused.value.field == "service_level"
    assert targets_by_channel()["phone"].service_level == 0.9


def test_part_of_an_interval_and_two_channels_count_in_part(make_user: Maker) -> None:
    lead = make_user("karin", "teamlead")
    person = make_user("fatima", "agent")
    shift_create(
        actor=lead, user=person, channels=["chat", "phone"], start=at(MONDAY, 9, 15), end=at(MONDAY, 12)
    )
    by_label = {i.label: i for i in plan_for(MONDAY, "phone", now=NOW).intervals}
    assert by_label["09:00–09:30"].scheduled == 0.25
    assert by_label["10:00–10:30"].scheduled == 0.5
    assert by_label["12:00–12:30"].scheduled == 0


def test_team_leads_schedule_their_own_team_and_shifts_do_not_overlap(make_user: Maker) -> None:
    lead = make_user("karin", "teamlead")
    own = make_user("fatima", "agent")
    other = make_user("emre", "agent", team=team_ensure(name="Team Zuid"))
    manager = make_user("hans", "manager", team=None)
    with pytest.raises(Forbidden):
        shift_create(actor=lead, user=other, channels=["phone"], start=at(MONDAY, 8), end=at(MONDAY, 12))
    theirs = shift_create(
        actor=manager, user=other, channels=["phone"], start=at(MONDAY, 8), end=at(MONDAY, 12)
    )
    with pytest.raises(Forbidden):
        shift_delete(actor=lead, shift_id=theirs.pk)
    mine = shift_create(actor=lead, user=own, channels=["phone"], start=at(MONDAY, 8), end=at(MONDAY, 12))
    with pytest.raises(Conflict):
        shift_create(actor=lead, user=own, channels=["chat"], start=at(MONDAY, 11), end=at(MONDAY, 13))
    with pytest.raises(Invalid) as refused:
        shift_update(actor=lead, shift_id=mine.pk, end=at(MONDAY, 7))
    assert refused.value.field == "end"
    with pytest.raises(Invalid):
        shift_create(actor=lead, user=own, channels=["fax"], start=at(MONDAY, 13), end=at(MONDAY, 14))
    with pytest.raises(Invalid):
        shift_create(
            actor=lead,
            user=own,
            channels=["phone"],
            start=at(MONDAY, 13),
            end=at(MONDAY, 13) + timedelta(hours=17),
        )
    with pytest.raises(Forbidden):
        shift_create(actor=own, user=own, channels=["phone"], start=at(MONDAY, 13), end=at(MONDAY, 14))
    shift_update(actor=lead, shift_id=mine.pk, end=at(MONDAY, 13), channels=["phone", "chat"])
    assert Shift.objects.get(pk=mine.pk).channel_list == ["phone", "chat"]
    assert Shift.objects.count() == 2
