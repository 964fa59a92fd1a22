"""The guidance the desk gives while a contact is open: one rule per hint, each citing the signal and the
customer's words behind it, each with a stable key so that an agent can dismiss it (and the dismissal is
stored: it is how Gezien learns which hints help).

`hints_for(situation)` is pure: it reads a `Situation` and returns hints; no queries, no writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from gezien.assist import phrases
from gezien.assist.models import Protocol
from gezien.assist.situation import PRESENT_AT, Matter, Peak, Situation
from gezien.contacts.addressing import Cite
from gezien.contacts.vocabulary import EMOTION_LABELS, LIFE_EVENT_LABELS

Severity = Literal["info", "warn", "alert"]
# What the desk can do from a hint with one click (the view and the API know each).
Action = Literal["take_ownership", "log_incident", "take_break", "remember_event", "unfold"]


@dataclass(frozen=True)
class Hint:
    key: str  # stable: "listen_first", "repeat", "known_problem:levering", ...
    severity: Severity
    title: str
    text: str  # what to do, and why, in plain language
    because: tuple[Cite, ...]  # the signals and the customer's words behind it
    suggestions: tuple[str, ...] = ()  # sentences for the customer, in their register
    steps: tuple[str, ...] = ()  # a protocol's steps for the agent
    actions: tuple[Action, ...] = ()
    proposal: str = ""  # e.g. the detail to remember, or the promise to set

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "severity": self.severity,
            "title": self.title,
            "text": self.text,
            "because": [
                {"signal": c.signal, "words": c.words, "message_id": c.message_id, "rule": c.rule}
                for c in self.because
            ],
            "suggestions": list(self.suggestions),
            "steps": list(self.steps),
            "actions": list(self.actions),
            "proposal": self.proposal,
        }


def _voice(situation: Situation) -> phrases.Voice:
    return phrases.voice(situation.lang, situation.address.address)


def _quote(cites: tuple[Cite, ...], limit: int = 3) -> str:
    words = list(dict.fromkeys(c.words for c in cites if c.words))[:limit]
    return ", ".join(f"“{w}”" for w in words)


def _strength(score: float) -> str:
    return _("sterk") if score >= 0.8 else _("duidelijk") if score >= 0.65 else _("licht")


def _feeling(peak: Peak) -> str:
    label = str(EMOTION_LABELS.get(peak.signal, peak.signal))
    quoted = _quote(peak.cites)
    text = _("De klant klinkt %(strength)s %(emotion)s") % {
        "strength": _strength(peak.score),
        "emotion": label,
    }
    return f"{text}: {quoted}." if quoted else f"{text}."


def address_hint(situation: Situation) -> Hint:
    choice = situation.address
    if choice.source == "remembered":
        text = _("Onthouden op de klantkaart: spreek de klant aan met “%(address)s”.") % {
            "address": choice.address
        }
    elif choice.source == "detected":
        text = _("De klant schrijft zelf “%(address)s” (%(words)s): volg dat.") % {
            "address": choice.address,
            "words": _quote(choice.evidence) or choice.address,
        }
    else:
        text = _("Nog niet bekend hoe de klant aangesproken wil worden: begin met “u” en volg de klant.")
    title = _("Spreek aan met “%(address)s”") % {"address": choice.address}
    if choice.name:
        title = f"{title} · {choice.name}"
    return Hint("address", "info", title, text, choice.evidence)


def listen_first_hint(situation: Situation) -> Hint | None:
    """R6: an upset or repeat customer first needs to be heard; solutions wait until acknowledged."""
    if not situation.listen_first or situation.acknowledged or situation.abusive_messages:
        return None
    upset = situation.upset
    voice = _voice(situation)
    if upset is not None:
        lines = [_feeling(upset)]
        because = upset.cites
        suggestions = phrases.ACKNOWLEDGE[upset.signal][voice]
    else:
        repeat_peak = situation.peaks.get("repeat")
        because = repeat_peak.cites if repeat_peak else ()
        lines = [_("Dit is een herhaald contact: de klant heeft dit al eerder moeten uitleggen.")]
        suggestions = phrases.ACKNOWLEDGE["repeat"][voice]
    if situation.repeat and upset is not None:
        suggestions = suggestions + phrases.ACKNOWLEDGE["repeat"][voice]
    lines.append(
        _(
            "Laat de klant uitpraten en erken het gevoel vóór u iets oplost. De oplossingen blijven "
            "ingeklapt tot u dat hebt gedaan."
        )
    )
    return Hint(
        "listen_first",
        "warn",
        _("Eerst luisteren"),
        " ".join(lines),
        because,
        suggestions,
        actions=("unfold",),
    )


def matter_title(matter: Matter, now: datetime) -> str:
    """ "4e contact over Levering in 9 dagen" """
    return _("%(n)se contact over %(reason)s in %(days)s") % {
        "n": matter.count,
        "reason": matter.reason.name,
        "days": ngettext("%(n)d dag", "%(n)d dagen", matter.days(now)) % {"n": matter.days(now)},
    }


def repeat_hint(situation: Situation) -> Hint | None:
    """R7: count the contacts about the same matter, warn for the frustration, propose ownership."""
    matter = situation.matter
    if matter is None or matter.count < 2:
        return None
    channels = sorted({e.contact.get_channel_display() for e in matter.earlier})
    text = _(
        "De klant heeft hier al %(n)s keer eerder contact over gehad (%(channels)s). Elke keer opnieuw "
        "uitleggen "
        "maakt boos: vraag niet alles opnieuw, lees terug wat er gebeurde en neem het zelf in handen."
    ) % {"n": len(matter.earlier), "channels": ", ".join(str(c) for c in channels)}
    if matter.claim:
        text += " " + _("De klant zegt het zelf: %(words)s.") % {"words": _quote(matter.claim)}
    due = _next_working_day(situation.now)
    due_text = date_format(timezone.localtime(due), "l j F")
    suggestion = phrases.OWNERSHIP[_voice(situation)].format(due=due_text)
    severity: Severity = "alert" if matter.count >= 3 else "warn"
    return Hint(
        "repeat",
        severity,
        matter_title(matter, situation.now),
        text,
        matter.claim,
        (suggestion,),
        actions=("take_ownership",),
        proposal=_("Terugkoppelen over %(reason)s (eigenaar: ik)") % {"reason": matter.reason.name},
    )


def _next_working_day(now: datetime) -> datetime:
    day = timezone.localtime(now) + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.replace(hour=17, minute=0, second=0, microsecond=0)


def signpost_hint(situation: Situation) -> Hint | None:
    """R10: explain why before asking for data; never ask a customer the desk already recognised."""
    if situation.recognised:
        return None
    return Hint(
        "signpost",
        "info",
        _("Eerst zeggen waarom, dan vragen"),
        _("De klant is nog niet herkend. Zeg eerst waarom u gegevens nodig hebt, en vraag dan pas."),
        (),
        (phrases.SIGNPOST[_voice(situation)],),
    )


def abuse_hints(situation: Situation) -> list[Hint]:
    """R9: a warning script at the first abuse; when it goes on, the calm closing script, the incident and
    a break for the agent."""
    found = situation.abusive_messages
    if not found:
        return []
    voice = _voice(situation)
    because = tuple(found)
    warning = Hint(
        "abuse_warning",
        "alert",
        _("Grof taalgebruik: waarschuw rustig"),
        _(
            "De klant scheldt (%(words)s). U hoeft dat niet te accepteren. Waarschuw één keer, rustig "
            "en zakelijk."
        )
        % {"words": _quote(because)},
        because,
        (phrases.ABUSE_WARNING[voice],),
    )
    if len(found) < 2:
        return [warning]
    closing = Hint(
        "abuse_close",
        "alert",
        _("Het schelden gaat door: beëindig het gesprek"),
        _(
            "Na de waarschuwing gaat het schelden door (%(n)s berichten). Beëindig het gesprek kalm. "
            "Gezien legt "
            "het incident vast met deze woorden en licht uw teamleider in. Neem daarna even pauze."
        )
        % {"n": len(found)},
        because,
        (phrases.ABUSE_CLOSE[voice],),
        actions=("log_incident", "take_break"),
    )
    return [closing]


SIMPLEST_PATH = {
    Protocol.BEREAVEMENT: (
        gettext_noop("Condoleer eerst, en neem de tijd."),
        gettext_noop(
            "Vraag niet om een klantnummer, machtiging of overlijdensakte als het zonder kan: zeg op "
            "wat de klant vraagt."
        ),
        gettext_noop("Geen opzegtermijn of boete; verreken wat te veel is betaald."),
        gettext_noop("Geen aanbiedingen. Er gaat geen enquête naar deze klant."),
        gettext_noop("Onthoud het op de klantkaart, zodat niemand het opnieuw vraagt."),
    ),
    Protocol.ILLNESS: (
        gettext_noop("Toon begrip, en neem de tijd."),
        gettext_noop("Regel het zo eenvoudig mogelijk; stel afspraken uit als de klant daarom vraagt."),
        gettext_noop("Geen aanbiedingen. Er gaat geen enquête naar deze klant."),
        gettext_noop("Onthoud het op de klantkaart, zodat niemand het opnieuw vraagt."),
    ),
}


def sensitive_hint(situation: Situation) -> Hint | None:
    """R8: death or serious illness switches the contact to a protocol: condolence, the simplest path, no
    upsell, no survey, and a remembered detail."""
    events = situation.sensitive_events
    protocol = (
        Protocol.BEREAVEMENT
        if "bereavement" in events or Protocol.BEREAVEMENT in situation.protocols
        else Protocol.ILLNESS
        if events or Protocol.ILLNESS in situation.protocols
        else None
    )
    if protocol is None:
        return None
    voice = _voice(situation)
    because = tuple(c for e in events for c in situation.life_events[e])
    label = str(
        LIFE_EVENT_LABELS[
            "bereavement" if protocol == Protocol.BEREAVEMENT else events[0] if events else "illness"
        ]
    )
    words = _quote(because)
    text = _(
        "De klant vertelt over %(event)s%(words)s. Dit gesprek volgt het protocol: met zorg, zo "
        "eenvoudig mogelijk."
    ) % {
        "event": label,
        "words": f" ({words})" if words else "",
    }
    remembered = bool(situation.remembered_events)
    actions: tuple[Action, ...] = () if remembered else ("remember_event",)
    proposal = "" if remembered else _remember_text(label, because, situation.now)
    return Hint(
        f"protocol:{protocol}",
        "alert",
        _("Protocol: %(event)s") % {"event": label},
        text,
        because,
        phrases.CONDOLENCE[voice] if protocol == Protocol.BEREAVEMENT else phrases.ILLNESS[voice],
        tuple(_(step) for step in SIMPLEST_PATH[protocol]),
        actions,
        proposal,
    )


def _remember_text(label: str, because: tuple[Cite, ...], now: datetime) -> str:
    said = _quote(because, limit=1)
    day = date_format(timezone.localtime(now), "j-n-Y")
    return f"{label.capitalize()}: {said} ({day})" if said else f"{label.capitalize()} ({day})"


def churn_hint(situation: Situation) -> Hint | None:
    """Intent to leave, or repeats left unresolved: say so, with the words. Never beside a death: a
    cancellation for someone who died follows the bereavement protocol, it is no retention case."""
    if "bereavement" in situation.life_events or Protocol.BEREAVEMENT in situation.protocols:
        return None
    peak = situation.peaks.get("churn")
    matter = situation.matter
    unresolved = matter is not None and matter.count >= 3
    if (peak is None or peak.score < PRESENT_AT) and not unresolved:
        return None
    parts = []
    because: tuple[Cite, ...] = ()
    if peak is not None and peak.score >= PRESENT_AT:
        because = peak.cites
        parts.append(_("De klant dreigt op te zeggen: %(words)s.") % {"words": _quote(peak.cites) or "—"})
    if unresolved and matter is not None:
        parts.append(_("Het probleem is na %(n)s contacten nog niet opgelost.") % {"n": len(matter.earlier)})
    parts.append(_("Los het nu echt op, of zeg eerlijk wanneer wel; beloof niets wat u niet kunt nakomen."))
    return Hint("churn", "warn", _("Risico op opzeggen"), " ".join(parts), because)


def known_problem_hints(situation: Situation) -> list[Hint]:
    """R20: an open problem on the root-cause board about something this customer has too."""
    voice = _voice(situation)
    verbs = phrases.CHANNEL_VERBS.get(situation.contact.channel, phrases.CHANNEL_VERBS["phone"])
    hints = []
    for problem in situation.known_problems[:2]:
        name = str(problem.reason.name)
        sentence = phrases.ANTICIPATE[voice].format(
            verb_u=verbs[0], verb_je=verbs[1], verb_en=verbs[2], problem=name.lower()
        )
        text = _(
            "Bekend signaal: %(title)s (%(status)s, %(n)s klanten gekoppeld). Deze klant had er ook mee te "
            "maken: benoem het zelf."
        ) % {"title": problem.title, "status": problem.status_label.lower(), "n": problem.customers}
        if problem.answer:
            text += " " + _("Antwoord van de afdeling: %(answer)s") % {"answer": problem.answer[:300]}
        hints.append(
            Hint(
                f"known_problem:{problem.reason.code}",
                "info",
                _("Bekend probleem: %(reason)s") % {"reason": name},
                text,
                (),
                (sentence,),
            )
        )
    return hints


def abuse_history_hint(situation: Situation) -> Hint | None:
    if situation.abuse_history < 1 or situation.abusive_messages:
        return None
    text = ngettext(
        "Deze klant was eerder %(n)d keer grof. Blijf rustig; de waarschuwingstekst staat klaar als het "
        "nodig is.",
        "Deze klant was eerder %(n)d keer grof. Blijf rustig; de waarschuwingstekst staat klaar als het "
        "nodig is.",
        situation.abuse_history,
    ) % {"n": situation.abuse_history}
    return Hint("abuse_history", "info", _("Eerder grof taalgebruik"), text, ())


RULES: tuple[Callable[[Situation], Hint | list[Hint] | None], ...] = (
    sensitive_hint,
    abuse_hints,
    listen_first_hint,
    repeat_hint,
    churn_hint,
    known_problem_hints,
    abuse_history_hint,
    signpost_hint,
)


def hints_for(situation: Situation, *, include_dismissed: bool = False) -> list[Hint]:
    """Every hint for `situation`, the most urgent first; those this user dismissed left out."""
    found: list[Hint] = [address_hint(situation)]
    for rule in RULES:
        result = rule(situation)
        if isinstance(result, list):
            found += result
        elif result is not None:
            found.append(result)
    if not include_dismissed:
        found = [h for h in found if h.key not in situation.dismissed]
    order = {"alert": 0, "warn": 1, "info": 2}
    return sorted(found, key=lambda h: order[h.severity])
