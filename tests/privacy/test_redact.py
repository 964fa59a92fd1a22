"""Redaction: an agent makes part of a message unreadable; the text, the summary, the signals, the mail
and the export follow, and the original is nowhere. And the numbers the desk recognises itself: shown
masked in the desk, and with GEZIEN_REDACT_AT_INTAKE masked before they are stored."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gezien.audit.models import AuditEntry
from gezien.contacts.models import Contact, Message, MessageSignals
from gezien.contacts.services import contact_open, message_add
from gezien.customers.models import Customer
from gezien.mail.intake import ingest
from gezien.mail.models import InboundMail, Mailbox
from tests.conftest import ApiClient
from tests.privacy.conftest import database_dump, raw_mail

CARD = "4111 1111 1111 1111"
IBAN = "NL91 ABNA 0417 1643 00"


def _opened(text: str) -> Message:
    contact = contact_open(channel="chat", identities=[("phone", "06-12345678")], text=text).contact
    return Message.objects.get(contact=contact)


@pytest.mark.django_db(transaction=True)
def test_redacting_words_follows_into_summary_signals_and_export(
    customer: Customer, api: ApiClient, api_as: Callable[[str], Any], fake_analyser: Any
) -> None:
    message = _opened(f"Ik ben boos, mijn kaart {CARD} is twee keer belast")
    assert MessageSignals.objects.get(message=message).data["evidence"]  # "boos"
    assert CARD in database_dump()

    answer = api.post(f"/api/messages/{message.pk}/redact", {"text": CARD})

    assert answer.status_code == 200, answer.content
    assert answer.json_body == {
        "message_id": message.pk,
        "text": "Ik ben boos, mijn kaart [verwijderd] is twee keer belast",
        "spans": 1,
        "chars": len(CARD),
    }
    assert Contact.objects.get(pk=message.contact_id).summary.startswith(
        "Ik ben boos, mijn kaart [verwijderd]"
    )
    signals = MessageSignals.objects.get(message=message)  # analysed again, from the redacted text
    assert [e[3] for e in signals.data["evidence"]] == ["boos"]
    assert fake_analyser.calls[-1][0] == [answer.json_body["text"]]
    dump = database_dump()
    assert CARD not in dump and not re.search(r"4111\D{0,3}1111", dump)  # nor spaced otherwise
    entry = AuditEntry.objects.get(action="message.redact")
    assert (entry.object_id, entry.customer_id, entry.details) == (
        str(message.pk),
        customer.pk,
        {"contact": message.contact_id, "spans": 1, "chars": len(CARD)},
    )
    manager = api_as("manager")
    export = manager.client.get(f"/api/customers/{customer.pk}/export", **manager.headers)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(export.streaming_content)))
    (exported,) = json.loads(archive.read("messages.json"))
    assert exported["text"] == answer.json_body["text"]


@pytest.mark.django_db
def test_redacting_by_offsets(customer: Customer, api: ApiClient) -> None:
    message = _opened("Mijn naam is Piet Paulusma en ik woon hier")
    answer = api.post(f"/api/messages/{message.pk}/redact", {"start": 13, "end": 26})
    assert answer.json_body["text"] == "Mijn naam is [verwijderd] en ik woon hier"
    assert Message.objects.get(pk=message.pk).text == answer.json_body["text"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "staat er niet in"}, "text"),
        ({"start": 5, "end": 3}, "end"),
        ({"start": 0, "end": 999}, "end"),
        ({"start": 0, "end": 3, "text": "Mijn"}, "text"),
        ({}, "start"),
    ],
)
def test_bad_redactions_are_refused_and_change_nothing(
    customer: Customer, api: ApiClient, body: dict[str, Any], field: str
) -> None:
    message = _opened("Mijn naam is Piet")
    answer = api.post(f"/api/messages/{message.pk}/redact", body)
    assert answer.status_code == 422
    assert answer.json_body["detail"][0]["loc"][-1] == field
    assert Message.objects.get(pk=message.pk).text == "Mijn naam is Piet"
    assert not AuditEntry.objects.filter(action="message.redact").exists()


@pytest.mark.django_db
def test_redaction_needs_a_desk_role(
    customer: Customer, api_as: Callable[[str], Any], api: ApiClient
) -> None:
    message = _opened("Mijn naam is Piet")
    assert (
        api_as("department").post(f"/api/messages/{message.pk}/redact", {"text": "Piet"}).status_code == 403
    )
    assert api.post("/api/messages/999999/redact", {"text": "Piet"}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_redacted_mail_keeps_no_raw_copy(
    customer: Customer, api: ApiClient, outgoing_mailbox: Mailbox
) -> None:
    ingest(outgoing_mailbox, raw_mail(f"Mijn rekening is {IBAN}, graag terugstorten.", with_pdf=False))
    message = Message.objects.get(author="customer")
    assert api.post(f"/api/messages/{message.pk}/redact", {"text": IBAN}).status_code == 200
    mail = InboundMail.objects.get(message=message)
    assert IBAN not in (mail.text or "") and bytes(mail.raw) == b""
    assert "0417 1643" not in database_dump()


@pytest.mark.django_db
def test_the_desk_shows_numbers_masked(customer: Customer, desk: Client) -> None:
    message = _opened(f"Stort het terug op {IBAN} of kaart {CARD}, mijn BSN is 111222333. Order 123456782.")
    page = desk.get(f"/desk/contacts/{message.contact_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert IBAN not in html and CARD not in html and "111222333" not in html
    assert html.count('class="pii"') == 3
    assert "Order 123456782" in html  # an order number is not a BSN
    assert Message.objects.get(pk=message.pk).text.startswith(f"Stort het terug op {IBAN}")  # stored as typed


@pytest.mark.django_db
def test_with_the_setting_numbers_are_masked_before_storing(
    customer: Customer, api: ApiClient, settings: Any, agent: Any
) -> None:
    settings.GEZIEN_REDACT_AT_INTAKE = True
    opened = api.post(
        "/api/contacts",
        {"channel": "phone", "identity": {"kind": "phone", "value": "06 12345678"}, "subject": f"IBAN {IBAN}",
         "text": f"mijn rekening {IBAN}"},
    )  # fmt: skip
    assert opened.status_code == 201
    contact = Contact.objects.get(pk=opened.json_body["id"])
    assert contact.subject == "IBAN [verwijderd]"
    message_add(contact=contact, author="customer", text=f"en mijn kaart {CARD}")
    message_add(contact=contact, author="agent", agent=agent, text=f"Wij storten op {IBAN}")
    texts = list(Message.objects.filter(contact=contact).values_list("text", flat=True))
    assert texts == [
        "mijn rekening [verwijderd]",
        "en mijn kaart [verwijderd]",
        f"Wij storten op {IBAN}",  # the agent's own words are the organisation's
    ]
