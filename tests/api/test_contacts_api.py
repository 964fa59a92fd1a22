import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gezien.accounts.models import ApiToken
from gezien.accounts.tokens import token_revoke
from gezien.contacts.models import Contact, Message
from gezien.customers.models import Customer
from tests.conftest import ApiClient

OPEN = {"channel": "phone", "identity": {"kind": "phone", "value": "06 12345678"}, "text": "Goedemorgen"}


def test_opening_a_contact_for_a_known_number_answers_with_the_customer(
    api: ApiClient, customer: Customer
) -> None:
    response = api.post("/api/contacts", OPEN)
    assert response.status_code == 201
    body = response.json_body
    assert body["recognition"] == "recognised"
    assert body["customer"]["customer_number"] == customer.customer_number
    assert body["customer"]["full_name"] == "Annie Jansen"
    assert body["messages"][0]["text"] == "Goedemorgen"


@pytest.mark.parametrize(
    "payload",
    [
        {**OPEN, "subject": "Storing", "team": None},
        {"channel": "email", "identities": [{"kind": "email", "value": "a.jansen@ziggo.nl"},
                                            {"kind": "phone", "value": "020-7654321"}],
         "text": "Hallo", "external_id": "<x1@mail>"},
        {"channel": "phone", "transcript": [{"author": "customer", "text": "Hoi", "start_s": 1, "end_s": 2},
                                            {"author": "agent", "text": "Dag", "start_s": 2.5}]},
    ],
)  # fmt: skip
def test_the_answer_to_an_open_is_the_contact_as_read_back(
    api: ApiClient, customer: Customer, payload: dict[str, object]
) -> None:
    """The open answers from what it stored (built without the schema): field for field what reading
    the contact gives, in the same order, apart from the signals analysed since."""
    opened = api.post("/api/contacts", payload)
    assert opened.status_code == 201
    read = api.get(f"/api/contacts/{opened.json_body['id']}").json_body
    for message in read["messages"]:
        message["signals"] = None
    assert list(opened.json_body) == list(read)
    assert [list(m) for m in opened.json_body["messages"]] == [list(m) for m in read["messages"]]
    assert opened.json_body == read


def test_a_retry_with_the_same_external_id_returns_the_same_contact(
    api: ApiClient, customer: Customer
) -> None:
    payload = {
        "channel": "email",
        "identity": {"kind": "email", "value": "A.Jansen@ziggo.nl"},
        "subject": "Factuur",
        "text": "Er is dubbel afgeschreven.",
        "external_id": "<CAF123@mail.ziggo.nl>",
    }
    first = api.post("/api/contacts", payload)
    retry = api.post("/api/contacts", payload)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json_body["id"] == retry.json_body["id"]
    assert Contact.objects.count() == 1


def test_an_unknown_caller_is_answered_as_unidentified(api: ApiClient, db: None) -> None:
    body = api.post(
        "/api/contacts", {**OPEN, "identity": {"kind": "phone", "value": "020-7654321"}}
    ).json_body
    assert (body["recognition"], body["customer"]) == ("unidentified", None)


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("{not json", 400),
        ('{"channel": "fax", "text": "x"}', 422),
        ('{"channel": "chat", "text": 12}', 422),
        ('{"channel": "chat", "text": "x", "identity": {"kind": "phone", "value": "onzin"}}', 422),
        ('{"channel": "chat", "text": "x", "identity": "0612345678"}', 422),
        ('{"channel": "chat", "text": "   "}', 422),
        ("[]", 422),
    ],
)
def test_bad_input_gets_a_clear_4xx_and_writes_nothing(
    api: ApiClient, db: None, raw: str, status: int
) -> None:
    response = api.post("/api/contacts", raw=raw)
    assert response.status_code == status
    assert response.json_body["detail"]
    assert Contact.objects.count() == 0


def test_field_errors_name_the_field(api: ApiClient, db: None) -> None:
    response = api.post("/api/contacts", {**OPEN, "identity": {"kind": "phone", "value": "onzin"}})
    assert response.status_code == 422
    assert response.json_body["detail"][0]["loc"][-1] == "value"


def test_a_one_megabyte_message_is_refused_and_nothing_is_written(api: ApiClient, customer: Customer) -> None:
    response = api.post("/api/contacts", {**OPEN, "channel": "email", "text": "a" * 1_000_000})
    assert response.status_code == 422
    assert response.json_body["detail"][0]["loc"][-1] == "text"
    assert (Contact.objects.count(), Message.objects.count()) == (0, 0)


def test_a_request_over_the_body_limit_is_413(api: ApiClient, db: None) -> None:
    response = api.post("/api/contacts", {**OPEN, "text": "a" * 3_000_000})
    assert response.status_code == 413


def test_no_token_or_a_revoked_token_is_401(api: ApiClient, customer: Customer) -> None:
    assert ApiClient(None).post("/api/contacts", OPEN).status_code == 401
    assert ApiClient("gz_verzonnen").post("/api/contacts", OPEN).status_code == 401
    token_revoke(token=ApiToken.objects.get())
    assert api.post("/api/contacts", OPEN).status_code == 401


def test_unknown_contact_is_404(api: ApiClient, db: None) -> None:
    assert api.get("/api/contacts/999999").status_code == 404
    assert api.post("/api/contacts/999999/messages", {"text": "x"}).status_code == 404
    assert api.patch("/api/contacts/999999", {"status": "closed"}).status_code == 404


def test_messages_status_reason_and_transfer_through_the_api(
    api: ApiClient, customer: Customer, reason, make_user
) -> None:
    make_user("mark")
    contact_id = api.post("/api/contacts", OPEN).json_body["id"]
    reply = api.post(
        f"/api/contacts/{contact_id}/messages",
        {"author": "agent", "text": "Ik zoek het voor u uit.", "status_after": "waiting_customer"},
    )
    assert reply.status_code == 201
    assert reply.json_body["agent"] == "sanne"
    changed = api.patch(
        f"/api/contacts/{contact_id}",
        {
            "reason": "levering",
            "summary": "Router niet geleverd",
            "assigned_agent": "mark",
            "transfer_note": "Wil een monteur",
        },
    )
    assert changed.status_code == 200
    body = changed.json_body
    assert (body["reason"], body["summary"], body["assigned_agent"]) == (
        "levering",
        "Router niet geleverd",
        "mark",
    )
    closed = api.patch(f"/api/contacts/{contact_id}", {"status": "closed"}).json_body
    assert closed["status"] == "closed" and closed["closed_at"]


def test_a_patch_with_an_unknown_colleague_changes_nothing(
    api: ApiClient, customer: Customer, reason
) -> None:
    contact_id = api.post("/api/contacts", OPEN).json_body["id"]
    response = api.patch(f"/api/contacts/{contact_id}", {"reason": "levering", "assigned_agent": "niemand"})
    assert response.status_code == 422
    assert Contact.objects.get(pk=contact_id).reason is None


def test_transcript_turns_through_the_api(api: ApiClient, customer: Customer) -> None:
    body = api.post(
        "/api/contacts",
        {
            "channel": "phone",
            "identity": {"kind": "phone", "value": "0612345678"},
            "transcript": [
                {"author": "customer", "text": "Mijn internet doet het niet", "start_s": 0, "end_s": 3.5},
                {"author": "agent", "text": "Vervelend! Ik kijk mee.", "start_s": 3.2, "end_s": 5},
            ],
        },
    ).json_body
    assert [(m["kind"], m["start_s"]) for m in body["messages"]] == [("transcript", 0.0), ("transcript", 3.2)]


def test_a_long_transcript_is_stored_whole_and_in_order(api: ApiClient, customer: Customer) -> None:
    turns = [{"author": "customer" if i % 2 else "agent", "text": f"beurt {i}"} for i in range(1200)]
    body = api.post("/api/contacts", {"channel": "phone", "transcript": turns}).json_body
    ids = [m["id"] for m in body["messages"]]
    assert [m["text"] for m in body["messages"]] == [t["text"] for t in turns]
    stored = dict(Message.objects.filter(contact_id=body["id"]).values_list("pk", "text"))
    assert {i: f"beurt {n}" for n, i in enumerate(ids)} == stored


def test_linking_an_unidentified_contact(api: ApiClient, customer: Customer) -> None:
    contact_id = api.post(
        "/api/contacts", {**OPEN, "identity": {"kind": "phone", "value": "020-7654321"}}
    ).json_body["id"]
    assert api.post(f"/api/contacts/{contact_id}/link", {"customer_id": 424242}).status_code == 422
    linked = api.post(f"/api/contacts/{contact_id}/link", {"customer_id": customer.pk}).json_body
    assert (linked["recognition"], linked["customer"]["id"]) == ("linked", customer.pk)
    again = api.post(
        "/api/contacts", {**OPEN, "identity": {"kind": "phone", "value": "+31207654321"}}
    ).json_body
    assert again["customer"]["id"] == customer.pk


def test_listing_filters_and_does_not_grow_queries_with_rows(api: ApiClient, customer: Customer) -> None:
    for _ in range(3):
        api.post("/api/contacts", OPEN)
    with CaptureQueriesContext(connection) as few:
        assert api.get("/api/contacts?channel=phone").json_body["count"] == 3
    for _ in range(20):
        api.post("/api/contacts", OPEN)
    api.post("/api/contacts", {**OPEN, "channel": "chat"})
    with CaptureQueriesContext(connection) as many:
        body = api.get("/api/contacts?channel=phone&limit=100").json_body
    assert body["count"] == 23
    assert {item["channel"] for item in body["items"]} == {"phone"}
    assert len(many) == len(few)
    assert api.get(f"/api/contacts?customer_id={customer.pk}&status=closed").json_body["count"] == 0


def test_a_user_without_a_role_is_forbidden(db: None) -> None:
    from gezien.accounts.models import User
    from gezien.accounts.tokens import token_create

    nobody = User.objects.create_user("gast", password="x" * 12)
    client = ApiClient(token_create(user=nobody)[1])
    assert client.post("/api/contacts", OPEN).status_code == 403
    assert client.get("/api/customers?q=jansen").status_code == 403
    assert client.get("/api/reasons").status_code == 403
    assert client.get("/api/teams").status_code == 403
    assert client.get("/api/tokens").status_code == 403
    assert client.post("/api/tokens", {"name": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/tokens", {"name": "a\u0000b"}),
        ("post", "/api/contacts", {"channel": "chat", "text": "x", "team": "a\u0000b"}),
        ("post", "/api/contacts", {"channel": "chat", "text": "x", "opened_at": "0001-01-01T00:00:00+14:00"}),
        ("post", "/api/contacts", {"channel": "chat", "text": "x", "opened_at": "9999-12-31T23:59:59-14:00"}),
        ("get", "/api/contacts?limit=9223372036854775808", None),
        ("get", "/api/contacts?offset=9223372036854775808", None),
        ("get", "/api/contacts?customer_id=9223372036854775808", None),
        ("get", "/api/contacts?agent=a%00b", None),
        ("get", "/api/contacts?opened_after=0001-01-01T00:00:00%2B14:00", None),
        ("get", "/api/customers?q=%00", None),
    ],
)
def test_values_no_database_can_hold_are_refused_with_422(
    api: ApiClient, customer: Customer, method: str, path: str, body: object
) -> None:
    before = (Contact.objects.count(), ApiToken.objects.count())
    response = api.call(method, path, body)
    assert response.status_code == 422, response.content
    assert (Contact.objects.count(), ApiToken.objects.count()) == before


def test_ids_no_database_can_hold_are_unknown(api: ApiClient, desk, customer: Customer) -> None:
    huge = 2**63
    assert api.get(f"/api/contacts/{huge}").status_code == 404
    assert api.get(f"/api/customers/{customer.pk}/details").status_code == 200
    assert api.delete(f"/api/customers/{customer.pk}/details/{huge}").status_code == 404
    assert api.delete(f"/api/tokens/{huge}").status_code == 404
    assert desk.get(f"/desk/contacts/{huge}/").status_code == 404
    assert desk.get(f"/customers/{huge}/").status_code == 404


def test_a_message_dated_in_year_one_is_refused_and_the_contact_stays_readable(
    api: ApiClient, customer: Customer
) -> None:
    contact_id = api.post("/api/contacts", OPEN).json_body["id"]
    late = {"text": "x", "sent_at": "9999-12-31T23:59:59-14:00"}
    bad = api.post(f"/api/contacts/{contact_id}/messages", late)
    assert bad.status_code == 422
    assert bad.json_body["detail"][0]["loc"][-1] == "sent_at"
    assert api.get(f"/api/contacts/{contact_id}").status_code == 200
