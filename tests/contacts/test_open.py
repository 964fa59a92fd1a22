import pytest
from django.conf import settings

from gezien.contacts.handling import contact_link_customer, contact_set_status, contact_transfer
from gezien.contacts.models import Contact, ContactEvent, Message
from gezien.contacts.services import TranscriptTurn, contact_open, message_add
from gezien.core.errors import Invalid
from gezien.customers.models import Customer
from gezien.customers.selectors import customer_search
from gezien.customers.services import customer_create


def test_a_call_from_a_known_number_is_recognised_whatever_its_format(customer: Customer) -> None:
    result = contact_open(channel="phone", identities=[("phone", "+31 6-1234 5678")])
    assert result.created
    assert result.contact.customer == customer
    assert result.contact.recognition == "recognised"


def test_an_email_from_a_known_address_is_recognised(customer: Customer) -> None:
    result = contact_open(
        channel="email", identities=[("email", "a.jansen@ZIGGO.nl")], text="Waar blijft mijn router?"
    )
    assert result.contact.customer == customer
    assert result.contact.messages.get().text == "Waar blijft mijn router?"


def test_an_unknown_sender_is_kept_unidentified_with_the_message(db: None) -> None:
    result = contact_open(
        channel="chat", identities=[("chat", "portal-onbekend")], text="Hoi, ff een vraagje"
    )
    contact = result.contact
    assert (contact.customer, contact.recognition) == (None, "unidentified")
    assert contact.messages.get().text == "Hoi, ff een vraagje"
    assert contact.identity_raw == "portal-onbekend"


def test_identities_pointing_at_two_customers_are_shown_not_guessed(customer: Customer) -> None:
    other = customer_create(
        first_name="Henk", last_name="Jansen", identities=[("email", "henk@voorbeeld.nl")]
    )
    result = contact_open(
        channel="webform",
        identities=[("phone", "0612345678"), ("email", "henk@voorbeeld.nl")],
        text="Graag teruggebeld",
    )
    assert result.contact.recognition == "ambiguous"
    assert result.contact.customer is None
    assert sorted(result.contact.candidate_ids) == sorted([customer.pk, other.pk])


def test_linking_an_unknown_caller_remembers_the_number_for_next_time(customer: Customer, agent) -> None:
    first = contact_open(channel="phone", identities=[("phone", "020-1234567")]).contact
    contact_link_customer(contact=first, customer=customer, actor=agent)
    first.refresh_from_db()
    assert (first.customer, first.recognition) == (customer, "linked")
    again = contact_open(channel="phone", identities=[("phone", "+31201234567")]).contact
    assert again.customer == customer
    assert ContactEvent.objects.filter(contact=first, kind="linked").exists()


def test_the_same_external_id_opens_one_contact(customer: Customer) -> None:
    first = contact_open(
        channel="email", identities=[("email", "a.jansen@ziggo.nl")], text="a", external_id="<x@y>"
    )
    retry = contact_open(
        channel="email", identities=[("email", "a.jansen@ziggo.nl")], text="a", external_id="<x@y>"
    )
    assert (first.created, retry.created) == (True, False)
    assert retry.contact.pk == first.contact.pk
    assert Message.objects.count() == 1


def test_a_message_that_is_too_long_is_refused_and_nothing_is_written(customer: Customer) -> None:
    with pytest.raises(Invalid) as exc:
        contact_open(channel="email", identities=[("email", "a.jansen@ziggo.nl")], text="x" * 1_000_000)
    assert exc.value.field == "text"
    assert (Contact.objects.count(), Message.objects.count()) == (0, 0)


def test_an_invalid_identity_refuses_the_contact_whole(db: None) -> None:
    with pytest.raises(Invalid):
        contact_open(channel="phone", identities=[("phone", "onbekend")], text="hallo")
    assert Contact.objects.count() == 0


def test_odd_unicode_and_html_are_stored_exactly_as_sent(customer: Customer) -> None:
    text = "Zo boos 😡‼️ <script>alert('x')</script> Ǆ\u200d e\u0301 ﷽"
    contact = contact_open(channel="chat", identities=[("phone", "0612345678")], text=text).contact
    assert contact.messages.get().text == text


def test_nul_bytes_are_refused(customer: Customer) -> None:
    with pytest.raises(Invalid):
        contact_open(channel="chat", identities=[("phone", "0612345678")], text="hallo\x00")


def test_a_phone_contact_carries_transcript_turns_with_offsets(customer: Customer) -> None:
    turns = [
        TranscriptTurn("customer", "Mijn man is overleden en ik wil het abonnement opzeggen.", 0.0, 6.5),
        TranscriptTurn("agent", "Gecondoleerd, mevrouw Jansen.", 6.0, 8.0),
    ]
    contact = contact_open(channel="phone", identities=[("phone", "0612345678")], transcript=turns).contact
    stored = list(contact.messages.values_list("author", "kind", "start_s", "end_s"))
    assert stored == [("customer", "transcript", 0.0, 6.5), ("agent", "transcript", 6.0, 8.0)]


def test_a_turn_that_ends_before_it_starts_is_refused(customer: Customer) -> None:
    with pytest.raises(Invalid):
        contact_open(
            channel="phone",
            identities=[("phone", "0612345678")],
            transcript=[TranscriptTurn("agent", "x", 5, 2)],
        )
    assert Contact.objects.count() == 0


def test_an_agent_reply_stops_the_waiting_clock_and_a_customer_reply_restarts_it(
    customer: Customer, agent
) -> None:
    contact = contact_open(channel="chat", identities=[("phone", "0612345678")], text="Hallo?").contact
    assert contact.waiting_since is not None
    message_add(
        contact=contact, author="agent", text="Goedemiddag!", agent=agent, status_after="waiting_customer"
    )
    contact.refresh_from_db()
    assert (contact.waiting_since, contact.status, contact.assigned_agent) == (
        None,
        "waiting_customer",
        agent,
    )
    message_add(contact=contact, author="customer", text="Nog een vraag")
    contact.refresh_from_db()
    assert contact.status == "open"
    assert contact.waiting_since is not None


def test_a_customer_writing_to_a_closed_contact_reopens_it(customer: Customer, agent) -> None:
    contact = contact_open(channel="email", identities=[("phone", "0612345678")], text="Vraag").contact
    contact_set_status(contact=contact, status="closed", actor=agent)
    contact.refresh_from_db()
    assert contact.closed_at is not None
    message_add(contact=contact, author="customer", text="Het is nog steeds niet opgelost!")
    contact.refresh_from_db()
    assert (contact.status, contact.closed_at) == ("open", None)


def test_transfer_to_a_colleague_records_the_note(customer: Customer, agent, make_user) -> None:
    colleague = make_user("mark")
    contact = contact_open(channel="phone", identities=[("phone", "0612345678")]).contact
    contact_transfer(contact=contact, actor=agent, to_agent=colleague, note="Klant wil een monteur")
    contact.refresh_from_db()
    assert contact.assigned_agent == colleague
    event = contact.events.get(kind="transfer")
    assert event.data["note"] == "Klant wil een monteur"
    assert contact.messages.filter(author="system", text="Klant wil een monteur").exists()


def test_a_transfer_needs_someone_to_go_to(customer: Customer, agent) -> None:
    contact = contact_open(channel="phone", identities=[("phone", "0612345678")]).contact
    with pytest.raises(Invalid):
        contact_transfer(contact=contact, actor=agent)


def test_message_length_limit_comes_from_settings(customer: Customer) -> None:
    contact = contact_open(
        channel="email", identities=[("phone", "0612345678")], text="y" * settings.GEZIEN_MAX_MESSAGE_CHARS
    ).contact
    assert len(contact.messages.get().text) == settings.GEZIEN_MAX_MESSAGE_CHARS
    assert customer_search("annie")


def test_a_reply_that_leaves_the_contact_open_puts_it_back_in_the_queue(customer: Customer, agent) -> None:
    contact = contact_open(channel="chat", identities=[("phone", "0612345678")], text="Hallo?").contact
    message_add(contact=contact, author="agent", text="Ik zoek het uit.", agent=agent, status_after="open")
    contact.refresh_from_db()
    assert contact.status == "open"
    assert contact.waiting_since is not None
