"""The public contact form's intake (issue 15): a post from /contact/, its embeddable variant, or
POST /api/webform becomes a contact on channel `webform`, recognised from the e-mail address and phone
number like any other contact, with the customer's files, and a confirmation mail through a mailbox.

`webform_submit` checks everything before it writes anything, and writes everything in one
transaction: a refused post (a missing field, a 1 MB message, a file that is a program, too many posts
from one address) leaves nothing behind, and an accepted one is never half-stored. A post that filled
in the honeypot (a field people never see) is answered as if it were taken, and opens nothing."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gezien.contacts.attachments import attachment_max_bytes, attachment_store, too_big
from gezien.contacts.filetypes import ACTIVE_CONTENT, RISKY_EXTENSIONS, content_type_decide
from gezien.contacts.models import Channel, Contact
from gezien.contacts.services import clean_text, contact_arrived_as, contact_open
from gezien.core.errors import DomainError, Invalid
from gezien.customers.identities import InvalidIdentity, normalise
from gezien.mail.outgoing import confirm_form
from gezien.webforms.models import FormSubmission

NAME_CHARS = 100
SUBJECT_CHARS = 200
LANGUAGES = ("nl", "en")
VIA = ("form", "embed", "api")
WINDOW = timedelta(hours=1)


class TooMany(DomainError):
    """Too many posts from one client address within the hour."""

    status_code = 429


@dataclass(frozen=True)
class Upload:
    """A file as it came with the post."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Submitted:
    contact: Contact | None  # None: the honeypot caught it (answered as if taken)
    confirmation_sent: bool


# Characters no one types on purpose in a name, a subject or a message: control characters (but tab
# and line breaks in the message) and the invisible ones that turn text around (bidi overrides).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _plain(value: Any, field: str, *, multiline: bool = False) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(_("Dit veld moet tekst zijn."), field=field)
    kept = "\t\n\r" if multiline else ""
    text = "".join(
        ch
        for ch in unicodedata.normalize("NFC", value)
        if ch in kept or (unicodedata.category(ch) != "Cc" and ch not in _BIDI)
    )
    return text if multiline else " ".join(text.split())


def client_mark(address: str) -> str:
    """A keyed hash of the client's address: enough to count its posts, never the address itself."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"webform:{address}".encode(), hashlib.sha256).hexdigest()


def _identities(email: str, phone: str) -> list[tuple[str, str]]:
    found = []
    for kind, raw in (("email", email), ("phone", phone)):
        if not raw:
            continue
        try:
            found.append((kind, normalise(kind, raw).value))
        except InvalidIdentity:
            message = (
                _("Dit e-mailadres klopt niet; controleer het even.")
                if kind == "email"
                else _("Dit telefoonnummer klopt niet; controleer het even.")
            )
            raise Invalid(message, field=kind) from None
    if not found:
        raise Invalid(
            _("Vul uw e-mailadres of uw telefoonnummer in, zodat wij u kunnen antwoorden."), field="email"
        )
    return found


def _check_files(files: Sequence[Upload]) -> list[Upload]:
    limit = settings.GEZIEN_WEBFORM_MAX_FILES
    if len(files) > limit:
        raise Invalid(
            ngettext("U kunt %(n)d bestand meesturen.", "U kunt hoogstens %(n)d bestanden meesturen.", limit)
            % {"n": limit},
            field="attachments",
        )
    checked = []
    for upload in files:
        data = upload.data
        if not isinstance(data, bytes | bytearray | memoryview):
            raise Invalid(_("Een bijlage moet een bestand zijn."), field="attachments")
        if len(data) > attachment_max_bytes():
            raise Invalid(too_big(len(data)).message, field="attachments")
        if not data:
            raise Invalid(
                _("Het bestand %(name)s is leeg.") % {"name": str(upload.filename)[:80]}, field="attachments"
            )
        name = _plain(upload.filename, "attachments")[:255] or "bestand"
        kind = content_type_decide(bytes(data), str(upload.content_type or ""), name)
        ext = name.rpartition(".")[2].lower() if "." in name else ""
        if kind in ACTIVE_CONTENT or ext in RISKY_EXTENSIONS:
            raise Invalid(
                _("Het bestand %(name)s is een programma of webpagina; zulke bestanden nemen wij niet aan.")
                % {"name": name[:80]},
                field="attachments",
            )
        checked.append(Upload(name, str(upload.content_type or ""), bytes(data)))
    return checked


def _rate_check(client: str, now: datetime) -> None:
    if not client:
        return
    recent = FormSubmission.objects.filter(client=client, created_at__gte=now - WINDOW).count()
    if recent >= settings.GEZIEN_WEBFORM_MAX_PER_HOUR:
        raise TooMany(
            _(
                "U heeft ons het afgelopen uur al een paar berichten gestuurd. "
                "Probeer het later nog eens, of bel ons."
            ),
            field=None,
        )


def webform_submit(
    *,
    name: Any,
    email: Any = "",
    phone: Any = "",
    subject: Any,
    message: Any,
    files: Sequence[Upload] = (),
    client_address: str = "",
    language: str = "nl",
    via: str = "form",
    honeypot: Any = "",
) -> Submitted:
    """Take one post of the contact form. Raises `Invalid` (422, the field at fault, in Dutch) or
    `TooMany` (429) and writes nothing then; else opens the contact, stores the files and queues the
    confirmation, all in one transaction."""
    language = language if language in LANGUAGES else "nl"
    via = via if via in VIA else "form"
    client = client_mark(client_address) if client_address else ""
    now = timezone.now()
    if honeypot:  # a robot filled in the field people never see: counted, answered, nothing opened
        with transaction.atomic():
            _rate_check(client, now)
            FormSubmission.objects.create(client=client, language=language, via=via, caught=True)
        return Submitted(None, False)

    name = _plain(name, "name")
    if not name:
        raise Invalid(_("Vul uw naam in."), field="name")
    if len(name) > NAME_CHARS:
        raise Invalid(_("Een naam is hoogstens %(n)d tekens.") % {"n": NAME_CHARS}, field="name")
    email = _plain(email, "email")
    phone = _plain(phone, "phone")
    if len(email) > 320 or len(phone) > 40:
        field = "email" if len(email) > 320 else "phone"
        raise Invalid(_("Dit veld is te lang."), field=field)
    identities = _identities(email, phone)
    subject = _plain(subject, "subject")
    if not subject:
        raise Invalid(_("Vul een onderwerp in."), field="subject")
    if len(subject) > SUBJECT_CHARS:
        raise Invalid(_("Een onderwerp is hoogstens %(n)d tekens.") % {"n": SUBJECT_CHARS}, field="subject")
    text = _plain(message, "message", multiline=True).strip()
    if not text:
        raise Invalid(_("Schrijf ons uw vraag of opmerking."), field="message")
    limit = settings.GEZIEN_WEBFORM_MAX_CHARS
    if len(text) > limit:
        raise Invalid(
            _(
                "Uw bericht is te lang: %(n)d tekens, hoogstens %(max)d. "
                "Maak het korter of stuur de rest als bijlage."
            )
            % {"n": len(text), "max": limit},
            field="message",
        )
    clean_text(text, field="message")
    uploads = _check_files(files)

    with transaction.atomic():
        _rate_check(client, now)
        opened = contact_open(channel=Channel.WEBFORM, identities=identities, text=text, subject=subject)
        contact = opened.contact
        contact_arrived_as(contact, name=name, address=email or phone)
        first = opened.messages[0] if opened.messages else None
        for upload in uploads:
            attachment_store(
                contact=contact,
                data=upload.data,
                filename=upload.filename,
                content_type=upload.content_type,
                message=first,
            )
        FormSubmission.objects.create(
            contact=contact,
            name=name,
            email=email,
            phone=phone,
            language=language,
            via=via,
            client=client,
        )
        confirmation = None
        if email:
            confirmation = confirm_form(contact, to=dict(identities)["email"], name=name, language=language)
    return Submitted(contact, confirmation is not None)


def submissions_forget(now: datetime) -> int:
    """The periodic job: drop the client marks of posts older than the rate limit's hour (the
    submission itself stays with its contact); caught posts go altogether."""
    old = FormSubmission.objects.filter(created_at__lt=now - WINDOW)
    caught, _kinds = old.filter(caught=True).delete()
    cleared = old.exclude(client="").update(client="")
    return caught + cleared
