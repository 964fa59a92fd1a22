"""Message signals in the API, and corrections of them: /api/messages/{id}[/corrections]."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gezien.contacts.analysing import messages_analyse
from gezien.contacts.models import Message, SignalCorrection
from gezien.contacts.outbox import outbox_drain
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer
from tests.conftest import ApiClient

OPEN = {"channel": "chat", "identity": {"kind": "phone", "value": "06 12345678"}, "text": "Ik ben boos"}


def _message(text: str = "Ik ben boos en teleurgesteld") -> Message:
    opened = contact_open(channel="chat", text=text)
    assert opened.messages is not None
    return opened.messages[0]


@pytest.mark.django_db(transaction=True)
def test_an_opened_contact_answers_at_once_and_shows_its_signals_once_analysed(
    api: ApiClient, customer: Customer, settings, fake_analyser
) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = False  # as with a worker: the outbox waits until it is drained
    with CaptureQueriesContext(connection) as queries:
        body = api.post("/api/contacts", OPEN).json_body
    # The answer does not wait for the analysis, nor read anything back.
    assert body["messages"][0]["signals"] is None
    assert not any("contacts_messagesignals" in q["sql"] for q in queries)
    outbox_drain()
    signals = api.get(f"/api/contacts/{body['id']}").json_body["messages"][0]["signals"]
    assert signals["top_emotion"] == "anger"
    assert signals["formality"] == "unknown"
    assert signals["analysis"]["evidence"] == [["anger", 7, 11, "boos", "nl/emotions:boos"]]


def test_a_message_not_yet_analysed_has_null_signals(api: ApiClient, customer: Customer) -> None:
    body = api.post("/api/contacts", OPEN).json_body  # the test's transaction never commits
    assert body["messages"][0]["signals"] is None
    assert api.get(f"/api/messages/{body['messages'][0]['id']}").json_body["signals"] is None


def test_reading_a_contact_does_not_grow_queries_with_its_analysed_messages(
    api: ApiClient, fake_analyser
) -> None:
    message = _message()
    messages_analyse([message])
    # One correction to start from: a thread without any skips reading them (contact_with_thread)
    SignalCorrection.objects.create(message=message, signal="anger", value=False)
    api.get(f"/api/contacts/{message.contact_id}")  # the token is remembered from here on
    with CaptureQueriesContext(connection) as few:
        api.get(f"/api/contacts/{message.contact_id}")
    for _ in range(10):
        more = Message.objects.create(
            contact=message.contact, author="customer", text="boos", sent_at=timezone.now()
        )
        messages_analyse([more])
        SignalCorrection.objects.create(message=more, signal="anger", value=False)
    with CaptureQueriesContext(connection) as many:
        body = api.get(f"/api/contacts/{message.contact_id}").json_body
    assert len(many) == len(few)
    assert all(m["signals"]["top_emotion"] == "anger" for m in body["messages"])


def test_creating_then_updating_a_correction(api: ApiClient, fake_analyser) -> None:
    message = _message()
    messages_analyse([message])
    url = f"/api/messages/{message.pk}/corrections"
    created = api.post(url, {"signal": "anger", "value": False, "note": "ironisch"})
    assert created.status_code == 201
    assert created.json_body | {"id": 0, "created_at": "", "updated_at": ""} == {
        "id": 0,
        "message_id": message.pk,
        "signal": "anger",
        "value": False,
        "note": "ironisch",
        "corrected_by": "sanne",
        "created_at": "",
        "updated_at": "",
    }
    updated = api.post(url, {"signal": "anger", "value": True})
    assert (updated.status_code, updated.json_body["id"], updated.json_body["value"]) == (
        200,
        created.json_body["id"],
        True,
    )
    assert [c["signal"] for c in api.get(url).json_body] == ["anger"]
    detail = api.get(f"/api/messages/{message.pk}").json_body
    assert (detail["contact_id"], detail["signals"]["top_emotion"]) == (message.contact_id, "anger")
    assert [c["value"] for c in detail["corrections"]] == [True]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"signal": "woedend", "value": False}, "signal"),
        ({"signal": "", "value": False}, "signal"),
        ({"signal": "anger"}, "value"),
        ({"signal": "anger", "value": "misschien"}, "value"),
        ({"signal": "anger", "value": False, "note": "x" * 301}, "note"),
    ],
)
def test_bad_corrections_get_a_422_naming_the_field(api: ApiClient, db: None, body: dict, field: str) -> None:
    message = _message()
    response = api.post(f"/api/messages/{message.pk}/corrections", body)
    assert response.status_code == 422
    assert response.json_body["detail"][0]["loc"][-1] == field
    assert not SignalCorrection.objects.exists()


def test_a_system_message_cannot_be_corrected(api: ApiClient, db: None) -> None:
    message = Message.objects.create(
        contact=_message().contact, author="system", text="Doorgezet", sent_at=timezone.now()
    )
    response = api.post(f"/api/messages/{message.pk}/corrections", {"signal": "anger", "value": False})
    assert response.status_code == 422


@pytest.mark.parametrize(
    "path", ["/api/messages/424242", "/api/messages/424242/corrections", "/api/messages/0"]
)
def test_unknown_messages_are_404(api: ApiClient, db: None, path: str) -> None:
    assert api.get(path).status_code == 404
    assert (
        api.post("/api/messages/424242/corrections", {"signal": "anger", "value": False}).status_code == 404
    )


def test_a_user_without_a_role_is_forbidden(db: None) -> None:
    from gezien.accounts.models import User
    from gezien.accounts.tokens import token_create

    message = _message()
    client = ApiClient(token_create(user=User.objects.create_user("gast", password="x" * 12))[1])
    assert client.get(f"/api/messages/{message.pk}").status_code == 403
    assert client.get(f"/api/messages/{message.pk}/corrections").status_code == 403
    response = client.post(f"/api/messages/{message.pk}/corrections", {"signal": "anger", "value": False})
    assert response.status_code == 403
    assert not SignalCorrection.objects.exists()


def test_the_customer_card_in_the_api_says_how_they_felt(
    api: ApiClient, customer: Customer, fake_analyser
) -> None:
    for text in ["Bedankt!", "Ik ben boos"]:
        contact_open(channel="chat", identities=[("phone", "0612345678")], text=text)
    messages_analyse(list(Message.objects.all()))
    body = api.get(f"/api/customers/{customer.pk}").json_body
    assert {f["emotion"] for f in body["feelings"]} == {"appreciation", "anger"}
    assert body["feeling_trend"] in {"better", "worse", "mixed", "negative"}
