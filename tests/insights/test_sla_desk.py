"""Service levels in the desk: timers in the queue and on the contact, priority, policies, dashboard."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gezien.contacts.models import Contact, ContactEvent
from gezien.contacts.services import contact_open, message_add
from gezien.insights.sla.models import SlaPolicy

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AMS)  # Monday 10:00; default hours ma-vr 08-18, za 09-13


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def at(d: int, h: int, m: int = 0) -> datetime:
    return datetime(2026, 11, d, h, m, tzinfo=AMS)


def email(opened: datetime, text: str) -> Contact:
    return contact_open(
        channel="email", identities=[("email", "klant@example.nl")], text=text, at=opened
    ).contact


TIMER_STATE = r'data-testid="sla-(?:first-response|resolution)" data-state="([a-z]+)"'


def _states(page: str) -> dict[str, list[str]]:
    """Per row summary: the data-state of its timers."""
    rows = re.findall(r"<tr class=\"[^\"]*\">(.*?)</tr>", page, flags=re.S)
    out = {}
    for row in rows:
        subject = re.search(r'<a href="/desk/contacts/\d+/">([^<]*)</a>', row)
        if subject:
            out[subject.group(1)] = re.findall(
                r'data-testid="sla-(?:first-response|resolution)" data-state="([a-z]+)"', row
            )
    return out


@pytest.mark.usefixtures("outgoing_mailbox")  # the agent answers an e-mail contact
def test_the_queue_shows_running_soon_and_breached_timers(desk: Client, agent, frozen) -> None:
    email(at(23, 9), "Vers")  # 1 of 8 hours used
    email(at(20, 17), "Bijna")  # 1 + 4 + 2 = 7 of 8 hours: bijna over tijd
    email(at(20, 12), "Laat")  # 12 of 8 hours
    answered = email(at(23, 8), "Beantwoord")
    message_add(contact=answered, author="agent", text="Komt goed.", agent=agent, at=at(23, 8, 30))
    message_add(contact=answered, author="customer", text="Dank, en nog iets.", at=at(23, 9))
    page = desk.get("/desk/").content.decode()
    states = _states(page)
    assert states["Vers"] == ["running", "running"]
    assert states["Bijna"] == ["soon", "running"]
    assert states["Laat"] == ["breached", "running"]
    assert states["Beantwoord"] == ["running"]  # the first response is done; resolution still runs
    assert "nog 7u 0m" in page
    assert "bijna over tijd (nog 1u 0m)" in page
    assert "over tijd 4u 0m" in page
    assert 'class="sla sla-breached"' in page


@pytest.mark.usefixtures("outgoing_mailbox")  # the agent answers an e-mail contact
def test_the_queue_reads_a_constant_number_of_queries(desk: Client, agent, frozen) -> None:
    for i in range(2):
        email(at(23, 8, i), f"Vraag {i}")
    desk.get("/desk/queue-table/")
    with CaptureQueriesContext(connection) as few:
        desk.get("/desk/queue-table/")
    for i in range(2, 9):
        c = email(at(23, 8, i), f"Vraag {i}")
        message_add(contact=c, author="agent", text="Antwoord.", agent=agent, at=at(23, 9))
    with CaptureQueriesContext(connection) as many:
        page = desk.get("/desk/queue-table/").content.decode()
    assert page.count('data-testid="sla-timers"') == 9
    assert len(many) == len(few)


def test_the_contact_page_shows_timers_and_sets_the_priority(desk: Client, agent, frozen) -> None:
    c = email(at(23, 9), "Ik ben ontzettend boos over mijn factuur.")
    page = desk.get(f"/desk/contacts/{c.pk}/").content.decode()
    assert 'data-testid="sla-contact"' in page
    assert "nog 7u 0m" in page
    response = desk.post(f"/desk/contacts/{c.pk}/priority/", {"priority": "urgent"}, follow=True)
    assert response.status_code == 200
    assert Contact.objects.get(pk=c.pk).priority == "urgent"
    assert ContactEvent.objects.filter(contact=c, kind="priority").count() == 1
    # Urgent e-mail: a first response within 60 opening minutes, 60 used: over time.
    assert "over tijd" in response.content.decode()
    refused = desk.post(f"/desk/contacts/{c.pk}/priority/", {"priority": "<script>"}, follow=True)
    assert "Kies normaal, hoog of spoed." in refused.content.decode()
    assert Contact.objects.get(pk=c.pk).priority == "urgent"
    assert desk.post("/desk/contacts/999999/priority/", {"priority": "high"}).status_code == 404


def test_managers_edit_policies_team_leads_only_read_them(client: Client, make_user) -> None:
    manager, lead, agent = (
        make_user("mara", "manager"),
        make_user("tom", "teamlead"),
        make_user("ali", "agent"),
    )
    client.force_login(agent)
    assert client.get("/insights/sla/policies/").status_code == 403
    client.force_login(lead)
    page = client.get("/insights/sla/policies/").content.decode()
    assert 'data-testid="sla-policy-chat-normal"' in page and 'type="number"' not in page
    assert client.post("/insights/sla/policies/chat/normal/", {}).status_code == 403
    client.force_login(manager)
    form = {
        "chat-normal-first_response_minutes": "3",
        "chat-normal-resolution_minutes": "45",
        "chat-normal-warn_percent": "75",
        "chat-normal-active": "on",
    }
    assert client.post("/insights/sla/policies/chat/normal/", form).status_code == 302
    policy = SlaPolicy.objects.get(channel="chat", priority="normal")
    assert (policy.first_response_minutes, policy.resolution_minutes, policy.warn_share) == (3, 45, 0.75)
    bad = client.post("/insights/sla/policies/chat/normal/", {**form, "chat-normal-warn_percent": "150"})
    assert bad.status_code == 422
    assert SlaPolicy.objects.get(channel="chat", priority="normal").warn_share == 0.75
    assert client.post("/insights/sla/policies/fax/normal/", form).status_code == 404


def test_the_dashboard_is_scoped_and_exports_csv(client: Client, make_user, team, frozen) -> None:
    from gezien.accounts.services import team_ensure

    other = team_ensure(name="Team Zuid")
    ours = email(at(20, 12), "Ons team")
    theirs = email(at(20, 12), "Ander team")
    Contact.objects.filter(pk=ours.pk).update(team=team)
    Contact.objects.filter(pk=theirs.pk).update(team=other)
    from gezien.insights.facts import facts_rebuild_all

    facts_rebuild_all()
    manager, lead = make_user("mara", "manager"), make_user("tom", "teamlead", team=team)
    client.force_login(manager)
    page = client.get("/insights/sla/?from=2026-11-01&to=2026-11-23&dim=team")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="sla-now-breached">2<' in html
    assert "Team Zuid" in html and "Team Noord" in html
    csv = client.get("/insights/sla/?from=2026-11-01&to=2026-11-23&dim=channel&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("E-mail,email,2,2,2,1,")
    client.force_login(lead)
    html = client.get("/insights/sla/?from=2026-11-01&to=2026-11-23&dim=channel").content.decode()
    assert 'data-testid="sla-now-breached">1<' in html
    assert client.get("/insights/sla/?dim=priority").status_code == 403
    assert client.get("/insights/sla/?dim=planeet").status_code == 422
    client.force_login(make_user("ali", "agent"))
    assert client.get("/insights/sla/").status_code == 403
