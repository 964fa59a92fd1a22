"""Privacy in the desk: the download and the erasure (with its confirm step and a second manager) on the
customer page, and "Onleesbaar maken" on a message."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gezien.contacts.models import Message
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer

pytestmark = pytest.mark.django_db


def _signed_in(client: Client, make_user: Callable[..., Any], name: str, role: str) -> Client:
    client.force_login(make_user(name, role))
    return client


def test_managers_see_download_and_erase_on_the_customer_page(
    customer: Customer, client: Client, make_user: Callable[..., Any]
) -> None:
    manager = _signed_in(client, make_user, "baas", "manager")
    page = manager.get(f"/customers/{customer.pk}/").content.decode()
    assert f"/customers/{customer.pk}/export/" in page and f"/customers/{customer.pk}/erase/" in page
    download = manager.get(f"/customers/{customer.pk}/export/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "manifest.json" in archive.namelist()


def test_agents_and_team_leads_see_neither(
    customer: Customer, client: Client, make_user: Callable[..., Any]
) -> None:
    lead = _signed_in(client, make_user, "lead", "teamlead")
    assert 'data-testid="privacy"' not in lead.get(f"/customers/{customer.pk}/").content.decode()
    assert lead.get(f"/customers/{customer.pk}/export/").status_code == 403
    assert lead.get(f"/customers/{customer.pk}/erase/").status_code == 403
    assert lead.post(f"/customers/{customer.pk}/erase/", {"confirm": "yes"}).status_code == 403
    assert Customer.objects.get(pk=customer.pk).last_name == "Jansen"


def test_erasing_needs_the_confirm_step(
    customer: Customer, client: Client, make_user: Callable[..., Any]
) -> None:
    contact_open(channel="phone", identities=[("phone", "06-12345678")], text="Met Annie Jansen")
    manager = _signed_in(client, make_user, "baas", "manager")
    page = manager.get(f"/customers/{customer.pk}/erase/").content.decode()
    assert "1 contact" in page and "Definitief wissen" in page

    refused = manager.post(f"/customers/{customer.pk}/erase/", follow=True)
    assert "Vink aan" in refused.content.decode()
    assert Customer.objects.get(pk=customer.pk).last_name == "Jansen"

    done = manager.post(f"/customers/{customer.pk}/erase/", {"confirm": "yes"}, follow=True)
    assert 'data-testid="erased"' in done.content.decode()
    assert Customer.objects.get(pk=customer.pk).last_name == ""
    assert set(Message.objects.values_list("text", flat=True)) == {"[verwijderd]"}


def test_with_two_approvers_a_second_manager_approves_in_the_desk(
    customer: Customer, make_user: Callable[..., Any], settings: Any
) -> None:
    settings.GEZIEN_ERASE_APPROVERS = 2
    first, second = Client(), Client()
    first.force_login(make_user("eerste", "manager"))
    second.force_login(make_user("tweede", "manager"))
    asked = first.post(f"/customers/{customer.pk}/erase/", {"confirm": "yes"}, follow=True).content.decode()
    assert 'data-testid="pending"' in asked and 'data-testid="approve"' not in asked  # not one's own
    assert Customer.objects.get(pk=customer.pk).last_name == "Jansen"
    shown = second.get(f"/customers/{customer.pk}/erase/").content.decode()
    assert 'data-testid="approve"' in shown
    second.post(f"/customers/{customer.pk}/erase/approve/")
    assert Customer.objects.get(pk=customer.pk).last_name == ""


def test_an_agent_redacts_part_of_a_message(customer: Customer, desk: Client) -> None:
    contact = contact_open(
        channel="chat", identities=[("phone", "06-12345678")], text="Mijn pincode is 4321, help"
    ).contact
    message = Message.objects.get(contact=contact)
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert f"/desk/messages/{message.pk}/redact/" in page and "Onleesbaar maken" in page

    answer = desk.post(f"/desk/messages/{message.pk}/redact/", {"text": "4321"})

    assert answer.status_code == 302 and answer["Location"].endswith(f"#message-{message.pk}")
    assert Message.objects.get(pk=message.pk).text == "Mijn pincode is [verwijderd], help"
    again = desk.post(f"/desk/messages/{message.pk}/redact/", {"text": "4321"}, follow=True)
    assert "Deze tekst staat niet in het bericht." in again.content.decode()
