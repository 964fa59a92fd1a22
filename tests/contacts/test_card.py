from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gezien.contacts.analysing import messages_reanalyse
from gezien.contacts.handling import contact_set_summary
from gezien.contacts.models import Contact, Message, MessageSignals
from gezien.contacts.selectors import (
    CARD_FEELINGS,
    Feeling,
    customer_card,
    customer_card_kept,
    feeling_trend,
    queue,
)
from gezien.contacts.services import contact_open, message_add
from gezien.customers.models import Customer
from gezien.customers.services import detail_add


def _history(customer: Customer, agent, count: int) -> list[Contact]:
    start = timezone.now() - timedelta(days=count)
    contacts = []
    for i in range(count):
        contact = contact_open(
            channel=["phone", "chat", "email", "webform"][i % 4],
            identities=[("phone", "0612345678")],
            text=f"Vraag nummer {i}",
            at=start + timedelta(days=i),
        ).contact
        contacts.append(contact)
    Contact.objects.filter(pk__in=[c.pk for c in contacts]).update(
        status="closed", closed_at=timezone.now(), waiting_since=None
    )
    return contacts


def test_the_card_shows_what_was_discussed_last_time(customer: Customer, agent) -> None:
    older, last = _history(customer, agent, 2)
    contact_set_summary(contact=last, summary="Router vertraagd; nieuwe leverdatum 14 november toegezegd")
    Message.objects.create(
        contact=last, author="agent", agent=agent, text="Ik bel u donderdag terug.", sent_at=timezone.now()
    )
    current = contact_open(channel="phone", identities=[("phone", "0612345678")]).contact
    card = customer_card(customer, current=current)
    assert card.last_discussed is not None
    assert card.last_discussed.contact == last
    assert card.last_discussed.contact.summary.startswith("Router vertraagd")
    assert card.last_discussed.last_agent_words == "Ik bel u donderdag terug."
    assert [c.pk for c in card.timeline] == [last.pk, older.pk]
    assert current not in card.timeline


def test_the_card_puts_overdue_promises_first_and_marks_them(customer: Customer, agent) -> None:
    now = timezone.now()
    detail_add(customer=customer, kind="promise", text="Later", due_at=now + timedelta(days=3), actor=agent)
    detail_add(
        customer=customer,
        kind="promise",
        text="Terugbellen vóór vrijdag",
        due_at=now - timedelta(days=1),
        actor=agent,
    )
    detail_add(customer=customer, kind="addressing", text="Mevrouw Jansen", register="u", actor=agent)
    detail_add(customer=customer, kind="life_event", text="Echtgenoot overleden in september", actor=agent)
    card = customer_card(customer)
    assert [(p.detail.text, p.overdue) for p in card.promises] == [
        ("Terugbellen vóór vrijdag", True),
        ("Later", False),
    ]
    assert (card.display_name, card.register) == ("Mevrouw Jansen", "u")
    assert [d.text for d in card.life_events] == ["Echtgenoot overleden in september"]


def test_the_card_takes_the_same_number_of_queries_for_2_or_200_contacts(customer: Customer, agent) -> None:
    _history(customer, agent, 2)
    with CaptureQueriesContext(connection) as small:
        customer_card(customer)
    _history(customer, agent, 198)
    with CaptureQueriesContext(connection) as large:
        card = customer_card(customer)
    assert card.total_contacts == 200
    assert len(large) == len(small)


def test_queue_puts_the_longest_waiting_first(customer: Customer, agent) -> None:
    now = timezone.now()
    new = contact_open(channel="chat", identities=[("phone", "0612345678")], text="nieuw", at=now).contact
    old = contact_open(channel="email", identities=[], text="oud", at=now - timedelta(hours=3)).contact
    answered = contact_open(
        channel="chat", identities=[], text="beantwoord", at=now - timedelta(hours=5)
    ).contact
    message_add(
        contact=answered, author="agent", agent=agent, text="Antwoord", status_after="waiting_customer"
    )
    entries = queue(now=now)
    assert [e.contact.pk for e in entries] == [old.pk, new.pk]
    assert entries[0].waiting >= timedelta(hours=3)
    assert [e.contact.pk for e in queue(channel="chat", now=now)] == [new.pk]


def test_an_old_open_contact_shows_on_the_card_beyond_the_newest_thirty(customer: Customer, agent) -> None:
    start = timezone.now() - timedelta(days=100)
    old_open = contact_open(
        channel="email", identities=[("phone", "0612345678")], text="Nog steeds open", at=start
    ).contact
    newer = _history(customer, agent, 35)
    card = customer_card(customer)
    assert len(card.timeline) == 30
    assert card.total_contacts == 36
    assert [c.pk for c in card.open_contacts] == [old_open.pk]
    assert card.last_discussed is not None and card.last_discussed.contact == newer[-1]


def _felt(customer: Customer, texts: list[str]) -> list[Contact]:
    """Closed contacts, oldest first, each with the customer's text, analysed."""
    start = timezone.now() - timedelta(days=len(texts))
    contacts = [
        contact_open(
            channel="chat", identities=[("phone", "0612345678")], text=text, at=start + timedelta(days=i)
        ).contact
        for i, text in enumerate(texts)
    ]
    messages_reanalyse(scope="missing")
    return contacts


def test_the_card_shows_how_the_customer_felt_in_recent_contacts(customer: Customer, fake_analyser) -> None:
    contacts = _felt(customer, ["Bedankt!", "Een vraag", "Ik ben boos", "Nog steeds boos en teleurgesteld"])
    card = customer_card(customer)
    assert [(f.contact.pk, f.emotion) for f in card.feelings] == [
        (contacts[0].pk, "appreciation"),
        (contacts[1].pk, ""),
        (contacts[2].pk, "anger"),
        (contacts[3].pk, "anger"),
    ]
    assert card.feelings[-1].sentiment < 0 < card.feelings[0].sentiment
    assert card.feeling_trend == "worse"


def test_the_card_reads_only_the_customers_words_and_the_newest_contacts(
    customer: Customer, agent, fake_analyser
) -> None:
    contacts = _felt(customer, ["Ik ben boos"] + ["Een vraag"] * CARD_FEELINGS)
    message_add(contact=contacts[-1], author="agent", text="Wat jammer, bent u boos?", agent=agent)
    messages_reanalyse(scope="missing")
    card = customer_card(customer)
    assert len(card.feelings) == CARD_FEELINGS
    assert contacts[0].pk not in [f.contact.pk for f in card.feelings]
    assert {f.emotion for f in card.feelings} == {""}  # the agent's "boos" is not the customer's


def test_the_card_with_feelings_takes_the_same_number_of_queries_for_2_or_200_contacts(
    customer: Customer, agent, fake_analyser
) -> None:
    _history(customer, agent, 2)
    messages_reanalyse(scope="missing")
    with CaptureQueriesContext(connection) as small:
        assert len(customer_card(customer).feelings) == 2
    _history(customer, agent, 198)
    messages_reanalyse(scope="missing")
    assert MessageSignals.objects.count() == 200
    with CaptureQueriesContext(connection) as large:
        card = customer_card(customer)
    assert len(card.feelings) == CARD_FEELINGS
    assert len(large) == len(small)


def _feeling(emotion: str, sentiment: float) -> Feeling:
    return Feeling(Contact(), emotion, 0.9 if emotion else 0.0, sentiment)


@pytest.mark.parametrize(
    ("moods", "trend"),
    [
        ([], ""),
        ([("anger", -0.8)], ""),
        ([("anger", -0.8), ("", 0.0), ("appreciation", 0.7)], "better"),
        ([("", 0.1), ("anger", -0.6)], "worse"),
        ([("anger", -0.7), ("disappointment", -0.6), ("anger", -0.8)], "negative"),
        ([("satisfaction", 0.6), ("", 0.4), ("appreciation", 0.5)], "positive"),
        ([("", 0.0), ("", 0.1), ("", 0.0)], "calm"),
        ([("anger", -0.5), ("appreciation", 0.3), ("anger", -0.4), ("", 0.2)], "mixed"),
    ],
)
def test_the_trend_says_how_the_mood_runs(moods: list[tuple[str, float]], trend: str) -> None:
    assert feeling_trend([_feeling(e, s) for e, s in moods]) == trend


def test_a_kept_card_is_built_again_as_soon_as_anything_it_shows_changes(customer: Customer, agent) -> None:
    older, last = _history(customer, agent, 2)
    current = contact_open(channel="chat", identities=[("phone", "0612345678")], text="Nu").contact
    first = customer_card_kept(customer, current=current)
    assert first.total_contacts == 2
    with CaptureQueriesContext(connection) as kept:
        again = customer_card_kept(customer, current=current)
    assert len(kept) == 2  # the stamp and the problems: nothing changed
    assert [c.pk for c in again.timeline] == [last.pk, older.pk]

    contact_set_summary(contact=older, summary="Factuur gecorrigeerd")
    assert customer_card_kept(customer, current=current).timeline[1].summary == "Factuur gecorrigeerd"
    detail_add(customer=customer, kind="note", text="Slechthorend: rustig praten", actor=agent)
    assert [d.text for d in customer_card_kept(customer, current=current).details] == [
        "Slechthorend: rustig praten"
    ]
    message_add(contact=last, author="agent", kind="message", text="Ik bel u morgen terug.", agent=agent)
    card = customer_card_kept(customer, current=current)
    assert card.last_discussed is not None
    assert card.last_discussed.last_agent_words == "Ik bel u morgen terug."
    contact_open(channel="email", identities=[("phone", "0612345678")], text="Nog een vraag")
    assert customer_card_kept(customer, current=current).total_contacts == 3
    assert customer_card_kept(customer, current=current) == customer_card(customer, current=current)


def test_a_kept_card_judges_its_promises_against_the_clock_of_each_view(customer: Customer, agent) -> None:
    now = timezone.now()
    detail_add(
        customer=customer, kind="promise", text="Terugbellen", due_at=now + timedelta(hours=1), actor=agent
    )
    assert [p.overdue for p in customer_card_kept(customer, now=now).promises] == [False]
    assert [p.overdue for p in customer_card_kept(customer, now=now + timedelta(hours=2)).promises] == [True]


def test_an_empty_call_is_not_what_was_discussed_last_time(customer: Customer, agent) -> None:
    """Issue 20: "Vorige keer besproken" showed today's empty phone contact "(geen samenvatting)" instead
    of the conversation before it. A closed contact in which nobody said anything is passed by."""
    (spoken,) = _history(customer, agent, 1)
    contact_set_summary(contact=spoken, summary="Opzegging na overlijden besproken")
    empty = contact_open(channel="phone", identities=[("phone", "0612345678")], text="").contact
    Contact.objects.filter(pk=empty.pk).update(status="closed", closed_at=timezone.now(), waiting_since=None)
    current = contact_open(channel="phone", identities=[("phone", "0612345678")]).contact
    card = customer_card(customer, current=current)
    assert card.last_discussed is not None and card.last_discussed.contact == spoken
    assert card.timeline[0].pk == empty.pk  # it is still in the history
