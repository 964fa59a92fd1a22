"""API: wellbeing (R17). Own week, an agent's week for their lead or a manager, the team overview, the
break prompt, protections, alerts and the policy; roles on every endpoint and 4xx for bad input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from gezien.accounts.models import User
from gezien.accounts.services import agent_create, team_ensure
from gezien.accounts.tokens import token_create
from gezien.wellbeing.alerts import alerts_raise
from gezien.wellbeing.models import Protection, WellbeingAlert, WellbeingPolicy
from tests.conftest import ApiClient
from tests.wellbeing.conftest import ABUSIVE, write_spans
from tests.wellbeing.conftest import _inline_analysis as _inline_analysis
from tests.wellbeing.conftest import _midweek as _midweek
from tests.wellbeing.conftest import handled as handled


@pytest.fixture
def make_user(db: None, team: Any) -> Callable[..., User]:
    """Without a password: hashing one takes most of a test's time."""

    def make(username: str, role: str, **kwargs: Any) -> User:
        return agent_create(
            username=username,
            password=None,
            role=role,
            first_name=kwargs.pop("first_name", username.title()),
            last_name=kwargs.pop("last_name", "de Vries"),
            team=kwargs.pop("team", team),
        )

    return make


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    zuid = team_ensure(name="Team Zuid")
    return {
        "sanne": make_user("sanne", "agent", first_name="Sanne"),
        "mark": make_user("mark", "agent", first_name="Mark", last_name="van Dijk"),
        "karin": make_user("karin", "teamlead", first_name="Karin", last_name="Postma"),
        "hans": make_user("hans", "manager", first_name="Hans", team=None),
        "bas": make_user("bas", "teamlead", first_name="Bas", team=zuid),
        "emre": make_user("emre", "agent", first_name="Emre", team=zuid),
    }


@pytest.fixture
def as_(people: dict[str, User]) -> Callable[[str], ApiClient]:
    return lambda name: ApiClient(token_create(user=people[name])[1])


@pytest.fixture
def long_stretch(people: dict[str, User]) -> User:
    write_spans(people["mark"], [("work", 130)], end=timezone.now())
    return people["mark"]


def test_an_agent_reads_their_own_week(as_: Callable[[str], ApiClient], long_stretch: User) -> None:
    body = as_("mark").get("/api/wellbeing/me").json_body
    assert body["agent"]["name"] == "Mark van Dijk" and body["agent"]["team"] == "Team Noord"
    assert len(body["days"]) == 7 and body["now"]["working"] and body["now"]["over"]
    assert body["now"]["stretch_minutes"] >= 130 and body["total"]["queue_minutes"] >= 130


def test_who_may_read_an_agents_week(
    as_: Callable[[str], ApiClient], people: dict[str, User], long_stretch: User
) -> None:
    mark = long_stretch.pk
    assert as_("sanne").get(f"/api/wellbeing/agents/{mark}").status_code == 403
    assert as_("karin").get(f"/api/wellbeing/agents/{mark}").status_code == 200
    assert as_("hans").get(f"/api/wellbeing/agents/{mark}").status_code == 200
    assert as_("bas").get(f"/api/wellbeing/agents/{mark}").status_code == 404
    assert as_("karin").get("/api/wellbeing/agents/987654").status_code == 404
    assert as_("karin").get("/api/wellbeing/agents/abc").status_code == 404
    assert as_("karin").get(f"/api/wellbeing/agents/{2**70}").status_code == 404


def test_the_lead_reads_the_overview_with_names(as_: Callable[[str], ApiClient], long_stretch: User) -> None:
    alerts_raise(timezone.now())
    body = as_("karin").get("/api/wellbeing/overview").json_body
    assert body["per_agent"] and [t["team"] for t in body["teams"]] == ["Team Noord"]
    team = body["teams"][0]
    assert {a["agent"]["name"] for a in team["agents"]} >= {"Mark van Dijk", "Sanne de Vries"}
    assert (
        team["scale_up"][0]["continuous"] == 1 and team["scale_up"][0]["people"][0]["name"] == "Mark van Dijk"
    )
    assert body["now"][0]["agent"]["name"] == "Mark van Dijk" and body["now"][0]["now"]["over"]
    assert body["alerts"][0]["kind"] == "continuous"
    assert as_("sanne").get("/api/wellbeing/overview").status_code == 403


def test_with_per_agent_views_off_the_lead_reads_totals(
    as_: Callable[[str], ApiClient], long_stretch: User
) -> None:
    assert as_("hans").call("put", "/api/wellbeing/policy", {"per_agent_views": False}).status_code == 200
    body = as_("karin").get("/api/wellbeing/overview").json_body
    team = body["teams"][0]
    assert not body["per_agent"] and team["agents"] == [] and team["scale_up"][0]["people"] == []
    assert team["scale_up"][0]["continuous"] == 1 and team["total"]["queue_minutes"] >= 130
    assert as_("karin").get(f"/api/wellbeing/agents/{long_stretch.pk}").status_code == 403
    assert as_("mark").get("/api/wellbeing/me").status_code == 200


def test_a_manager_reads_every_team_or_one(as_: Callable[[str], ApiClient], people: dict[str, User]) -> None:
    body = as_("hans").get("/api/wellbeing/overview").json_body
    assert {t["team"] for t in body["teams"]} >= {"Team Noord", "Team Zuid"}
    zuid = people["emre"].team_id
    one = as_("hans").get(f"/api/wellbeing/overview?team={zuid}").json_body
    assert [t["team"] for t in one["teams"]] == ["Team Zuid"]
    assert as_("karin").get(f"/api/wellbeing/overview?team={zuid}").status_code == 404
    assert as_("hans").get("/api/wellbeing/overview?team=987654").status_code == 404


@pytest.mark.parametrize(
    "query", ["week=2026-13-01", "week=0001-01-01", "week=gisteren", "team=0", "team=abc"]
)
def test_bad_queries_are_422(as_: Callable[[str], ApiClient], people: dict[str, User], query: str) -> None:
    answer = as_("hans").get(f"/api/wellbeing/overview?{query}")
    assert answer.status_code == 422, answer.json_body


def test_a_week_in_the_past(as_: Callable[[str], ApiClient], long_stretch: User) -> None:
    body = as_("mark").get("/api/wellbeing/me?week=2026-01-07").json_body
    assert body["week"] == "2026-01-05" and body["total"]["queue_minutes"] == 0


def test_the_prompt_and_taking_the_break(as_: Callable[[str], ApiClient], long_stretch: User) -> None:
    mark = as_("mark")
    assert mark.get("/api/wellbeing/prompt").json_body["kind"] == "break"
    now = mark.post("/api/wellbeing/break").json_body
    assert not now["working"] and now["state"] == "break"
    assert mark.get("/api/wellbeing/prompt").json_body["kind"] == "none"


def test_protections_through_the_api(
    as_: Callable[[str], ApiClient], people: dict[str, User], handled: Any
) -> None:
    handled(people["sanne"], ABUSIVE)
    protection = Protection.objects.get()
    # A colleague, or another team's lead, cannot tell someone's protection from one that does not exist.
    assert as_("mark").post(f"/api/wellbeing/protections/{protection.pk}/decompress").status_code == 404
    assert as_("mark").post(f"/api/wellbeing/protections/{protection.pk}/end").status_code == 404
    # Sanne's own lead sees it, but the break to recover is Sanne's.
    assert as_("karin").post(f"/api/wellbeing/protections/{protection.pk}/decompress").status_code == 403
    body = as_("sanne").post(f"/api/wellbeing/protections/{protection.pk}/decompress").json_body
    assert body["break_taken_at"] is not None and body["active"]
    again = as_("sanne").post(f"/api/wellbeing/protections/{protection.pk}/decompress")
    assert again.status_code == 409
    assert as_("bas").post(f"/api/wellbeing/protections/{protection.pk}/end").status_code == 404
    ended = as_("karin").post(f"/api/wellbeing/protections/{protection.pk}/end").json_body
    assert not ended["active"] and ended["ended_early_at"] is not None
    assert as_("sanne").post("/api/wellbeing/protections/987654/end").status_code == 404
    week = as_("sanne").get("/api/wellbeing/me").json_body
    assert week["contacts"][0]["abusive"] and week["contacts"][0]["why"] == "grof taalgebruik"
    assert week["protections"][0]["trigger"] == "abuse" and week["total"]["abusive"] == 1


def test_alerts_listed_and_acknowledged_by_the_lead(
    as_: Callable[[str], ApiClient], people: dict[str, User], long_stretch: User
) -> None:
    alerts_raise(timezone.now())
    alert = WellbeingAlert.objects.get()
    assert [a["id"] for a in as_("karin").get("/api/wellbeing/alerts?open=true").json_body] == [alert.pk]
    assert [a["id"] for a in as_("mark").get("/api/wellbeing/alerts").json_body] == [alert.pk]
    assert as_("sanne").get("/api/wellbeing/alerts").json_body == []
    assert as_("bas").get("/api/wellbeing/alerts").json_body == []
    assert as_("mark").post(f"/api/wellbeing/alerts/{alert.pk}/acknowledge").status_code == 403
    assert as_("bas").post(f"/api/wellbeing/alerts/{alert.pk}/acknowledge").status_code == 404
    body = as_("karin").post(f"/api/wellbeing/alerts/{alert.pk}/acknowledge").json_body
    assert body["acknowledged_by"] == "Karin Postma"
    assert as_("karin").get("/api/wellbeing/alerts?open=true").json_body == []
    assert as_("karin").get("/api/wellbeing/alerts?limit=0").status_code == 422


def test_the_policy_is_read_by_all_and_changed_by_managers(
    as_: Callable[[str], ApiClient], people: dict[str, User]
) -> None:
    assert as_("sanne").get("/api/wellbeing/policy").json_body["continuous_minutes"] == 120
    assert as_("karin").call("put", "/api/wellbeing/policy", {"continuous_minutes": 90}).status_code == 403
    body = (
        as_("hans")
        .call("put", "/api/wellbeing/policy", {"continuous_minutes": 90, "heavy_load_at": 0.7})
        .json_body
    )
    assert (body["continuous_minutes"], body["heavy_load_at"], body["protect_minutes"]) == (90, 0.7, 60)


@pytest.mark.parametrize(
    "raw",
    [
        '{"continuous_minutes": 5}',
        '{"continuous_minutes": 100000}',
        '{"heavy_load_at": 1.5}',
        '{"heavy_load_at": 0}',
        '{"heavy_load_at": NaN}',
        '{"heavy_run": "veel"}',
        '{"per_agent_views": "misschien"}',
        '{"protect_minutes": -1}',
        '{"decompression_minutes": 3.5}',
        '["continuous_minutes"]',
        "{}",
    ],
)
def test_a_bad_policy_is_refused_and_changes_nothing(
    as_: Callable[[str], ApiClient], people: dict[str, User], raw: str
) -> None:
    answer = as_("hans").call("put", "/api/wellbeing/policy", raw=raw)
    assert answer.status_code == 422, answer.json_body
    assert not WellbeingPolicy.objects.exclude(continuous_minutes=120).exists()
    assert not WellbeingPolicy.objects.exclude(heavy_load_at=0.6).exists()


def test_without_a_token_nothing(client: Any, db: None) -> None:
    assert ApiClient(None).get("/api/wellbeing/me").status_code == 401
