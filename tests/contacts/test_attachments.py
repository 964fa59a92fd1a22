"""Attachments (issue 14): the storage service every channel uses, with real bytes and a real storage."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from gezien.contacts.attachments import (
    attachment_store,
    content_type_decide,
    filename_safe,
    served_content_type,
    size_human,
)
from gezien.contacts.models import Attachment, Contact
from gezien.contacts.services import contact_open, message_add
from gezien.core.errors import Invalid

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
WAV = (
    b"RIFF$\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00D\xac\x00\x00\x88X\x01\x00\x02\x00\x10\x00"
    b"data\x00\x00\x00\x00"
)
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 16
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + b"\x00" * 32
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
EML = (
    b"Received: from mx.example.nl\r\nFrom: Annie <a@example.nl>\r\nTo: klantenservice@example.nl\r\n"
    b"Subject: Factuur\r\n\r\nZie bijlage.\r\n"
)


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ZIP = _zip({"foto.jpg": JPEG, "brief.pdf": PDF})


@pytest.fixture
def files(settings: Any, tmp_path: Path) -> Path:
    """The default storage in a folder of this test's own (the setting's signal resets the storage)."""
    location = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    return location


@pytest.fixture
def contact(db: None) -> Contact:
    return contact_open(
        channel="email", identities=[("email", "annie@example.nl")], text="Zie bijlage"
    ).contact


def _stored(location: Path) -> list[Path]:
    return [path for path in location.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        (PNG, "text/html", "image/png"),  # the claim is contradicted by the bytes
        (PNG, "", "image/png"),
        (JPEG, "application/pdf", "image/jpeg"),
        (PDF, "image/png", "application/pdf"),
        (GIF, "", "image/gif"),
        (WEBP, "", "image/webp"),
        (HEIC, "application/octet-stream", "image/heic"),
        (WAV, "", "audio/wav"),
        (MP3, "", "audio/mpeg"),
        (DOCX, "application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (XLSX, "", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (ZIP, "application/pdf", "application/zip"),
        (EML, "text/plain", "message/rfc822"),
        (b"Goedemiddag,\nmijn pakket is niet bezorgd.\n", "image/png", "text/plain"),
        ("Één regel met ë en ĳ\n".encode(), "", "text/plain"),
        (b"nummer;bedrag\n1;12,50\n", "text/csv", "text/csv"),  # the bytes cannot contradict text/csv
        (HTML, "text/plain", "text/html"),
        (SVG, "image/png", "image/svg+xml"),
        (EXE, "application/pdf", "application/x-msdownload"),
        (b"\x00\x01\x02\x03garbage\xfe", "text/html", "application/octet-stream"),
    ],
)
def test_the_content_type_comes_from_the_bytes(data: bytes, declared: str, expected: str) -> None:
    assert content_type_decide(data, declared) == expected


@pytest.mark.parametrize(
    ("content_type", "served"),
    [
        ("image/png", "image/png"),
        ("application/pdf", "application/pdf"),
        ("text/plain", "text/plain"),
        ("text/html", "application/octet-stream"),
        ("image/svg+xml", "application/octet-stream"),
        ("application/xml", "application/octet-stream"),
        ("application/x-msdownload", "application/octet-stream"),
        ("text/x-shellscript", "application/octet-stream"),
        ("application/x-something-else", "application/octet-stream"),
    ],
)
def test_what_a_browser_could_run_is_served_as_octet_stream(content_type: str, served: str) -> None:
    assert served_content_type(content_type) == served


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system.ini", "system.ini"),
        ("con.txt", "_con.txt"),
        ("LPT1", "_LPT1"),
        ("aux.tar.gz", "_aux.tar.gz"),
        ("fac\x00tuur.pdf", "factuur.pdf"),
        ("regel\r\nBcc: x@y.nl.pdf", "regel Bcc_ x@y.nl.pdf"),
        ("\u202egnp.exe", "gnp.exe"),  # a right-to-left override would disguise the extension
        ("Overeenkomst één – café ĳs.docx", "Overeenkomst één – café ĳs.docx"),
        ("vakantie 🏖️.jpg", "vakantie 🏖️.jpg"),
        ("..", "bijlage"),
        ("", "bijlage"),
        ("  .verborgen  ", "verborgen"),
        ('a<b>c:d"e|f?g*.txt', "a_b_c_d_e_f_g_.txt"),
    ],
)
def test_file_names_are_made_safe(name: str, safe: str) -> None:
    assert filename_safe(name) == safe


def test_a_long_file_name_keeps_its_extension() -> None:
    safe = filename_safe("é" * 300 + ".pdf")
    assert len(safe) == 150
    assert safe.endswith("é.pdf")


def test_a_name_without_an_extension_gets_one_from_the_type() -> None:
    assert filename_safe("", content_type="image/png") == "bijlage.png"


def test_sizes_read_in_the_readers_language() -> None:
    from django.utils import translation

    with translation.override("nl"):
        assert size_human(1_400) == "1,4 kB"
        assert size_human(25_000_000) == "25 MB"
    with translation.override("en"):
        assert size_human(1_400) == "1.4 kB"
        assert size_human(1) == "1 byte"


def test_a_file_is_stored_with_its_checks(files: Path, contact: Contact, agent: Any) -> None:
    message = contact.messages.get()
    attachment = attachment_store(
        contact=contact,
        message=message,
        data=PNG,
        filename="../../schermafdruk.png",
        content_type="text/html",
        uploaded_by=agent,
    )
    attachment.refresh_from_db()
    assert attachment.filename == "schermafdruk.png"
    assert attachment.content_type == "image/png"
    assert attachment.size == len(PNG)
    assert attachment.sha256 == hashlib.sha256(PNG).hexdigest()
    assert attachment.message == message
    assert attachment.uploaded_by == agent
    (path,) = _stored(files)
    assert path.read_bytes() == PNG
    assert path.is_relative_to(files / "attachments" / str(contact.pk))
    assert "schermafdruk" not in path.name  # stored under a name of our own
    with attachment.file.open("rb") as handle:
        assert handle.read() == PNG


def test_a_file_over_the_limit_is_refused_without_a_trace(
    files: Path, contact: Contact, settings: Any
) -> None:
    settings.GEZIEN_ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(Invalid) as refused:
        attachment_store(contact=contact, data=b"x" * 1001, filename="groot.txt")
    assert "te groot" in refused.value.message
    assert refused.value.field == "file"
    assert not Attachment.objects.exists()
    assert _stored(files) == []
    attachment_store(contact=contact, data=b"x" * 1000, filename="precies.txt")  # the limit itself is fine


def test_26_mb_is_refused_by_default(files: Path, contact: Contact) -> None:
    with pytest.raises(Invalid, match="25 MB"):
        attachment_store(contact=contact, data=b"\0" * (26 * 1000 * 1000), filename="film.mp4")
    assert not Attachment.objects.exists()
    assert _stored(files) == []


def test_an_empty_file_and_another_contacts_message_are_refused(files: Path, contact: Contact) -> None:
    with pytest.raises(Invalid, match="leeg"):
        attachment_store(contact=contact, data=b"", filename="leeg.txt")
    other = contact_open(channel="email", identities=[("email", "b@example.nl")], text="Hoi").contact
    with pytest.raises(Invalid):
        attachment_store(contact=contact, message=other.messages.get(), data=PDF, filename="x.pdf")
    assert not Attachment.objects.exists()
    assert _stored(files) == []


def test_a_rolled_back_transaction_removes_the_file(files: Path, contact: Contact) -> None:
    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        message = message_add(contact=contact, author="customer", text="Zie de bijlage")
        attachment_store(contact=contact, message=message, data=PDF, filename="offerte.pdf")
        assert len(_stored(files)) == 1
        raise Refused
    assert not Attachment.objects.exists()
    assert _stored(files) == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_file_stays_and_a_rolled_back_one_goes(files: Path) -> None:
    contact = contact_open(channel="email", identities=[("email", "c@example.nl")], text="Hallo").contact
    kept = attachment_store(contact=contact, data=PDF, filename="blijft.pdf")
    with pytest.raises(RuntimeError), transaction.atomic():
        with transaction.atomic():  # committed to the savepoint, then the outer transaction rolls back
            attachment_store(contact=contact, data=JPEG, filename="gaat.jpg")
        raise RuntimeError
    (path,) = _stored(files)
    assert path.read_bytes() == PDF
    assert default_storage.exists(kept.file.name)
    assert list(Attachment.objects.values_list("filename", flat=True)) == ["blijft.pdf"]


def test_html_and_executables_are_stored_as_what_they_are(files: Path, contact: Contact) -> None:
    page = attachment_store(
        contact=contact, data=HTML, filename="factuur.html", content_type="application/pdf"
    )
    program = attachment_store(
        contact=contact, data=EXE, filename="factuur.pdf.exe", content_type="application/pdf"
    )
    assert (page.content_type, served_content_type(page.content_type)) == (
        "text/html",
        "application/octet-stream",
    )
    assert program.content_type == "application/x-msdownload"
    assert served_content_type(program.content_type) == "application/octet-stream"


def _storages_with(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The settings as a fresh process reads them from `env`."""
    code = "import json; from gezien.config import settings as s; print(json.dumps(s.STORAGES['default']))"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "GEZIEN_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_files_are_kept_under_the_data_folder_or_in_an_s3_bucket(tmp_path: Path) -> None:
    local = _storages_with({}, tmp_path)
    assert json.loads(local.stdout)["OPTIONS"]["location"] == str(tmp_path / "files")
    s3 = _storages_with(
        {
            "GEZIEN_STORAGE": "s3",
            "GEZIEN_S3_BUCKET": "gezien-bijlagen",
            "GEZIEN_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            "GEZIEN_S3_ACCESS_KEY_ID": "minio",
            "GEZIEN_S3_SECRET_ACCESS_KEY": "geheim",
        },
        tmp_path,
    )
    storage = json.loads(s3.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "gezien-bijlagen"
    assert storage["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert storage["OPTIONS"]["access_key"] == "minio"
    assert storage["OPTIONS"]["default_acl"] is None  # private: served only through the desk
    refused = _storages_with({"GEZIEN_STORAGE": "s3"}, tmp_path)
    assert refused.returncode != 0
    assert "GEZIEN_S3_BUCKET" in refused.stderr
