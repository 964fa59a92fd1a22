"""Calibration: team leads score contacts by hand, the desk shows where they and the read agree (issue 19)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from django.test import Client

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.audit.models import AuditEntry
from gezien.cli import main
from gezien.coaching.calibration import agreement, calibration_sample, weighted_kappa
from gezien.coaching.models import CalibrationScore, ContactRead
from gezien.coaching.services import policy_save
from tests.coaching.conftest import ATTENTIVE, INTERRUPTING, Handled
from tests.conftest import ApiClient


def _api(user: User) -> ApiClient:
    return ApiClient(token_create(user=user, name="t")[1])


def _desk(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_agreement_on_a_known_sample() -> None:
    # (lead, read): within 15 points; both n.v.t.; 60 apart; the lead n.v.t. where the read scored.
    found = agreement("uitpraten", [(80, 90), (None, None), (20, 80), (50, None)])
    assert (found.n, found.agree, found.agreement) == (4, 2, 50)
    assert (found.applies_agree, found.applies_agreement, found.both_scored) == (3, 75, 2)
    assert found.mad == 35.0 and found.bias == 35.0  # the read scores 35 points higher on average
    assert weighted_kappa([(10, 12), (50, 45), (90, 95)]) == 1.0  # every pair in the same band
    assert weighted_kappa([(10, 90), (90, 10)]) == -1.0  # opposite ends
    # Bands 0,1,2 against 0,2,2, quadratic weights (i-j)²/16: observed 1/48, chance 15/144 -> 1 - 0.2.
    assert weighted_kappa([(5, 5), (25, 45), (45, 45)]) == 0.8
    assert weighted_kappa([(50, 50)]) is None  # one pair says nothing
    assert agreement("vragen", []).agreement is None


def test_a_lead_scores_the_sample_and_sees_agreement_and_disagreements(
    agent: User, colleague: User, lead: User, stranger: User, handled: Handled
) -> None:
    interrupting = handled(agent, INTERRUPTING, ago=timedelta(days=1))
    attentive = handled(colleague, ATTENTIVE, ago=timedelta(days=2))
    read = ContactRead.objects.get(pk=interrupting.pk)
    assert read.uitpraten is not None and read.uitpraten < 50  # the read: talks over the customer

    api = _api(lead)
    sample = api.get("/api/coaching/calibration/sample").json_body
    assert {s["contact_id"] for s in sample} == {interrupting.pk, attentive.pk}

    # The lead agrees on uitpraten, but finds that this agent asked a fine question (the read disagrees).
    answer = api.post(
        f"/api/coaching/calibration/contacts/{interrupting.pk}",
        {"scores": {"uitpraten": read.uitpraten + 10, "vragen": 90, "register": None}},
    )
    assert answer.status_code == 201, answer.json_body
    assert {s["habit"]: s["read_score"] for s in answer.json_body}["uitpraten"] == read.uitpraten
    assert AuditEntry.objects.filter(action="coaching.calibrate", object_id=str(interrupting.pk)).exists()

    body = api.get("/api/coaching/calibration").json_body
    assert body["contacts"] == 1 and body["scores"] == 3
    habits = {h["habit"]: h for h in body["habits"]}
    assert (habits["uitpraten"]["n"], habits["uitpraten"]["agreement"]) == (1, 100)
    assert habits["uitpraten"]["mad"] == 10.0 and habits["uitpraten"]["bias"] == -10.0
    assert habits["rustig"]["n"] == 0 and habits["rustig"]["agreement"] is None
    wrong = {d["habit"]: d for d in body["disagreements"]}
    assert "uitpraten" not in wrong and wrong["vragen"]["lead_score"] == 90
    assert wrong["vragen"]["contact_id"] == interrupting.pk and wrong["vragen"]["moments"]
    assert wrong["vragen"]["read_score"] == read.vragen

    # Scored contacts leave the lead's sample; scoring again replaces the earlier score.
    assert [s["contact_id"] for s in api.get("/api/coaching/calibration/sample").json_body] == [attentive.pk]
    api.post(f"/api/coaching/calibration/contacts/{interrupting.pk}", {"scores": {"vragen": read.vragen}})
    assert CalibrationScore.objects.filter(habit="vragen").get().score == read.vragen

    # The export: one JSON line per hand score, beside the read.
    streamed = api.client.get("/api/coaching/calibration/export", **api.headers)
    assert streamed["Content-Type"].startswith("application/x-ndjson")
    lines = b"".join(streamed.streaming_content).decode().splitlines()
    rows = [json.loads(line) for line in lines]
    assert {r["habit"] for r in rows} == {"uitpraten", "vragen", "register"}
    row = next(r for r in rows if r["habit"] == "register")
    assert row["lead_score"] is None and row["read_version"] == read.version and row["contact_id"] == read.pk


def test_bad_scores_are_refused_and_store_nothing(agent: User, lead: User, handled: Handled) -> None:
    contact = handled(agent, INTERRUPTING)
    api = _api(lead)
    for scores in ({"uitpraten": 101}, {"onbekend": 50}, {}, {"uitpraten": "veel"}, {"collegas": 50}):
        answer = api.post(f"/api/coaching/calibration/contacts/{contact.pk}", {"scores": scores})
        assert answer.status_code == 422, scores
    assert not CalibrationScore.objects.exists()


def test_who_may_calibrate(agent: User, lead: User, manager: User, stranger: User, handled: Handled) -> None:
    contact = handled(agent, INTERRUPTING)
    body = {"scores": {"uitpraten": 50}}
    assert _api(agent).post(f"/api/coaching/calibration/contacts/{contact.pk}", body).status_code == 403
    assert _api(agent).get("/api/coaching/calibration").status_code == 403
    assert _api(agent).get("/api/coaching/calibration/export").status_code == 403
    other_lead = User.objects.get(username="bas")  # Team Zuid's lead: not this team's contact
    assert _api(other_lead).post(f"/api/coaching/calibration/contacts/{contact.pk}", body).status_code == 404
    assert _api(manager).post(f"/api/coaching/calibration/contacts/{contact.pk}", body).status_code == 201
    # Team Noord's lead sees the manager's hand score on their team's contact; Team Zuid's lead does not.
    assert _api(lead).get("/api/coaching/calibration").json_body["scores"] == 1
    assert _api(other_lead).get("/api/coaching/calibration").json_body["scores"] == 0
    # A lead's own contacts are not theirs to calibrate.
    own = handled(lead, ATTENTIVE)
    assert _api(lead).post(f"/api/coaching/calibration/contacts/{own.pk}", body).status_code == 404


def test_the_sample_is_spread_over_agents_and_reasons(
    agent: User, colleague: User, lead: User, handled: Handled
) -> None:
    mine = [handled(agent, INTERRUPTING, ago=timedelta(hours=h)).pk for h in (1, 2, 3, 4)]
    theirs = [handled(colleague, ATTENTIVE, ago=timedelta(hours=h)).pk for h in (5, 6)]
    chosen = [r.pk for r in calibration_sample(lead, size=4)]
    assert len(chosen) == 4
    assert set(chosen) & set(theirs) == set(theirs)  # both of the colleague's, though older
    assert chosen[:2] == [mine[0], theirs[0]]  # one agent, then the other, the newest first


def test_desk_calibration_is_blind_then_compares(
    agent: User, lead: User, manager: User, handled: Handled, tmp_path: Path
) -> None:
    contact = handled(agent, INTERRUPTING)
    desk = _desk(lead)
    page = desk.get("/desk/coaching/calibration/")
    assert page.status_code == 200
    assert f"/desk/coaching/calibration/contacts/{contact.pk}/" in page.content.decode()
    form = desk.get(f"/desk/coaching/calibration/contacts/{contact.pk}/")
    html = form.content.decode()
    assert form.status_code == 200 and "Heeft u de router al opnieuw opgestart?" in html
    assert "co-score" not in html  # blind: no read shown before scoring
    refused = desk.post(f"/desk/coaching/calibration/contacts/{contact.pk}/save/", {"uitpraten": "abc"})
    assert refused.status_code == 422 and not CalibrationScore.objects.exists()
    saved = desk.post(
        f"/desk/coaching/calibration/contacts/{contact.pk}/save/", {"uitpraten": "100", "rustig": "nvt"}
    )
    assert saved.status_code == 302
    after = desk.get("/desk/coaching/calibration/").content.decode()
    assert f'data-contact="{contact.pk}" data-habit="uitpraten"' in after  # 100 against the read's low score
    assert "Sanne" not in after  # calibration judges the read, not the agent
    assert _desk(agent).get("/desk/coaching/calibration/").status_code == 403

    # With per-agent scores off calibration stays (it names no agent).
    policy_save(actor=manager, per_agent_scores=False)
    assert desk.get("/desk/coaching/calibration/").status_code == 200

    out = tmp_path / "calibratie.jsonl"
    assert main(["coaching", "calibration", "export", "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {(r["habit"], r["lead_score"]) for r in rows} == {("uitpraten", 100), ("rustig", None)}
    assert main(["coaching", "calibration", "export", "--since", "gisteren"]) == 2
