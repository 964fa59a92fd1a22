"""Writes for chat: widgets (admins), and what a visitor does through a widget: start a session, send a
message or a file, say they type or have read, close the chat, ask for its transcript by mail.

The first message opens a `chat` contact through `contacts.services.contact_open` with the session's
identities, so a customer is recognised as on any channel: a signed identity (the website vouched for
it) is recognised at once. An e-mail address a visitor merely typed is kept on the contact as its
identity (shown to the agent, remembered when the agent links the customer) but does not recognise
anyone by itself: in a live chat an agent would otherwise discuss a customer's account with whoever
typed their address.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gezien.accounts.models import Team
from gezien.chat.identity import identity_valid, secret_generate
from gezien.chat.limits import TooBig, rate_check
from gezien.chat.live import customer_typing, message_published, status_tell
from gezien.chat.models import LANGUAGES, ChatSession, ChatWidget
from gezien.chat.selectors import ACCEPTED_TYPES, agent_name, public_messages, token_hash
from gezien.contacts import handling as contact_handling
from gezien.contacts import services as contact_services
from gezien.contacts.attachments import attachment_store, size_human
from gezien.contacts.filetypes import content_type_decide
from gezien.contacts.models import Author, Channel, Contact, Message, Status
from gezien.core.errors import Conflict, Forbidden, Invalid
from gezien.customers.identities import InvalidIdentity, normalise_chat, normalise_email
from gezien.desksettings.store import desk_setting
from gezien.mail.models import Mailbox
from gezien.mail.outgoing import mail_queue, mailbox_for

MAX_ORIGINS = 50
NAME_CHARS = 200

# --- widgets (admins) ------------------------------------------------------------------------------------


def origin_clean(raw: str) -> str:
    """ "https://www.Example.nl/" -> "https://www.example.nl": scheme, host and a port other than the
    default; `Invalid` for anything that is not an http(s) origin."""
    text = str(raw).strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        raise Invalid(
            _("Dit is geen websiteadres als https://www.voorbeeld.nl: %(value)s") % {"value": text[:80]},
            field="allowed_origins",
        )
    try:
        port = parts.port
    except ValueError:
        raise Invalid(
            _("Ongeldige poort in %(value)s") % {"value": text[:80]}, field="allowed_origins"
        ) from None
    default = 443 if parts.scheme == "https" else 80
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def origins_clean(values: Iterable[str]) -> list[str]:
    found: list[str] = []
    for raw in values:
        if str(raw).strip():
            origin = origin_clean(raw)
            if origin not in found:
                found.append(origin)
    if len(found) > MAX_ORIGINS:
        raise Invalid(_("Hooguit %(n)d websites.") % {"n": MAX_ORIGINS}, field="allowed_origins")
    return found


def _languages(values: Iterable[str]) -> list[str]:
    found = [v for v in dict.fromkeys(str(v).strip().lower() for v in values) if v]
    if not found or any(v not in LANGUAGES for v in found):
        raise Invalid(_("Talen: nl en/of en."), field="languages")
    return found


def _limits(fields: dict[str, Any]) -> None:
    bounds = {
        "session_rate": (1, 600),
        "address_rate": (1, 1_000_000),
        "max_message_chars": (1, settings.GEZIEN_MAX_MESSAGE_CHARS),
        "max_file_bytes": (1, int(getattr(settings, "GEZIEN_ATTACHMENT_MAX_BYTES", 25_000_000))),
    }
    for name, (low, high) in bounds.items():
        value = fields.get(name)
        if value is not None and not (isinstance(value, int) and low <= value <= high):
            raise Invalid(
                _("Een getal van %(low)d tot en met %(high)d.") % {"low": low, "high": high}, field=name
            )


@dataclass(frozen=True)
class WidgetMade:
    widget: ChatWidget
    secret: str  # shown once; "" when the environment holds it


def _widget_fields(
    *,
    name: str | None,
    allowed_origins: Iterable[str] | None,
    languages: Iterable[str] | None,
    greeting: str | None,
    greeting_en: str | None,
    **rest: Any,
) -> dict[str, Any]:
    fields: dict[str, Any] = {k: v for k, v in rest.items() if v is not None}
    if name is not None:
        name = " ".join(str(name).split())
        if not name or len(name) > 100:
            raise Invalid(_("Geef de widget een naam (hooguit 100 tekens)."), field="name")
        fields["name"] = name
    if allowed_origins is not None:
        fields["allowed_origins"] = origins_clean(allowed_origins)
    if languages is not None:
        fields["languages"] = _languages(languages)
    for field, value in (("greeting", greeting), ("greeting_en", greeting_en)):
        if value is not None:
            text = str(value).strip()
            if len(text) > 300:
                raise Invalid(_("Een begroeting is hooguit 300 tekens."), field=field)
            fields[field] = text
    _limits(fields)
    return fields


@transaction.atomic
def widget_create(
    *,
    name: str,
    allowed_origins: Iterable[str] = (),
    team: Team | None = None,
    mailbox: Mailbox | None = None,
    greeting: str = "",
    greeting_en: str = "",
    languages: Iterable[str] = LANGUAGES,
    session_rate: int | None = None,
    address_rate: int | None = None,
    max_message_chars: int | None = None,
    max_file_bytes: int | None = None,
    active: bool = True,
    key: str | None = None,
    secret: str | None = None,
) -> WidgetMade:
    """A new widget with a fresh public key and secret (the secret is returned once, to be shown once;
    `secret=""`: the environment will hold it)."""
    fields = _widget_fields(
        name=name,
        allowed_origins=allowed_origins,
        languages=languages,
        greeting=greeting,
        greeting_en=greeting_en,
        session_rate=session_rate,
        address_rate=address_rate,
        max_message_chars=max_message_chars,
        max_file_bytes=max_file_bytes,
    )
    key = key or secrets.token_urlsafe(12)
    if ChatWidget.objects.filter(key=key).exists():
        raise Conflict(_("Deze sleutel is al in gebruik."), field="key")
    secret = secret_generate() if secret is None else secret
    widget = ChatWidget.objects.create(
        key=key, secret=secret, team=team, mailbox=mailbox, active=bool(active), **fields
    )
    return WidgetMade(widget, secret)


@transaction.atomic
def widget_update(
    *,
    widget: ChatWidget,
    name: str | None = None,
    allowed_origins: Iterable[str] | None = None,
    team: Team | bool | None = False,
    mailbox: Mailbox | bool | None = False,
    greeting: str | None = None,
    greeting_en: str | None = None,
    languages: Iterable[str] | None = None,
    session_rate: int | None = None,
    address_rate: int | None = None,
    max_message_chars: int | None = None,
    max_file_bytes: int | None = None,
    active: bool | None = None,
) -> ChatWidget:
    """Change what is given (`team`/`mailbox`: False leaves it, None clears it)."""
    fields = _widget_fields(
        name=name,
        allowed_origins=allowed_origins,
        languages=languages,
        greeting=greeting,
        greeting_en=greeting_en,
        session_rate=session_rate,
        address_rate=address_rate,
        max_message_chars=max_message_chars,
        max_file_bytes=max_file_bytes,
        active=active,
    )
    if team is not False:
        fields["team"] = team
    if mailbox is not False:
        fields["mailbox"] = mailbox
    for field, value in fields.items():
        setattr(widget, field, value)
    widget.save()
    return widget


@transaction.atomic
def widget_secret_renew(*, widget: ChatWidget) -> str:
    """A new secret (the old one stops signing at once); returned to be shown once."""
    widget.secret = secret_generate()
    widget.save(update_fields=["secret", "updated_at"])
    return widget.secret


# --- a visitor's session ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionStarted:
    session: ChatSession
    token: str


def _identity(widget: ChatWidget, identity: dict[str, Any] | None) -> tuple[str, str] | None:
    """The identity the website signed, normalised; `Forbidden` when the signature is wrong."""
    if not identity:
        return None
    user_id, email, given = identity.get("user_id"), identity.get("email"), identity.get("hash")
    if not given or not (user_id or email) or (user_id and email):
        raise Invalid(_("Geef user_id of email, met hash."), field="identity")
    value = str(user_id if user_id else email)
    if not identity_valid(widget, value, str(given)):
        raise Forbidden(_("De ondertekening van deze identiteit klopt niet."), field="identity.hash")
    try:
        found = normalise_chat(value) if user_id else normalise_email(value)
    except InvalidIdentity as exc:
        raise Invalid(exc.message, field="identity") from None
    return found.kind, found.value


def session_start(
    *,
    widget: ChatWidget,
    language: str = "nl",
    name: str = "",
    email: str = "",
    page_url: str = "",
    identity: dict[str, Any] | None = None,
    client_address: str | None = None,
) -> SessionStarted:
    """A new chat session: the token is returned here once and kept only as its hash."""
    if language not in LANGUAGES:
        raise Invalid(_("Taal: nl of en."), field="language")
    verified = _identity(widget, identity)
    name = " ".join(str(name or "").split())[:NAME_CHARS]
    email_value = ""
    if email:
        try:
            email_value = normalise_email(str(email)).value
        except InvalidIdentity as exc:
            raise Invalid(exc.message, field="email") from None
    if verified is not None and verified[0] == "email":
        email_value = verified[1]
    token = secrets.token_urlsafe(32)
    session = ChatSession.objects.create(
        widget=widget,
        token_hash=token_hash(token),
        name=name,
        email=email_value,
        language=language,
        page_url=str(page_url or "")[:1000],
        verified=verified is not None,
        identity_kind=verified[0] if verified else "",
        identity_value=verified[1] if verified else "",
        client_address=client_address,
    )
    return SessionStarted(session, token)


def _text(widget: ChatWidget, text: Any, *, allow_empty: bool = False) -> str:
    if not isinstance(text, str):
        raise Invalid(_("De tekst moet tekst zijn."), field="text")
    if len(text) > widget.max_message_chars:
        raise TooBig(
            _("Dit bericht is te lang: %(n)d tekens, maximaal %(max)d.")
            % {"n": len(text), "max": widget.max_message_chars},
            field="text",
        )
    return contact_services.clean_text(text, allow_empty=allow_empty)


def _open(session: ChatSession, text: str) -> tuple[Contact, Message | None]:
    """The first message: the chat contact, recognised from the signed identity."""
    identities = [(session.identity_kind, session.identity_value)] if session.verified else []
    opened = contact_services.contact_open(
        channel=Channel.CHAT, identities=identities, text=text, team=session.widget.team
    )
    contact = opened.contact
    if not session.verified and (session.email or session.name):
        # Typed, not proven: shown to the agent ("Binnengekomen als"), and an e-mail address kept as the
        # contact's identity (linking the customer remembers it), recognising nobody.
        contact_services.contact_arrived_as(contact, name=session.name, address=session.email)
        if session.email:
            fields = {"identity_kind": "email", "identity_value": session.email}
            Contact.objects.filter(pk=contact.pk).update(**fields)
            for field, value in fields.items():
                setattr(contact, field, value)
    session.contact = contact
    session.told_status = contact.status
    session.save(update_fields=["contact", "told_status"])
    first = opened.messages[0] if opened.messages else None
    return contact, first


def _customer_says(session: ChatSession, text: str) -> tuple[ChatSession, Message]:
    """Store the customer's message (one at a time per session): the first opens the contact."""
    locked = ChatSession.objects.select_for_update(of=("self",)).select_related("widget", "contact")
    session = locked.get(pk=session.pk)
    if session.contact is None:
        _contact, first = _open(session, text)
        assert first is not None
        return session, first
    return session, contact_services.message_add(contact=session.contact, author=Author.CUSTOMER, text=text)


def _rate(session: ChatSession, client_address: str | None) -> None:
    rate_check("session", str(session.pk), session.widget.session_rate)
    if client_address:
        rate_check("address", client_address, session.widget.address_rate)


@transaction.atomic
def message_send(*, session: ChatSession, text: str, client_address: str | None = None) -> Message:
    """The customer's message: opens the chat contact with the first one, adds to it after that (a
    closed chat opens again, as a customer writing again does on any channel)."""
    _rate(session, client_address)
    body = _text(session.widget, text)
    session, message = _customer_says(session, body)
    message_published(message, session.name)
    status_tell(session)
    return message


def _file_type(widget: ChatWidget, data: bytes, filename: str, content_type: str) -> str:
    if len(data) > widget.max_file_bytes:
        raise TooBig(
            _("Het bestand is te groot (%(size)s); het maximum is %(limit)s.")
            % {"size": size_human(len(data)), "limit": size_human(widget.max_file_bytes)},
            field="file",
        )
    kept = content_type_decide(data, content_type, filename)
    if kept not in ACCEPTED_TYPES:
        raise Invalid(_("Dit soort bestand kan hier niet mee: %(type)s") % {"type": kept}, field="file")
    return kept


@transaction.atomic
def attachment_send(
    *,
    session: ChatSession,
    data: bytes,
    filename: str,
    content_type: str = "",
    text: str = "",
    client_address: str | None = None,
) -> Message:
    """A file from the customer, with its message (the text given, else the file's name)."""
    _rate(session, client_address)
    kept = _file_type(session.widget, data, filename, content_type)
    body = _text(session.widget, text, allow_empty=True).strip() or (str(filename).strip() or _("Bijlage"))
    session, message = _customer_says(session, body[: session.widget.max_message_chars])
    attachment_store(
        contact=message.contact, data=data, filename=filename, content_type=kept, message=message
    )
    message_published(message, session.name)
    status_tell(session)
    return message


def typing_tell(*, session: ChatSession, client_address: str | None = None) -> None:
    """The customer types: the desk shows it (`contact.{id}` typing)."""
    if client_address:
        rate_check("address", client_address, session.widget.address_rate)
    if session.contact_id is not None:
        customer_typing(session.contact_id)


@transaction.atomic
def read_mark(*, session: ChatSession, up_to: int) -> ChatSession:
    """The customer has read the conversation up to message `up_to` (never goes back)."""
    if not isinstance(up_to, int) or up_to < 0:
        raise Invalid(_("up_to is een bericht-id."), field="up_to")
    if session.contact_id is not None and up_to > session.customer_read_up_to:
        if not Message.objects.filter(pk=up_to, contact_id=session.contact_id).exists():
            raise Invalid(_("Dit bericht hoort niet bij dit gesprek."), field="up_to")
        ChatSession.objects.filter(pk=session.pk).update(customer_read_up_to=up_to)
        session.customer_read_up_to = up_to
    return session


@transaction.atomic
def chat_close(*, session: ChatSession) -> Contact | None:
    """The customer ends the chat: its contact closes (the survey rules of a closed contact apply)."""
    if session.contact is None:
        return None
    contact = contact_handling.contact_set_status(contact=session.contact, status=Status.CLOSED)
    session.contact = contact
    status_tell(session)
    return contact


# --- the transcript ----------------------------------------------------------------------------------------


def transcript_text(session: ChatSession) -> str:
    """The conversation as plain text, in the customer's language."""
    assert session.contact_id is not None
    with translation.override(session.language):
        lines = [
            _("Uw chat met %(org)s") % {"org": desk_setting("organisation_name")},
            "",
        ]
        for message in public_messages(session.contact_id):
            when = timezone.localtime(message.sent_at).strftime("%d-%m-%Y %H:%M")
            if message.author == Author.AGENT:
                who = agent_name(message.agent) or _("Medewerker")
            else:
                who = session.name or _("U")
            lines.append(f"[{when}] {who}:")
            lines.extend(message.text.splitlines() or [""])
            for attachment in message.attachments.all():
                lines.append(_("(bijlage: %(name)s)") % {"name": attachment.filename})
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"


@transaction.atomic
def transcript_send(*, session: ChatSession, email: str = "", client_address: str | None = None) -> Message:
    """Mail the conversation to the customer through the widget's mailbox (else the contact's): a
    system message on the contact (the desk shows what was sent), queued as a mail."""
    _rate(session, client_address)
    if session.contact is None:
        raise Conflict(_("Er is nog geen gesprek om te mailen."), field="email")
    address = email or session.email
    if not address:
        raise Invalid(_("Geef een e-mailadres."), field="email")
    try:
        to = normalise_email(str(address)).value
    except InvalidIdentity as exc:
        raise Invalid(exc.message, field="email") from None
    contact = session.contact
    widget = session.widget
    mailbox = widget.mailbox if widget.mailbox is not None and widget.mailbox.active else None
    mailbox = mailbox if mailbox is not None and mailbox.smtp_url else mailbox_for(contact)
    if mailbox is None:
        raise Invalid(
            _("Het transcript kan niet worden gemaild: er is geen mailbox ingesteld."), field="email"
        )
    message = contact_services.message_add(
        contact=contact, author=Author.SYSTEM, text=transcript_text(session)
    )
    mail_queue(message, mailbox=mailbox, to=to)
    return message


@transaction.atomic
def widget_delete(*, widget: ChatWidget) -> None:
    """Remove a widget and its sessions (their tokens stop working); the chats stay as contacts."""
    widget.delete()
