"""POST /api/cti/events: call events in, idempotent and order-independent (issue 18)."""

from __future__ import annotations

from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.contacts.models import Channel, Contact, ContactEvent, Status
from gezien.customers.models import Customer
from gezien.phone.models import Call, CallEvent
from gezien.presence.models import State, StateSpan
from tests.conftest import ApiClient

URL = "/api/cti/events"
NUMBER = "+31612345678"  # the `customer` fixture's 06-12345678


class Cti:
    """The API client whose every request's after-commit work runs at its end, as in the server."""

    def __init__(self, api: ApiClient, capture: Any) -> None:
        self.api, self.capture = api, capture

    def post(self, path: str, body: Any) -> Any:
        with self.capture(execute=True):
            return self.api.post(path, body)

    def get(self, path: str) -> Any:
        return self.api.get(path)


@pytest.fixture
def cti(api: ApiClient, django_capture_on_commit_callbacks: Any) -> Cti:
    return Cti(api, django_capture_on_commit_callbacks)


def ring(call_id: str = "c1", **more: Any) -> dict[str, Any]:
    return {"event": "newCall", "call_id": call_id, "from": "06-12345678", "to": "020-1234567", **more}


def answer(call_id: str = "c1", user: str = "sanne", **more: Any) -> dict[str, Any]:
    return {"event": "answer", "call_id": call_id, "user": user, **more}


def hangup(call_id: str = "c1", cause: str = "normalClearing", **more: Any) -> dict[str, Any]:
    return {"event": "hangup", "call_id": call_id, "cause": cause, **more}


def outcome(call_id: str = "c1") -> tuple[Any, ...]:
    call = Call.objects.get(call_id=call_id)
    return (
        call.state,
        call.from_number,
        call.rang_at,
        call.answered_at,
        call.ended_at,
        call.cause,
        call.agent_id,
        call.customer_id,
        Contact.objects.filter(external_id=f"cti:{call_id}").count(),
    )


def test_new_call_rings_and_recognises_the_customer(cti: Cti, customer: Customer) -> None:
    response = cti.post(URL, ring())
    assert response.status_code == 201, response.json_body
    call = response.json_body["call"]
    assert call["state"] == "ringing"
    assert call["number"] == NUMBER and call["from_raw"] == "06-12345678"
    assert call["customer_id"] == customer.pk
    assert call["contact_id"] is None  # nobody has it yet
    assert cti.get("/api/cti/calls/c1").json_body["state"] == "ringing"


def test_a_repeated_event_changes_nothing(cti: Cti, customer: Customer) -> None:
    assert cti.post(URL, ring()).status_code == 201
    assert cti.post(URL, answer()).status_code == 201
    again = cti.post(URL, answer())
    assert again.status_code == 200 and again.json_body["created"] is False
    assert CallEvent.objects.filter(call_id="c1").count() == 2
    assert Contact.objects.filter(external_id="cti:c1").count() == 1


def test_answer_opens_the_phone_contact_for_the_agent(cti: Cti, agent: User, customer: Customer) -> None:
    cti.post(URL, ring(at="2026-12-01T09:00:00+01:00"))
    body = cti.post(URL, answer(user="sanne", at="2026-12-01T09:00:12+01:00")).json_body
    contact = Contact.objects.get(pk=body["call"]["contact_id"])
    assert contact.channel == Channel.PHONE
    assert contact.customer_id == customer.pk
    assert contact.assigned_agent_id == agent.pk
    assert contact.status == Status.OPEN
    span = StateSpan.objects.get(user=agent, ended_at__isnull=True)
    assert span.state == State.IN_CONTACT and span.contact_id == contact.pk


def test_answer_by_e_mail_address(cti: Cti, agent: User, customer: Customer) -> None:
    agent.email = "Sanne@Example.nl"
    agent.save()
    cti.post(URL, ring())
    body = cti.post(URL, answer(user="sanne@example.nl")).json_body
    assert body["call"]["agent"] == "sanne"


def test_hangup_stores_duration_and_cause_and_starts_after_call_work(
    cti: Cti, agent: User, customer: Customer, settings: Any
) -> None:
    settings.GEZIEN_AFTER_CONTACT_SECONDS = 60
    cti.post(URL, ring(at="2026-12-01T09:00:00+01:00"))
    cti.post(URL, answer(at="2026-12-01T09:00:10+01:00"))
    body = cti.post(URL, hangup(at="2026-12-01T09:03:25+01:00", cause="normalClearing")).json_body
    call = body["call"]
    assert call["state"] == "ended" and call["duration_s"] == 195 and call["cause"] == "normalClearing"
    contact = Contact.objects.get(pk=call["contact_id"])
    assert contact.status == Status.CLOSED
    ended = ContactEvent.objects.get(contact=contact, kind="call_ended")
    assert ended.data["duration_s"] == 195 and ended.data["cause"] == "normalClearing"
    span = StateSpan.objects.get(user=agent, ended_at__isnull=True)
    assert span.state == State.AFTER_CONTACT


def test_a_call_nobody_answered_is_abandoned(cti: Cti, customer: Customer) -> None:
    cti.post(URL, ring(at="2026-12-01T09:00:00+01:00"))
    body = cti.post(URL, hangup(at="2026-12-01T09:01:30+01:00", cause="callerHangup")).json_body
    assert body["call"]["state"] == "abandoned"
    assert body["call"]["contact_id"] is None and body["call"]["duration_s"] is None
    assert not Contact.objects.filter(external_id="cti:c1").exists()


@pytest.mark.parametrize(
    "order",
    [
        ("ring", "answer", "hangup"),
        ("hangup", "answer", "ring"),
        ("answer", "hangup", "ring"),
        ("ring", "hangup", "answer"),
        ("hangup", "ring", "hangup", "answer", "ring", "answer"),
    ],
)
def test_any_order_and_repeats_give_the_same_call(
    cti: Cti, agent: User, customer: Customer, order: tuple[str, ...]
) -> None:
    events = {
        "ring": ring(at="2026-12-01T09:00:00+01:00"),
        "answer": answer(at="2026-12-01T09:00:10+01:00"),
        "hangup": hangup(at="2026-12-01T09:02:00+01:00"),
    }
    for name in order:
        assert cti.post(URL, events[name]).status_code in (200, 201)
    state, number, rang, answered, ended, cause, agent_id, customer_id, contacts = outcome()
    assert agent_id == agent.pk
    assert (state, number, cause, customer_id, contacts) == (
        "ended",
        NUMBER,
        "normalClearing",
        customer.pk,
        1,
    )
    assert (answered - rang).total_seconds() == 10 and (ended - answered).total_seconds() == 110
    contact = Contact.objects.get(external_id="cti:c1")
    assert contact.status == Status.CLOSED and contact.customer_id == customer.pk
    assert ContactEvent.objects.filter(contact=contact, kind="call_ended").count() == 1


def test_an_unknown_number_is_kept_as_typed(cti: Cti) -> None:
    body = cti.post(URL, ring(**{"from": "anonymous"})).json_body
    assert body["call"]["number"] == "" and body["call"]["from_raw"] == "anonymous"
    assert body["call"]["customer_id"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"event": "ringing", "call_id": "x"}, "event"),
        ({"event": "newCall"}, "call_id"),
        ({"event": "newCall", "call_id": ""}, "call_id"),
        ({"event": "newCall", "call_id": "x", "direction": "sideways"}, "direction"),
        ({"event": "answer", "call_id": "x"}, "user"),
        ({"event": "answer", "call_id": "x", "user": "nobody-here"}, "user"),
        ({"event": "newCall", "call_id": "x", "at": "yesterday"}, "at"),
        ({"event": "newCall", "call_id": "x", "from": "0" * 101}, "from"),
    ],
)
def test_bad_input_is_422_and_stores_nothing(cti: Cti, agent: User, body: dict[str, Any], field: str) -> None:
    response = cti.post(URL, body)
    assert response.status_code == 422, response.json_body
    assert field in str(response.json_body["detail"][0]["loc"])
    assert response.json_body["detail"][0]["msg"]
    assert not Call.objects.exists() and not CallEvent.objects.exists()


def test_the_token_needs_the_cti_scope(agent: User) -> None:
    other = ApiClient(token_create(user=agent, scopes=["contacts:write"])[1])
    assert other.post(URL, ring()).status_code == 403
    reader = ApiClient(token_create(user=agent, scopes=["cti:read"])[1])
    assert reader.post(URL, ring()).status_code == 403
    writer = ApiClient(token_create(user=agent, scopes=["cti:write"])[1])
    assert writer.post(URL, ring()).status_code == 201
    assert reader.get("/api/cti/calls/c1").status_code == 200
    assert ApiClient(None).post(URL, ring("c2")).status_code == 401


def test_a_person_without_a_desk_role_may_not_send_events(make_user: Any) -> None:
    user = make_user("dept", "department")
    response = ApiClient(token_create(user=user)[1]).post(URL, ring())
    assert response.status_code == 403
    assert not Call.objects.exists()
