"""Churn risk per customer: the score's parts, explained in the customer's words, kept current, alerting
team leads once per rise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gezien.accounts.models import Department, User
from gezien.contacts.handling import contact_set_status
from gezien.contacts.models import Contact, ContactReason, Matter
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer
from gezien.customers.services import customer_create
from gezien.insights.models import ContactFact
from gezien.insights.retention.models import CustomerRisk, StaleRisk
from gezien.insights.retention.risk import combine, decay, level_of, risks_catch_up, risks_refresh
from gezien.insights.rollups import insights_catch_up
from gezien.insights.rootcause.models import Problem, ProblemContact, ProblemStatus
from gezien.notifications.models import Notification

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _contact(customer: Customer, text: str, at: datetime, capture: Any, team: Any = None) -> Contact:
    phone = customer.identities.get(kind="phone").value
    with capture(execute=True):
        contact = contact_open(
            channel="chat", identities=[("phone", phone)], text=text, at=at, team=team
        ).contact
    return contact


def _risk(customer: Customer) -> CustomerRisk:
    risks_refresh([customer.pk], now=NOW)
    return CustomerRisk.objects.get(pk=customer.pk)


def test_the_formula_is_the_documented_one() -> None:
    assert combine({}) == 0.0
    assert combine({"intent": 1.0}) == pytest.approx(0.7)
    assert combine({"emotion": 1.0, "repeats": 1.0}) == pytest.approx(0.75)
    assert combine({"intent": 1, "emotion": 1, "repeats": 1, "problems": 1}) < 1.0
    assert [level_of(s) for s in (0.1, 0.3, 0.54, 0.55)] == ["laag", "middel", "middel", "hoog"]
    assert level_of(combine({"emotion": 1.0})) == "middel"  # anger alone, however strong, is not hoog
    assert decay(NOW - timedelta(days=30), NOW) == pytest.approx(0.5)


def test_saying_they_will_switch_makes_a_customer_high_risk_with_their_words(
    customer: Customer, django_capture_on_commit_callbacks: Any
) -> None:
    at = NOW - timedelta(days=2)
    contact = _contact(
        customer, "Mijn pakket is weer niet gekomen. Ik ga echt overstappen naar een andere provider.", at,
        django_capture_on_commit_callbacks,
    )  # fmt: skip
    risk = _risk(customer)
    assert risk.level == "hoog"
    intent = risk.reasons[0]
    assert intent["kind"] == "intent"
    assert intent["text"].startswith("Zei op ")
    assert "'Ik ga echt overstappen naar een andere provider.'" in intent["text"]
    assert intent["evidence"][0]["contact_id"] == contact.pk
    assert intent["evidence"][0]["message_id"] == contact.messages.first().pk  # type: ignore[union-attr]


def test_old_words_count_less_and_words_outside_the_window_not_at_all(
    customer: Customer, django_capture_on_commit_callbacks: Any
) -> None:
    _contact(customer, "Ik ga overstappen.", NOW - timedelta(days=20), django_capture_on_commit_callbacks)
    fading = _risk(customer)
    assert fading.level == "middel"  # 0.7 × 0.63: still worth a look, no longer hoog
    assert fading.components["intent"] <= decay(NOW - timedelta(days=20), NOW)
    Contact.objects.filter(customer=customer).update(opened_at=NOW - timedelta(days=200))
    from gezien.contacts.models import Message

    Message.objects.filter(contact__customer=customer).update(sent_at=NOW - timedelta(days=200))
    assert _risk(customer).level == "laag"


def test_an_unresolved_matter_with_three_contacts_is_a_reason(
    customer: Customer, reason: ContactReason, django_capture_on_commit_callbacks: Any
) -> None:
    matter = Matter.objects.create(
        customer=customer,
        reason=reason,
        title="Pakket",
        opened_at=NOW - timedelta(days=6),
        last_contact_at=NOW,
    )
    for days in (6, 3, 1):
        c = _contact(
            customer,
            "Waar blijft mijn pakket?",
            NOW - timedelta(days=days),
            django_capture_on_commit_callbacks,
        )
        Contact.objects.filter(pk=c.pk).update(matter=matter)
    risk = _risk(customer)
    assert risk.open_matters == 1
    texts = [r["text"] for r in risk.reasons]
    assert "3 contacten over dezelfde kwestie (Levering), nog niet opgelost" in texts
    assert risk.level == "middel"  # 0.5 × 2/3


def test_negative_emotion_over_recent_contacts(
    customer: Customer, django_capture_on_commit_callbacks: Any
) -> None:
    for days in (9, 5, 3, 1):
        _contact(
            customer,
            "Ik ben woedend, dit is belachelijk.",
            NOW - timedelta(days=days),
            django_capture_on_commit_callbacks,
        )
    insights_catch_up()
    ContactFact.objects.filter(customer_id=customer.pk).update(emotion_peak=0.95, negative=True)
    risk = _risk(customer)
    assert "Laatste 4 contacten vooral boos" in [r["text"] for r in risk.reasons]
    assert risk.components["emotion"] > 0.8
    assert risk.level == "middel"


def test_a_problem_affecting_the_customer_is_named_with_its_status(
    customer: Customer, django_capture_on_commit_callbacks: Any
) -> None:
    contact = _contact(
        customer, "Waar blijft mijn pakket?", NOW - timedelta(days=1), django_capture_on_commit_callbacks
    )
    logistics = Department.objects.create(code="logistiek", name="Logistiek")
    problem = Problem.objects.create(
        title="Vertraging magazijn Tilburg",
        department=logistics,
        status=ProblemStatus.IN_PROGRESS,
        created_at=NOW,
    )
    ProblemContact.objects.create(problem=problem, contact=contact, at=NOW)
    risk = _risk(customer)
    assert risk.reasons[0]["text"] == "Geraakt door signaal 'Vertraging magazijn Tilburg' (in behandeling)"
    assert risk.score == pytest.approx(0.35)


def test_a_changed_contact_makes_the_risk_stale_and_catch_up_computes_it(
    customer: Customer, django_capture_on_commit_callbacks: Any
) -> None:
    contact = _contact(
        customer, "Ik zeg mijn abonnement op.", NOW - timedelta(hours=1), django_capture_on_commit_callbacks
    )
    assert StaleRisk.objects.filter(customer_id=customer.pk).exists()
    assert risks_catch_up() == 1
    assert not StaleRisk.objects.exists()
    assert CustomerRisk.objects.get(pk=customer.pk).level == "hoog"
    with django_capture_on_commit_callbacks(execute=True):
        contact_set_status(contact=contact, status="closed")
    assert StaleRisk.objects.filter(customer_id=customer.pk).exists()


def test_a_batch_costs_the_same_queries_for_few_and_many_customers(
    django_capture_on_commit_callbacks: Any,
) -> None:
    customers = [
        customer_create(first_name=f"K{i}", last_name="Klant", identities=[("phone", f"06-1000{i:04d}")])
        for i in range(12)
    ]
    for c in customers:
        _contact(
            c,
            "Ik ga overstappen, dit is de derde keer!",
            NOW - timedelta(days=1),
            django_capture_on_commit_callbacks,
        )
    with CaptureQueriesContext(connection) as few:
        risks_refresh([c.pk for c in customers[:2]], now=NOW)
    with CaptureQueriesContext(connection) as many:
        risks_refresh([c.pk for c in customers], now=NOW)
    assert len(many) == len(few)


def test_team_leads_hear_once_when_a_customer_becomes_high(
    customer: Customer, make_user: Callable[..., User], team: Any, django_capture_on_commit_callbacks: Any
) -> None:
    lead = make_user("teamleider", "teamlead")
    from gezien.accounts.services import team_ensure

    other_lead = make_user("anders", "teamlead", team=team_ensure(name="Team Zuid"))
    contact = _contact(
        customer,
        "Ik ga overstappen.",
        NOW - timedelta(hours=2),
        django_capture_on_commit_callbacks,
        team=team,
    )
    _risk(customer)
    alerts = Notification.objects.filter(recipient=lead)
    assert alerts.count() == 1
    assert "Opzegrisico hoog: Annie Jansen" in alerts[0].text and "overstappen" in alerts[0].text
    assert alerts[0].contact_id == contact.pk
    assert not Notification.objects.filter(recipient=other_lead).exists()
    _risk(customer)  # computed again, still hoog: no second alert
    assert alerts.count() == 1
    Contact.objects.filter(customer=customer).update(opened_at=NOW - timedelta(days=300))
    from gezien.contacts.models import Message

    Message.objects.filter(contact__customer=customer).update(sent_at=NOW - timedelta(days=300))
    assert _risk(customer).level == "laag"
    Message.objects.filter(contact__customer=customer).update(sent_at=NOW - timedelta(hours=1))
    assert _risk(customer).level == "hoog"  # a new rise: a new alert
    assert alerts.count() == 2


@pytest.fixture
def own_organisation(settings: Any) -> Any:
    """An organisation of its own name and plans (not the demo's), read from the settings by the desk's
    analyser, which is built anew for this test and forgotten after it."""
    from gezien.contacts.analysing import analysers_forget

    settings.GEZIEN_ORGANISATION_NAME = "Noordzee Energie"
    settings.GEZIEN_OWN_PRODUCTS = ["Groene Stroom Vast", "Dynamisch Contract"]
    analysers_forget()
    yield settings
    analysers_forget()


NOT_LEAVING_US = {
    "prospect": [
        "Goedemiddag, ik zit nu bij Vattenfall maar ik overweeg over te stappen naar Noordzee Energie."
    ],
    "prospect_jullie": ["Wat kost het als ik naar jullie overstap? Ik wil weg bij Eneco."],
    "own_plan": [
        "Ik wil overstappen naar Groene Stroom Vast.",
        "Kan ik ook overstappen op het Dynamisch Contract?",
    ],
    "praise": [
        "Ik wil even zeggen dat jullie collega Naomi me laatst super geholpen heeft. Zo geduldig!",
        "Echt top, bedankt!",
    ],
    "bereavement": [
        "Mijn man is vorige week overleden. Ik weet niet goed hoe ik dit moet regelen.",
        "Ik wil zijn abonnement opzeggen. Ik ben er helemaal kapot van.",
    ],
}


@pytest.mark.parametrize("case", list(NOT_LEAVING_US))
def test_only_leaving_us_is_churn_and_raises_no_alert(
    case: str,
    own_organisation: Any,
    customer: Customer,
    make_user: Callable[..., User],
    team: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A prospect coming to us, a switch to one of our own plans, praise, and cancelling for someone who
    died are no churn: the customer stays laag and no team lead is alerted."""
    from gezien.contacts.services import message_add

    lead = make_user("teamleider", "teamlead")
    first, *more = NOT_LEAVING_US[case]
    at = NOW - timedelta(hours=3)
    contact = _contact(customer, first, at, django_capture_on_commit_callbacks, team=team)
    for n, text in enumerate(more, start=1):
        with django_capture_on_commit_callbacks(execute=True):
            message_add(contact=contact, author="customer", text=text, at=at + timedelta(minutes=n))
    insights_catch_up()
    risk = _risk(customer)
    assert risk.level == "laag", risk.reasons
    assert "intent" not in risk.components or risk.components["intent"] == 0
    assert not Notification.objects.filter(recipient=lead).exists()


def test_leaving_for_someone_else_is_still_churn(
    own_organisation: Any, customer: Customer, django_capture_on_commit_callbacks: Any
) -> None:
    _contact(
        customer, "Ik wil overstappen naar Vattenfall, ik zeg mijn contract op.", NOW - timedelta(hours=3),
        django_capture_on_commit_callbacks,
    )  # fmt: skip
    assert _risk(customer).level == "hoog"
