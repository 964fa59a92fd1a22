"""Alerts for the team lead and the break prompt for the agent, at the policy's edges; the periodic job
raises each alert once (once per stretch; once per person, day and kind)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gezien.accounts.models import User
from gezien.core.tick import tick
from gezien.notifications.models import Notification
from gezien.wellbeing.alerts import alerts_raise
from gezien.wellbeing.models import WellbeingAlert
from gezien.wellbeing.selectors import prompt_for
from gezien.wellbeing.services import break_take, policy_save, wellbeing_tick
from tests.wellbeing.conftest import NOW, write_spans


def notes(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind="wellbeing").values_list("text", flat=True))


@pytest.mark.parametrize(("minutes", "raised"), [(120, 0), (121, 1)])
def test_the_lead_hears_of_a_long_stretch_only_beyond_the_policy(
    agent: User, lead: User, minutes: int, raised: int
) -> None:
    write_spans(agent, [("work", minutes)], end=NOW)
    assert len(alerts_raise(NOW)) == raised
    assert len(notes(lead)) == raised
    if raised:
        alert = WellbeingAlert.objects.get()
        assert alert.kind == "continuous" and alert.since is not None
        assert "Sanne de Vries werkt sinds 12:59 aan één stuk" in notes(lead)[0]
        (link,) = Notification.objects.filter(recipient=lead).values_list("link", flat=True)
        assert link == f"/desk/wellbeing/agents/{agent.pk}/"


def test_the_job_raises_each_alert_once(agent: User, lead: User, stranger: User) -> None:
    write_spans(agent, [("work", 130)], end=NOW)
    for minutes in (0, 5, 30):
        wellbeing_tick(NOW + timedelta(minutes=minutes))
    assert WellbeingAlert.objects.count() == 1
    assert len(notes(lead)) == 1
    assert notes(agent) == []  # the agent gets the prompt, not a report about themselves
    bas = User.objects.get(username="bas")
    assert notes(bas) == []  # another team's lead hears nothing


def test_a_new_stretch_after_a_break_is_a_new_alert(agent: User, lead: User) -> None:
    write_spans(agent, [("work", 125), ("break", 15, "short"), ("work", 125)], end=NOW)
    alerts_raise(NOW)
    alerts_raise(NOW)
    assert WellbeingAlert.objects.filter(kind="continuous").count() == 2
    assert len(notes(lead)) == 2


@pytest.mark.parametrize(("minutes", "raised"), [(420, False), (421, True)])
def test_a_long_day_on_the_queue_alerts_once_per_day(
    agent: User, lead: User, minutes: int, raised: bool
) -> None:
    blocks = [("work", 100), ("break", 10, "short")] * 4 + [("work", minutes - 400)]
    write_spans(agent, blocks, end=NOW, open_last=False)
    alerts_raise(NOW)
    alerts_raise(NOW + timedelta(minutes=1))
    kinds = list(WellbeingAlert.objects.values_list("kind", flat=True))
    assert kinds.count("daily_queue") == (1 if raised else 0)
    assert "continuous" not in kinds and "lunch_only" not in kinds


def test_a_day_with_no_break_but_lunch(agent: User, lead: User) -> None:
    blocks = [("work", 120), ("break", 30, "lunch"), ("work", 118), ("break", 2, "short"), ("work", 2)]
    write_spans(agent, blocks, end=NOW)
    alerts_raise(NOW)
    assert list(WellbeingAlert.objects.values_list("kind", flat=True)) == ["lunch_only"]
    assert "zonder pauze buiten de lunch" in notes(lead)[0]


def test_the_alerts_follow_the_policy(agent: User, lead: User, manager: User) -> None:
    write_spans(agent, [("work", 100)], end=NOW)
    assert alerts_raise(NOW) == []
    policy_save(actor=manager, continuous_minutes=90)
    assert len(alerts_raise(NOW)) == 1


def test_the_tick_runs_the_wellbeing_job(agent: User, lead: User) -> None:
    write_spans(agent, [("work", 130)], end=NOW)
    result = tick(NOW)
    assert result["wellbeing"] == {"loads": 0, "protections": 0, "alerts": 1}


@pytest.mark.parametrize(("minutes", "prompted"), [(120, False), (121, True)])
def test_the_agent_is_prompted_only_beyond_the_policy(agent: User, minutes: int, prompted: bool) -> None:
    write_spans(agent, [("work", minutes)], end=NOW)
    found = prompt_for(agent, NOW)
    assert (found is not None) is prompted
    if found:
        assert found.kind == "break" and found.worked_minutes == 121 and found.minutes == 10


def test_no_prompt_on_a_break_or_signed_off(agent: User) -> None:
    write_spans(agent, [("work", 150), ("break", 2, "short")], end=NOW)
    assert prompt_for(agent, NOW) is None
    assert prompt_for(agent, NOW - timedelta(minutes=2)) is not None  # still working then


def test_taking_the_break_ends_the_prompt(agent: User) -> None:
    write_spans(agent, [("work", 130)], end=NOW)
    span = break_take(user=agent, now=NOW)
    assert (span.state, span.break_kind) == ("break", "short")
    assert span.planned_end == NOW + timedelta(minutes=10)
    assert prompt_for(agent, NOW + timedelta(minutes=1)) is None
