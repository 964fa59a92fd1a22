"""API: the retention list, one customer's churn risk and follow-ups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gezien.accounts.services import team_ensure
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer
from gezien.insights.retention.models import RetentionFollowUp
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_risk(customer: Customer, team: Any, django_capture_on_commit_callbacks: Any) -> Customer:
    with django_capture_on_commit_callbacks(execute=True):
        contact_open(
            channel="email",
            identities=[("phone", "06-12345678")],
            text="Dit is de derde keer dat ik mail. Ik ga overstappen naar een andere provider.",
            at=timezone.now() - timedelta(days=1),
            team=team,
        )
    return customer


def test_the_list_gives_the_highest_risk_first_with_reasons(
    at_risk: Customer, api_as: Callable[[str], ApiClient]
) -> None:
    response = api_as("manager").get("/api/insights/churn")
    assert response.status_code == 200
    (row,) = response.json_body
    assert row["customer"]["full_name"] == "Annie Jansen"
    assert row["level"] == "hoog"
    kinds = [r["kind"] for r in row["reasons"]]
    assert kinds[0] == "intent" and "repeats" in kinds
    assert "overstappen" in row["reasons"][0]["evidence"][0]["words"]
    assert row["components"]["intent"] > 0.9
    csv = api_as("admin").get("/api/insights/churn?format=csv")
    assert csv.status_code == 200 and "Annie Jansen" in csv.content.decode("utf-8-sig")


def test_the_list_refuses_agents_and_bad_input(
    at_risk: Customer, api: ApiClient, api_as: Callable[[str], ApiClient]
) -> None:
    assert api.get("/api/insights/churn").status_code == 403
    manager = api_as("manager")
    assert manager.get("/api/insights/churn?from=2026-02-30").status_code == 422
    assert manager.get("/api/insights/churn?level=extreem").status_code == 422


def test_one_customers_risk_for_anyone_who_sees_the_card(at_risk: Customer, api: ApiClient) -> None:
    response = api.get(f"/api/customers/{at_risk.pk}/churn-risk")
    assert response.status_code == 200
    assert response.json_body["level"] == "hoog"
    assert response.json_body["reasons"][0]["text"].startswith("Zei op ")
    assert api.get("/api/customers/999999/churn-risk").status_code == 404


def test_a_customer_never_computed_gets_a_low_risk(customer: Customer, api: ApiClient) -> None:
    response = api.get(f"/api/customers/{customer.pk}/churn-risk")
    assert response.status_code == 200
    assert response.json_body["level"] == "laag" and response.json_body["reasons"] == []


def test_follow_ups_by_team_leads_of_the_customers_team_only(
    at_risk: Customer, api_as: Callable[[str], ApiClient], make_user: Callable[..., Any]
) -> None:
    lead = api_as("teamlead")
    response = lead.post(
        f"/api/customers/{at_risk.pk}/retention-follow-ups", {"note": "Teruggebeld", "outcome": "gesproken"}
    )
    assert response.status_code == 201
    assert response.json_body["outcome"] == "gesproken" and response.json_body["by"]
    from gezien.accounts.tokens import token_create

    stranger = make_user("zuid", "teamlead", team=team_ensure(name="Team Zuid"))
    other = ApiClient(token_create(user=stranger)[1])
    refused = other.post(f"/api/customers/{at_risk.pk}/retention-follow-ups", {"note": "x"})
    assert refused.status_code == 403
    bad = lead.post(f"/api/customers/{at_risk.pk}/retention-follow-ups", {"note": "", "outcome": "gesproken"})
    assert bad.status_code == 422
    assert (
        lead.post(
            f"/api/customers/{at_risk.pk}/retention-follow-ups", {"note": "x", "outcome": "?"}
        ).status_code
        == 422
    )
    assert RetentionFollowUp.objects.count() == 1
    listed = api_as("manager").get("/api/insights/churn").json_body
    assert listed[0]["follow_up"]["note"] == "Teruggebeld"


@pytest.fixture(autouse=True)
def _analyse_inline(settings: Any) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = True  # insights read signals; with DATABASE_URL the default is a task


def test_a_follow_up_shows_on_the_customers_next_contact(
    at_risk: Customer, api_as: Callable[[str], ApiClient], make_user: Any, team: Any
) -> None:
    """Issue 20: a team lead's follow-up ("Samira gebeld: excuses ...") did not show on the customer's
    contact: the agent who has her next must see what was done."""
    from django.test import Client

    lead = api_as("teamlead")
    made = lead.post(
        f"/api/customers/{at_risk.pk}/retention-follow-ups",
        {"note": "Annie gebeld: excuses <gemaakt>, ze blijft.", "outcome": "gesproken"},
    )
    assert made.status_code == 201
    current = contact_open(channel="phone", identities=[("phone", "06-12345678")], text="Hallo").contact
    desk = Client()
    desk.force_login(make_user("bram", "agent", team=team))
    page = desk.get(f"/desk/contacts/{current.pk}/").content.decode()
    assert 'data-testid="churn-follow-up"' in page
    assert "Annie gebeld: excuses &lt;gemaakt&gt;, ze blijft." in page  # escaped
