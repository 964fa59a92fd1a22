"""Attachments in the desk (issue 14): the thread shows them, the download is for who may see the contact."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gezien.accounts.models import User
from gezien.contacts.attachments import attachment_store
from gezien.contacts.models import Attachment, Contact
from gezien.contacts.services import contact_open, message_add
from tests.attachment_data import HTML, PDF, PNG, SVG


@pytest.fixture
def contact(db: None) -> Contact:
    return contact_open(
        channel="email", identities=[("email", "annie@example.nl")], text="Foto erbij"
    ).contact


def _attach(contact: Contact, data: bytes, filename: str, **kwargs: object) -> Attachment:
    message = contact.messages.get(author="customer") if "message" not in kwargs else kwargs.pop("message")
    return attachment_store(contact=contact, message=message, data=data, filename=filename, **kwargs)  # type: ignore[arg-type]


def test_the_thread_shows_each_messages_attachments(desk: Client, contact: Contact) -> None:
    photo = _attach(contact, PNG, "kapotte router.png", inline=True)
    invoice = _attach(contact, PDF * 40, "factuur maart.pdf")
    drawing = _attach(contact, SVG, "tekening.svg")
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    for attachment in (photo, invoice, drawing):
        assert f'href="/desk/attachments/{attachment.pk}/"' in page
    assert "kapotte router.png" in page and "factuur maart.pdf" in page
    assert "1,8 kB" in page  # the size in Dutch (1800 bytes)
    assert f'<img class="thumb" src="/desk/attachments/{photo.pk}/"' in page  # through the download only
    assert f'src="/desk/attachments/{drawing.pk}/"' not in page  # SVG never as an image
    assert f'src="/desk/attachments/{invoice.pk}/"' not in page
    assert page.count('data-testid="attachment-risky"') == 1  # the SVG: it could act as a web page
    _attach(contact, b'WScript.Echo "hallo"\n', "factuur.pdf.vbs")  # text, but Windows runs it
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert page.count('data-testid="attachment-risky"') == 2


def test_sizes_read_in_english_for_english_readers(desk: Client, contact: Contact, agent: User) -> None:
    _attach(contact, PDF * 40, "invoice.pdf")
    page = desk.get(f"/desk/contacts/{contact.pk}/", headers={"accept-language": "en"}).content.decode()
    assert "1.8 kB" in page


def test_a_file_name_is_escaped_in_the_thread(desk: Client, contact: Contact) -> None:
    _attach(contact, b"tekst\n", "O'Brien & zn <b>.txt")
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert "O&#x27;Brien &amp; zn _b_.txt" in page
    assert "O'Brien &" not in page


def test_the_contact_page_does_not_grow_queries_with_attachments(desk: Client, contact: Contact) -> None:
    # One attachment first: a thread without any reads none (one look says so), with one or many the same.
    _attach(contact, PDF, "eerste.pdf", message=contact.messages.first())
    desk.get(f"/desk/contacts/{contact.pk}/")  # the first page of a visit also notes that the agent is in
    with CaptureQueriesContext(connection) as few:
        desk.get(f"/desk/contacts/{contact.pk}/")
    for i in range(6):
        message = message_add(contact=contact, author="customer", text=f"Nog een foto {i}")
        _attach(contact, PNG, f"foto {i}.png", message=message)
        _attach(contact, PDF, f"bon {i}.pdf", message=message)
    with CaptureQueriesContext(connection) as many:
        page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert len(many) == len(few)
    assert page.count('data-testid="attachment-link"') == 13


def test_the_download_is_always_a_download(desk: Client, contact: Contact) -> None:
    photo = _attach(contact, PNG, "foto één.png", content_type="text/html")
    response = desk.get(f"/desk/attachments/{photo.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Length"] == str(len(PNG))
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"foto een.png\"; filename*=UTF-8''{quote('foto één.png')}"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_an_html_file_is_served_as_an_octet_stream_download(desk: Client, contact: Contact) -> None:
    page = _attach(contact, HTML, "bevestiging.html", content_type="text/html")
    response = desk.get(f"/desk/attachments/{page.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_only_people_who_may_see_the_contact_download(
    client: Client, contact: Contact, make_user: Callable[..., User]
) -> None:
    photo = _attach(contact, PNG, "foto.png")
    anonymous = client.get(f"/desk/attachments/{photo.pk}/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login")
    client.force_login(make_user("afdeling", "department"))  # a department owner reads no contacts
    assert client.get(f"/desk/attachments/{photo.pk}/").status_code == 404
    client.force_login(make_user("leider", "teamlead"))
    assert client.get(f"/desk/attachments/{photo.pk}/").status_code == 200
    assert client.get("/desk/attachments/987654/").status_code == 404
    assert client.post(f"/desk/attachments/{photo.pk}/").status_code == 405
