"""An outgoing mail as bytes: headers that thread the customer's answer back to the contact, plain text
with an HTML alternative, the mailbox's signature and the reply's attachments."""

from __future__ import annotations

import html
import re
from datetime import datetime
from email import encoders, policy
from email.charset import QP, Charset
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.parser import BytesHeaderParser
from email.utils import format_datetime, formataddr

from django.utils import timezone

from gezien.mail.models import Mailbox, OutgoingMail
from gezien.mailparse import LOOP_HEADER

_REFERENCES_KEPT = 20
_IDS = re.compile(r"<([^<>\s]+)>")


def one_line(text: str) -> str:
    """A header value from any text: no line breaks (no header injection), spaces collapsed."""
    return " ".join(str(text).split())


def reply_subject(subject: str) -> str:
    subject = one_line(subject)
    return subject if re.match(r"(?i)^(re|antw|aw)\s*:", subject) else f"Re: {subject}"


def header_ids(value: str) -> list[str]:
    """The message ids in a References or In-Reply-To header, without the angle brackets."""
    return _IDS.findall(value or "")


def references_of(raw: bytes) -> list[str]:
    """The References of a stored raw mail (its headers only are parsed)."""
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw[:200_000])
    return header_ids(str(headers.get("References", "")))


def thread_references(earlier: list[str], answered: str) -> str:
    """References for an answer to mail `answered` whose own References were `earlier` (RFC 5322 3.6.4),
    the oldest kept first and the newest ones after it, at most `_REFERENCES_KEPT` in all."""
    ids = [i for i in earlier if i != answered] + ([answered] if answered else [])
    if len(ids) > _REFERENCES_KEPT:
        ids = ids[:1] + ids[-(_REFERENCES_KEPT - 1) :]
    return " ".join(ids)


def text_with_signature(text: str, signature: str) -> str:
    text = text.rstrip()
    signature = signature.strip()
    return f"{text}\n\n-- \n{signature}\n" if signature else f"{text}\n"


def text_to_html(text: str, signature: str) -> str:
    """The HTML alternative: the escaped text in paragraphs (line breaks kept), then the signature."""

    def paragraphs(part: str) -> str:
        blocks = [b for b in re.split(r"\n\s*\n", part.strip()) if b.strip()]
        return "\n".join(
            "<p>" + "<br>\n".join(html.escape(line) for line in block.splitlines()) + "</p>"
            for block in blocks
        )

    body = paragraphs(text)
    if signature.strip():
        body += f'\n<div class="signature" style="color:#555">{paragraphs(signature)}</div>'
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head>\n'
        f'<body style="font-family:sans-serif;font-size:14px">\n{body}\n</body></html>\n'
    )


def from_name(outgoing: OutgoingMail) -> str:
    """The From name: "Sanne de Vries via klantenservice" for a reply, the mailbox name for an ack."""
    mailbox: Mailbox = outgoing.mailbox
    agent = outgoing.message.agent
    if agent is not None and outgoing.kind == OutgoingMail.Kind.REPLY:
        return one_line(f"{agent.display_name} via {mailbox.name}")
    return mailbox.name


def _utf8_qp() -> Charset:
    charset = Charset("utf-8")
    charset.body_encoding = QP  # readable in the raw mail, and safe for 7-bit servers
    return charset


_BODY_CHARSET = _utf8_qp()
_CRLF = policy.compat32.clone(linesep="\r\n")


def _part(part: MIMEBase) -> MIMEBase:
    del part["MIME-Version"]  # said once, on the mail itself
    return part


def _text(subtype: str, text: str) -> MIMEBase:
    part = _part(MIMENonMultipart("text", subtype))
    part.set_payload(text, _BODY_CHARSET)
    return part


def _attachment(filename: str, content_type: str, data: bytes) -> MIMEBase:
    maintype, _slash, subtype = (content_type or "").partition("/")
    if not maintype or not subtype or maintype in ("multipart", "message"):
        maintype, subtype = "application", "octet-stream"
    part = _part(MIMEBase(maintype, subtype))
    part.set_payload(data)
    encoders.encode_base64(part)
    name: str | tuple[str, str, str] = filename if filename.isascii() else ("utf-8", "", filename)
    part.add_header("Content-Disposition", "attachment", filename=name)
    return part


def mail_build(outgoing: OutgoingMail, *, now: datetime | None = None) -> bytes:
    """The mail as handed to the SMTP server (CRLF line ends): multipart/alternative (text with the
    signature, and HTML), in a multipart/mixed with the attachments when there are any.

    Built with the email package's compat32 classes: the modern header registry parses every header it
    is given again and took most of the time of a build."""
    message = outgoing.message
    mailbox = outgoing.mailbox
    text = text_with_signature(message.text, mailbox.signature)
    alternative = MIMEMultipart("alternative")
    alternative.attach(_text("plain", text))
    alternative.attach(_text("html", text_to_html(message.text, mailbox.signature)))
    attachments = list(message.attachments.all())  # prefetched by the sender; ordered by the model
    mail: MIMEMultipart = alternative
    if attachments:
        mail = MIMEMultipart("mixed")
        mail.attach(_part(alternative))
        for attachment in attachments:
            with attachment.file.open("rb") as handle:
                data = handle.read()
            mail.attach(_attachment(attachment.filename, attachment.content_type, data))
    mail["From"] = formataddr((from_name(outgoing), mailbox.address), charset="utf-8")
    mail["To"] = outgoing.to_address
    if outgoing.cc:
        mail["Cc"] = ", ".join(outgoing.cc)
    mail["Date"] = format_datetime(timezone.localtime(now or timezone.now()))
    mail["Message-ID"] = f"<{outgoing.header_id}>"
    if outgoing.in_reply_to:
        mail["In-Reply-To"] = f"<{outgoing.in_reply_to}>"
    if outgoing.references:
        mail["References"] = " ".join(f"<{i}>" for i in outgoing.references.split())
    mail["Subject"] = one_line(outgoing.subject)
    if outgoing.kind == OutgoingMail.Kind.ACKNOWLEDGEMENT:
        mail["Auto-Submitted"] = "auto-replied"
        mail["X-Auto-Response-Suppress"] = "All"
    mail[LOOP_HEADER] = mailbox.name
    return mail.as_bytes(policy=_CRLF)
