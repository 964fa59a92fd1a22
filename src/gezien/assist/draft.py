"""The draft check: what the desk says about a reply while the agent types it (chat and e-mail).

`check_draft(text, context, analysed)` is pure: the draft's analysis (`gezien.analysis`, role "agent") and
a `DraftContext` taken from the contact's `Situation` in, findings out. Each finding cites the words in the
draft, and where it concerns the customer, the customer's words too. The rules follow the seeds: follow
the customer's register, acknowledge before asking for data, explain why before asking, paraphrase a long
complaint, never sell in a complaint or after a death, never shout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from django.utils.translation import gettext as _

from gezien.analysis import Analysis
from gezien.analysis.register import is_address
from gezien.assist import phrases
from gezien.assist.situation import Situation
from gezien.contacts.addressing import Cite

Severity = Literal["info", "warn", "alert"]
LONG_COMPLAINT_WORDS = 60  # a customer message this long deserves a paraphrase
REPLY_WORDS = 12  # below this the draft is a beginning: no paraphrase nagging yet
IDENTITY_WORDS = (
    "postcode",
    "huisnummer",
    "klantnummer",
    "geboortedatum",
    "adres",
    "naam",
    "postal",
    "address",
    "customer number",
    "date of birth",
    "zip",
)
# Formal frames that are fine in any e-mail; only the rest counts as stiff towards a "je" customer.
NEUTRAL_FORMAL = ("met vriendelijke groet", "vriendelijke groet", "met vriendelijke groeten", "kind regards")
_CAPS = re.compile(r"\b[A-ZÀ-Þ]{3,}(?:\s+[A-ZÀ-Þ]{2,})*\b")
_BANGS = re.compile(r"[!?]*!{2,}[!?]*|[!?]*\?!+[!?]*")
ACRONYMS = frozenset(
    {
        "KPN",
        "BTW",
        "IBAN",
        "BSN",
        "PIN",
        "SMS",
        "ADSL",
        "WIFI",
        "TV",
        "DSL",
        "VT",
        "NL",
        "CEO",
        "OK",
        "PDF",
        "URL",
        "ID",
        "FAQ",
        "KVK",
        "SIM",
        "ESIM",
        "HDMI",
        "USB",
        "LAN",
        "WAN",
        "ONT",
        "GB",
        "MB",
    }
)


@dataclass(frozen=True)
class DraftContext:
    """What the draft is checked against, taken from the contact (see `draft_context`)."""

    address: str  # "u" | "je"
    address_known: bool
    address_cites: tuple[Cite, ...]
    lang: str
    listen_first: bool
    acknowledged: bool  # an earlier reply in this contact acknowledged the feeling
    feeling_cites: tuple[Cite, ...]
    recognised: bool
    complaint: bool
    sensitive: bool  # bereavement or illness
    last_customer_words: int


def draft_context(situation: Situation) -> DraftContext:
    upset = situation.upset
    return DraftContext(
        address=situation.address.address,
        address_known=situation.address.known,
        address_cites=situation.address.evidence,
        lang=situation.lang,
        listen_first=situation.listen_first,
        acknowledged=situation.acknowledged,
        feeling_cites=upset.cites if upset else (),
        recognised=situation.recognised,
        complaint=situation.complaint,
        sensitive=bool(situation.sensitive_events) or bool(situation.protocols & {"bereavement", "illness"}),
        last_customer_words=situation.last_customer_words,
    )


@dataclass(frozen=True)
class Finding:
    key: str
    severity: Severity
    message: str
    draft_words: tuple[str, ...] = ()  # the words in the draft that caused it
    because: tuple[Cite, ...] = ()  # the customer's words behind it
    suggestion: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "severity": self.severity,
            "message": self.message,
            "draft_words": list(self.draft_words),
            "because": [
                {"signal": c.signal, "words": c.words, "message_id": c.message_id} for c in self.because
            ],
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class DraftCheck:
    findings: tuple[Finding, ...]
    register: str  # the draft's register: formal | informal | mixed | unknown
    acts: tuple[str, ...]
    acknowledges: bool  # the draft acknowledges the customer's feeling: solutions may unfold
    solutions_open: bool
    extra: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "findings": [f.as_dict() for f in self.findings],
            "register": self.register,
            "acts": list(self.acts),
            "acknowledges": self.acknowledges,
            "solutions_open": self.solutions_open,
        }


def _evidence(analysed: Analysis, signal: str) -> list[tuple[str, str]]:
    """(words, rule) of `signal` in the draft."""
    return [(e.text, e.rule) for e in analysed.evidence if e.signal == signal]


def _pattern(rule: str) -> tuple[str, ...]:
    return tuple(rule.split(":", 1)[-1].split())


def _register(analysed: Analysis, ctx: DraftContext) -> list[Finding]:
    if analysed.lang != "nl" or ctx.lang == "en":
        return []
    formal = _evidence(analysed, "formal")
    informal = _evidence(analysed, "informal")
    said = _quote_cites(ctx.address_cites)
    found = []
    if analysed.register == "mixed":
        words = _words(formal + informal)
        found.append(
            Finding(
                "register_mixed",
                "warn",
                _("Je concept wisselt tussen “u” en “je”: kies er één (de klant: “%(a)s”).")
                % {"a": ctx.address},
                words,
            )
        )
    elif ctx.address == "je" and ctx.address_known and analysed.register == "formal":
        found.append(
            Finding(
                "register_mismatch",
                "warn",
                _("De klant zegt “je”%(said)s; jouw concept zegt “u”. Dat kan afstandelijk overkomen.")
                % {"said": said},
                _words(formal),
                ctx.address_cites,
            )
        )
    elif ctx.address == "u" and analysed.register == "informal":
        if ctx.address_known:
            message = _(
                "De klant schrijft “u”%(said)s; jouw concept zegt “je”. Dat kan te amicaal overkomen."
            ) % {"said": said}
        else:
            message = _(
                "Nog niet bekend hoe de klant aangesproken wil worden: gebruik “u” tot de klant “je” zegt."
            )
        found.append(Finding("register_mismatch", "warn", message, _words(informal), ctx.address_cites))
    style_formal = [
        (w, r) for w, r in formal if not is_address(_pattern(r)) and w.lower() not in NEUTRAL_FORMAL
    ]
    style_informal = [(w, r) for w, r in informal if not is_address(_pattern(r))]
    if ctx.address == "je" and ctx.address_known and style_formal:
        found.append(
            Finding(
                "too_stiff",
                "info",
                _("Te stijf voor deze klant: %(words)s. Schrijf zoals de klant schrijft.")
                % {"words": _list(style_formal)},
                _words(style_formal),
            )
        )
    if ctx.address == "u" and style_informal:
        found.append(
            Finding(
                "too_loose",
                "info",
                _("Te los voor deze klant: %(words)s.") % {"words": _list(style_informal)},
                _words(style_informal),
            )
        )
    return found


def _words(pairs: list[tuple[str, str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for w, _r in pairs))


def _list(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"“{w}”" for w in _words(pairs)[:4])


def _quote_cites(cites: tuple[Cite, ...]) -> str:
    words = list(dict.fromkeys(c.words for c in cites if c.words))[:2]
    return f" ({', '.join(f'“{w}”' for w in words)})" if words else ""


def _data(analysed: Analysis, ctx: DraftContext) -> list[Finding]:
    if "data_request" not in analysed.acts:
        return []
    asked = _evidence(analysed, "data_request")
    words = _words(asked)
    voice = phrases.voice(ctx.lang, ctx.address)
    found = []
    if ctx.listen_first and not ctx.acknowledged and "acknowledgement" not in analysed.acts:
        found.append(
            Finding(
                "data_before_acknowledgement",
                "warn",
                _("De klant is van streek: erken eerst het gevoel, vraag daarna pas om gegevens."),
                words,
                ctx.feeling_cites,
            )
        )
    text = analysed.text.lower()
    if ctx.recognised and any(w in text for w in IDENTITY_WORDS):
        found.append(
            Finding(
                "data_already_known",
                "warn",
                _("De klant is al herkend: vraag niet opnieuw naar gegevens die op de klantkaart staan."),
                words,
            )
        )
    elif not ctx.recognised and "signposting" not in analysed.acts:
        found.append(
            Finding(
                "signpost_first",
                "info",
                _("Zeg eerst waarom u de gegevens nodig hebt."),
                words,
                suggestion=phrases.SIGNPOST[voice],
            )
        )
    return found


def _paraphrase(analysed: Analysis, ctx: DraftContext) -> list[Finding]:
    long_complaint = ctx.complaint and ctx.last_customer_words >= LONG_COMPLAINT_WORDS
    if not long_complaint or len(analysed.text.split()) < REPLY_WORDS or "paraphrase" in analysed.acts:
        return []
    return [
        Finding(
            "paraphrase_missing",
            "info",
            _(
                "De klant schreef een lange klacht (%(n)s woorden). Vat in een zin samen wat u begrepen "
                "hebt, zodat de klant merkt dat het gelezen is."
            )
            % {"n": ctx.last_customer_words},
            suggestion=_("Als ik het goed begrijp, ..."),
        )
    ]


def _upsell(analysed: Analysis, ctx: DraftContext) -> list[Finding]:
    if "upsell" not in analysed.acts or not (ctx.complaint or ctx.sensitive):
        return []
    why = _("na een overlijden of bij ernstige ziekte") if ctx.sensitive else _("in een klacht")
    return [
        Finding(
            "upsell",
            "alert",
            _("Geen aanbiedingen %(why)s.") % {"why": why},
            _words(_evidence(analysed, "upsell")),
        )
    ]


def shouting(text: str) -> tuple[str, ...]:
    """Capitals (not acronyms) and runs of "!!" or "?!" in a draft."""
    caps = [m.group(0) for m in _CAPS.finditer(text) if not set(m.group(0).split()) <= ACRONYMS]
    return tuple(caps + [m.group(0) for m in _BANGS.finditer(text)])


def _shouting(analysed: Analysis, ctx: DraftContext) -> list[Finding]:
    found = shouting(analysed.text)
    if not found:
        return []
    return [Finding("shouting", "warn", _("Hoofdletters en uitroeptekens komen over als schreeuwen."), found)]


RULES = (_register, _data, _paraphrase, _upsell, _shouting)


def check_draft(analysed: Analysis, ctx: DraftContext, *, unfolded: bool = False) -> DraftCheck:
    """Check the analysed draft against the contact: findings, and whether the solutions may unfold."""
    findings = tuple(f for rule in RULES for f in rule(analysed, ctx))
    acknowledges = "acknowledgement" in analysed.acts
    return DraftCheck(
        findings=findings,
        register=analysed.register,
        acts=tuple(sorted(analysed.acts)),
        acknowledges=acknowledges,
        solutions_open=not ctx.listen_first or ctx.acknowledged or acknowledges or unfolded,
    )
