"""The survey pages: the public page a customer answers on (/s/<token>/: the question, or a message
such as "bedankt" or "verlopen") in the customer's language, and the desk's list of answers
(/insights/surveys/)."""

from __future__ import annotations

from typing import Any, TypedDict

from django.utils import formats, timezone, translation

from gezien.core.errors import DomainError
from gezien.core.period import Period
from gezien.desksettings.store import desk_setting
from gezien.insights.figures import figures
from gezien.insights.scope import Scope, scoped_totals
from gezien.insights.surveys import selectors
from gezien.insights.surveys.links import AlreadyAnswered, LinkExpired
from gezien.insights.surveys.models import COMMENT_CHARS, SurveyInvitation, SurveyKind, SurveyResponse
from gezien.insights.surveys.selectors import Feeling
from gezien.insights.surveys.texts import Texts, texts
from gezien.web.pages.shapes import Choices

RESPONSES_SHOWN = 500


class PublicPage(TypedDict):
    """What every public survey page has: its texts in the customer's language and the other one."""

    t: Texts
    org: str
    language: str
    other_language: str
    other_label: str


class MessagePage(PublicPage):
    title: str
    text: str


class FormPage(PublicPage):
    token: str
    scale: list[int]
    question: str
    low: str
    high: str
    intro: str
    comment_chars: int
    error: str  # the answer was refused: why ("" when not), with what was given kept below
    chosen: str
    resolved: str
    comment: str


class Given(TypedDict, total=False):
    """A refused answer: the message, and what the customer gave, to show again."""

    error: str
    chosen: str
    resolved: str
    comment: str


def _public(language: str) -> PublicPage:
    t = texts(language)
    return {
        "t": t,
        "org": desk_setting("organisation_name"),
        "language": language,
        "other_language": "en" if language == "nl" else "nl",
        "other_label": t["language"],
    }


def message_page(language: str, title: str, text: str) -> MessagePage:
    return {**_public(language), "title": title, "text": text}


def thanks_page(language: str) -> MessagePage:
    t = texts(language)
    return message_page(language, t["thanks_title"], t["thanks"])


def refused_page(exc: DomainError, invitation: SurveyInvitation | None, language: str) -> MessagePage:
    """Why the link does not open a question: expired (until when), answered already, or not ours."""
    t = texts(language)
    if isinstance(exc, LinkExpired) and invitation is not None:
        with translation.override(language):
            until = formats.date_format(timezone.localtime(invitation.expires_at), "j F Y")
        return message_page(language, t["expired_title"], t["expired"].format(until=until))
    if isinstance(exc, AlreadyAnswered):
        return message_page(language, t["answered_title"], t["answered"])
    return message_page(language, t["tampered_title"], t["tampered"])


def form_page(
    invitation: SurveyInvitation, token: str, language: str, given: Given | None = None
) -> FormPage:
    """The question (NPS 0-10 or CSAT 1-5), "opgelost?" and a comment; a refused answer comes back with
    its message and what was given."""
    t = texts(language)
    org = desk_setting("organisation_name")
    nps = invitation.kind == SurveyKind.NPS
    given = given or {}
    return {
        **_public(language),
        "token": token,
        "scale": list(range(0, 11)) if nps else list(range(1, 6)),
        "question": t["nps_question" if nps else "csat_question"].format(org=org),
        "low": t["nps_low" if nps else "csat_low"],
        "high": t["nps_high" if nps else "csat_high"],
        "intro": t["intro"].format(org=org),
        "comment_chars": COMMENT_CHARS,
        "error": given.get("error", ""),
        "chosen": given.get("chosen", ""),
        "resolved": given.get("resolved", ""),
        "comment": given.get("comment", ""),
    }


class ResponsesPage(TypedDict):
    rows: list[tuple[SurveyResponse, list[Feeling]]]
    period: Period
    kind: str
    figures: dict[str, Any]
    nps_answers: int
    csat_answers: int
    kinds: Choices
    agents_shown: bool  # False for a department owner: no agent column


def responses_page(scope: Scope, period: Period, kind: str | None) -> ResponsesPage:
    """The latest answers in the scope (500 at most), with the feelings in their comments, and the
    period's NPS and CSAT."""
    answers = selectors.responses_in_scope(scope, period.start, period.end, kind)
    rows = list(answers.order_by("-answered_at")[:RESPONSES_SHOWN])
    headline = figures(scoped_totals(scope, period.start, period.end)[""])
    return {
        "rows": [(r, selectors.comment_feelings(r.comment_analysis)) for r in rows],
        "period": period,
        "kind": kind or "",
        "figures": headline,
        "nps_answers": int(headline.get("nps_answers") or 0),
        "csat_answers": int(headline.get("csat_answers") or 0),
        "kinds": SurveyKind.choices,
        "agents_shown": selectors.agents_shown(scope),
    }


class RefusedResponsesPage(TypedDict):
    error: str  # why the period was refused
    rows: list[tuple[SurveyResponse, list[Feeling]]]  # none


def responses_refused_page(error: str) -> RefusedResponsesPage:
    return {"error": error, "rows": []}
