"""A department owner sees the survey answers about their departments' reasons, but never which agent
handled the contact: no per-agent figures for them (insights.scope), in the API, the Enquêtes page and
its CSV. Managers and team leads still see the agent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gezien.accounts.models import Department
from gezien.accounts.tokens import token_create
from gezien.contacts.handling import contact_assign, contact_set_reason, contact_set_status
from gezien.contacts.models import ContactReason
from gezien.contacts.services import contact_open
from gezien.insights.surveys.models import SurveyInvitation
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _organisation_sends(settings: Any) -> None:
    settings.GEZIEN_SURVEY_SEND = "off"
    settings.GEZIEN_ANALYSIS_INLINE = True


@pytest.fixture
def answered(make_user: Any, customer: Any, django_capture_on_commit_callbacks: Any, api: ApiClient) -> Any:
    owner = make_user("lisa", "department", first_name="Lisa", last_name="Logistiek")
    logistics = Department.objects.create(code="logistiek", name="Logistiek")
    logistics.owners.add(owner)
    reason = ContactReason.objects.create(code="levering", name="Levering", department=logistics)
    handler = make_user("kees", "agent", first_name="Kees", last_name="Klantvriend")
    with django_capture_on_commit_callbacks(execute=True):
        contact = contact_open(
            channel="chat", identities=[("email", "a.jansen@ziggo.nl")], text="Waar blijft mijn pakket?"
        ).contact
        contact_set_reason(contact=contact, reason=reason)
        contact_assign(contact=contact, agent=handler)
    with django_capture_on_commit_callbacks(execute=True):
        contact_set_status(contact=contact, status="closed")
    SurveyInvitation.objects.update(created_at=timezone.now() - timedelta(days=40))
    token = api.post(f"/api/contacts/{contact.pk}/survey").json_body["token"]
    assert ApiClient(None).post(f"/api/surveys/{token}/answer", {"score": 3}).status_code == 201
    return owner, handler, contact


def test_the_owner_gets_the_scores_without_the_agent(answered: Any, api_as: Any) -> None:
    owner, handler, contact = answered
    items = ApiClient(token_create(user=owner)[1]).get("/api/surveys/responses").json_body["items"]
    assert [(r["contact_id"], r["score"], r["agent_id"]) for r in items] == [(contact.pk, 3, None)]
    manager = api_as("manager").get("/api/surveys/responses").json_body["items"]
    assert [r["agent_id"] for r in manager] == [handler.pk]  # a manager still sees who it was


def test_the_owners_page_and_csv_name_no_agent(answered: Any, make_user: Any) -> None:
    owner, _handler, _contact = answered
    client = Client()
    client.force_login(owner)
    page = client.get("/insights/surveys/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "NPS 3" in html
    assert "Klantvriend" not in html and "Medewerker" not in html
    csv = client.get("/insights/surveys/export.csv").content.decode()
    header, row = csv.splitlines()[:2]
    assert "agent" not in header.split(",") and "Klantvriend" not in csv
    assert ",3," in row
    manager = Client()
    manager.force_login(make_user("meike", "manager"))
    assert "Klantvriend" in manager.get("/insights/surveys/").content.decode()
    assert "Klantvriend" in manager.get("/insights/surveys/export.csv").content.decode()
