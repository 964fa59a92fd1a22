"""The retention list in the desk: who sees it, the reasons in words (escaped), CSV, follow-ups, and the
risk on the gezien-kaart."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gezien.accounts.models import Department, User
from gezien.accounts.services import team_ensure
from gezien.contacts.models import Contact
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer
from gezien.customers.services import customer_create
from gezien.insights.retention.models import RetentionFollowUp

pytestmark = pytest.mark.django_db


def _say(customer: Customer, text: str, capture: Any, team: Any = None) -> Contact:
    phone = customer.identities.get(kind="phone").value
    with capture(execute=True):
        return contact_open(
            channel="chat",
            identities=[("phone", phone)],
            text=text,
            at=timezone.now() - timedelta(hours=3),
            team=team,
        ).contact


@pytest.fixture
def as_role(client: Client, make_user: Callable[..., User]) -> Callable[..., Client]:
    def login(role: str, **kwargs: Any) -> Client:
        user = User.objects.filter(username=f"u-{role}").first() or make_user(f"u-{role}", role, **kwargs)
        client.force_login(user)
        return client

    return login


def test_a_manager_sees_customers_at_risk_with_their_words_escaped(
    customer: Customer, as_role: Callable[..., Client], django_capture_on_commit_callbacks: Any
) -> None:
    _say(
        customer, "Ik ga overstappen <script>alert(1)</script> echt waar.", django_capture_on_commit_callbacks
    )
    page = as_role("manager").get("/insights/churn/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Annie Jansen" in html and "Hoog" in html
    assert "Zei op " in html and "overstappen &lt;script&gt;" in html
    assert "<script>alert(1)" not in html
    csv = as_role("manager").get("/insights/churn/?format=csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("customer_id,naam")
    assert "Annie Jansen" in csv and "Zei op" in csv


def test_a_team_lead_sees_only_customers_their_team_handled(
    customer: Customer, team: Any, as_role: Callable[..., Client], django_capture_on_commit_callbacks: Any
) -> None:
    other = customer_create(first_name="Bert", last_name="Bakker", identities=[("phone", "06-23456789")])
    _say(customer, "Ik zeg mijn abonnement op.", django_capture_on_commit_callbacks, team=team)
    _say(
        other,
        "Ik zeg mijn abonnement op.",
        django_capture_on_commit_callbacks,
        team=team_ensure(name="Team Zuid"),
    )
    html = as_role("teamlead").get("/insights/churn/").content.decode()
    assert "Annie Jansen" in html
    assert "Bert Bakker" not in html


@pytest.mark.parametrize("role", ["agent", "department"])
def test_agents_and_department_owners_do_not_get_the_list(
    role: str, as_role: Callable[..., Client], make_user: Callable[..., User]
) -> None:
    client = as_role(role)
    if role == "department":
        owner = User.objects.get(username="u-department")
        Department.objects.create(code="logistiek", name="Logistiek").owners.add(owner)
    assert client.get("/insights/churn/").status_code == 403


def test_a_bad_period_is_a_clear_422(as_role: Callable[..., Client]) -> None:
    page = as_role("manager").get("/insights/churn/?from=2026-13-01")
    assert page.status_code == 422
    assert "Geen geldige datum" in page.content.decode()


def test_following_up_marks_the_customer_opgevolgd(
    customer: Customer, as_role: Callable[..., Client], django_capture_on_commit_callbacks: Any
) -> None:
    _say(customer, "Ik ga overstappen naar een andere provider.", django_capture_on_commit_callbacks)
    client = as_role("manager")
    response = client.post(
        f"/insights/churn/{customer.pk}/follow-up/",
        {"note": "Gebeld, korting aangeboden", "outcome": "behouden"},
    )
    assert response.status_code == 302
    follow_up = RetentionFollowUp.objects.get(customer=customer)
    assert follow_up.outcome == "behouden" and follow_up.by is not None
    html = client.get("/insights/churn/").content.decode()
    assert "opgevolgd" in html and "Gebeld, korting aangeboden" in html and "Blijft klant" in html
    client.post(f"/insights/churn/{customer.pk}/follow-up/", {"note": "  ", "outcome": "behouden"})
    assert RetentionFollowUp.objects.count() == 1  # an empty note records nothing


def test_the_card_shows_the_level_and_the_reasons(
    customer: Customer, desk: Client, django_capture_on_commit_callbacks: Any
) -> None:
    contact = _say(
        customer, "Ik ga overstappen naar een andere provider.", django_capture_on_commit_callbacks
    )
    from gezien.insights.retention.risk import risks_catch_up

    risks_catch_up()
    html = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert 'data-testid="churn-risk"' in html
    assert "Opzegrisico" in html and "Ik ga overstappen naar een andere provider." in html
