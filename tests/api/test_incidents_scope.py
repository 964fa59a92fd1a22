"""An incident of abuse names the agent who bore it and quotes the customer's words: a team lead sees
their own team's incidents only (API, the notifications page, the break), managers see every team's."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gezien.accounts.models import User
from gezien.accounts.services import team_ensure
from gezien.accounts.tokens import token_create
from gezien.assist.models import Incident
from gezien.assist.services import incident_log
from gezien.contacts.handling import contact_assign
from gezien.contacts.services import contact_open
from gezien.notifications.models import Notification
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


def _incident(agent: User, words: str) -> Incident:
    contact = contact_open(channel="chat", identities=[("phone", "06-12345678")], text=words).contact
    contact_assign(contact=contact, agent=agent)
    return incident_log(contact=contact, source="reported", note=words, reported_by=agent)


def test_a_team_lead_sees_only_the_own_teams_incidents(make_user: Any, team: Any) -> None:
    south = team_ensure(name="Team Zuid")
    lead = make_user("lotte", "teamlead")
    ours = make_user("sanne", "agent", first_name="Sanne")
    theirs = make_user("kees", "agent", first_name="Kees", last_name="Zuiderling", team=south)
    manager = make_user("meike", "manager")
    mine = _incident(ours, "Rot op, idioot!")
    other = _incident(theirs, "Jij vuile klootzak")

    seen = ApiClient(token_create(user=lead)[1]).get("/api/incidents").json_body
    assert [i["id"] for i in seen["items"]] == [mine.pk]
    everyone = ApiClient(token_create(user=manager)[1]).get("/api/incidents").json_body
    assert sorted(i["id"] for i in everyone["items"]) == sorted([mine.pk, other.pk])

    desk = Client()
    desk.force_login(lead)
    page = desk.get("/desk/notifications/").content.decode()
    assert "Rot op" in page and "klootzak" not in page and "Zuiderling" not in page
    assert desk.post(f"/desk/incidents/{other.pk}/break/").status_code == 404
    assert Incident.objects.get(pk=other.pk).break_taken_at is None
    # Team Zuid has no team lead: a manager hears of it, not another team's lead.
    told = set(Notification.objects.filter(incident_id=other.pk).values_list("recipient_id", flat=True))
    assert told == {manager.pk}
