"""The desk's wellbeing pages per role: agents their own page, team leads their team (per agent only when
the organisation allows it), managers everyone and the policy; the break prompt above every page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gezien.accounts.models import User
from gezien.presence.selectors import current_state
from gezien.wellbeing.alerts import alerts_raise
from gezien.wellbeing.models import Protection, WellbeingAlert, WellbeingPolicy
from gezien.wellbeing.selectors import agent_week, policy
from gezien.wellbeing.services import policy_save
from gezien.wellbeing.stretches import day_start
from tests.wellbeing.conftest import ABUSIVE, write_spans


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def long_stretch(agent: User) -> User:
    """Sanne has worked 2 h 10 m without a break, up to now."""
    write_spans(agent, [("work", 130)], end=timezone.now())
    return agent


def test_an_agent_sees_their_own_page_and_is_sent_there_from_the_team_page(
    client: Client, long_stretch: User
) -> None:
    login(client, long_stretch)
    assert client.get("/desk/wellbeing/").url == "/desk/wellbeing/me/"
    page = client.get("/desk/wellbeing/me/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mijn welzijn" in html and "2 u 10 m" in html and "tijd voor een pauze" in html


def test_a_night_shift_counts_whole_in_the_weeks_total(client: Client, agent: User) -> None:
    """Two hours and a minute on the queue across midnight: each day shows its own hour (rounded down),
    the week shows the two hours and a minute that were worked, not the sum of the rounded days."""
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 14)
    midnight = day_start(monday + timedelta(days=2))  # Tuesday to Wednesday
    write_spans(agent, [("work", 121)], end=midnight + timedelta(minutes=60, seconds=30), open_last=False)
    week = agent_week(agent, monday, timezone.now())
    assert [d.queue_minutes for d in week.days[1:3]] == [60, 60]
    assert week.total.queue_minutes == 121
    html = login(client, agent).get(f"/desk/wellbeing/me/?week={monday.isoformat()}").content.decode()
    assert "2 u 01 m" in html


def test_an_agent_cannot_see_a_colleagues_page(
    client: Client, agent: User, lead: User, make_user: Any
) -> None:
    colleague = make_user("mark", "agent", first_name="Mark", last_name="van Dijk")
    login(client, agent)
    assert client.get(f"/desk/wellbeing/agents/{colleague.pk}/").status_code == 403
    assert client.get(f"/desk/wellbeing/agents/{agent.pk}/").status_code == 200


def test_the_lead_sees_the_team_now_and_the_week(client: Client, long_stretch: User, lead: User) -> None:
    alerts_raise(timezone.now())
    html = login(client, lead).get("/desk/wellbeing/").content.decode()
    assert 'data-testid="now-over"' in html and "Sanne de Vries" in html
    assert 'data-testid="scale-up-day"' in html and 'data-testid="team-agents"' in html
    assert "werkt sinds" in html  # the open alert
    page = client.get(f"/desk/wellbeing/agents/{long_stretch.pk}/")
    assert page.status_code == 200 and "Welzijn van Sanne de Vries" in page.content.decode()


def test_with_per_agent_views_off_the_lead_sees_totals_only(
    client: Client, long_stretch: User, lead: User, manager: User
) -> None:
    policy_save(actor=manager, per_agent_views=False)
    login(client, lead)
    assert client.get(f"/desk/wellbeing/agents/{long_stretch.pk}/").status_code == 403
    html = client.get("/desk/wellbeing/").content.decode()
    assert 'data-testid="per-agent-off"' in html and 'data-testid="team-agents"' not in html
    assert login(Client(), long_stretch).get("/desk/wellbeing/me/").status_code == 200
    assert login(Client(), manager).get(f"/desk/wellbeing/agents/{long_stretch.pk}/").status_code == 200


def test_a_lead_cannot_open_another_teams_agent(client: Client, lead: User, stranger: User) -> None:
    login(client, lead)
    assert client.get(f"/desk/wellbeing/agents/{stranger.pk}/").status_code == 404
    assert client.get("/desk/wellbeing/agents/987654/").status_code == 404
    assert client.get(f"/desk/wellbeing/?team={stranger.team_id}").status_code == 404


def test_a_manager_sees_every_team(client: Client, agent: User, stranger: User, manager: User) -> None:
    html = login(client, manager).get("/desk/wellbeing/").content.decode()
    assert "Team Noord" in html and "Team Zuid" in html
    one = client.get(f"/desk/wellbeing/?team={stranger.team_id}").content.decode()
    assert "Team Zuid" in one and "Team Noord</h2>" not in one


@pytest.mark.parametrize("week", ["gisteren", "0001-01-01", "2026-13-01", "٢٠٢٦-١١-١٨"])
def test_a_bad_week_is_a_422_page(client: Client, lead: User, week: str) -> None:
    page = login(client, lead).get("/desk/wellbeing/", {"week": week})
    assert page.status_code == 422 and 'data-testid="invalid"' in page.content.decode()
    assert client.get("/desk/wellbeing/me/", {"week": week}).status_code == 422
    assert client.get("/desk/wellbeing/", {"team": "abc"}).status_code == 422


def test_names_and_reasons_are_escaped(client: Client, make_user: Any, lead: User) -> None:
    odd = make_user("odd", "agent", first_name="<script>alert(1)</script>", last_name="&amp;")
    write_spans(odd, [("work", 130)], end=timezone.now() + timedelta(seconds=30))
    alerts_raise(timezone.now())
    html = login(client, lead).get("/desk/wellbeing/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp;amp;" in html


def test_the_break_prompt_shows_above_the_desk_and_takes_the_break(
    client: Client, long_stretch: User
) -> None:
    login(client, long_stretch)
    html = client.get("/desk/").content.decode()
    assert 'data-testid="break-prompt"' in html and "Pauze nemen" in html
    answer = client.post("/desk/wellbeing/break/", {"next": "/desk/"})
    assert answer.status_code == 302 and answer.url == "/desk/"
    state = current_state(long_stretch.pk)
    assert state is not None and (state.state, state.break_kind) == ("break", "short")
    assert 'data-testid="break-prompt"' not in client.get("/desk/").content.decode()


def test_after_abuse_the_desk_offers_time_to_bijkomen(client: Client, agent: User, handled: Any) -> None:
    write_spans(agent, [("work", 30)], end=timezone.now() + timedelta(seconds=30))
    handled(agent, ABUSIVE)
    login(client, agent)
    html = client.get("/desk/").content.decode()
    assert 'data-kind="decompress"' in html and "Even bijkomen (10 min)" in html
    protection = Protection.objects.get()
    assert client.post(f"/desk/wellbeing/protections/{protection.pk}/decompress/").status_code == 302
    state = current_state(agent.pk)
    assert state is not None and state.break_kind == "decompression"


def test_someone_elses_decompression_is_refused(
    client: Client, agent: User, lead: User, handled: Any, make_user: Any
) -> None:
    handled(agent, ABUSIVE)
    protection = Protection.objects.get()
    assert (
        login(client, lead).post(f"/desk/wellbeing/protections/{protection.pk}/decompress/").status_code
        == 403
    )
    assert client.post("/desk/wellbeing/protections/987654/decompress/").status_code == 404
    colleague = login(client, make_user("bram"))
    for action in ("decompress", "end"):  # someone else's is as unknown as none
        assert colleague.post(f"/desk/wellbeing/protections/{protection.pk}/{action}/").status_code == 404
    assert Protection.objects.get().break_taken_at is None and Protection.objects.get().ended_early_at is None


def test_the_lead_acknowledges_an_alert_the_agent_cannot(
    client: Client, long_stretch: User, lead: User
) -> None:
    alerts_raise(timezone.now())
    alert = WellbeingAlert.objects.get()
    assert (
        login(Client(), long_stretch).post(f"/desk/wellbeing/alerts/{alert.pk}/acknowledge/").status_code
        == 403
    )
    assert login(client, lead).post(f"/desk/wellbeing/alerts/{alert.pk}/acknowledge/").status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == lead
    assert "Geen openstaande signalen" in client.get("/desk/wellbeing/").content.decode()


def test_the_policy_page_is_for_managers(client: Client, lead: User, manager: User) -> None:
    assert login(client, lead).get("/desk/wellbeing/policy/").status_code == 403
    login(client, manager)
    assert client.get("/desk/wellbeing/policy/").status_code == 200
    form = {
        "continuous_minutes": 90,
        "min_break_minutes": 5,
        "daily_queue_minutes": 400,
        "lunch_only_minutes": 240,
        "heavy_load_at": "0,7",
        "heavy_run": 2,
        "heavy_window_minutes": 60,
        "protect_minutes": 45,
        "decompression_minutes": 15,
    }
    assert client.post("/desk/wellbeing/policy/", form).status_code == 302
    saved = WellbeingPolicy.objects.get()
    assert (saved.continuous_minutes, saved.heavy_load_at, saved.per_agent_views) == (90, 0.7, False)
    assert policy().protect_minutes == 45


@pytest.mark.parametrize(
    ("field", "value"), [("continuous_minutes", 5), ("heavy_load_at", "2"), ("heavy_run", "")]
)
def test_a_bad_policy_is_refused_and_changes_nothing(
    client: Client, manager: User, field: str, value: Any
) -> None:
    before = policy().continuous_minutes
    form = {
        name: getattr(policy(), name)
        for name in (
            "continuous_minutes",
            "min_break_minutes",
            "daily_queue_minutes",
            "lunch_only_minutes",
            "heavy_run",
            "heavy_window_minutes",
            "protect_minutes",
            "decompression_minutes",
        )
    }
    form["heavy_load_at"] = "0,6"
    form[field] = value
    page = login(client, manager).post("/desk/wellbeing/policy/", form)
    assert page.status_code == 422 and "errorlist" in page.content.decode()
    assert not WellbeingPolicy.objects.exclude(continuous_minutes=before).exists()


def test_the_team_page_reads_a_fixed_number_of_queries(
    client: Client, lead: User, make_user: Callable[..., User]
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/desk/wellbeing/").status_code == 200
        return len(queries)

    login(client, lead)
    write_spans(make_user("a1", "agent"), [("work", 130)], end=timezone.now())
    client.get("/desk/wellbeing/")
    few = count()
    for n in range(2, 7):
        write_spans(
            make_user(f"a{n}", "agent"),
            [("work", 60), ("break", 10, "short"), ("work", 130)],
            end=timezone.now(),
        )
    client.get("/desk/wellbeing/")  # new people: the kept permissions are read again once
    assert count() == few


def _day_rows(html: str, testid: str) -> list[str]:
    table = html[html.index(f'data-testid="{testid}"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return re.findall(r"<tr[^>]*>\s*<td>([^<]+)</td>", body)


def test_the_week_shows_the_days_that_have_been_not_rows_of_zeros_ahead(
    client: Client, long_stretch: User, lead: User
) -> None:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    page = login(client, lead).get("/desk/wellbeing/").content.decode()
    assert len(_day_rows(page, "team-days")) == today.weekday() + 1  # Monday up to today, nothing after
    last_week = client.get(f"/desk/wellbeing/?week={(monday - timedelta(days=7)).isoformat()}")
    assert len(_day_rows(last_week.content.decode(), "team-days")) == 7
    own = login(client, long_stretch).get("/desk/wellbeing/me/").content.decode()
    assert len(_day_rows(own, "agent-days")) == today.weekday() + 1
