"""Privacy tests: one customer with every kind of data the desk keeps, and a look through the whole
database and the data folders for what should be gone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from gezien.accounts.models import User
from gezien.chat.services import message_send, session_start, widget_create
from gezien.contacts.attachments import attachment_store
from gezien.contacts.handling import contact_set_status
from gezien.contacts.models import Contact, Message, Status
from gezien.contacts.services import TranscriptTurn, contact_open, message_add
from gezien.customers.models import Customer
from gezien.customers.services import detail_add
from gezien.insights.surveys.links import survey_token
from gezien.insights.surveys.models import SurveyInvitation
from gezien.insights.surveys.services import survey_answer, survey_invite
from gezien.mail.intake import ingest
from gezien.mail.models import Mailbox
from gezien.webforms.services import Upload, webform_submit
from tests.attachment_data import PDF, WAV

NAME = "Jansen"
EMAIL = "a.jansen@ziggo.nl"
PHONES = ("0612345678", "+31612345678", "06-12345678")
PHRASE = "zwanenbloesemtaart"  # in a message of every channel, and nowhere else
# Files whose bytes name the customer (the checks look at the header; the rest is the content).
PDF_OF = PDF + f"% Annie {NAME} {PHRASE}\n".encode()
WAV_OF = WAV + f"Annie {NAME} {PHRASE}".encode()


@dataclass
class Loaded:
    customer: Customer
    mail_contact: Contact
    call_contact: Contact
    chat_contact: Contact
    form_contact: Contact
    mail_folder: Path
    files_folder: Path


def raw_mail(text: str, *, with_pdf: bool = True) -> bytes:
    mail = EmailMessage()
    mail["From"] = f"Annie {NAME} <{EMAIL}>"
    mail["To"] = "klantenservice@gezien.example"
    mail["Subject"] = f"Factuur klopt niet ({PHRASE})"
    mail["Message-ID"] = "<vraag-1@ziggo.nl>"
    mail.set_content(text)
    if with_pdf:
        mail.add_attachment(PDF_OF, maintype="application", subtype="pdf", filename=f"factuur-{NAME}.pdf")
    return mail.as_bytes()


def load_everything(customer: Customer, agent: User, mailbox: Mailbox, files: Path, tmp: Path) -> Loaded:
    """Mail with attachment and an agent's reply by mail, a call with a recording and a transcript, a
    chat, a web form, a survey with a comment, a promise and a note."""
    ingest(mailbox, raw_mail(f"Beste mensen, mijn {PHRASE} is niet geleverd. Groet, Annie {NAME}"))
    mail_contact = Contact.objects.get(channel="email")
    message_add(contact=mail_contact, author="agent", agent=agent, text=f"Beste mevrouw {NAME}, sorry!")
    message_add(
        contact=mail_contact, author="agent", kind="note", agent=agent, text=f"{NAME} belt vaak; {PHRASE}"
    )
    call = contact_open(
        channel="phone",
        identities=[("phone", PHONES[2])],
        transcript=[
            TranscriptTurn("agent", "Goedemorgen, u spreekt met Sanne."),
            TranscriptTurn("customer", f"Met Annie {NAME}, ik bel over de {PHRASE}, bel me op {PHONES[0]}."),
        ],
        actor=agent,
    ).contact
    attachment_store(contact=call, data=WAV_OF, filename=f"opname-{NAME}.wav", content_type="audio/wav")
    contact_set_status(contact=call, status=Status.CLOSED, actor=agent)
    invitation = SurveyInvitation.objects.filter(contact=call).first() or survey_invite(contact=call)
    survey_answer(token=survey_token(invitation), score=3, comment=f"De {PHRASE} was op, {NAME} boos")
    widget = widget_create(name="Winkel", allowed_origins=["https://winkel.example"], secret="geheim").widget
    session = session_start(
        widget=widget, name=f"Annie {NAME}", email=EMAIL, client_address="192.0.2.7"
    ).session
    message_send(session=session, text=f"Hallo, waar blijft mijn {PHRASE}?")
    session.refresh_from_db()
    chat_contact = session.contact
    assert chat_contact is not None
    form = webform_submit(
        name=f"Annie {NAME}",
        email=EMAIL,
        phone=PHONES[0],
        subject="Klacht",
        message=f"Via het formulier: de {PHRASE} is kapot.",
        files=[Upload(f"foto-{NAME}.pdf", "application/pdf", PDF_OF)],
        client_address="192.0.2.8",
    )
    assert form.contact is not None
    detail_add(
        customer=customer,
        kind="promise",
        text=f"{NAME} terugbellen",
        due_at=timezone.now() + timedelta(days=2),
    )
    detail_add(customer=customer, kind="note", text=f"Houdt van {PHRASE}")
    return Loaded(
        customer,
        mail_contact,
        call,
        chat_contact,
        form.contact,
        Path(mailbox.smtp_url[len("file://") :]),
        files,
    )


def database_dump() -> str:
    """Every row of every table as text, lower-cased: what `iterdump` or `pg_dump` would show of it."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 -- a table name
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        out.append(bytes(value).decode("latin-1"))
                    elif value is not None:
                        out.append(str(value))
    return "\n".join(out).lower()


def folder_text(*folders: Path) -> str:
    out = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.append(path.name)
                out.append(path.read_bytes().decode("latin-1"))
    return "\n".join(out).lower()


NEEDLES = (NAME.lower(), EMAIL, *PHONES, PHRASE, "ziggo", "1234ab")


def found_in(text: str) -> list[str]:
    return [needle for needle in NEEDLES if needle.lower() in text]


@pytest.fixture
def loaded(
    customer: Customer, agent: User, outgoing_mailbox: Mailbox, attachment_files: Path, tmp_path: Path
) -> Any:
    return load_everything(customer, agent, outgoing_mailbox, attachment_files, tmp_path)


def message_count() -> int:
    return Message.objects.count()
