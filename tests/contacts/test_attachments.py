"""Attachments (issue 14): the storage service every channel uses, with real bytes and a real storage."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gezien.contacts import attachments as attachments_module
from gezien.contacts.attachments import (
    attachment_store,
    attachments_link,
    attachments_orphans_daily,
    attachments_orphans_remove,
    filename_safe,
    size_human,
)
from gezien.contacts.filetypes import content_type_decide, served_content_type
from gezien.contacts.models import Attachment, Contact
from gezien.contacts.services import contact_open, message_add
from gezien.core.errors import Invalid
from tests.attachment_data import (
    DOCX,
    EML,
    EXE,
    GIF,
    HEIC,
    HTML,
    JPEG,
    MP3,
    PDF,
    PNG,
    SVG,
    WAV,
    WEBP,
    XLSX,
    ZIP,
)


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
        ("\ufeffKlantnummer;naam\r\n12;Jansen\r\n".encode("utf-16-le"), "text/csv", "text/csv"),  # Notepad
        ("\ufeff<html><script>x</script>".encode("utf-16-le"), "text/plain", "text/html"),
        (b"MZ-nummer 12345 staat op de brief.\n", "", "text/plain"),  # text, not a program
        (b"\xff\xfb\x90\x64" + b"\x00" * 60, "", "audio/mpeg"),  # an MP3 without an ID3 tag
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


def test_a_file_is_stored_with_its_checks(attachment_files: Path, contact: Contact, agent: Any) -> None:
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
    (path,) = _stored(attachment_files)
    assert path.read_bytes() == PNG
    assert path.is_relative_to(attachment_files / "attachments" / str(contact.pk))
    assert "schermafdruk" not in path.name  # stored under a name of our own
    with attachment.file.open("rb") as handle:
        assert handle.read() == PNG


def test_a_file_over_the_limit_is_refused_without_a_trace(
    attachment_files: Path, contact: Contact, settings: Any
) -> None:
    settings.GEZIEN_ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(Invalid) as refused:
        attachment_store(contact=contact, data=b"x" * 1001, filename="groot.txt")
    assert "te groot" in refused.value.message
    assert refused.value.field == "file"
    assert not Attachment.objects.exists()
    assert _stored(attachment_files) == []
    attachment_store(contact=contact, data=b"x" * 1000, filename="precies.txt")  # the limit itself is fine


def test_26_mb_is_refused_by_default(attachment_files: Path, contact: Contact) -> None:
    with pytest.raises(Invalid, match="25 MB"):
        attachment_store(contact=contact, data=b"\0" * (26 * 1000 * 1000), filename="film.mp4")
    assert not Attachment.objects.exists()
    assert _stored(attachment_files) == []


def test_an_empty_file_and_another_contacts_message_are_refused(
    attachment_files: Path, contact: Contact
) -> None:
    with pytest.raises(Invalid, match="leeg"):
        attachment_store(contact=contact, data=b"", filename="leeg.txt")
    other = contact_open(channel="email", identities=[("email", "b@example.nl")], text="Hoi").contact
    with pytest.raises(Invalid):
        attachment_store(contact=contact, message=other.messages.get(), data=PDF, filename="x.pdf")
    assert not Attachment.objects.exists()
    assert _stored(attachment_files) == []


def test_a_rolled_back_transaction_removes_the_file(attachment_files: Path, contact: Contact) -> None:
    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        message = message_add(contact=contact, author="customer", text="Zie de bijlage")
        attachment_store(contact=contact, message=message, data=PDF, filename="offerte.pdf")
        assert len(_stored(attachment_files)) == 1
        raise Refused
    assert not Attachment.objects.exists()
    assert _stored(attachment_files) == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_file_stays_and_a_rolled_back_one_goes(attachment_files: Path) -> None:
    contact = contact_open(channel="email", identities=[("email", "c@example.nl")], text="Hallo").contact
    kept = attachment_store(contact=contact, data=PDF, filename="blijft.pdf")
    with pytest.raises(RuntimeError), transaction.atomic():
        with transaction.atomic():  # committed to the savepoint, then the outer transaction rolls back
            attachment_store(contact=contact, data=JPEG, filename="gaat.jpg")
        raise RuntimeError
    (path,) = _stored(attachment_files)
    assert path.read_bytes() == PDF
    assert default_storage.exists(kept.file.name)
    assert list(Attachment.objects.values_list("filename", flat=True)) == ["blijft.pdf"]


def test_html_and_executables_are_stored_as_what_they_are(attachment_files: Path, contact: Contact) -> None:
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


@pytest.mark.django_db(transaction=True)
def test_a_deleted_attachment_or_contact_takes_its_files_along(attachment_files: Path) -> None:
    contact = contact_open(channel="email", identities=[("email", "d@example.nl")], text="Hallo").contact
    one = attachment_store(contact=contact, data=PDF, filename="een.pdf")
    attachment_store(contact=contact, message=contact.messages.get(), data=PNG, filename="twee.png")
    with pytest.raises(RuntimeError), transaction.atomic():
        Attachment.objects.filter(pk=one.pk).delete()
        raise RuntimeError  # a delete that rolls back keeps the file
    assert len(_stored(attachment_files)) == 2
    one.delete()
    assert len(_stored(attachment_files)) == 1
    contact.delete()
    assert _stored(attachment_files) == []


def test_files_no_attachment_names_are_swept_when_old(
    attachment_files: Path, contact: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not swept yet today in this process (a tick test on the same worker may have run the job).
    monkeypatch.setattr(attachments_module, "_last_sweep", {})
    kept = attachment_store(contact=contact, data=PDF, filename="blijft.pdf")
    folder = attachment_files / "attachments" / str(contact.pk)
    left = folder / "achtergebleven.pdf"  # as a process that stopped before its commit leaves it
    left.write_bytes(PDF)
    young = folder / "net-geschreven.pdf"  # a file whose row may be committing right now
    young.write_bytes(PDF)
    hour_ago = time.time() - 2 * 3600
    os.utime(left, (hour_ago, hour_ago))
    os.utime(attachment_files / kept.file.name, (hour_ago, hour_ago))
    assert attachments_orphans_remove() == 1
    assert sorted(path.name for path in _stored(attachment_files)) == sorted(
        [Path(kept.file.name).name, "net-geschreven.pdf"]
    )
    assert attachments_orphans_daily(timezone.now()) == 0  # the job: once a day
    assert attachments_orphans_daily(timezone.now()) is None


@pytest.mark.usefixtures("outgoing_mailbox")  # the replies on this e-mail contact leave as mails
def test_uploaded_files_are_linked_to_the_reply_once(
    attachment_files: Path, contact: Contact, agent: Any
) -> None:
    first = attachment_store(contact=contact, data=PDF, filename="offerte.pdf", uploaded_by=agent)
    second = attachment_store(contact=contact, data=PNG, filename="foto.png", uploaded_by=agent)
    other = contact_open(channel="email", identities=[("email", "e@example.nl")], text="Hoi").contact
    elsewhere = attachment_store(contact=other, data=PDF, filename="ander.pdf")
    reply = message_add(contact=contact, author="agent", agent=agent, text="Zie de bijlagen")
    with pytest.raises(Invalid, match=str(elsewhere.pk)):
        attachments_link(contact=contact, message=reply, attachment_ids=[first.pk, elsewhere.pk])
    assert not Attachment.objects.filter(message=reply).exists()  # nothing linked
    linked = attachments_link(contact=contact, message=reply, attachment_ids=[second.pk, first.pk, second.pk])
    assert [a.filename for a in linked] == ["foto.png", "offerte.pdf"]
    assert set(reply.attachments.values_list("pk", flat=True)) == {first.pk, second.pk}
    later = message_add(contact=contact, author="agent", agent=agent, text="Nog eens")
    with pytest.raises(Invalid):  # already sent
        attachments_link(contact=contact, message=later, attachment_ids=[first.pk])
    assert attachments_link(contact=contact, message=later, attachment_ids=[]) == []
