"""The survey API: invitations for organisations that send them themselves, reading and answering by
token without an API token, and the scoped list of answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from gezien.accounts.services import team_ensure
from gezien.contacts.handling import contact_set_status
from gezien.contacts.models import Contact
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer
from gezien.insights.surveys.models import SurveyInvitation, SurveyResponse
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _organisation_sends(settings: Any) -> None:
    settings.GEZIEN_SURVEY_SEND = "off"


@pytest.fixture
def closed(customer: Customer, django_capture_on_commit_callbacks: Any) -> Any:
    def make(text: str = "Vraag over mijn factuur.", team: Any = None) -> Contact:
        with django_capture_on_commit_callbacks(execute=True):
            contact = contact_open(
                channel="chat", identities=[("email", "a.jansen@ziggo.nl")], text=text, team=team
            ).contact
        with django_capture_on_commit_callbacks(execute=True):
            contact_set_status(contact=contact, status="closed")
        return contact

    return make


def test_an_organisation_makes_a_survey_and_its_customer_answers_without_a_token(
    api: ApiClient, closed: Any
) -> None:
    contact = closed()
    made = api.post(f"/api/contacts/{contact.pk}/survey")
    assert made.status_code == 201, made.json_body
    body = made.json_body
    assert body["kind"] == "nps" and body["language"] == "nl"
    assert body["url"] == f"{django_settings.GEZIEN_BASE_URL}/s/{body['token']}/"
    assert SurveyInvitation.objects.get().sent_via == "api"

    anonymous = ApiClient(None)
    read = anonymous.get(f"/api/surveys/{body['token']}")
    assert read.status_code == 200
    assert read.json_body["min_score"] == 0 and read.json_body["max_score"] == 10
    assert read.json_body["question"].startswith("Hoe waarschijnlijk")

    answer = anonymous.post(
        f"/api/surveys/{body['token']}/answer",
        {"score": 3, "resolved": False, "comment": "Ik ben woedend, niemand belt terug!"},
    )
    assert answer.status_code == 201, answer.json_body
    assert answer.json_body["comment_emotions"][0] == "anger"
    again = anonymous.post(f"/api/surveys/{body['token']}/answer", {"score": 9})
    assert again.status_code == 409
    assert again.json_body["detail"][0]["msg"] == "Deze enquête is al ingevuld."
    assert anonymous.get(f"/api/surveys/{body['token']}").status_code == 409
    assert SurveyResponse.objects.count() == 1


def test_a_second_survey_for_the_same_contact_is_refused(api: ApiClient, closed: Any) -> None:
    contact = closed()
    assert api.post(f"/api/contacts/{contact.pk}/survey").status_code == 201
    again = api.post(f"/api/contacts/{contact.pk}/survey")
    assert again.status_code == 409
    assert again.json_body["detail"][0]["msg"] == "Voor dit contact is al een enquête gemaakt."


def test_no_survey_after_a_bereavement_or_in_the_quiet_period(api: ApiClient, closed: Any) -> None:
    sad = closed("Mijn man is vorige maand overleden en ik wil zijn abonnement opzeggen.")
    refused = api.post(f"/api/contacts/{sad.pk}/survey")
    assert refused.status_code == 409
    assert refused.json_body["detail"][0]["msg"] == "Geen enquête: rouwprotocol"
    assert api.post(f"/api/contacts/{closed().pk}/survey").status_code == 201
    quiet = api.post(f"/api/contacts/{closed().pk}/survey")
    assert quiet.status_code == 409
    assert quiet.json_body["detail"][0]["msg"] == "Geen enquête: klant kreeg onlangs al een enquête"


def test_an_open_contact_gets_no_survey_and_agents_need_a_token(api: ApiClient, customer: Customer) -> None:
    contact = contact_open(channel="chat", identities=[("email", "a.jansen@ziggo.nl")], text="Hallo").contact
    assert api.post(f"/api/contacts/{contact.pk}/survey").status_code == 409
    assert ApiClient(None).post(f"/api/contacts/{contact.pk}/survey").status_code == 401
    assert api.post("/api/contacts/999999/survey").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"score": 11},
        {"score": -1},
        {"score": "9"},
        {"score": 9.5},
        {"score": True},
        {"score": 9, "resolved": "ja"},
        {"score": 9, "extra": 1},
        {"score": 9, "comment": "x" * 2001},
        {"score": 9, "comment": "nul\x00"},
        {},
    ],
)
def test_the_answer_schema_is_strict(api: ApiClient, closed: Any, body: dict[str, Any]) -> None:
    token = api.post(f"/api/contacts/{closed().pk}/survey").json_body["token"]
    answer = ApiClient(None).post(f"/api/surveys/{token}/answer", body)
    assert answer.status_code == 422, answer.json_body
    assert not SurveyResponse.objects.exists()


def test_tampered_and_expired_tokens(api: ApiClient, closed: Any) -> None:
    token = api.post(f"/api/contacts/{closed().pk}/survey").json_body["token"]
    anonymous = ApiClient(None)
    for bad in (
        token[:-2],
        "1." + token.split(".", 1)[1] if not token.startswith("1.") else "2." + token[2:],
        "x" * 500,
    ):
        assert anonymous.get(f"/api/surveys/{bad}").status_code == 400
        assert anonymous.post(f"/api/surveys/{bad}/answer", {"score": 5}).status_code == 400
    SurveyInvitation.objects.update(
        created_at=timezone.now() - timedelta(days=15), expires_at=timezone.now() - timedelta(days=1)
    )
    gone = anonymous.post(f"/api/surveys/{token}/answer", {"score": 5})
    assert gone.status_code == 410
    assert gone.json_body["detail"][0]["msg"] == "Deze link is verlopen."


def test_the_answers_are_scoped(api_as: Any, closed: Any, team: Any, api: ApiClient) -> None:
    other_team = team_ensure(name="Team Zuid")
    ours, theirs = closed(team=team), closed(team=other_team)
    for contact, score in ((ours, 9), (theirs, 2)):
        SurveyInvitation.objects.update(
            created_at=timezone.now() - timedelta(days=40)
        )  # past the quiet period
        token = api.post(f"/api/contacts/{contact.pk}/survey").json_body["token"]
        assert ApiClient(None).post(f"/api/surveys/{token}/answer", {"score": score}).status_code == 201
    manager = api_as("manager")
    answers = manager.get("/api/surveys/responses")
    assert answers.status_code == 200
    assert sorted(r["score"] for r in answers.json_body["items"]) == [2, 9]
    lead = api_as("teamlead").get("/api/surveys/responses")
    assert [(r["contact_id"], r["score"]) for r in lead.json_body["items"]] == [(ours.pk, 9)]
    assert api.get("/api/surveys/responses").status_code == 403  # an agent sees no insights
    assert manager.get("/api/surveys/responses?from=2026-13-01").status_code == 422
    assert manager.get("/api/surveys/responses?from=2020-01-01&to=2020-01-31").json_body["items"] == []
    assert len(manager.get("/api/surveys/responses?kind=nps").json_body["items"]) == 2
    assert manager.get("/api/surveys/responses?kind=csat").json_body["items"] == []


@pytest.fixture(autouse=True)
def _analyse_inline(settings: Any) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = True  # insights read signals; with DATABASE_URL the default is a task
