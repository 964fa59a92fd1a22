"""/api/contacts/{id}/attachments and /api/attachments/{id} (issue 14): upload, list, download."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.client import encode_multipart
from django.test.utils import CaptureQueriesContext

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.contacts.attachments import attachment_store
from gezien.contacts.models import Attachment, Contact
from gezien.contacts.services import contact_open, message_add
from tests.attachment_data import HTML, PDF, PNG
from tests.conftest import ApiClient

BOUNDARY = "grens-7MA4YWxkTrZu0gW"
NO_FILE = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhallo\r\n--{BOUNDARY}--\r\n'.encode()
)


@pytest.fixture
def contact(db: None) -> Contact:
    return contact_open(
        channel="email", identities=[("email", "annie@example.nl")], text="Zie bijlage"
    ).contact


def _upload(api: ApiClient, contact_id: int, files: dict[str, Any], **extra: Any) -> Any:
    """A real multipart/form-data body, as a browser or curl -F sends it."""
    response = api.client.post(
        f"/api/contacts/{contact_id}/attachments",
        data=encode_multipart(BOUNDARY, files),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        **api.headers,
        **extra,
    )
    response.json_body = response.json() if response["Content-Type"].startswith("application/json") else None
    return response


class Named:
    """A file to upload, with the name and type the client claims."""

    def __init__(self, data: bytes, name: str, content_type: str) -> None:
        import io

        self.file = io.BytesIO(data)
        self.name = name
        self.content_type = content_type

    def read(self, *args: Any) -> bytes:
        return self.file.read(*args)


def test_an_agent_uploads_lists_and_downloads(api: ApiClient, contact: Contact, agent: User) -> None:
    uploaded = _upload(api, contact.pk, {"file": Named(PNG, "schermafdruk fout.png", "text/html")})
    assert uploaded.status_code == 201, uploaded.content
    body = uploaded.json_body
    assert body["filename"] == "schermafdruk fout.png"
    assert body["content_type"] == "image/png"  # what the bytes are, not what was claimed
    assert body["size"] == len(PNG)
    assert (body["linked"], body["message_id"]) == (False, None)
    assert body["uploaded_by"] == agent.username
    assert body["url"].endswith(f"/api/attachments/{body['id']}")
    listed = api.get(f"/api/contacts/{contact.pk}/attachments").json_body
    assert [item["id"] for item in listed] == [body["id"]]
    download = api.client.get(f"/api/attachments/{body['id']}", **api.headers)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == (
        "attachment; filename=\"schermafdruk fout.png\"; filename*=UTF-8''schermafdruk%20fout.png"
    )


def test_a_download_is_always_a_download_and_never_a_page(api: ApiClient, contact: Contact) -> None:
    page = attachment_store(contact=contact, data=HTML, filename="Factuur één.html", content_type="text/html")
    download = api.client.get(f"/api/attachments/{page.pk}", **api.headers)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment;")
    assert f"filename*=UTF-8''{quote('Factuur één.html')}" in download["Content-Disposition"]
    assert 'filename="Factuur een.html"' in download["Content-Disposition"]  # the ASCII fallback
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(download.streaming_content) == HTML


def test_the_thread_lists_each_messages_attachments(api: ApiClient, contact: Contact) -> None:
    message = message_add(contact=contact, author="customer", text="Hier is de foto")
    attachment_store(contact=contact, message=message, data=PNG, filename="foto.png", inline=True)
    attachment_store(contact=contact, data=PDF, filename="concept.pdf")  # not linked: in the list only
    body = api.get(f"/api/contacts/{contact.pk}").json_body
    first, second = body["messages"]
    assert first["attachments"] == []
    (shown,) = second["attachments"]
    assert (shown["filename"], shown["content_type"], shown["inline"]) == ("foto.png", "image/png", True)
    assert second["text"] == "Hier is de foto"  # the existing fields stay
    assert api.get(f"/api/messages/{message.pk}").json_body["attachments"][0]["id"] == shown["id"]
    listed = api.get(f"/api/contacts/{contact.pk}/attachments").json_body
    assert [(a["filename"], a["linked"]) for a in listed] == [("foto.png", True), ("concept.pdf", False)]


def test_reading_a_thread_does_not_grow_queries_with_attachments(api: ApiClient, contact: Contact) -> None:
    # One attachment to start from: a thread without any skips reading them (contact_with_thread)
    first = message_add(contact=contact, author="customer", text="Bijlage")
    attachment_store(contact=contact, message=first, data=PDF, filename="eerste.pdf")
    api.get(f"/api/contacts/{contact.pk}")  # the token is remembered from here on
    with CaptureQueriesContext(connection) as few:
        api.get(f"/api/contacts/{contact.pk}")
    for i in range(5):
        message = message_add(contact=contact, author="customer", text=f"Bijlage {i}")
        attachment_store(contact=contact, message=message, data=PDF, filename=f"{i}.pdf")
    with CaptureQueriesContext(connection) as many:
        body = api.get(f"/api/contacts/{contact.pk}").json_body
    assert len(many) == len(few)
    assert sum(len(m["attachments"]) for m in body["messages"]) == 6


def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(
    api: ApiClient, contact: Contact, attachment_files: Path
) -> None:
    big = _upload(api, contact.pk, {"file": Named(b"\0" * (26 * 1000 * 1000), "film.mp4", "video/mp4")})
    assert big.status_code == 422
    assert "te groot" in big.json_body["detail"][0]["msg"]
    assert "25 MB" in big.json_body["detail"][0]["msg"]
    assert not Attachment.objects.exists()
    assert not [path for path in attachment_files.rglob("*") if path.is_file()]


def test_the_limit_is_a_setting(api: ApiClient, contact: Contact, settings: Any) -> None:
    settings.GEZIEN_ATTACHMENT_MAX_BYTES = len(PDF)
    assert _upload(api, contact.pk, {"file": Named(PDF, "a.pdf", "application/pdf")}).status_code == 201
    refused = _upload(api, contact.pk, {"file": Named(PDF + b" ", "b.pdf", "application/pdf")})
    assert refused.status_code == 422
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"file": "aGFsbG8="}', "application/json"),  # not multipart at all
        (
            b"--x\r\nContent-Disposition: form-data; name=file\r\n\r\nno end",
            "multipart/form-data",
        ),  # no boundary
        (b"garbage without any part", f"multipart/form-data; boundary={BOUNDARY}"),
        (
            NO_FILE,
            f"multipart/form-data; boundary={BOUNDARY}",
        ),  # no file in it
    ],
)
def test_malformed_uploads_are_refused_with_a_clear_error(
    api: ApiClient, contact: Contact, body: bytes, content_type: str
) -> None:
    response = api.client.post(
        f"/api/contacts/{contact.pk}/attachments", data=body, content_type=content_type, **api.headers
    )
    assert response.status_code in (400, 422)
    assert response.json()["detail"][0]["msg"]
    assert not Attachment.objects.exists()


def test_two_files_or_an_empty_one_are_refused(api: ApiClient, contact: Contact) -> None:
    two = _upload(api, contact.pk, {"file": [Named(PDF, "a.pdf", ""), Named(PNG, "b.png", "")]})
    assert two.status_code == 422
    empty = _upload(api, contact.pk, {"file": Named(b"", "leeg.txt", "text/plain")})
    assert empty.status_code == 422
    assert "leeg" in empty.json_body["detail"][0]["msg"]
    assert not Attachment.objects.exists()


def test_odd_file_names_arrive_safe(api: ApiClient, contact: Contact) -> None:
    names = {
        "../../etc/passwd": "passwd.txt",  # no extension: the one of what it is
        "con.txt": "_con.txt",
        "zon 🌞 één.txt": "zon 🌞 één.txt",
        "fac\x00tuur.txt": "factuur.txt",
    }
    for sent, kept in names.items():
        body = _upload(api, contact.pk, {"file": Named(b"tekst\n", sent, "text/plain")}).json_body
        assert body["filename"] == kept
    long = _upload(api, contact.pk, {"file": Named(b"tekst\n", "x" * 300 + ".txt", "text/plain")}).json_body
    assert len(long["filename"]) <= 150 and long["filename"].endswith(".txt")


def test_only_people_who_may_see_the_contact_get_anything(
    contact: Contact, make_user: Callable[..., User], api: ApiClient
) -> None:
    attachment = attachment_store(contact=contact, data=PDF, filename="contract.pdf")
    owner = make_user("afdeling", "department")  # a department owner reads no contacts
    outsider = ApiClient(token_create(user=owner)[1])
    for path in (f"/api/attachments/{attachment.pk}", f"/api/contacts/{contact.pk}/attachments"):
        refused = outsider.get(path)
        assert refused.status_code == 404
        assert refused.json_body["detail"][0]["type"] == "NotFound"
    upload = _upload(outsider, contact.pk, {"file": Named(PDF, "x.pdf", "application/pdf")})
    assert upload.status_code == 404
    unknown = api.get("/api/attachments/987654")
    assert (unknown.status_code, unknown.json_body["detail"][0]["type"]) == (404, "NotFound")
    assert api.get("/api/attachments/abc").status_code == 404
    anonymous = Client().get(f"/api/attachments/{attachment.pk}")
    assert anonymous.status_code == 401
    assert Attachment.objects.count() == 1


def test_a_missing_file_is_a_clear_404(api: ApiClient, contact: Contact) -> None:
    attachment = attachment_store(contact=contact, data=PDF, filename="weg.pdf")
    attachment.file.storage.delete(attachment.file.name)
    response = api.get(f"/api/attachments/{attachment.pk}")
    assert response.status_code == 404
    assert "ontbreekt" in response.json_body["detail"][0]["msg"]
