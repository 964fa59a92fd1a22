"""Reads of surveys: what the contact page shows, and the answers a manager or team lead may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, Value
from django.utils import timezone

from gezien.contacts.models import Contact
from gezien.contacts.vocabulary import THRESHOLD, label, strength, valence
from gezien.insights.scope import Scope
from gezien.insights.surveys.models import SurveyInvitation, SurveyResponse, SurveySkip


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def responses_in_scope(
    scope: Scope, start: date, end: date, kind: str | None = None
) -> QuerySet[SurveyResponse]:
    """Answers given on the local days [start, end] about contacts this scope covers: everything for a
    manager, the own team's contacts for a team lead, the own departments' reasons for an owner.

    Each row carries `agent_shown`: False for a department owner, who gets no per-agent figures, so
    no agent's name or id goes with a score (`agents_shown`)."""
    related = ["invitation__contact__team", "invitation__contact__reason", "invitation__customer"]
    if agents_shown(scope):
        related.append("invitation__contact__assigned_agent")
    rows = (
        SurveyResponse.objects.filter(
            answered_at__gte=_day_start(start), answered_at__lt=_day_start(end + timedelta(days=1))
        )
        .select_related(*related)
        .annotate(agent_shown=Value(agents_shown(scope)))
    )
    if kind:
        rows = rows.filter(kind=kind)
    if scope.everything:
        return rows
    if scope.team_id is not None:
        return rows.filter(invitation__contact__team_id=scope.team_id)
    departments = scope.department_ids
    return rows.filter(
        Q(invitation__contact__reason__department_id__in=departments)
        | Q(
            invitation__contact__reason__department__isnull=True,
            invitation__contact__reason__parent__department_id__in=departments,
        )
    )


def agents_shown(scope: Scope) -> bool:
    """Whether the answers may name the agent: managers and team leads yes, department owners no (the
    scope rule: no per-agent figures for them)."""
    return not scope.is_department


@dataclass
class Feeling:
    signal: str
    label: str
    strength: str
    valence: str


def comment_feelings(analysis: dict[str, Any] | None) -> list[Feeling]:
    """The emotions found in a comment, strongest first ("boos (sterk)"), as the desk shows signals."""
    emotions: dict[str, float] = (analysis or {}).get("emotions") or {}
    shown = [(n, s) for n, s in sorted(emotions.items(), key=lambda item: -item[1]) if s >= THRESHOLD]
    return [Feeling(n, label(n), strength(s), valence(n)) for n, s in shown[:3]]


@dataclass
class ContactSurvey:
    """The survey block of a contact page: sent, refused with the reason, or answered."""

    invitation: SurveyInvitation | None = None
    skip: SurveySkip | None = None
    response: SurveyResponse | None = None
    feelings: list[Feeling] = field(default_factory=list)
    comment_evidence: list[Any] = field(default_factory=list)  # the desk marks it in the comment

    @property
    def expired(self) -> bool:
        inv = self.invitation
        return inv is not None and inv.answered_at is None and timezone.now() >= inv.expires_at


# Plain SQL: every contact page asks, and most contacts have neither an invitation nor a skip.
_SURVEY_ROWS_SQL = (
    "SELECT EXISTS(SELECT 1 FROM {invitation} WHERE contact_id = %s),"
    " EXISTS(SELECT 1 FROM {skip} WHERE contact_id = %s)"
)


def contact_survey(contact: Contact) -> ContactSurvey:
    """Two queries at most, whatever happened; one when nothing did."""
    sql = _SURVEY_ROWS_SQL.format(invitation=SurveyInvitation._meta.db_table, skip=SurveySkip._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [contact.pk, contact.pk])
        invited, skipped = cursor.fetchone() or (False, False)
    invitation = (
        SurveyInvitation.objects.filter(contact=contact).select_related("response").first()
        if invited
        else None
    )
    if invitation is None:
        return ContactSurvey(skip=SurveySkip.objects.filter(contact=contact).first() if skipped else None)
    response = getattr(invitation, "response", None)
    out = ContactSurvey(invitation=invitation, response=response)
    if response is not None and response.comment:
        out.feelings = comment_feelings(response.comment_analysis)
        out.comment_evidence = (response.comment_analysis or {}).get("evidence") or []
    return out
