"""API: insights headline figures, emotion-based CX trends and how emotion relates to NPS/CSAT
(R13), and the emotion arc of one contact.

Scoped like the dashboards (managers everything, a team lead their team, a department owner their
reasons; 403 otherwise). Every figure endpoint also answers CSV with `?format=csv`, the same rows as
the desk page's CSV link.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from gezien.api.auth import require_perm
from gezien.api.common import DbId, get_or_404
from gezien.api.schemas import ReportQuery
from gezien.contacts.models import Contact
from gezien.core.errors import Invalid
from gezien.core.export import csv_response
from gezien.core.period import Period
from gezien.insights import cx_report as report
from gezien.insights.cx import emotion_arcs, gain_reading
from gezien.insights.scope import Scope, insight_scope

router = Router(tags=["insights"])


class CxQuery(ReportQuery):
    dim: Literal["all", "team", "agent", "channel", "reason", "department"] = "all"
    granularity: Literal["day", "week", "month"] | None = Field(
        None, description="bucket size; default day up to 62 days, week up to a year, else month"
    )


class RelationQuery(ReportQuery):
    pass


class FiguresOut(Schema):
    contacts: float
    emotion_start: float | None
    emotion_peak: float | None
    emotion_end: float | None
    emotion_gain: float | None
    calmer_share: float | None
    negative_share: float | None
    nps: float | None
    nps_answers: float
    csat: float | None
    csat_answers: float


class SummaryOut(Schema):
    start: date
    end: date
    figures: dict[str, float | None] = Field(description="every headline figure (insights.figures)")
    previous: dict[str, float | None] = Field(description="the same figures for the period just before")


class BucketOut(Schema):
    bucket: date = Field(description="first day of the day, week (Monday) or month")
    label: str
    figures: FiguresOut


class GroupOut(Schema):
    key: str = Field(description="team/agent/reason/department id, channel code; '' for all")
    label: str
    figures: FiguresOut
    series: list[BucketOut]


class CxOut(Schema):
    start: date
    end: date
    dim: str
    granularity: str
    groups: list[GroupOut]


class ReasonRelationOut(Schema):
    key: str
    label: str
    contacts: int
    emotion_end: float | None
    emotion_gain: float | None
    nps: float | None
    nps_answers: int
    csat: float | None
    csat_answers: int
    emotion_coverage: float | None = Field(description="share of contacts with an emotion measurement")
    response_rate: float | None = Field(description="share of contacts with a survey answer")
    emotion_nps_r: float | None


class RelationOut(Schema):
    start: date
    end: date
    emotion_nps_r: float | None = Field(description="Pearson r between emotion at the end and NPS")
    nps_pairs: int
    nps_reading: str
    emotion_csat_r: float | None
    csat_pairs: int
    csat_reading: str
    emotion_coverage: float | None
    response_rate: float | None
    reasons: list[ReasonRelationOut]


class EmotionPointOut(Schema):
    message_id: int
    sent_at: datetime
    distress: float


class ContactEmotionOut(Schema):
    contact_id: int
    customer_messages: int
    start: float | None
    peak: float | None
    end: float | None
    gain: float | None
    reading: str
    negative: bool
    series: list[EmotionPointOut]


def _scoped(request: HttpRequest, query: ReportQuery) -> tuple[Scope, Period]:
    scope = insight_scope(request.user)
    period = query.period()
    return scope, period


def _cx_figures(f: dict[str, float | None]) -> dict[str, float | None]:
    return {name: f[name] for name in report.CX_FIGURES}


@router.get("/insights/summary", response=SummaryOut)
def summary(request: HttpRequest, query: Query[ReportQuery]) -> Any:
    """The headline figures of the period (emotion gain, calmer and negative share, NPS, CSAT, honest
    and naive resolution, repeat rate, SLA breach rates, contacts) and the period before."""
    scope, period = _scoped(request, query)
    now = report.headline(scope, period)
    before = report.headline(scope, report.previous(period))
    if query.format == "csv":
        names = report.figure_names()
        return csv_response(
            f"inzichten-{period.start}-{period.end}.csv",
            [_("Cijfer"), "key", f"{period.start}..{period.end}", _("Periode ervoor")],
            [(names.get(k, k), k, now[k], before[k]) for k in now],
        )
    return {"start": period.start, "end": period.end, "figures": now, "previous": before}


@router.get("/insights/cx", response=CxOut)
def cx(request: HttpRequest, query: Query[CxQuery]) -> Any:
    """Emotion at the start, peak and end, gain, calmer and negative share, NPS and CSAT per bucket
    (day/week/month) and per group of `dim`. A department owner gets 403 for team, agent and channel."""
    scope, period = _scoped(request, query)
    granularity = report.granularity_from(query.granularity, period)
    trend = report.trend(scope, period, query.dim, granularity)
    if trend.points > report.MAX_POINTS:
        raise Invalid(
            _("Te veel punten (%(n)s): kies week of maand, of een kortere periode.") % {"n": trend.points},
            field="granularity",
        )
    if query.format == "csv":
        return csv_response(
            f"klantbeleving-trend-{period.start}-{period.end}.csv",
            report.trend_header(),
            report.trend_rows(trend),
        )
    groups = [
        {
            "key": key,
            "label": trend.labels[key],
            "figures": _cx_figures(trend.totals[key]),
            "series": [
                {"bucket": b, "label": report.bucket_label(b, granularity), "figures": _cx_figures(f)}
                for b, f in trend.figures_of(key).items()
            ],
        }
        for key in trend.keys_by_contacts()
    ]
    # Built here to the CxOut shape and returned as is: validating tens of thousands of points again
    # would cost more than reading them.
    body = {"start": period.start, "end": period.end, "dim": query.dim, "granularity": granularity}
    return JsonResponse({**body, "groups": groups}, encoder=DjangoJSONEncoder)


@router.get("/insights/cx/relation", response=RelationOut)
def cx_relation(request: HttpRequest, query: Query[RelationQuery]) -> Any:
    """Pearson r between the customer's emotion at the end and NPS / CSAT, read in plain Dutch, and
    per contact reason: contacts, emotion coverage, survey response rate, emotion, NPS and CSAT."""
    scope, period = _scoped(request, query)
    relation = report.relation(scope, period)
    if query.format == "csv":
        return csv_response(
            f"klantbeleving-relation-{period.start}-{period.end}.csv",
            report.relation_header(),
            report.relation_rows(relation),
        )
    return {
        "start": period.start,
        "end": period.end,
        "emotion_nps_r": relation.nps_r,
        "nps_pairs": relation.nps_pairs,
        "nps_reading": relation.nps_reading,
        "emotion_csat_r": relation.csat_r,
        "csat_pairs": relation.csat_pairs,
        "csat_reading": relation.csat_reading,
        "emotion_coverage": relation.emotion_coverage,
        "response_rate": relation.response_rate,
        "reasons": [vars(p) for p in relation.reasons],
    }


@router.get("/contacts/{contact_id}/emotion", response=ContactEmotionOut)
def contact_emotion(request: HttpRequest, contact_id: DbId) -> Any:
    """The customer's distress per message of one contact (their strongest negative emotion, 0..1),
    and start, peak, end and gain (start − end: > 0 means they left calmer)."""
    require_perm(request, "contacts.view_contact")
    contact = get_or_404(Contact, contact_id)
    arc = emotion_arcs([contact.pk]).get(contact.pk)
    points = arc.points if arc else []
    columns = arc.columns() if arc else {"negative": False}
    return {
        "contact_id": contact.pk,
        "customer_messages": len(points),
        "start": arc.start if arc else None,
        "peak": arc.peak if arc else None,
        "end": arc.end if arc else None,
        "gain": arc.gain if arc else None,
        "reading": gain_reading(arc.gain, arc.end) if arc else gain_reading(None),
        "negative": columns["negative"],
        "series": [{"message_id": m, "sent_at": s, "distress": d} for m, s, d in points],
    }
