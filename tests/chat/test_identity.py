"""Signed identities: the website's HMAC-SHA256 of its customer id or e-mail under the widget's secret
recognises the customer at once; a wrong signature is refused; a typed address proves nothing."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import pytest

from gezien.chat.identity import identity_hash, identity_valid, secret_env_name
from gezien.chat.models import ChatSession, ChatWidget
from gezien.contacts.models import Contact, Recognition
from gezien.customers.identities import normalise
from gezien.customers.services import identity_attach
from tests.chat.conftest import Visitor

SECRET = "s3cret-van-de-winkel"


def _sign(value: str, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()  # as the website does


def test_the_hash_is_hmac_sha256_hex() -> None:
    assert identity_hash("k", "klant-42") == _sign("klant-42", "k")


def test_a_signed_email_recognises_the_customer_at_once(visitor: Visitor, customer: Any) -> None:
    started = visitor.start(identity={"email": "A.Jansen@Ziggo.nl", "hash": _sign("A.Jansen@Ziggo.nl")})
    assert started.status_code == 201
    session = ChatSession.objects.get()
    assert session.verified and (session.identity_kind, session.identity_value) == (
        "email",
        "a.jansen@ziggo.nl",
    )
    visitor.say("Hallo, met Annie")
    contact = Contact.objects.get()
    assert contact.recognition == Recognition.RECOGNISED and contact.customer == customer


def test_a_signed_customer_id_recognises_by_the_chat_identity(visitor: Visitor, customer: Any) -> None:
    identity_attach(customer=customer, identity=normalise("chat", "klant-42"), actor=None)
    visitor.start(identity={"user_id": "klant-42", "hash": _sign("klant-42").upper()})  # hex in any case
    visitor.say("Hoi")
    assert Contact.objects.get().customer == customer


@pytest.mark.parametrize(
    "identity",
    [
        {"email": "a.jansen@ziggo.nl", "hash": _sign("iemand@anders.nl")},
        {"user_id": "klant-42", "hash": _sign("klant-42", "een-ander-geheim")},
        {"user_id": "klant-42", "hash": "niet-hex-€"},
    ],
)
def test_a_wrong_signature_is_403_and_makes_no_session(visitor: Visitor, identity: dict[str, str]) -> None:
    response = visitor.start(identity=identity)
    assert response.status_code == 403
    assert response.body["detail"][0]["loc"] == ["body", "identity.hash"]
    assert not ChatSession.objects.exists()


def test_an_identity_needs_one_value_and_a_hash(visitor: Visitor) -> None:
    both = {"user_id": "1", "email": "a@b.nl", "hash": _sign("1")}
    assert visitor.start(identity=both).status_code == 422
    assert visitor.start(identity={"user_id": "1"}).status_code == 422


def test_the_secret_may_come_from_the_environment(widget: ChatWidget, monkeypatch: Any) -> None:
    widget.secret = ""
    assert not identity_valid(widget, "klant-42", _sign("klant-42", ""))  # no secret: nothing is valid
    monkeypatch.setenv(secret_env_name(widget.key), "uit-de-omgeving")
    assert identity_valid(widget, "klant-42", _sign("klant-42", "uit-de-omgeving"))
    assert secret_env_name("ab-C.d") == "GEZIEN_CHAT_SECRET_AB_C_D"


def test_a_typed_email_of_a_known_customer_is_not_recognised(visitor: Visitor, customer: Any) -> None:
    visitor.start(name="Annie", email="a.jansen@ziggo.nl")
    visitor.say("Hallo")
    contact = Contact.objects.get()
    assert contact.recognition == Recognition.UNIDENTIFIED
    assert contact.identity_value == "a.jansen@ziggo.nl"  # kept for the agent, who may link the customer
    assert contact.identity_raw == "Annie <a.jansen@ziggo.nl>"


def test_after_the_chat_closes_the_survey_rules_apply(
    visitor: Visitor, customer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from gezien.insights.surveys.models import SurveyInvitation, SurveySkip

    visitor.start(identity={"email": "a.jansen@ziggo.nl", "hash": _sign("a.jansen@ziggo.nl")})
    with django_capture_on_commit_callbacks(execute=True):
        visitor.say("Dank je, het werkt weer!")
    with django_capture_on_commit_callbacks(execute=True):
        assert visitor.call("post", "/close").status_code == 200
    invitation = SurveyInvitation.objects.get()
    assert invitation.contact == Contact.objects.get() and invitation.customer == customer

    anonymous = Visitor(visitor.widget, address="198.51.100.9")
    anonymous.start(name="Onbekend")
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.say("Hallo")
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.call("post", "/close")
    assert SurveySkip.objects.get().reason == "unidentified"  # the same rule as on any channel
