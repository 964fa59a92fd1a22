"""The routing API: skills, an agent's skills and experience, and a contact's routing with its why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from gezien.accounts.models import User
from gezien.accounts.services import team_ensure
from gezien.accounts.tokens import token_create
from gezien.contacts.handling import contact_take
from gezien.contacts.models import Contact
from gezien.routing.models import RoutingProfile, Skill
from tests.conftest import ApiClient
from tests.routing.conftest import BEREAVEMENT


def client_of(user: User) -> ApiClient:
    return ApiClient(token_create(user=user, name="test")[1])


def put(api: ApiClient, path: str, body: Any = None, raw: str | None = None) -> Any:
    return api.call("put", path, body, raw)


def test_everyone_reads_the_skills_team_leads_add_them(
    api: ApiClient, api_as: Callable[[str], ApiClient]
) -> None:
    listed = api.get("/api/skills")
    assert listed.status_code == 200
    assert {s["code"] for s in listed.json_body} >= {"gevoelige_gesprekken", "klachten", "techniek"}
    assert api.post("/api/skills", {"code": "zakelijk", "name": "Zakelijke klanten"}).status_code == 403
    lead = api_as("teamlead")
    created = lead.post("/api/skills", {"code": "Zakelijk", "name": "  Zakelijke   klanten "})
    assert created.status_code == 201
    assert (created.json_body["code"], created.json_body["name"]) == ("zakelijk", "Zakelijke klanten")
    assert lead.post("/api/skills", {"code": "zakelijk", "name": "Nog eens"}).status_code == 409


def test_bad_skills_are_refused_and_nothing_is_written(api_as: Callable[[str], ApiClient]) -> None:
    lead = api_as("teamlead")
    before = Skill.objects.count()
    for body in [
        {"code": "met spatie", "name": "X"},
        {"code": "", "name": "X"},
        {"code": "a" * 61, "name": "X"},
        {"code": "ok", "name": ""},
        {"code": "ok", "name": "x" * 121},
        {"code": "ok", "name": "nul\u0000"},
        {"code": 5, "name": "X"},
        {"name": "X"},
    ]:
        response = lead.post("/api/skills", body)
        assert response.status_code == 422, body
    assert lead.post("/api/skills", raw="{not json").status_code in (400, 422)
    assert Skill.objects.count() == before


def test_a_team_lead_sets_the_skills_of_their_own_team_only(
    make_user: Callable[..., User], api: ApiClient
) -> None:
    lead = make_user("karin", "teamlead")
    naomi = make_user("naomi", "agent", first_name="Naomi", last_name="Pinas")
    elsewhere = make_user("emre", "agent", team=team_ensure(name="Team Zuid"))
    as_lead = client_of(lead)
    done = put(
        as_lead,
        f"/api/agents/{naomi.pk}/skills",
        {"skills": ["gevoelige_gesprekken", "klachten"], "experience": "senior"},
    )
    assert done.status_code == 200
    body = done.json_body
    assert (body["username"], body["full_name"], body["team"], body["experience"]) == (
        "naomi",
        "Naomi Pinas",
        "Team Noord",
        "senior",
    )
    assert sorted(s["code"] for s in body["skills"]) == ["gevoelige_gesprekken", "klachten"]
    assert (
        put(as_lead, f"/api/agents/{elsewhere.pk}/skills", {"skills": [], "experience": "junior"}).status_code
        == 403
    )
    # Anyone reads them; agents do not change them.
    read = api.get(f"/api/agents/{naomi.pk}/skills")
    assert read.status_code == 200 and read.json_body["experience"] == "senior"
    assert (
        put(api, f"/api/agents/{naomi.pk}/skills", {"skills": [], "experience": "junior"}).status_code == 403
    )
    assert api.get(f"/api/agents/{elsewhere.pk}/skills").json_body["skills"] == []


def test_managers_set_anyones_skills(
    make_user: Callable[..., User], api_as: Callable[[str], ApiClient]
) -> None:
    elsewhere = make_user("emre", "agent", team=team_ensure(name="Team Zuid"))
    manager = api_as("manager")
    done = put(
        manager,
        f"/api/agents/{elsewhere.pk}/skills",
        {"skills": ["klachten", "klachten"], "experience": "medior"},
    )
    assert done.status_code == 200
    assert [s["code"] for s in done.json_body["skills"]] == ["klachten"]


def test_bad_agent_skills_are_refused_and_change_nothing(
    make_user: Callable[..., User], api_as: Callable[[str], ApiClient]
) -> None:
    naomi = make_user("naomi")
    manager = api_as("manager")
    path = f"/api/agents/{naomi.pk}/skills"
    assert put(manager, path, {"skills": ["klachten"], "experience": "medior"}).status_code == 200
    for body in [
        {"skills": ["bestaat_niet"], "experience": "senior"},
        {"skills": ["klachten"], "experience": "expert"},
        {"skills": "klachten", "experience": "senior"},
        {"skills": ["x" * 61], "experience": "senior"},
        {"skills": ["klachten\u0000"], "experience": "senior"},
        {"skills": ["klachten"] * 51, "experience": "senior"},
        {"experience": "senior"},
    ]:
        assert put(manager, path, body).status_code == 422, body
    profile = RoutingProfile.objects.get(user=naomi)
    assert [s.code for s in profile.skills.all()] == ["klachten"] and profile.experience == 2
    assert (
        put(manager, "/api/agents/987654/skills", {"skills": [], "experience": "junior"}).status_code == 404
    )
    assert manager.get("/api/agents/99999999999999999999/skills").status_code == 404
    roleless = make_user("roleless")
    roleless.groups.clear()
    assert manager.get(f"/api/agents/{roleless.pk}/skills").status_code == 404


def test_a_contacts_routing_says_where_it_went_and_why(
    open_contact: Callable[..., Contact], skilled: Callable[..., User], api: ApiClient
) -> None:
    naomi = skilled("naomi", ["gevoelige_gesprekken"], away=True, first_name="Naomi", last_name="Pinas")
    contact = open_contact(BEREAVEMENT)
    flagged = api.get(f"/api/contacts/{contact.pk}/routing").json_body
    assert flagged["outcome"] == "flagged" and flagged["agent"] is None
    assert flagged["flags"] == ["gevoelig"]
    assert flagged["why"] == "overlijden: 'overleden'"
    assert flagged["needs"] == [
        {
            "code": "sensitive",
            "skill": "gevoelige_gesprekken",
            "experience": "junior",
            "flag": "gevoelig",
            "why": "overlijden: 'overleden'",
            "reasons": [{"code": "signal", "params": {"signal": "bereavement", "words": ["overleden"]}}],
        }
    ]
    RoutingProfile.objects.filter(user=naomi).update(last_seen_at=timezone.now())  # she came in
    routed = api.post(f"/api/contacts/{contact.pk}/route")
    assert routed.status_code == 200
    assert routed.json_body["outcome"] == "assigned"
    # The person shape every endpoint shares (gezien.api.schemas.PersonOut).
    assert routed.json_body["agent"] == {
        "id": naomi.pk,
        "username": "naomi",
        "full_name": "Naomi Pinas",
        "name": "Naomi Pinas",
        "team": "Team Noord",
    }
    assert api.post(f"/api/contacts/{contact.pk}/route").status_code == 409  # someone holds it now


def test_routing_of_an_ordinary_contact_is_none(
    open_contact: Callable[..., Contact], api: ApiClient, agent: User
) -> None:
    contact = open_contact("Hoe laat zijn jullie open?")
    for response in (
        api.get(f"/api/contacts/{contact.pk}/routing"),
        api.post(f"/api/contacts/{contact.pk}/route"),
    ):
        assert response.status_code == 200
        assert response.json_body["outcome"] == "none"
        assert response.json_body["needs"] == [] and response.json_body["why"] == ""
    contact_take(contact=contact, actor=agent)
    assert api.post(f"/api/contacts/{contact.pk}/route").status_code == 409


def test_routing_endpoints_need_a_role_and_a_real_contact(
    api: ApiClient, make_user: Callable[..., User], db: None
) -> None:
    assert api.get("/api/contacts/987654/routing").status_code == 404
    assert api.post("/api/contacts/987654/route").status_code == 404
    assert api.get("/api/contacts/abc/routing").status_code == 404
    nobody = make_user("nobody")
    nobody.groups.clear()
    as_nobody = client_of(nobody)
    for response in (
        as_nobody.get("/api/skills"),
        as_nobody.get("/api/contacts/1/routing"),
        as_nobody.post("/api/contacts/1/route"),
        as_nobody.get(f"/api/agents/{nobody.pk}/skills"),
    ):
        assert response.status_code == 403
    assert ApiClient(None).get("/api/skills").status_code == 401


def test_the_why_is_worded_in_the_requests_language_from_the_same_stored_reasons(
    open_contact: Callable[..., Contact], api: ApiClient
) -> None:
    contact = open_contact(BEREAVEMENT)
    api.headers["HTTP_ACCEPT_LANGUAGE"] = "en"
    english = api.get(f"/api/contacts/{contact.pk}/routing").json_body
    assert english["why"] == english["needs"][0]["why"] == "bereavement: 'overleden'"
    assert english["flags"] == ["gevoelig"]  # the flag is a code (its Dutch label), as before
    api.headers["HTTP_ACCEPT_LANGUAGE"] = "nl"
    dutch = api.get(f"/api/contacts/{contact.pk}/routing").json_body
    assert dutch["why"] == "overlijden: 'overleden'"
    assert english["needs"][0]["reasons"] == dutch["needs"][0]["reasons"]
