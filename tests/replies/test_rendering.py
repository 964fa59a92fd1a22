"""A macro written out for one contact: the variant that fits the customer, and the values it gets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gezien.accounts.models import User
from gezien.contacts.models import Contact, ContactReason
from gezien.contacts.selectors import contact_with_thread
from gezien.contacts.services import message_add
from gezien.customers.models import Customer
from gezien.customers.services import detail_add
from gezien.replies.models import Macro
from gezien.replies.selectors import (
    macro_values,
    macros_for,
    render_for_contact,
    rendered_macros_for_contact,
)
from gezien.replies.services import macro_create, macro_update
from tests.replies.conftest import analysed

MONDAY = date(2025, 11, 24)


def test_values_for_a_formal_customer(formal_contact: Contact, agent: User, customer: Customer) -> None:
    values = macro_values(formal_contact, agent, today=MONDAY)
    assert values == {
        "naam": "Annie Jansen",
        "ordernummer": "VT1514680",
        "datum": "maandag 24 november",
        "medewerker": "Sanne",
        "klantnummer": customer.customer_number,
    }


def test_an_informal_customer_is_called_by_first_name_and_the_order_number_is_tidied(
    informal_contact: Contact, agent: User
) -> None:
    values = macro_values(informal_contact, agent, today=MONDAY)
    assert values["naam"] == "Samira"
    assert values["ordernummer"] == "VT2345678"


def test_the_newest_order_number_wins(formal_contact: Contact, agent: User) -> None:
    message_add(contact=formal_contact, author="agent", text="Ik kijk het na voor VT1111111.", agent=agent)
    message_add(contact=formal_contact, author="customer", text="Sorry, het is VT7654321 of VT7654322.")
    assert macro_values(formal_contact, agent)["ordernummer"] == "VT7654322"


def test_the_order_number_pattern_is_a_setting(formal_contact: Contact, agent: User, settings) -> None:
    message_add(contact=formal_contact, author="customer", text="Mijn ordernummer is 2024-00017.")
    settings.GEZIEN_ORDER_NUMBER_PATTERN = r"\b\d{4}-\d{5}\b"
    assert macro_values(formal_contact, agent)["ordernummer"] == "2024-00017"
    settings.GEZIEN_ORDER_NUMBER_PATTERN = r"(unclosed"
    assert macro_values(formal_contact, agent)["ordernummer"] == ""


def test_a_contact_without_customer_leaves_name_and_number_to_fill_in(
    open_contact: Callable[..., Contact], agent: User, shared_macro: Macro
) -> None:
    contact = open_contact(None, "Goedemiddag, wanneer komt mijn pakket?")
    values = macro_values(contact, agent, today=MONDAY)
    assert (values["naam"], values["klantnummer"], values["ordernummer"]) == ("", "", "")
    rendered = render_for_contact(shared_macro, contact, agent, today=MONDAY)
    assert rendered.missing == ("naam", "ordernummer")
    assert rendered.text.startswith("Beste [naam], uw bestelling [ordernummer] wordt maandag 24 november")


def test_remembered_addressing_decides_and_reads_well_in_a_sentence(
    informal_contact: Contact, informal_customer: Customer, agent: User, shared_macro: Macro
) -> None:
    # Samira writes "je", but an agent recorded that she wants to be addressed formally.
    detail_add(customer=informal_customer, kind="addressing", text="Mevrouw El Idrissi", register="u")
    rendered = render_for_contact(shared_macro, informal_contact, agent, today=MONDAY)
    assert rendered.variant == "u"
    assert rendered.why == "onthouden: u"
    assert rendered.text.startswith("Beste mevrouw El Idrissi, uw bestelling VT2345678")


def test_detected_register_decides_with_the_customers_words(
    formal_contact: Contact, informal_contact: Contact, agent: User, shared_macro: Macro
) -> None:
    formal = render_for_contact(shared_macro, formal_contact, agent, today=MONDAY)
    assert (formal.variant, formal.why) == ("u", "klant schrijft 'kunt u'")
    assert formal.text == (
        "Beste Annie Jansen, uw bestelling VT1514680 wordt maandag 24 november bezorgd. Groet, Sanne"
    )
    informal = render_for_contact(shared_macro, informal_contact, agent, today=MONDAY)
    assert (informal.variant, informal.why) == ("je", "klant schrijft 'kun je'")
    assert informal.text == "Hoi Samira! Je bestelling VT2345678 komt maandag 24 november. Groetjes, Sanne"
    assert informal.missing == ()


def test_without_any_clue_the_default_is_u(
    open_contact: Callable[..., Contact], customer: Customer, agent: User, shared_macro: Macro
) -> None:
    contact = open_contact(customer, "Mijn bestelling VT1514680 is nog niet binnen.")
    rendered = render_for_contact(shared_macro, contact, agent, today=MONDAY)
    assert rendered.variant == "u"
    assert rendered.why.startswith("standaard: u")


def test_an_empty_variant_falls_back_with_a_warning(
    formal_contact: Contact, informal_contact: Contact, agent: User
) -> None:
    only_je = macro_create(actor=agent, title="Alleen je", body_je="Hoi {naam}, komt goed!")
    rendered = render_for_contact(only_je, formal_contact, agent)
    assert (rendered.variant, rendered.text) == ("je", "Hoi Annie Jansen, komt goed!")
    assert rendered.why == "alleen een je-versie; de toon past misschien niet (klant schrijft 'kunt u')"
    only_u = macro_create(actor=agent, title="Alleen u", body_u="Beste {naam}, wij regelen het.")
    assert render_for_contact(only_u, informal_contact, agent).variant == "u"


def test_macros_for_the_contacts_reason_come_first_and_others_stay_private(
    formal_contact: Contact, agent: User, colleague: User, teamlead: User, shared_macro: Macro
) -> None:
    parent = ContactReason.objects.create(code="storing", name="Storing")
    child = ContactReason.objects.create(code="storing_internet", name="Storing internet", parent=parent)
    general = macro_create(actor=teamlead, title="Aaa algemeen", body_u="Dag {naam}.", shared=True)
    outage = macro_create(
        actor=teamlead, title="Storing bekend", body_u="Er is een storing.", reasons=["storing"], shared=True
    )
    mine = macro_create(actor=agent, title="Mijn storingstekst", body_je="Balen joh.", reasons=["storing"])
    theirs = macro_create(actor=colleague, title="Van Mark", body_u="Niet voor Sanne.")
    formal_contact.reason = child
    formal_contact.save(update_fields=["reason"])
    listed = list(macros_for(agent, contact=formal_contact))
    assert listed[:2] == [mine, outage]  # linked to the parent reason, then by title
    assert set(listed[2:]) == {general, shared_macro}
    assert theirs not in listed
    assert list(macros_for(agent, query="  STORING  bekend")) == [outage]
    assert list(macros_for(agent, reason=child)) == [mine, outage]
    macro_update(macro=outage, actor=teamlead, title="Storing opgelost")
    assert list(macros_for(agent, query="opgelost")) == [outage]
    assert list(macros_for(agent, query="bekend")) == []


def test_the_picker_list_costs_the_same_queries_for_3_or_30_macros(
    formal_contact: Contact, agent: User, teamlead: User
) -> None:
    def queries() -> int:
        contact = contact_with_thread(formal_contact.pk)
        with CaptureQueriesContext(connection) as captured:
            rendered = rendered_macros_for_contact(contact, agent, limit=50)
        assert all(item.text for item in rendered)
        return len(captured)

    for n in range(3):
        macro_create(actor=teamlead, title=f"Tekst {n}", body_u="Beste {naam}, {ordernummer}.", shared=True)
    few = queries()
    for n in range(27):
        macro_create(actor=agent, title=f"Eigen {n}", body_je="Hoi {naam}!", reasons=[])
    assert queries() == few <= 4


@pytest.mark.parametrize("limit", [0, 1])
def test_the_picker_list_is_limited(
    formal_contact: Contact, agent: User, shared_macro: Macro, limit: int
) -> None:
    macro_create(actor=agent, title="Nog een", body_u="Dag.")
    assert len(rendered_macros_for_contact(formal_contact, agent, limit=limit)) == limit


def test_signals_of_a_thread_read_elsewhere_are_not_required(
    informal_contact: Contact, agent: User, shared_macro: Macro
) -> None:
    # A contact read without its thread still gets the register from the stored signals.
    plain = Contact.objects.get(pk=informal_contact.pk)
    assert render_for_contact(shared_macro, plain, agent).variant == "je"
    analysed(plain)


def test_a_broken_order_number_pattern_is_reported_by_the_system_check(settings) -> None:
    from django.core.checks import run_checks

    settings.GEZIEN_ORDER_NUMBER_PATTERN = r"(VT\d+"
    assert "gezien.replies.E001" in [message.id for message in run_checks()]
    settings.GEZIEN_ORDER_NUMBER_PATTERN = r"\bVT\d{7}\b"
    assert "gezien.replies.E001" not in [message.id for message in run_checks()]
