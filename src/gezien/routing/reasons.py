"""Why routing decided what it did, kept as data and worded when it is read.

A need's reasons are stored as `{"code": ..., "params": {...}}` (a signal with the customer's words, a
started protocol, earlier abuse, a repeat contact), never as a sentence: the desk and the API word them
in the reader's language (`reason_text`), so a decision made while the desk spoke Dutch reads in English
for someone who chose English. The customer's own words are quoted as they were written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gezien.assist.models import Protocol
from gezien.contacts.addressing import Cite
from gezien.contacts.vocabulary import label
from gezien.routing.models import Experience

JUNIOR = int(Experience.JUNIOR)
MAX_WORDS_CITED = 2
MAX_WORDS_CHARS = 80

# The reason codes (the `code` of a stored reason).
SIGNAL = "signal"  # params: signal (a signal or life-event name), words
PROTOCOL = "protocol"  # params: protocol (a Protocol value)
ABUSE_HISTORY = "abuse_history"  # params: n (earlier contacts with abuse or an incident)
REPEAT = "repeat"  # params: n (this contact's number in the matter), reason (its name), days, words


class Reason(TypedDict):
    """One reason behind a need, as stored in `RoutingDecision.needs[*]["reasons"]` and sent by the API."""

    code: str
    params: dict[str, Any]


def words_of(cites: Iterable[Cite]) -> list[str]:
    """The customer's words behind a signal, at most two, without doubles, each at most 80 characters."""
    words = list(dict.fromkeys(" ".join(c.words.split()) for c in cites if c.words.strip()))
    return [w[:MAX_WORDS_CHARS] for w in words[:MAX_WORDS_CITED]]


def quoted(words: Sequence[str]) -> str:
    """The customer's words as the desk quotes them: 'overleden', 'begrafenis'."""
    return ", ".join(f"'{w}'" for w in words)


def _with_words(what: str, words: Sequence[str]) -> str:
    return f"{what}: {quoted(words)}" if words else what


def _protocol_name(value: str) -> str:
    try:
        return str(Protocol(value).label).lower()
    except ValueError:
        return value


def _repeat_text(params: Mapping[str, Any]) -> str:
    days = int(params.get("days", 0))
    what = ngettext(
        "%(n)de contact over %(reason)s in %(days)d dag",
        "%(n)de contact over %(reason)s in %(days)d dagen",
        days,
    ) % {"n": int(params.get("n", 0)), "reason": params.get("reason", ""), "days": days}
    words = params.get("words") or []
    if words:
        what = _("%(what)s (klant: %(words)s)") % {"what": what, "words": quoted(words)}
    return what


def reason_text(reason: Mapping[str, Any]) -> str:
    """One reason worded in the active language ("overlijden: 'overleden'", "protocol ernstige ziekte")."""
    code, params = reason.get("code", ""), reason.get("params") or {}
    if code == SIGNAL:
        return _with_words(label(str(params.get("signal", ""))), params.get("words") or [])
    if code == PROTOCOL:
        return _("protocol %(name)s") % {"name": _protocol_name(str(params.get("protocol", "")))}
    if code == ABUSE_HISTORY:
        n = int(params.get("n", 0))
        return ngettext(
            "eerder grof taalgebruik of een incident in %(n)d contact",
            "eerder grof taalgebruik of een incident in %(n)d contacten",
            n,
        ) % {"n": n}
    if code == REPEAT:
        return _repeat_text(params)
    return str(code)


def reasons_text(reasons: Iterable[Mapping[str, Any]]) -> str:
    """Several reasons in one line, separated by semicolons."""
    return "; ".join(reason_text(reason) for reason in reasons)


def need_why(need: Mapping[str, Any]) -> str:
    """A stored need's why (`RoutingDecision.needs[*]`) in the active language."""
    return reasons_text(need.get("reasons") or [])


def needs_why(needs: Iterable[Mapping[str, Any]]) -> str:
    """All stored needs' whys in one line: what the queue shows beside the flag."""
    return "; ".join(need_why(need) for need in needs)


def routed_note(data: Mapping[str, Any]) -> str:
    """What a routing event in a contact's history says, worded from its data in the active language:
    "Naar Naomi Pinas (Gevoelige gesprekken): overlijden: 'overleden'" or "Niemand met ... beschikbaar;
    in de wachtrij als gevoelig: ...". `data` holds the skill names, experience, the agent's name (when
    assigned), the flags and the needs, as `routing.services` writes them into the event."""
    names = ", ".join(data.get("skill_names") or data.get("skills") or [])
    experience = int(data.get("experience", JUNIOR))
    if experience > JUNIOR:
        level = str(Experience(experience).label).lower()
        names = _("%(skills)s, minstens %(level)s") % {"skills": names, "level": level}
    why = needs_why(data.get("needs") or [])
    if data.get("agent_name"):
        return _("Naar %(agent)s (%(skills)s): %(why)s") % {
            "agent": data["agent_name"],
            "skills": names,
            "why": why,
        }
    return _("Niemand met %(skills)s beschikbaar; in de wachtrij als %(flags)s: %(why)s") % {
        "skills": names,
        "flags": ", ".join(_(str(flag)) for flag in data.get("flags") or []),
        "why": why,
    }
