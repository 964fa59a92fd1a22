"""An inbound mail's machine reason (`InboundMail.reason`, and for the quarantine its `error`) as a short
phrase in the reader's language, for the desk and the API's `reason_text`. The codes are those
`mail.intake` and `mailparse.classify` write (docs/mail.md, docs/mailparse.md); one this module does not
know is shown as it is, so nothing is hidden."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from gezien.mail.models import Outcome

# What the common permanent delivery statuses (RFC 3463) mean for the agent whose mail did not arrive.
_STATUS_MEANINGS = {
    "5.1.1": lambda: _("adres bestaat niet"),
    "5.1.2": lambda: _("domein bestaat niet"),
    "5.1.10": lambda: _("adres bestaat niet"),
    "5.2.1": lambda: _("mailbox uitgeschakeld"),
    "5.2.2": lambda: _("mailbox vol"),
    "5.3.4": lambda: _("bericht te groot"),
    "5.4.4": lambda: _("server onbereikbaar"),
    "5.7.1": lambda: _("geweigerd door de ontvanger"),
}
_OUT_OF_OFFICE = {"auto-replied", "x_autoreply", "x_autorespond", "out of office"}
_CLASS_NAME = re.compile(r"^[A-Za-z_][\w.]*: ")
_REFUSED = "attachments refused: "


def reason_text(outcome: str, reason: str, error: str = "") -> str:
    """The reason a mail got its outcome, readable: "Onbestelbaar: adres bestaat niet (5.1.1)"."""
    if outcome == Outcome.QUARANTINED:
        return _quarantined(reason, error)
    text, _sep, refused = reason.partition(_REFUSED)
    text = text.strip()
    parts = [_phrase(text)] if text else []
    if refused:
        parts.append(_("Bijlagen geweigerd: %(files)s") % {"files": refused})
    return "; ".join(parts)


def error_text(error: str) -> str:
    """An error as a reader sees it: without the exception's class name in front."""
    return _CLASS_NAME.sub("", error.strip(), count=1)


def _quarantined(reason: str, error: str) -> str:
    if reason == "spam":
        return _("Door de spamfilter gemarkeerd (%(header)s)") % {"header": _header(error)}
    if reason == "blocked":
        return _("De afzender is geblokkeerd")
    if not error:
        return _("Kon niet worden gelezen")
    return _("Kon niet worden gelezen: %(error)s") % {"error": error_text(error)}


def _header(code: str) -> str:
    """`x_spam_flag: yes` as the header it came from: `X-Spam-Flag`."""
    name = code.split(":", 1)[0].strip()
    return "-".join(word.capitalize() for word in name.split("_")) if name else _("spamkop")


def _phrase(reason: str) -> str:
    kind, _sep, detail = reason.partition(": ")
    words = reason.split()
    if reason.startswith("thread: "):
        return _threaded(words)
    if reason.startswith("follows closed contact "):
        number = words[3] if len(words) > 3 else "?"
        text = _("Nieuw contact, vervolg op gesloten contact %(number)s") % {"number": number}
        released = [_("door een beheerder uit de spam gehaald")] if "released" in words else []
        return "; ".join([text, *released])
    if reason == "spam released":
        return _("Door een beheerder uit de spam gehaald")
    if reason.startswith("same Message-ID as inbound mail "):
        return _("Deze e-mail kwam al eerder binnen (nr. %(number)s)") % {"number": words[-1]}
    if reason == "imap uid seen before":
        return _("Al eerder opgehaald")
    if kind == "loop":
        return _loop(detail)
    if kind == "dsn":
        meaning = _STATUS_MEANINGS.get(detail)
        if meaning is None:
            return _("Onbestelbaar (%(status)s)") % {"status": detail}
        return _("Onbestelbaar: %(meaning)s (%(status)s)") % {"meaning": meaning(), "status": detail}
    if kind == "smtp":
        return _("Onbestelbaar (SMTP %(code)s)") % {"code": detail}
    if reason in ("bounce: undelivered", "delivery report"):
        return _("Onbestelbaar")
    if kind == "dsn delayed":
        return _("Bezorging vertraagd (%(status)s)") % {"status": detail}
    if kind.startswith("dsn "):
        actions = {"delivered": _("bezorgd"), "relayed": _("doorgestuurd"), "expanded": _("doorgestuurd")}
        action = actions.get(kind[4:], kind[4:])
        return _("Afleverbericht: %(action)s (%(status)s)") % {"action": action, "status": detail}
    if kind == "arf":
        return _("Klachtmelding van de mailprovider (%(kind)s)") % {"kind": detail}
    if kind == "mdn":
        return _("Leesbevestiging (%(kind)s)") % {"kind": detail}
    if reason == "subject: read receipt":
        return _("Leesbevestiging")
    return _automatic(kind, detail) or reason


def _automatic(kind: str, detail: str) -> str:
    if kind in _OUT_OF_OFFICE or detail in _OUT_OF_OFFICE:
        return _("Automatisch antwoord (afwezigheidsmelding)")
    if kind == "auto_submitted":
        return _("Automatisch verstuurde e-mail (%(kind)s)") % {"kind": detail}
    if kind == "precedence":
        return _("Bulk- of lijstmail (%(kind)s)") % {"kind": detail}
    return ""


def _loop(detail: str) -> str:
    how, _sep, rest = detail.partition(": ")
    if how == "own_domain":
        domain = rest.split(" ", 1)[0]
        return _("Onze eigen e-mail kwam terug (van ons domein %(domain)s)") % {"domain": domain}
    if how == "loop_header":
        return _("Onze eigen e-mail kwam terug (herkend aan onze kop)")
    return _("Onze eigen e-mail kwam terug (herkend aan de Message-ID)")


def _threaded(words: list[str]) -> str:
    rule = words[1] if len(words) > 1 else ""
    texts = {
        "headers": _("Bij het contact gezet via de e-mailkoppen"),
        "token": _("Bij het contact gezet via het contactnummer in het onderwerp"),
        "subject": _("Bij het contact gezet via het onderwerp"),
    }
    parts = [texts.get(rule, _("Bij het contact gezet"))]
    if "reopened" in words:
        parts.append(_("contact heropend"))
    if "released" in words:
        parts.append(_("door een beheerder uit de spam gehaald"))
    return "; ".join(parts)
