"""The practice room's API: the fixed names, the contract, bad input, and who sees which session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.accounts.services import team_ensure
from gezien.accounts.tokens import token_create
from gezien.practice.models import PracticeSession, Scenario
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

SESSIONS = "/api/practice/sessions"
CONDOLENCE = "Gecondoleerd met het verlies van uw man. Wat verdrietig."
POSTCODE = "Wat is uw postcode en huisnummer?"
CANCEL = "Ik zeg het abonnement voor u op per de datum van overlijden, zonder kosten."


def client_for(user: User) -> ApiClient:
    return ApiClient(token_create(user=user, name="t")[1])


def start(api: ApiClient, scenario: str = "weduwe") -> dict[str, Any]:
    answer = api.post(SESSIONS, {"scenario": scenario})
    assert answer.status_code == 201, answer.json_body
    return answer.json_body


def test_start_turn_finish(api: ApiClient) -> None:
    session = start(api)
    assert session["scenario"] == "weduwe" and session["status"] == "open"
    assert "overleden" in session["opening"]["text"] and session["opening"]["author"] == "customer"

    reply = api.post(f"{SESSIONS}/{session['id']}/turns", {"text": POSTCODE})
    assert reply.status_code == 200
    body = reply.json_body
    assert body["reaction"] == "data_first" and body["mood"] in ("angry", "furious")
    assert body["reply"]["author"] == "customer" and "overleden" in body["reply"]["text"]
    assert "medeleven" in body["feedback"] and body["ended"] is False
    assert "data_request" in body["acts"]

    finished = api.post(f"{SESSIONS}/{session['id']}/finish")
    assert finished.status_code == 200
    read = finished.json_body
    habits = {h["habit"]: h for h in read["habits"]}
    assert habits["eerst_luisteren"]["applies"] and habits["eerst_luisteren"]["score"] == 0
    assert habits["eerst_luisteren"]["moments"][0]["quote"].startswith("Wat is uw postcode")
    assert read["earlier"] == [] and read["change"] is None
    assert read["session"]["status"] == "finished"

    refused = api.post(f"{SESSIONS}/{session['id']}/turns", {"text": "Nog iets"})
    assert refused.status_code == 409
    assert api.post(f"{SESSIONS}/{session['id']}/finish").status_code == 409

    # A second attempt, condolence first, scores higher, and is compared with the first.
    second = start(api)
    for text in (CONDOLENCE, CANCEL):
        last = api.post(f"{SESSIONS}/{second['id']}/turns", {"text": text}).json_body
    assert last["ended"] and last["outcome"] == "resolved" and last["status"] == "ended"
    assert api.post(f"{SESSIONS}/{second['id']}/turns", {"text": "Fijne dag"}).status_code == 409
    again = api.post(f"{SESSIONS}/{second['id']}/finish").json_body
    assert again["score"] > read["score"]
    assert [e["id"] for e in again["earlier"]] == [session["id"]]
    assert again["change"] == again["score"] - read["score"]
    assert api.get(f"{SESSIONS}/{second['id']}/read").json_body["score"] == again["score"]

    listed = api.get(SESSIONS).json_body
    assert [s["id"] for s in listed] == [second["id"], session["id"]]
    one = api.get(f"{SESSIONS}/{session['id']}").json_body
    assert [t["author"] for t in one["turns"]] == ["customer", "agent", "customer"]


def test_bad_input(api: ApiClient) -> None:
    assert api.post(SESSIONS, {"scenario": "bestaat-niet"}).status_code == 404
    assert api.post(SESSIONS, {}).status_code == 422
    assert api.post(SESSIONS, {"scenario": "x" * 100}).status_code == 422
    session = start(api)
    turns = f"{SESSIONS}/{session['id']}/turns"
    assert api.post(turns, {"text": ""}).status_code == 422
    assert api.post(turns, {"text": "   \n"}).status_code == 422
    assert api.post(turns, {"text": "a" * 1_000_000}).status_code in (413, 422)
    assert api.post(turns, {"text": "nul\x00"}).status_code == 422
    assert api.post(turns, raw="geen json").status_code == 400
    # Nothing of the refused turns was kept.
    assert len(api.get(f"{SESSIONS}/{session['id']}").json_body["turns"]) == 1
    assert api.post(f"{SESSIONS}/{session['id']}/finish").status_code == 422  # nothing said yet
    assert api.get(f"{SESSIONS}/{session['id']}/read").status_code == 404
    assert api.post(f"{SESSIONS}/987654/turns", {"text": "hallo"}).status_code == 404


def test_only_own_sessions_team_lead_sees_team(make_user: Callable[..., User], api: ApiClient) -> None:
    session = start(api)
    colleague = client_for(make_user("piet", "agent"))
    assert colleague.get(f"{SESSIONS}/{session['id']}").status_code == 404
    assert colleague.post(f"{SESSIONS}/{session['id']}/turns", {"text": "hallo"}).status_code == 404
    assert colleague.get(SESSIONS).json_body == []

    lead = make_user("lotte", "teamlead")
    lead_api = client_for(lead)
    assert lead_api.get(f"{SESSIONS}/{session['id']}").status_code == 200
    assert lead_api.post(f"{SESSIONS}/{session['id']}/turns", {"text": "hallo"}).status_code == 403
    agent = User.objects.get(username="sanne")
    assert [s["id"] for s in lead_api.get(f"{SESSIONS}?agent={agent.pk}").json_body] == [session["id"]]

    other_team = make_user("kees", "teamlead", team=team_ensure(name="Team Zuid"))
    other = client_for(other_team)
    assert other.get(f"{SESSIONS}/{session['id']}").status_code == 404
    assert other.get(f"{SESSIONS}?agent={agent.pk}").status_code == 404
    assert client_for(make_user("mara", "manager")).get(f"{SESSIONS}/{session['id']}").status_code == 200


def test_scenarios_list_and_create(api: ApiClient, api_as: Callable[[str], ApiClient]) -> None:
    slugs = [s["slug"] for s in api.get("/api/practice/scenarios").json_body]
    assert slugs[:5] == ["weduwe", "vijfde-keer", "grof", "informeel", "formele-klacht"]
    assert api.get("/api/practice/scenarios/grof").json_body["addressing"] == "informal"
    assert api.get("/api/practice/scenarios/nope").status_code == 404
    own = {
        "slug": "verhuizing",
        "title": "De verhuizing die misging",
        "situation": "Een klant verhuisde en heeft al twee weken geen internet.",
        "opening": "Ik zit al twee weken zonder internet sinds mijn verhuizing!",
        "start_tension": 65,
        "calm_words": ["twee weken", "zonder internet"],
        "help_words": ["monteur"],
        "replies": {"acknowledged": ["Ja, precies. Twee weken!"]},
    }
    assert api.post("/api/practice/scenarios", own).status_code == 403  # agents practise, leads write
    lead = api_as("teamlead")
    created = lead.post("/api/practice/scenarios", own)
    assert created.status_code == 201 and created.json_body["builtin"] is False
    assert lead.post("/api/practice/scenarios", own).status_code == 409
    assert lead.post("/api/practice/scenarios", {**own, "slug": "weduwe"}).status_code == 409
    assert lead.post("/api/practice/scenarios", {**own, "slug": "Niet Goed!"}).status_code == 422
    assert lead.post("/api/practice/scenarios", {**own, "slug": "x2", "opening": " "}).status_code == 422
    bad_reply = {**own, "slug": "x-3", "replies": {"verzonnen": ["a"]}}
    assert lead.post("/api/practice/scenarios", bad_reply).status_code == 422
    assert Scenario.objects.count() == 1

    session = start(api, "verhuizing")
    turns = f"{SESSIONS}/{session['id']}/turns"
    body = api.post(turns, {"text": "Twee weken zonder internet, wat vervelend!"})
    assert body.json_body["reaction"] == "acknowledged"
    assert body.json_body["reply"]["text"] == "Ja, precies. Twee weken!"
    # The scenario is copied into the session: removing it leaves the attempt as practised.
    Scenario.objects.all().delete()
    assert api.post(turns, {"text": "Ik stuur morgen een monteur."}).status_code == 200


def test_assignments_and_progress(make_user: Callable[..., User], api: ApiClient) -> None:
    agent = User.objects.get(username="sanne")
    lead = client_for(make_user("lotte", "teamlead"))
    assert api.post("/api/practice/assignments", {"agent": agent.pk, "scenario": "grof"}).status_code == 403
    assign = "/api/practice/assignments"
    made = lead.post(assign, {"agent": agent.pk, "scenario": "grof", "note": "Oefen dit"})
    assert made.status_code == 201
    assert lead.post("/api/practice/assignments", {"agent": agent.pk, "scenario": "grof"}).status_code == 200
    assert lead.post("/api/practice/assignments", {"agent": agent.pk, "scenario": "nope"}).status_code == 404
    outsider = make_user("kees", "agent", team=team_ensure(name="Team Zuid"))
    assert lead.post(assign, {"agent": outsider.pk, "scenario": "grof"}).status_code == 404
    mine = api.get("/api/practice/assignments").json_body
    assert [(a["scenario"], a["done_at"]) for a in mine] == [("grof", None)]

    session = start(api, "grof")
    api.post(f"{SESSIONS}/{session['id']}/turns", {"text": "Ik begrijp dat je schrok van die rekening."})
    api.post(f"{SESSIONS}/{session['id']}/finish")
    assert PracticeSession.objects.get(pk=session["id"]).assignment is not None
    assert api.get("/api/practice/assignments").json_body[0]["done_at"] is not None

    rows = {r["agent"]: r for r in lead.get("/api/practice/progress").json_body}
    assert rows["sanne"]["attempts"] == 1 and rows["sanne"]["done_assignments"] == ["grof"]
    assert rows["sanne"]["scenarios"]["grof"]["attempts"] == 1
    assert "kees" not in rows
    assert api.get("/api/practice/progress").status_code == 403
