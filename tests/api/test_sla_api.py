"""The SLA API: policies, a contact's priority and timers, and the scoped SLA figures (JSON and CSV)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from gezien.contacts.handling import contact_set_status
from gezien.contacts.models import Contact, ContactEvent
from gezien.contacts.services import contact_open

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")


def email(opened: datetime, text: str = "Mijn factuur klopt niet.") -> Contact:
    return contact_open(channel="email", identities=[], text=text, at=opened).contact


def test_policies_are_read_by_team_leads_and_changed_by_managers(api, api_as):
    assert api.get("/api/sla/policies").status_code == 403  # an agent
    lead = api_as("teamlead")
    listed = lead.get("/api/sla/policies")
    assert listed.status_code == 200
    assert len(listed.json_body) == 12
    chat = next(p for p in listed.json_body if p["channel"] == "chat" and p["priority"] == "normal")
    assert chat["first_response_minutes"] == 2
    body = {"first_response_minutes": 5, "resolution_minutes": None, "warn_share": 0.9, "active": True}
    assert lead.call("put", "/api/sla/policies/chat/normal", body).status_code == 403
    manager = api_as("manager")
    changed = manager.call("put", "/api/sla/policies/chat/normal", body)
    assert changed.status_code == 200
    assert changed.json_body["first_response_minutes"] == 5
    assert changed.json_body["resolution_minutes"] is None
    bad = manager.call("put", "/api/sla/policies/chat/normal", {**body, "first_response_minutes": 0})
    assert bad.status_code == 422
    assert manager.call("put", "/api/sla/policies/fax/normal", body).status_code == 404  # no such path
    assert manager.call("put", "/api/sla/policies/chat/normal", {**body, "warn_share": 2}).status_code == 422


def test_priority_is_set_and_answers_the_timers(api, agent):
    c = email(datetime(2026, 11, 16, 9, tzinfo=AMS))
    answer = api.call("put", f"/api/contacts/{c.pk}/priority", {"priority": "high"})
    assert answer.status_code == 200
    assert answer.json_body["priority"] == "high"
    assert answer.json_body["first_response"]["state"] == "breached"  # a week unanswered
    assert answer.json_body["first_response"]["target_seconds"] == 240 * 60
    assert answer.json_body["first_response"]["label"].startswith("over tijd")
    assert ContactEvent.objects.get(contact=c, kind="priority").actor == agent
    assert api.call("put", f"/api/contacts/{c.pk}/priority", {"priority": "hoog"}).status_code == 422
    assert api.call("put", "/api/contacts/999999/priority", {"priority": "high"}).status_code == 404
    contact_set_status(contact=c, status="closed")
    closed = api.call("put", f"/api/contacts/{c.pk}/priority", {"priority": "urgent"})
    assert closed.status_code == 409
    timers = api.get(f"/api/contacts/{c.pk}/sla").json_body
    assert timers["priority"] == "high"
    assert timers["resolution"]["state"] in ("met", "breached")


def test_the_sla_figures_are_scoped_and_export_csv(api, api_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email(datetime(2026, 11, 16, 9, tzinfo=AMS))
    assert api.get("/api/insights/sla").status_code == 403  # agents see no insights
    manager = api_as("manager")
    report = manager.get("/api/insights/sla?from=2026-11-01&to=2026-11-30&dim=channel")
    assert report.status_code == 200
    (group,) = report.json_body["groups"]
    assert group["key"] == "email" and group["label"] == "E-mail"
    assert group["figures"]["first_response_breached"] == 1
    assert group["figures"]["first_response_breach_rate"] == 1.0
    assert report.json_body["now"] == {"open": 1, "soon": 0, "breached": 1}
    csv = manager.get("/api/insights/sla?from=2026-11-01&to=2026-11-30&dim=channel&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "E-mail,email,1,1,1,1," in csv.content.decode("utf-8-sig")
    assert manager.get("/api/insights/sla?from=2026-13-01").status_code == 422
    assert manager.get("/api/insights/sla?dim=planeet").status_code == 422
    lead = api_as("teamlead")
    assert lead.get("/api/insights/sla?dim=priority").status_code == 403
    assert lead.get("/api/insights/sla?dim=channel").json_body["groups"] == []  # not their team's contact


@pytest.fixture(autouse=True)
def _analyse_inline(settings: Any) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = True  # insights read signals; with DATABASE_URL the default is a task
