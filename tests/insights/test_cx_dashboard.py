"""The insights home and the CX dashboard: scoped figures, charts beside NPS, CSV that is safe."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from gezien.accounts.models import Department
from gezien.accounts.services import team_ensure
from gezien.contacts.models import ContactReason
from tests.insights.cx_data import seed

pytestmark = pytest.mark.django_db

PERIOD = "from=2026-11-01&to=2026-11-20"


@pytest.fixture
def world(make_user, team):
    other = team_ensure(name="Team Zuid")
    logistics = Department.objects.create(code="logistiek", name="Logistiek")
    delivery = ContactReason.objects.create(code="levering", name="Levering", department=logistics)
    invoice = ContactReason.objects.create(code="factuur", name='=HYPERLINK("http://x")')
    north_agent = make_user("noor", "agent", team=team)
    south_agent = make_user("zara", "agent", team=other)
    rows = [
        {
            "team": team,
            "agent": north_agent,
            "reason": delivery,
            "emotion_start": 0.8,
            "emotion_end": 0.1,
            "nps": 9,
        },
        {
            "team": team,
            "agent": north_agent,
            "reason": invoice,
            "emotion_start": 0.6,
            "emotion_end": 0.2,
            "nps": 8,
        },
        {
            "team": other,
            "agent": south_agent,
            "reason": delivery,
            "emotion_start": 0.2,
            "emotion_end": 0.9,
            "nps": 2,
        },
        {
            "team": other,
            "agent": south_agent,
            "reason": invoice,
            "channel": "email",
            "emotion_start": 0.3,
            "emotion_end": 0.7,
        },
    ]
    seed(rows)
    return {"team": team, "other": other, "logistics": logistics, "delivery": delivery, "invoice": invoice}


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_manager_sees_the_headline_figures_with_links(world, make_user):
    page = _as(make_user("mia", "manager")).get(f"/insights/?{PERIOD}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="emotion_gain"' in html and 'data-figure="nps"' in html
    assert 'href="/insights/cx/?' + PERIOD.replace("&", "&amp;") + '"' in html
    assert 'data-testid="insight-tabs"' in html
    assert 'data-testid="insights-link"' in html  # the navigation shows "Inzichten"


def test_the_cx_page_draws_emotion_beside_nps_and_the_scatter(world, make_user):
    html = _as(make_user("mia", "manager")).get(f"/insights/cx/?{PERIOD}").content.decode()
    assert html.count('role="img"') >= 4  # emotion, shares, NPS, the scatter (one group: no bar chart)
    assert "NPS per periode" in html and "Emotie van de klant per periode" in html
    assert "Emotie en NPS per contactreden" in html
    assert "verband" in html  # the plain-Dutch reading of r


def test_a_team_lead_sees_only_their_own_team(world, make_user):
    lead = make_user("lotte", "teamlead", team=world["team"])
    html = _as(lead).get(f"/insights/cx/?{PERIOD}&dim=agent").content.decode()
    assert "Noor" in html and "Zara" not in html
    csv = _as(lead).get(f"/insights/cx/?{PERIOD}&dim=all&format=csv&table=groups").content.decode()
    assert csv.splitlines()[1].split(",")[1] == "2"  # two contacts: their team's, not all four


def test_a_department_owner_sees_their_reasons_but_no_agents(world, make_user):
    owner = make_user("olaf", "department", team=None)
    world["logistics"].owners.add(owner)
    client = _as(owner)
    assert client.get(f"/insights/cx/?{PERIOD}&dim=agent").status_code == 403
    html = client.get(f"/insights/cx/?{PERIOD}&dim=reason").content.decode()
    assert "Levering" in html and "HYPERLINK" not in html


def test_an_agent_may_not_see_insights(world, agent):
    client = _as(agent)
    assert client.get("/insights/").status_code == 403
    assert client.get("/insights/cx/").status_code == 403
    assert 'data-testid="insights-link"' not in client.get("/desk/").content.decode()


def test_bad_input_gets_a_clear_422(world, make_user):
    client = _as(make_user("mia", "manager"))
    assert client.get("/insights/cx/?from=2026-13-01").status_code == 422
    answer = client.get("/insights/cx/?dim=planet")
    assert answer.status_code == 422 and "Kies een indeling" in answer.content.decode()
    assert client.get("/insights/cx/?format=csv&table=nope").status_code == 422


def test_csv_exports_defuse_formulas(world, make_user):
    client = _as(make_user("mia", "manager"))
    csv = client.get(f"/insights/cx/?{PERIOD}&dim=reason&format=csv&table=groups").content.decode()
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv
    relation = client.get(f"/insights/cx/?{PERIOD}&format=csv&table=relation").content.decode()
    assert "'=HYPERLINK" in relation
    headline = client.get(f"/insights/?{PERIOD}&format=csv")
    assert headline["Content-Type"].startswith("text/csv") and "Emotiewinst" in headline.content.decode()


def test_a_reason_named_script_is_drawn_as_text(make_user):
    bad = ContactReason.objects.create(code="xss", name="<script>alert(1)</script>")
    seed([{"reason": bad, "emotion_start": 0.5, "emotion_end": 0.1, "nps": 7, "day": date(2026, 11, 5)}])
    html = _as(make_user("mia", "manager")).get(f"/insights/cx/?{PERIOD}&dim=reason").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_per_group_chart_is_drawn_only_to_compare_groups(world, make_user):
    """With everything in one group the chart was one bar repeating the table beside it."""
    client = _as(make_user("mia", "manager"))
    assert "Emotiewinst per groep" not in client.get(f"/insights/cx/?{PERIOD}").content.decode()
    by_reason = client.get(f"/insights/cx/?{PERIOD}&dim=reason").content.decode()
    assert "Emotiewinst per groep" in by_reason
