"""The desk side of call events (issue 18): a ringing call's pop-up (the gezien-kaart in brief, or an
unknown number), taking it from the incoming-call page, and the live events a call publishes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gezien.accounts.models import User
from gezien.assist.models import ContactProtocol, Protocol
from gezien.contacts.models import Channel, Contact
from gezien.contacts.services import contact_open
from gezien.core import live
from gezien.customers.models import AddressForm, Customer, DetailKind, RememberedDetail
from gezien.customers.services import customer_create
from gezien.phone.models import Call
from gezien.phone.services import EventIn, cti_event
from gezien.routing.models import RoutingProfile


@pytest.fixture
def widow(db: None) -> Customer:
    customer = customer_create(
        first_name="Johanna", last_name="Jansen", identities=[("phone", "020-6123456")]
    )
    RememberedDetail.objects.create(
        customer=customer, kind=DetailKind.ADDRESSING, text="mevrouw Jansen", register=AddressForm.U
    )
    RememberedDetail.objects.create(
        customer=customer, kind=DetailKind.LIFE_EVENT, text="Haar man Henk is overleden"
    )
    earlier = contact_open(
        channel=Channel.PHONE, identities=[("phone", "020-6123456")], text="Mijn man is overleden."
    )
    ContactProtocol.objects.get_or_create(
        contact=earlier.contact,
        protocol=Protocol.BEREAVEMENT,
        defaults={"started_at": earlier.contact.opened_at},
    )
    return customer


def ring(call_id: str, number: str) -> Call:
    return cti_event(EventIn(event="newCall", call_id=call_id, from_=number, to="0201234567")).call


def test_the_pop_up_shows_the_card_in_brief(desk: Client, widow: Customer) -> None:
    call = ring("w1", "+31 20 612 3456")
    html = desk.get(f"/desk/calls/{call.pk}/popup/").content.decode()
    assert "mevrouw Jansen" in html
    assert "Spreek aan met u" in html
    assert "Protocol: Overlijden" in html and "Haar man Henk is overleden" in html
    assert "Laatste contact" in html
    assert f"/desk/call/?call={call.pk}" in html  # Aannemen
    from gezien.audit.selectors import audit_entries

    seen = [e for e in audit_entries(customer_id=widow.pk) if e.action == "customer.view"]
    assert seen and seen[0].details == {"part": "call_popup"}


def test_an_unknown_number_pops_up_as_such_and_escaped(desk: Client, db: None) -> None:
    call = ring("u1", "<b>06-99</b>")
    html = desk.get(f"/desk/calls/{call.pk}/popup/").content.decode()
    assert "Onbekend nummer" in html
    assert "<b>06-99</b>" not in html and "&lt;b&gt;06-99&lt;/b&gt;" in html


def test_the_pop_up_needs_a_desk_role(client: Client, make_user: Any, db: None) -> None:
    call = ring("r1", "0612345678")
    client.force_login(make_user("dept", "department"))
    assert client.get(f"/desk/calls/{call.pk}/popup/").status_code == 403
    assert Client().get(f"/desk/calls/{call.pk}/popup/").status_code == 302  # to the login page


def test_taking_the_call_from_its_pop_up_opens_its_contact(
    desk: Client, agent: User, widow: Customer
) -> None:
    call = ring("t1", "020-6123456")
    page = desk.get(f"/desk/call/?call={call.pk}").content.decode()
    assert "mevrouw Jansen" in page and 'value="020-6123456"' in page
    response = desk.post("/desk/call/", {"number": "020-6123456", "call": call.pk, "note": ""})
    call.refresh_from_db()
    assert call.state == "answered" and call.agent_id == agent.pk
    assert response.status_code == 302 and response["Location"] == f"/desk/contacts/{call.contact_id}/"
    contact = Contact.objects.get(pk=call.contact_id)
    assert contact.customer_id == widow.pk and contact.assigned_agent_id == agent.pk


def test_a_call_a_colleague_answered_cannot_be_taken(desk: Client, make_user: Any, widow: Customer) -> None:
    ring("t2", "020-6123456")
    colleague = make_user("naomi")
    call = cti_event(EventIn(event="answer", call_id="t2", user=colleague.username)).call
    response = desk.post("/desk/call/", {"number": "020-6123456", "call": call.pk, "note": ""})
    assert response.status_code == 200
    assert "al door een collega aangenomen" in response.content.decode()
    assert Contact.objects.filter(assigned_agent=colleague).count() == 1


def test_a_ringing_call_pops_up_live_for_the_available_phone_agents(
    agent: User,
    make_user: Any,
    widow: Customer,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.utils import timezone

    away = make_user("piet")
    RoutingProfile.objects.update_or_create(user=agent, defaults={"last_seen_at": timezone.now()})
    told: list[tuple[str, str, dict[str, object]]] = []
    monkeypatch.setattr(
        live, "live_publish", lambda topic, event, data, **_: told.append((topic, event, dict(data)))
    )
    monkeypatch.setattr(
        "gezien.phone.live.live_publish",
        lambda topic, event, data, **_: told.append((topic, event, dict(data))),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call = ring("l1", "020-6123456")
    assert (f"agent.{agent.pk}", "call", {"call_id": call.pk, "state": "ringing"}) in told
    assert not any(topic == f"agent.{away.pk}" for topic, _e, _d in told)  # not seen at the desk
    assert ("desk", "call", {"call_id": call.pk, "state": "ringing"}) in told
    told.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cti_event(EventIn(event="answer", call_id="l1", user=agent.username))
    call.refresh_from_db()
    assert (
        f"agent.{agent.pk}",
        "call",
        {"call_id": call.pk, "state": "answered", "contact_id": call.contact_id},
    ) in told


def test_a_desk_page_opened_while_a_call_rings_shows_its_pop_up(
    desk: Client, agent: User, widow: Customer
) -> None:
    from django.utils import timezone

    call = ring("p1", "020-6123456")
    RoutingProfile.objects.update_or_create(user=agent, defaults={"last_seen_at": timezone.now()})
    html = desk.get("/desk/calls/ringing/").content.decode()
    assert f'data-call-id="{call.pk}"' in html and "mevrouw Jansen" in html
    cti_event(EventIn(event="hangup", call_id="p1"))
    assert "data-call-id" not in desk.get("/desk/calls/ringing/").content.decode()


def test_a_call_does_not_ring_on_the_desk_of_someone_on_a_break(
    desk: Client, agent: User, widow: Customer
) -> None:
    from django.utils import timezone

    from gezien.presence.services import state_set

    ring("p2", "020-6123456")
    RoutingProfile.objects.update_or_create(user=agent, defaults={"last_seen_at": timezone.now()})
    assert "data-call-id" in desk.get("/desk/calls/ringing/").content.decode()
    state_set(user=agent, state="break", actor=agent, break_kind="short")
    assert "data-call-id" not in desk.get("/desk/calls/ringing/").content.decode()
