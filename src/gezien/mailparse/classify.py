"""`classify`: is a parsed mail a customer's mail, or one of the kinds that are not contacts?

Checked in this order, the structural signs before the guesses: our own mail looping back (the
`LOOP_HEADER` our sender sets, our Message-ID suffix), the multipart/report kinds (ARF complaint,
delivery-status bounce, disposition-notification read receipt), an upstream spam flag, the common
non-standard bounces (a mailer daemon or postmaster with an undelivered subject), read receipts by
subject, then auto-replies (Auto-Submitted, Precedence, X-Autoreply, X-Autorespond, out-of-office
subjects). A DSN that reports a delay or a delivery is not a bounce: it is an automatic notice
(`auto_reply`, reason "dsn delayed: 4.4.7"). An automatic message from one of `own_domains` is a loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from gezien.mailparse.parsing import ParsedMail

Outcome = Literal["mail", "bounce", "auto_reply", "receipt", "complaint", "loop", "spam"]

LOOP_HEADER = "X-Gezien-Mailbox"


@dataclass(frozen=True, slots=True)
class Classification:
    outcome: Outcome
    reason: str = ""
    related_message_ids: tuple[str, ...] = ()


_DAEMON = re.compile(
    r"^(?:mailer-daemon|mailer_daemon|mailerdaemon|mail-daemon|postmaster|mail\.delivery\.subsystem"
    r"|microsoftexchange[0-9a-f]*|mdaemon|maildelivery|bounce|bounces|nobody|noreply-dmarc-support)(?:[+=].*)?@",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver(?:ed|able)|returned mail|delivery status notification \((?:failure|fout)\)|delivery failure"
    r"|delivery has failed|mail delivery failed|failure notice|onbestelbaar|niet (?:afgeleverd|bezorgd)"
    r"|kan niet worden (?:bezorgd|afgeleverd)|bezorging (?:is )?mislukt|unzustellbar|non remis"
    r"|delivery notification: delivery has failed|message not delivered|nondeliverable",
    re.IGNORECASE,
)
_BOUNCE_BODY = re.compile(
    r"permanent(?:ly)? (?:error|fatal|failure)|could not be delivered|was not delivered"
    r"|delivery to the following|user unknown|mailbox unavailable|no such user|address rejected"
    r"|does not exist|recipient address rejected"
    r"|kon niet worden bezorgd|niet worden afgeleverd|\b5\d\d[ -]5\.\d{1,3}\.\d{1,3}",
    re.IGNORECASE,
)
_RECEIPT_SUBJECT = re.compile(
    r"^\s*(?:gelezen|read|niet gelezen|not read|gelesen|lu|leído|letto|read receipt|leesbevestiging)\s*:",
    re.IGNORECASE,
)
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:automatisch antwoord|automatisch bericht|automatic reply|auto[- ]?reply|autoreply|auto:"
    r"|out of (?:the )?office|ooo\b|afwezigheidsmelding|afwezigheidsbericht|vakantiemelding"
    r"|afwezig\s*(?:$|[:\-–(,]|(?:tot|t/m|tm|van|vanaf|until)\b)"
    r"|automatische antwort|abwesenheitsnotiz|réponse automatique|respuesta automática"
    r"|on vacation|vacation (?:reply|notice|message)|ik ben (?:afwezig|met vakantie))",
    re.IGNORECASE,
)
_STATUS = re.compile(r"^\s*status\s*:\s*([245]\.\d{1,3}\.\d{1,3})", re.IGNORECASE | re.MULTILINE)
_ACTION = re.compile(r"^\s*action\s*:\s*([a-z]+)", re.IGNORECASE | re.MULTILINE)
_ANY_STATUS = re.compile(r"(?<![\d.])([45]\.\d{1,3}\.\d{1,3})(?![\d.])")
_SMTP_CODE = re.compile(r"(?<!\d)(5[0-5]\d)(?:[ -]|$)", re.MULTILINE)
_MESSAGE_ID = re.compile(r"^\s*(?:original-)?message-id\s*:\s*<?([^<>\s]+@[^<>\s]+?)>?\s*$",
                         re.IGNORECASE | re.MULTILINE)  # fmt: skip
_FEEDBACK_TYPE = re.compile(r"^\s*feedback-type\s*:\s*([\w-]+)", re.IGNORECASE | re.MULTILINE)
_DISPOSITION = re.compile(r"^\s*disposition\s*:\s*[^;\n]*;\s*([\w-]+)", re.IGNORECASE | re.MULTILINE)
_REPORT_TYPE = re.compile(r"report-type\s*=\s*\"?([\w-]+)", re.IGNORECASE)
_EMBEDDED_TYPES = ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers", "message/global",
                   "message/global-headers")  # fmt: skip
_REPORT_PARTS = ("message/delivery-status", "message/global-delivery-status",
                 "message/disposition-notification", "message/feedback-report")  # fmt: skip


def classify(
    parsed: ParsedMail, *, own_domains: frozenset[str] = frozenset(), own_message_id_suffix: str = ""
) -> Classification:
    """What `parsed` is: a customer's `mail`, or a bounce, auto-reply, receipt, complaint, loop or spam."""
    headers = parsed.headers
    auto = _auto_reason(parsed)
    if LOOP_HEADER.lower() in headers:
        return Classification("loop", f"loop_header: {headers[LOOP_HEADER.lower()][:60]}")
    if own_message_id_suffix and parsed.message_id.endswith(own_message_id_suffix):
        return Classification("loop", "own_message_id")
    domain = parsed.from_address.rpartition("@")[2]
    if auto and domain and domain in {d.lower() for d in own_domains}:
        return Classification("loop", f"own_domain: {domain} ({auto})")

    report_type = ""
    content_type = headers.get("content-type", "")
    if content_type.lower().startswith("multipart/report"):
        found = _REPORT_TYPE.search(content_type)
        report_type = found.group(1).lower() if found else ""
    report = _report_text(parsed)
    related = _related_ids(parsed, own_message_id_suffix)
    if report_type == "feedback-report" or "message/feedback-report" in _types(parsed):
        kind = _FEEDBACK_TYPE.search(report)
        return Classification("complaint", f"arf: {kind.group(1).lower() if kind else 'abuse'}", related)
    if report_type in ("delivery-status", "global-delivery-status") or _has_type(parsed, "delivery-status"):
        return _dsn(report, parsed, related)
    if report_type == "disposition-notification" or _has_type(parsed, "disposition-notification"):
        disposition = _DISPOSITION.search(report)
        shown = disposition.group(1).lower() if disposition else "displayed"
        return Classification("receipt", f"mdn: {shown}", related)

    spam = _spam_reason(parsed)
    if spam:
        return Classification("spam", spam)

    daemon = bool(_DAEMON.match(parsed.from_address)) or "x-failed-recipients" in headers
    if _BOUNCE_SUBJECT.search(parsed.subject) and (daemon or auto or headers.get("return-path", "x") == "<>"):
        return _nonstandard_bounce(parsed, related)
    if daemon and _BOUNCE_BODY.search(parsed.text[:20_000]):
        return _nonstandard_bounce(parsed, related)

    if _RECEIPT_SUBJECT.match(parsed.subject) and (
        len(parsed.text) < 2000 or "disposition-notification" in content_type.lower()
    ):
        return Classification("receipt", "subject: read receipt", related)
    if auto:
        return Classification("auto_reply", auto)
    return Classification("mail", "")


def _auto_reason(parsed: ParsedMail) -> str:
    headers = parsed.headers
    submitted = headers.get("auto-submitted", "").split(";", 1)[0].strip().lower()
    if submitted and submitted != "no":
        return f"auto_submitted: {submitted[:40]}"
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in ("bulk", "list", "junk", "auto_reply"):
        return f"precedence: {precedence}"
    for name in ("x-autoreply", "x-autorespond"):
        value = headers.get(name)
        if value is not None and value.strip().lower() not in ("no", "false", "0"):
            return name.replace("-", "_")
    if headers.get("x-ms-exchange-generated-message-source") and _AUTO_SUBJECT.match(parsed.subject):
        return "x_ms_exchange_generated: out of office"
    if _AUTO_SUBJECT.match(parsed.subject):
        if "x-auto-response-suppress" in headers:
            return "x_auto_response_suppress: out of office"
        return "subject: out of office"
    return ""


def _spam_reason(parsed: ParsedMail) -> str:
    flag = parsed.headers.get("x-spam-flag", "").strip().lower()
    if flag in ("yes", "true"):
        return "x_spam_flag: yes"
    if parsed.headers.get("x-spam-status", "").strip().lower().startswith("yes"):
        return "x_spam_status: yes"
    return ""


def _types(parsed: ParsedMail) -> set[str]:
    return {part.content_type for part in parsed.attachments}


def _has_type(parsed: ParsedMail, report: str) -> bool:
    return any(
        part.content_type in (f"message/{report}", f"message/global-{report}") for part in parsed.attachments
    )


def _report_text(parsed: ParsedMail) -> str:
    return "\n".join(
        part.data[:20_000].decode("utf-8", "replace")
        for part in parsed.attachments
        if part.content_type in _REPORT_PARTS
    )


def _related_ids(parsed: ParsedMail, suffix: str) -> tuple[str, ...]:
    """Message-IDs of the message a report is about: from the attached original, the report, or the body."""
    found: list[str] = []
    for part in parsed.attachments:
        if part.content_type in _EMBEDDED_TYPES:
            head = part.data[:64_000].split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
            found.extend(_MESSAGE_ID.findall(head.decode("utf-8", "replace")))
        elif part.content_type in _REPORT_PARTS:
            found.extend(_MESSAGE_ID.findall(part.data[:20_000].decode("utf-8", "replace")))
    if not found:
        found.extend(_MESSAGE_ID.findall(parsed.text[:200_000]))
    ids = [i.strip("<>") for i in dict.fromkeys(found) if i.strip("<>") != parsed.message_id]
    if suffix:
        ids.sort(key=lambda i: not i.endswith(suffix))
    return tuple(ids[:10])


def _dsn(report: str, parsed: ParsedMail, related: tuple[str, ...]) -> Classification:
    statuses = _STATUS.findall(report)
    actions = [action.lower() for action in _ACTION.findall(report)]
    failed = [status for status in statuses if status.startswith("5")]
    if failed or "failed" in actions:
        return Classification(
            "bounce", f"dsn: {failed[0] if failed else (statuses or ['5.0.0'])[0]}", related
        )
    if actions and all(action in ("delayed", "delivered", "relayed", "expanded") for action in actions):
        word = "delayed" if "delayed" in actions else actions[0]
        return Classification("auto_reply", f"dsn {word}: {(statuses or ['-'])[0]}", related)
    if statuses and statuses[0].startswith(("2", "4")):
        word = "delayed" if statuses[0].startswith("4") else "delivered"
        return Classification("auto_reply", f"dsn {word}: {statuses[0]}", related)
    return _nonstandard_bounce(parsed, related)


def _nonstandard_bounce(parsed: ParsedMail, related: tuple[str, ...]) -> Classification:
    text = parsed.text[:20_000]
    status = _ANY_STATUS.search(text)
    if status:
        return Classification("bounce", f"dsn: {status.group(1)}", related)
    code = _SMTP_CODE.search(text)
    if code:
        return Classification("bounce", f"smtp: {code.group(1)}", related)
    return Classification("bounce", "bounce: undelivered", related)
