"""The forecast's scale-up alert: team leads hear about today's and tomorrow's gaps once a day."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from gezien.accounts.models import User
from gezien.core.tick import _jobs
from gezien.notifications.models import Notification
from gezien.planning.alerts import capacity_alerts_tick
from gezien.planning.services import shift_create
from tests.planning.helpers import MONDAY, at, import_pattern

pytestmark = pytest.mark.django_db


def test_team_leads_hear_of_the_gaps_once_a_day(make_user: Callable[..., User]) -> None:
    import_pattern()
    lead = make_user("karin", "teamlead")
    agent = make_user("fatima", "agent")
    shift_create(actor=lead, user=agent, channels=["phone"], start=at(MONDAY, 8), end=at(MONDAY, 17))
    assert capacity_alerts_tick(at(MONDAY, 5)) == 0  # not at night
    assert capacity_alerts_tick(at(MONDAY, 7)) == 1
    (note,) = Notification.objects.filter(kind="capacity")
    assert note.recipient == lead
    assert note.text.startswith("Te weinig mensen ingeroosterd")
    assert "Vandaag: telefoon 08:00–18:00" in note.text and "Morgen: telefoon 08:00–18:00" in note.text
    assert note.link == f"/planning/?day={MONDAY.isoformat()}&channel=phone"  # the plan it speaks of
    cache.clear()
    assert capacity_alerts_tick(at(MONDAY, 9)) == 0
    assert capacity_alerts_tick(at(MONDAY + timedelta(days=1), 7)) == 1
    assert Notification.objects.filter(kind="capacity", recipient=lead).count() == 2
    assert not Notification.objects.filter(recipient=agent).exists()


def test_no_gaps_no_notification_and_the_job_is_on_the_tick(make_user: Callable[..., User]) -> None:
    make_user("karin", "teamlead")
    assert capacity_alerts_tick(at(MONDAY, 7)) == 0  # no history: nobody needed
    assert not Notification.objects.exists()
    assert {"planning_history", "planning_capacity"} <= set(_jobs)


def test_the_notification_leads_from_the_notifications_page_to_the_short_plan(
    make_user: Callable[..., User], client: Client
) -> None:
    import_pattern()
    lead = make_user("karin", "teamlead")
    capacity_alerts_tick(at(MONDAY, 7))
    client.force_login(lead)
    page = client.get("/desk/notifications/").content.decode()
    link = re.search(r'<a href="([^"]+)" data-testid="notification-link">', page)
    assert link, page
    plan = client.get(html.unescape(link.group(1)))
    assert plan.status_code == 200
    assert "tekort" in plan.content.decode()
