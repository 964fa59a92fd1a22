"""Click-to-call, warm transfer and extensions without a telephone system, with the example hosted
provider's webhooks, and from the desk and the command line (issue 18)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.audit.models import AuditEntry
from gezien.cli import main
from gezien.phone.calling import extension_set
from gezien.phone.models import Call, CallState, Extension
from gezien.phone.services import EventIn, cti_event


def test_no_telephone_system_answers_503_in_dutch(agent: User, api: Any, settings: Any) -> None:
    settings.GEZIEN_CTI_ADAPTER, settings.GEZIEN_CTI_AMI = "", ""
    extension_set(user=agent, extension="201", actor=None)
    response = api.post("/api/cti/calls", {"to": "0612345678"})
    assert response.status_code == 503
    assert "Er is geen telefooncentrale gekoppeld" in response.json()["detail"][0]["msg"]
    assert not Call.objects.exists()


def test_an_agent_without_a_phone_gets_409(agent: User, api: Any, settings: Any) -> None:
    settings.GEZIEN_CTI_AMI = "tcp://gezien:x@127.0.0.1:1"
    response = api.post("/api/cti/calls", {"to": "0612345678"})
    assert response.status_code == 409
    assert response.json()["detail"][0]["msg"].endswith("heeft geen toestel in Gezien.")


def test_a_number_that_is_none_is_422(agent: User, api: Any, settings: Any) -> None:
    settings.GEZIEN_CTI_AMI = "tcp://gezien:x@127.0.0.1:1"
    extension_set(user=agent, extension="201", actor=None)
    response = api.post("/api/cti/calls", {"to": "bel mij"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "to"


def test_an_agent_may_not_ring_a_colleague_s_phone(agent: User, make_user: Any, api: Any) -> None:
    make_user("piet")
    response = api.post("/api/cti/calls", {"to": "0612345678", "user": "piet"})
    assert response.status_code == 403


def test_transfer_without_a_telephone_system_is_503(
    agent: User, make_user: Any, api: Any, settings: Any
) -> None:
    settings.GEZIEN_CTI_ADAPTER, settings.GEZIEN_CTI_AMI = "", ""
    extension_set(user=agent, extension="201", actor=None)
    extension_set(user=make_user("piet"), extension="202", actor=None)
    cti_event(EventIn(event="newCall", call_id="t1", from_="0612345678"))
    cti_event(EventIn(event="answer", call_id="t1", user="sanne"))
    response = api.post("/api/cti/calls/t1/transfer", {"to_user": "piet"})
    assert response.status_code == 503
    assert Call.objects.get(call_id="t1").contact.assigned_agent_id == agent.pk


def test_extensions_are_set_by_an_administrator_only(make_user: Any, api_as: Any, agent: User) -> None:
    admin, plain = api_as("admin"), api_as("agent")
    assert plain.call("put", "/api/cti/extensions/sanne", {"extension": "201"}).status_code == 403
    response = admin.call("put", "/api/cti/extensions/sanne", {"extension": "201"})
    assert response.status_code == 200
    assert response.json() == {"user": "sanne", "extension": "201", "interface": "PJSIP/201"}
    make_user("piet")
    taken = admin.call("put", "/api/cti/extensions/piet", {"extension": "201"})
    assert taken.status_code == 409 and "al van" in taken.json()["detail"][0]["msg"]
    bad = admin.call(
        "put", "/api/cti/extensions/piet", {"extension": "202", "interface": "PJSIP/202\r\nAction: Originate"}
    )
    assert bad.status_code == 422
    assert plain.get("/api/cti/extensions").json() == [
        {"user": "sanne", "extension": "201", "interface": "PJSIP/201"}
    ]
    assert admin.delete("/api/cti/extensions/sanne").status_code == 204
    assert not Extension.objects.exists()
    assert AuditEntry.objects.filter(action="extension.update").count() == 1
    assert AuditEntry.objects.filter(action="extension.delete").count() == 1


def test_the_example_provider_s_webhooks_make_a_call(agent: User, api: Any) -> None:
    extension_set(user=agent, extension="201", actor=None)
    ring = {
        "type": "call.ringing",
        "id": "p1",
        "from": "+31612345678",
        "to": "+31201234567",
        "queue": "Service",
    }
    assert api.post("/api/cti/webhook", ring).json()[0]["call"]["state"] == "ringing"
    answered = api.post("/api/cti/webhook", {"type": "call.answered", "id": "p1", "extension": "201"}).json()
    assert answered[0]["call"]["agent"] == "sanne"
    api.post("/api/cti/webhook", {"type": "call.ended", "id": "p1", "reason": "normalClearing"})
    call = Call.objects.get(call_id="p1")
    assert call.state == CallState.ENDED and call.queue == "Service" and call.cause == "normalClearing"
    missed = api.post("/api/cti/webhook", {"type": "call.missed", "id": "p2", "from": "+31612345678"}).json()
    assert missed[0]["call"]["state"] == "abandoned" and missed[0]["call"]["cause"] == "callerHangup"
    assert api.post("/api/cti/webhook", {"type": "call.recording", "id": "p1"}).json() == []


def test_the_extensions_page_sets_and_removes_a_phone(client: Any, make_user: Any, agent: User) -> None:
    admin = make_user("beheer", "admin")
    client.force_login(admin)
    page = client.get("/desk/phone/extensions/").content.decode()
    assert 'data-testid="extension-sanne"' in page and 'data-testid="no-adapter"' in page
    done = client.post(
        f"/desk/phone/extensions/{agent.pk}/", {"extension": "201"}, follow=True
    ).content.decode()
    assert "neemt op met toestel 201" in done
    assert Extension.objects.get(user=agent).interface == "PJSIP/201"
    client.post(f"/desk/phone/extensions/{agent.pk}/", {"extension": ""})
    assert not Extension.objects.exists()


def test_the_contact_of_a_call_going_on_offers_warm_transfer(
    desk: Any, agent: User, make_user: Any, settings: Any
) -> None:
    settings.GEZIEN_CTI_AMI = "tcp://gezien:x@127.0.0.1:1"
    extension_set(user=agent, extension="201", actor=None)
    extension_set(user=make_user("piet"), extension="202", actor=None)
    cti_event(EventIn(event="newCall", call_id="w1", from_="0612345678"))
    call = cti_event(EventIn(event="answer", call_id="w1", user="sanne")).call
    page = desk.get(f"/desk/contacts/{call.contact_id}/").content.decode()
    assert 'data-testid="call-transfer"' in page and "(202)" in page
    # Nobody listens on port 1: the desk says so and the contact stays with the agent.
    piet = User.objects.get(username="piet")
    answer = desk.post(
        f"/desk/calls/{call.pk}/transfer/",
        {"to_user": piet.pk, "next": f"/desk/contacts/{call.contact_id}/"},
        follow=True,
    ).content.decode()
    assert "De telefooncentrale verbond niet door" in answer
    assert Call.objects.get(pk=call.pk).contact.assigned_agent_id == agent.pk


def test_the_command_line_sets_phones_and_refuses_a_call_without_a_system(
    agent: User, capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    settings.GEZIEN_CTI_ADAPTER, settings.GEZIEN_CTI_AMI = "", ""
    assert main(["cti", "extension", "set", "sanne", "201"]) == 0
    assert json.loads(capsys.readouterr().out)["interface"] == "PJSIP/201"
    assert main(["cti", "extension", "list"]) == 0
    assert capsys.readouterr().out.split() == ["sanne", "201", "PJSIP/201"]
    assert main(["cti", "call", "0612345678", "--user", "sanne"]) == 1
    assert "Er is geen telefooncentrale gekoppeld" in capsys.readouterr().err
