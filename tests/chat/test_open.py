"""Open or not: within opening hours and with someone available for chat the widget chats; otherwise
it says so, with when to expect an answer, and a message still becomes a contact waiting in the queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from gezien.accounts.models import User
from gezien.chat.models import ChatWidget
from gezien.chat.selectors import widget_config
from gezien.contacts.models import Contact
from gezien.routing.models import RoutingProfile
from tests.chat.conftest import Visitor

AMS = ZoneInfo("Europe/Amsterdam")
TUESDAY_10 = datetime(2026, 12, 8, 10, 0, tzinfo=AMS)
SUNDAY_10 = datetime(2026, 12, 6, 10, 0, tzinfo=AMS)


def _present(agent: User, at: datetime, **capacity: int) -> None:
    RoutingProfile.objects.update_or_create(user=agent, defaults={"last_seen_at": at, "capacity": capacity})


def test_open_within_hours_with_an_agent_present(widget: ChatWidget, agent: User) -> None:
    _present(agent, TUESDAY_10)
    config = widget_config(widget, language="nl", now=TUESDAY_10)
    assert config["open"] is True and config["agents_available"] is True
    assert config["expected_reply"] == "Meestal binnen een paar minuten."


def test_nobody_available_closes_the_chat_within_hours(widget: ChatWidget, agent: User) -> None:
    config = widget_config(widget, language="nl", now=TUESDAY_10)  # never seen in the desk
    assert config["open"] is False and config["agents_available"] is False
    _present(agent, TUESDAY_10, chat=0)  # present, but takes no chats
    assert widget_config(widget, language="nl", now=TUESDAY_10)["agents_available"] is False


def test_an_agent_of_another_team_does_not_open_a_teams_widget(widget: ChatWidget, make_user: Any) -> None:
    from gezien.accounts.services import team_ensure

    elsewhere = make_user("joost", "agent", team=team_ensure(name="Team Zuid"))
    _present(elsewhere, TUESDAY_10)
    assert widget_config(widget, language="nl", now=TUESDAY_10)["agents_available"] is False
    widget.team = None
    assert widget_config(widget, language="nl", now=TUESDAY_10)["agents_available"] is True


def test_outside_opening_hours_the_expected_answer_is_named(widget: ChatWidget, agent: User) -> None:
    _present(agent, SUNDAY_10)
    config = widget_config(widget, language="nl", now=SUNDAY_10)
    assert config["open"] is False and config["agents_available"] is True
    # The web form's first-response target (8 working hours) from Monday 08:00.
    assert config["expected_reply"] == "U krijgt uiterlijk morgen om 16:00 antwoord."
    english = widget_config(widget, language="en", now=SUNDAY_10)
    assert english["expected_reply"] == "You will have an answer by tomorrow at 16:00 at the latest."


def test_without_a_target_the_next_opening_is_named(widget: ChatWidget, settings: Any) -> None:
    from gezien.insights.sla.models import SlaPolicy

    SlaPolicy.objects.filter(channel="webform").update(active=False)
    config = widget_config(widget, language="nl", now=SUNDAY_10)
    assert config["expected_reply"] == "We antwoorden zodra we weer open zijn: morgen om 08:00."


def test_offline_a_message_still_waits_in_the_queue(visitor: Visitor) -> None:
    visitor.start(name="Piet", email="piet@example.nl")  # offline the widget asks name and e-mail first
    assert visitor.say("Kunnen jullie mij morgen terugbellen?").status_code == 201
    contact = Contact.objects.get()
    assert contact.status == "open" and contact.waiting_since is not None
    assert contact.assigned_agent is None and contact.team == visitor.widget.team
