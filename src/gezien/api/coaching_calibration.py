"""API: calibration of the habits' read (issue 19). Team leads score a sample of contacts by hand and see
where they and the automatic read agree: GET /api/coaching/calibration (per habit: n, agreement %,
weighted kappa, mean absolute difference, bias; the disagreements with their moments), GET
/api/coaching/calibration/sample (contacts to score), POST /api/coaching/calibration/contacts/{id}
(the hand scores), GET /api/coaching/calibration/export (JSON lines, the input for retuning the read).

Team leads their own team's contacts, managers every team's; no agent names (calibration judges the read)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from gezien.api.coaching import CoachingMomentOut, HabitLiteral
from gezien.api.common import DbId
from gezien.api.input import In
from gezien.api.schemas import PersonOut
from gezien.audit.log import audit_contact, audit_from_request
from gezien.coaching import calibration
from gezien.coaching.selectors import scope_for

router = Router(tags=["coaching"])


class HabitAgreementOut(Schema):
    habit: HabitLiteral
    label: str
    n: int = Field(description="contacts scored by hand on this habit ('n.v.t.' included)")
    agree: int = Field(description="pairs that agree: both n.v.t., or both scored within 15 points")
    agreement: int | None = Field(description="agree / n in percent; null: nothing scored")
    applies_agreement: int | None = Field(description="percent agreeing on whether the habit applies")
    both_scored: int = Field(description="pairs where the lead and the read both scored")
    mad: float | None = Field(description="mean absolute difference in points where both scored")
    bias: float | None = Field(description="the read minus the lead on average, in points")
    kappa: float | None = Field(description="Cohen's quadratic-weighted kappa over five bands of 20 points")


class DisagreementOut(Schema):
    contact_id: int
    habit: HabitLiteral
    label: str
    lead: PersonOut | None
    lead_score: int | None = Field(description="null: niet van toepassing")
    read_score: int | None = Field(description="the read now; null: it does not apply")
    scored_at: datetime
    moments: list[CoachingMomentOut]


class CalibrationOut(Schema):
    contacts: int = Field(description="contacts scored by hand in your scope")
    scores: int
    habits: list[HabitAgreementOut]
    disagreements: list[DisagreementOut] = Field(description="newest first, at most 100")


class SampleContactOut(Schema):
    contact_id: int
    channel: str
    reason: str | None
    closed_at: datetime


class SampleQuery(In):
    size: int = Field(calibration.SAMPLE_SIZE, ge=1, le=calibration.SAMPLE_MAX)


class CalibrationIn(In):
    # Checked by the service after the role (a refused role gets 403 before its body is looked at).
    scores: dict[str, int | None] = Field(
        description="habit (uitpraten, vragen, rustig, terugkoppelen, eerst_luisteren, register) -> 0..100, "
        "or null for 'niet van toepassing'; a habit left out is not scored"
    )


class CalibrationScoreOut(Schema):
    contact_id: int
    habit: HabitLiteral
    score: int | None
    read_score: int | None = Field(description="the read's score when scored")
    read_version: str


class ExportQuery(In):
    since: datetime | None = None


def _agreement(h: calibration.HabitAgreement) -> dict[str, Any]:
    return {**vars(h), "agreement": h.agreement, "applies_agreement": h.applies_agreement}


@router.get("/coaching/calibration", response=CalibrationOut)
def overview(request: HttpRequest) -> Any:
    """Per habit how the team leads' hand scores agree with the read, and the disagreements."""
    found = calibration.calibration_overview(request.user)
    return {
        "contacts": found.contacts,
        "scores": found.scores,
        "habits": [_agreement(h) for h in found.habits],
        "disagreements": found.disagreements,
    }


@router.get("/coaching/calibration/sample", response=list[SampleContactOut])
def sample(request: HttpRequest, query: Query[SampleQuery]) -> Any:
    """Contacts with a read for you to score, not yet scored by you, spread over agents and reasons."""
    return [
        {
            "contact_id": r.pk,
            "channel": r.contact.channel,
            "reason": r.contact.reason.name if r.contact.reason else None,
            "closed_at": r.closed_at,
        }
        for r in calibration.calibration_sample(request.user, query.size)
    ]


@router.post("/coaching/calibration/contacts/{contact_id}", response={201: list[CalibrationScoreOut]})
def score(request: HttpRequest, contact_id: DbId, body: CalibrationIn) -> Any:
    """Your hand scores of one contact (scoring a habit again replaces your earlier score)."""
    scope_for(request.user)  # leads only, before the contact is looked at
    saved = calibration.calibration_save(
        actor=request.user, contact_id=contact_id, scores={str(k): v for k, v in body.scores.items()}
    )
    audit_contact(request, "coaching.calibrate", saved[0].read.contact, habits=len(saved))
    return Status(
        201,
        [
            {
                "contact_id": s.read_id,
                "habit": s.habit,
                "score": s.score,
                "read_score": s.read_score,
                "read_version": s.read_version,
            }
            for s in saved
        ],
    )


def _lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


@router.get(
    "/coaching/calibration/export",
    response={200: None},
    openapi_extra={
        "responses": {200: {"description": "one JSON object a line", "content": {"application/x-ndjson": {}}}}
    },
)
def export(request: HttpRequest, query: Query[ExportQuery]) -> StreamingHttpResponse:
    """The hand scores in your scope as JSON lines, beside the read then and now (see docs/coaching.md)."""
    rows = calibration.calibration_export(request.user, query.since)
    audit_from_request(
        request, action="coaching.calibration_export", object_type="team", object_id="", details={}
    )
    return StreamingHttpResponse(_lines(rows), content_type="application/x-ndjson; charset=utf-8")
