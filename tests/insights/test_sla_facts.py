"""SLA figures: the fact columns, breaches that happen while nothing changes, priority and policies."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gezien.contacts.handling import contact_set_status
from gezien.contacts.models import Contact, ContactEvent
from gezien.contacts.services import contact_open, message_add
from gezien.core.errors import Conflict, Invalid
from gezien.insights.facts import facts_refresh
from gezien.insights.figures import figures
from gezien.insights.models import ContactFact, StaleFact
from gezien.insights.rollups import insights_catch_up, period_totals
from gezien.insights.sla.deadlines import sla_mark_breached_stale
from gezien.insights.sla.facts import sla_facts
from gezien.insights.sla.models import SlaDeadline, SlaPolicy
from gezien.insights.sla.services import contact_set_priority, sla_policy_save

# Agents answer these e-mail contacts: their replies leave through a mailbox (as files).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("outgoing_mailbox")]

AMS = ZoneInfo("Europe/Amsterdam")


def at(d: int, h: int, m: int = 0) -> datetime:
    return datetime(2026, 11, d, h, m, tzinfo=AMS)


def email(opened: datetime, text: str = "Mijn factuur klopt niet.") -> Contact:
    return contact_open(
        channel="email", identities=[("email", "klant@example.nl")], text=text, at=opened
    ).contact


def test_the_default_policies_are_there():
    assert SlaPolicy.objects.count() == 12
    chat = SlaPolicy.objects.get(channel="chat", priority="normal")
    assert (chat.first_response_minutes, chat.resolution_minutes) == (2, 60)
    phone = SlaPolicy.objects.get(channel="phone", priority="normal")
    assert phone.first_response_minutes is None
    assert SlaPolicy.objects.get(channel="email", priority="urgent").first_response_minutes < 480


def test_only_an_agent_message_is_a_first_response(agent):
    c = email(at(16, 9))  # Monday 09:00
    message_add(
        contact=c,
        author="agent",
        kind="note",
        text="Even navragen bij facturatie.",
        agent=agent,
        at=at(16, 9, 30),
    )
    facts_refresh([c.pk], now=at(16, 10))
    fact = ContactFact.objects.get(pk=c.pk)
    assert fact.first_response_seconds is None
    assert fact.sla_first_response == "pending"
    message_add(contact=c, author="agent", text="Ik heb de factuur aangepast.", agent=agent, at=at(16, 11))
    facts_refresh([c.pk], now=at(16, 12))
    fact = ContactFact.objects.get(pk=c.pk)
    assert fact.first_response_seconds == 2 * 3600
    assert fact.sla_first_response == "yes"
    assert fact.sla_resolution == "pending"


def test_a_timer_that_runs_out_while_nothing_happens_is_counted(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        c = email(at(16, 9))
    facts_refresh([c.pk], now=at(16, 10))
    StaleFact.objects.all().delete()
    deadline = SlaDeadline.objects.get(contact_id=c.pk)
    assert deadline.due_at == at(16, 17)  # 8 opening hours
    assert ContactFact.objects.get(pk=c.pk).sla_first_response == "pending"

    assert sla_mark_breached_stale(at(16, 16, 59)) == 0
    assert sla_mark_breached_stale(at(16, 17, 1)) == 1
    assert StaleFact.objects.filter(contact_id=c.pk).exists()
    insights_catch_up()  # now (later than the deadline): the fact says breached
    fact = ContactFact.objects.get(pk=c.pk)
    assert fact.sla_first_response == "no"
    assert fact.first_response_seconds >= 8 * 3600  # waited at least the target so far
    totals = period_totals(at(16, 0).date(), at(16, 0).date())[""]
    assert totals["sla_fr_breached"] == 1
    assert figures(totals)["first_response_breach_rate"] == 1.0
    # The next deadline (resolution) has passed too and is marked the same way; then none is left.
    sla_mark_breached_stale()
    insights_catch_up()
    assert ContactFact.objects.get(pk=c.pk).sla_resolution == "no"
    assert not SlaDeadline.objects.filter(contact_id=c.pk).exists()


def test_breach_rates_and_mean_first_response_per_channel(agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        quick = email(at(16, 9))
        message_add(contact=quick, author="agent", text="Opgelost.", agent=agent, at=at(16, 10))
        contact_set_status(contact=quick, status="closed", at=at(16, 10, 5))
        slow = email(at(16, 9, 30))
        message_add(contact=slow, author="agent", text="Sorry voor het wachten.", agent=agent, at=at(17, 12))
    insights_catch_up()
    day = at(16, 0).date()
    f = figures(period_totals(day, day, "channel")["email"])
    assert f["first_response_breach_rate"] == 0.5
    # 1 h and 8.5 + 4 = 12.5 opening hours (Monday 09:30-18:00, Tuesday 08:00-12:00): mean 6.75 h.
    assert f["first_response_minutes"] == pytest.approx(6.75 * 60)
    # One closed in time; the other is still open a week later, past its 40 opening hours.
    assert f["resolution_breach_rate"] == 0.5


def test_the_contributor_reads_a_fixed_number_of_queries(agent):
    contacts = [email(at(16, 9, i)) for i in range(12)]
    for c in contacts[:6]:
        message_add(contact=c, author="agent", text="Antwoord.", agent=agent, at=at(16, 11))
    small = list(Contact.objects.filter(pk__in=[c.pk for c in contacts[:2]]))
    large = list(Contact.objects.filter(pk__in=[c.pk for c in contacts]))
    sla_facts(small, at(16, 12))  # the policies are cached after the first read
    with CaptureQueriesContext(connection) as few:
        sla_facts(small, at(16, 12))
    with CaptureQueriesContext(connection) as many:
        out = sla_facts(large, at(16, 12))
    assert len(many) == len(few)
    assert sum(1 for row in out.values() if row["sla_first_response"] == "yes") == 6


def test_priority_is_set_recorded_and_changes_the_target(agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        c = email(at(16, 9))
        contact_set_priority(contact=c, priority="urgent", actor=agent)
    event = ContactEvent.objects.get(contact=c, kind=ContactEvent.Kind.PRIORITY)
    assert event.data == {"previous": "normal", "priority": "urgent"}
    assert event.actor == agent
    facts_refresh([c.pk], now=at(16, 9, 30))
    fact = ContactFact.objects.get(pk=c.pk)
    assert fact.priority == "urgent"
    assert SlaDeadline.objects.get(contact_id=c.pk).due_at == at(16, 10)  # 60 minutes for urgent e-mail
    with pytest.raises(Invalid):
        contact_set_priority(contact=c, priority="heel hoog", actor=agent)
    contact_set_status(contact=c, status="closed")
    with pytest.raises(Conflict):
        contact_set_priority(contact=c, priority="normal", actor=agent)
    assert Contact.objects.get(pk=c.pk).priority == "urgent"


def test_changing_a_policy_recounts_open_contacts(django_capture_on_commit_callbacks):
    c = email(at(16, 9))
    insights_catch_up()
    with django_capture_on_commit_callbacks(execute=True):
        sla_policy_save(
            channel="email", priority="normal", first_response_minutes=30, resolution_minutes=None
        )
    assert StaleFact.objects.filter(contact_id=c.pk).exists()
    with pytest.raises(Invalid) as refused:
        sla_policy_save(channel="email", priority="normal", first_response_minutes=0, resolution_minutes=60)
    assert refused.value.field == "first_response_minutes"
    with pytest.raises(Invalid):
        sla_policy_save(channel="fax", priority="normal", first_response_minutes=1, resolution_minutes=1)
    with pytest.raises(Invalid):
        sla_policy_save(
            channel="chat", priority="normal", first_response_minutes=1, resolution_minutes=1, warn_share=1.5
        )
    assert SlaPolicy.objects.get(channel="email", priority="normal").first_response_minutes == 30


def test_the_demo_priorities_are_set_once():
    from gezien.customers.services import customer_create
    from gezien.demo.insights_sla import load_sla_demo

    ronald = customer_create(
        first_name="Ronald", last_name="Kramer", identities=[("email", "r.kramer@example.nl")]
    )
    mail = contact_open(
        channel="email", identities=[("email", "r.kramer@example.nl")], text="Weer kapot!"
    ).contact
    assert mail.customer == ronald
    assert load_sla_demo() >= 1
    assert Contact.objects.get(pk=mail.pk).priority == "high"
    assert load_sla_demo() == 0
    assert ContactEvent.objects.filter(contact=mail, kind="priority").count() == 1


def test_a_changed_or_removed_policy_counts_at_once_despite_the_cache(db) -> None:
    from gezien.insights.sla.timers import policies_by_key

    before = policies_by_key()[("email", "normal")].first_response_minutes
    sla_policy_save(
        channel="email", priority="normal", first_response_minutes=before + 7, resolution_minutes=None
    )
    assert policies_by_key()[("email", "normal")].first_response_minutes == before + 7
    SlaPolicy.objects.filter(channel="email", priority="normal").get().delete()
    assert ("email", "normal") not in policies_by_key()
