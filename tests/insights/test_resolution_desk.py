"""Honest resolution in the desk: proposed links, link and unlink buttons, the customer's answer, the
survey's "opgelost?", and the dashboard where handling time never stands without honest FCR."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from gezien.contacts.models import ContactEvent, Matter
from gezien.insights.resolution.services import on_survey_answer
from tests.insights.resolution_helpers import annie, at, committed, contact, family, weekdays

pytestmark = pytest.mark.django_db
_fixtures = (annie, family, weekdays)


def _post(client, url, data):
    with committed():
        return client.post(url, data)


def test_the_desk_proposes_the_earlier_matter_and_links_and_unlinks(desk, agent, annie, family, weekdays):
    call = contact("phone", at(2026, 6, 1, 9), family["vertraagd"], closed=at(2026, 6, 1, 9, 10))
    # Two weeks later the window has passed: a new matter, but the desk asks whether it is the same.
    chat = contact("chat", at(2026, 6, 15, 9), family["vertraagd"])
    assert chat.matter_id != call.matter_id
    page = desk.get(f"/desk/contacts/{chat.pk}/").content.decode()
    assert "Hoort dit bij dezelfde kwestie als het contact van 1 jun (Levering vertraagd)?" in page

    response = _post(desk, f"/desk/contacts/{chat.pk}/matter/link/", {"matter_id": call.matter_id})
    assert response.status_code == 302
    chat.refresh_from_db()
    matter = Matter.objects.get(pk=call.matter_id)
    assert chat.matter_id == matter.pk
    assert matter.state == "open"  # the customer came back about it after it settled: it runs again
    event = ContactEvent.objects.filter(contact=chat, kind="matter").last()
    assert event.actor == agent and event.data["action"] == "link"
    page = desk.get(f"/desk/contacts/{chat.pk}/").content.decode()
    assert "Hoort dit bij dezelfde kwestie" not in page  # nothing left to propose
    assert "2 contacten in deze kwestie" in page

    _post(desk, f"/desk/contacts/{chat.pk}/matter/unlink/", {})
    chat.refresh_from_db()
    assert chat.matter_id not in (None, matter.pk)
    # An agent's choice stands: another change to the contact does not move it back.
    contact_reason_again = family["levering"]
    from gezien.contacts.handling import contact_set_reason

    with committed():
        contact_set_reason(contact=chat, reason=contact_reason_again)
    chat.refresh_from_db()
    assert chat.matter_id != matter.pk


def test_linking_to_another_customers_matter_is_refused(desk, annie, family, weekdays):
    mine = contact("email", at(2026, 6, 1, 9), family["vertraagd"])
    from gezien.customers.services import customer_create

    customer_create(first_name="Piet", last_name="Bakker", identities=[("email", "piet@example.nl")])
    theirs = contact("email", at(2026, 6, 1, 10), family["vertraagd"], identity=("email", "piet@example.nl"))
    response = _post(desk, f"/desk/contacts/{mine.pk}/matter/link/", {"matter_id": theirs.matter_id})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.matter_id != theirs.matter_id
    page = desk.get(f"/desk/contacts/{mine.pk}/").content.decode()
    assert "Deze kwestie hoort bij een andere klant." in page


def test_the_agent_records_the_customers_answer(desk, annie, family, weekdays):
    call = contact("phone", at(2026, 6, 1, 9), family["vertraagd"], closed=at(2026, 6, 1, 9, 10))
    _post(desk, f"/desk/contacts/{call.pk}/matter/confirm/", {"resolved": "ja"})
    matter = Matter.objects.get(pk=call.matter_id)
    assert (matter.state, matter.resolution) == ("resolved", "confirmed")
    page = desk.get(f"/desk/matters/{matter.pk}/").content.decode()
    assert "Klant bevestigde" in page and f"/desk/contacts/{call.pk}/" in page
    _post(desk, f"/desk/contacts/{call.pk}/matter/confirm/", {"resolved": "misschien"})
    matter.refresh_from_db()
    assert matter.state == "resolved"  # a bad answer changes nothing


def test_a_survey_answer_confirms_or_reopens(annie, family, weekdays):
    call = contact("phone", at(2026, 6, 1, 9), family["vertraagd"], closed=at(2026, 6, 1, 9, 10))
    invitation = SimpleNamespace(contact=call)
    answer = SimpleNamespace(resolved=True, invitation=invitation, answered_at=at(2026, 6, 2))
    with committed():
        on_survey_answer(answer)
    matter = Matter.objects.get(pk=call.matter_id)
    assert matter.resolution == "confirmed"
    with committed():
        on_survey_answer(SimpleNamespace(resolved=False, invitation=SimpleNamespace(contact=call)))
    matter.refresh_from_db()
    assert matter.state == "open"


def _scorecard(html: str) -> list[str]:
    return re.findall(r'<tr data-testid="scorecard-row">(.*?)</tr>', html, re.S)


def test_the_dashboard_shows_naive_and_honest_side_by_side(client, make_user, annie, family, weekdays):
    contact("phone", at(2026, 4, 24, 10), family["vertraagd"], closed=at(2026, 4, 24, 10, 8), seconds=420)
    contact("chat", at(2026, 4, 29, 14), family["levering"], closed=at(2026, 4, 29, 14, 20))
    from gezien.insights.resolution.services import resolution_tick

    with committed():
        resolution_tick(at(2026, 5, 20))
    client.force_login(make_user("mira", "manager"))
    for dim in ("all", "team", "agent", "reason", "channel"):
        html = client.get(f"/insights/resolution/?from=2026-04-20&to=2026-05-10&dim={dim}").content.decode()
        rows = _scorecard(html)
        assert rows
        for row in rows:  # R19: no scorecard shows handling time alone
            if 'data-figure="handling_minutes"' in row:
                assert 'data-figure="honest_fcr"' in row and 'data-figure="naive_resolution"' in row
    html = client.get("/insights/resolution/?from=2026-04-20&to=2026-05-10&dim=channel").content.decode()
    phone = next(r for r in _scorecard(html) if "Telefoon" in r)
    assert re.search(r'data-figure="naive_resolution">100%<', phone)
    assert re.search(r'data-figure="honest_fcr">0%<', phone)
    assert re.search(r'data-figure="resolution_gap">100%<', phone)
    csv = client.get("/insights/resolution/?from=2026-04-20&to=2026-05-10&dim=reason&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Eerlijk: opgelost bij het eerste contact" in text and "Levering vertraagd" in text
    bad = client.get("/insights/resolution/?dim=planeet")
    assert bad.status_code == 422


def test_agents_do_not_see_the_dashboard(desk):
    assert desk.get("/insights/resolution/").status_code == 403
