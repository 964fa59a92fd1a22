"""In a real Chromium: a customer fills in the contact form, an agent sees the contact in the desk's
queue, and a webhook receiver on 127.0.0.1 gets the signed contact.created."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.contacts.models import Contact
from gezien.webhooks.services import subscription_add
from tests.browser import browser_context as dutch_context
from tests.browser import skip_without_chromium
from tests.webhooks.conftest import SECRET, Receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

skip_without_chromium()

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser_context(live_server: Any) -> Iterator[Any]:
    with dutch_context(live_server.url) as context:
        yield context


def test_a_customer_fills_in_the_form_and_the_agent_sees_it_in_the_queue(
    browser_context: Any, make_user: Callable[..., User], receiver: Receiver
) -> None:
    make_user("sanne", "agent")
    subscription_add(url=receiver.url, events=["contact.created"], secret=SECRET)

    customer = browser_context.new_page()
    customer.goto("/contact/")
    customer.fill("#wf-name", "Piet de Boer")
    customer.fill("#wf-email", "piet.deboer@example.nl")
    customer.fill("#wf-subject", "Storing sinds vanochtend")
    customer.fill("#wf-message", "Mijn internet valt steeds weg. Kunt u helpen?")
    customer.set_input_files(
        "#wf-attachments", files=[{"name": "router.txt", "mimeType": "text/plain", "buffer": b"lampje rood"}]
    )
    customer.click("[data-testid=webform-submit]")
    customer.wait_for_url("**/contact/thanks/?lang=nl")
    assert "Bedankt voor uw bericht" in customer.inner_text("[data-testid=webform-thanks]")
    # A field left empty is named in Dutch, and what was typed stays.
    customer.goto("/contact/")
    customer.fill("#wf-name", "Piet de Boer")
    customer.fill("#wf-subject", "Nog een vraag")
    customer.fill("#wf-message", "Zonder adres")
    customer.click("[data-testid=webform-submit]")
    assert "Vul uw e-mailadres of uw telefoonnummer in" in customer.inner_text("[data-testid=webform-error]")
    assert customer.input_value("#wf-message") == "Zonder adres"

    contact = Contact.objects.get()
    assert contact.channel == "webform" and contact.attachments.get().filename == "router.txt"

    agent = browser_context.new_page()
    agent.goto("/desk/")
    agent.fill("input[name=username]", "sanne")
    agent.fill("input[name=password]", "geheim-wachtwoord-1")
    agent.click("button[type=submit]")
    agent.wait_for_url("**/desk/")
    row = agent.locator(f"[data-testid=queue] a[href='/desk/contacts/{contact.pk}/']")
    assert row.count() >= 1
    assert "Storing sinds vanochtend" in agent.inner_text("[data-testid=queue]")

    [got] = receiver.wait_for(1)
    assert got.signature_ok
    assert got.json["data"]["contact"]["channel"] == "webform"
