"""A closed chat's survey: the widget shows the link (no e-mail needed), the survey rules still decide
(after the conversation's analysis, so off the request: the link reaches the open widget as a live event),
and a reload shows it again until it is answered."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from django.test import Client

from gezien.contacts.models import Contact
from gezien.core.live import LiveEvent, Subscription, live_bus
from gezien.insights.surveys.links import invitation_for_token
from gezien.insights.surveys.models import SentVia, SkipReason, SurveyInvitation, SurveySkip
from tests.chat.conftest import Visitor

SECRET = "s3cret-van-de-winkel"


@contextmanager
def _heard(topic: str) -> Iterator[list[LiveEvent]]:
    """The events an open stream of `topic` receives in this process while the block runs."""
    loop = asyncio.new_event_loop()
    subscription = loop.run_until_complete(_subscribe(topic))
    heard: list[LiveEvent] = []
    try:
        yield heard
        loop.run_until_complete(asyncio.sleep(0))  # hand over what was delivered from this thread
        while not subscription.queue.empty():
            event = subscription.queue.get_nowait()
            if event is not None:
                heard.append(event)
    finally:
        live_bus().unsubscribe(subscription)
        loop.close()


async def _subscribe(topic: str) -> Subscription:
    return live_bus().subscribe([topic])


def _signed(visitor: Visitor) -> None:
    address = "A.Jansen@Ziggo.nl"
    signature = hmac.new(SECRET.encode(), address.encode(), hashlib.sha256).hexdigest()
    assert visitor.start(identity={"email": address, "hash": signature}).status_code == 201


def test_a_recognised_customer_who_ends_the_chat_gets_the_survey_link_in_the_widget(
    visitor: Visitor, customer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _signed(visitor)
    with django_capture_on_commit_callbacks(execute=True):
        visitor.say("Mijn pakket is nog steeds niet bezorgd, kunt u kijken?")
    contact = Contact.objects.get()
    with _heard(f"chat.{contact.pk}") as heard, django_capture_on_commit_callbacks(execute=True):
        assert visitor.call("post", "/close").status_code == 200
    invitation = SurveyInvitation.objects.get(contact=contact)
    assert invitation.sent_via == SentVia.CHAT and invitation.sent_at is not None

    told = [e.data for e in heard if e.event == "status" and e.data.get("survey_url")]
    link = str(told[-1]["survey_url"])  # the open widget hears of it
    assert urlsplit(link).scheme in ("http", "https")
    assert Client().get(urlsplit(link).path).status_code == 200  # the link opens the survey itself

    again = visitor.call("get", "/messages")  # a reload of the page shows it again
    assert again.body["status"] == "closed"
    closed_again = visitor.call("post", "/close").body["conversation"]
    for shown in (again.body["survey_url"], closed_again["survey_url"]):
        assert invitation_for_token(urlsplit(shown).path.rstrip("/").rsplit("/", 1)[1]) == invitation


def test_no_survey_link_after_a_chat_about_a_bereavement(
    visitor: Visitor, customer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _signed(visitor)
    with django_capture_on_commit_callbacks(execute=True):
        visitor.say("Mijn man is vorige week overleden, ik wil zijn abonnement opzeggen.")
    with django_capture_on_commit_callbacks(execute=True):
        closed = visitor.call("post", "/close")
    assert closed.body["conversation"]["survey_url"] is None
    assert visitor.call("get", "/messages").body["survey_url"] is None
    assert SurveySkip.objects.get().reason == SkipReason.BEREAVEMENT
    assert not SurveyInvitation.objects.exists()


def test_an_anonymous_chat_gets_no_survey(visitor: Visitor, django_capture_on_commit_callbacks: Any) -> None:
    visitor.start()
    with django_capture_on_commit_callbacks(execute=True):
        visitor.say("Hoe laat gaat de winkel open?")
    with django_capture_on_commit_callbacks(execute=True):
        visitor.call("post", "/close")
    assert not SurveyInvitation.objects.exists()
    assert visitor.call("post", "/close").body["conversation"]["survey_url"] is None
    assert visitor.call("get", "/messages").body["survey_url"] is None
