"""/api/contacts/{id}/survey, /api/surveys/{token}, /api/surveys/{token}/answer and
/api/surveys/responses: surveys after a closed contact (issue 5).

The two token endpoints take no API token: the signed link is the credential, so a customer's browser
or an organisation's own survey tool can use them. They answer like the public page: 400 for a link that
was changed or cut short, 410 when it expired, 409 when it was answered already.
"""

# No `from __future__ import annotations` here: ninja's paginate wrapper could not resolve the string
# annotation `Query[ResponsesQuery]` of the paginated list.

from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, Field

from gezien.api.auth import require_perm
from gezien.api.common import BoundedLimitOffset, DbId, get_or_404
from gezien.api.input import In
from gezien.api.schemas import PeriodQuery
from gezien.contacts.models import Contact
from gezien.desksettings.store import desk_setting
from gezien.insights.scope import insight_scope
from gezien.insights.surveys import selectors, services
from gezien.insights.surveys.links import (
    TOKEN_CHARS,
    invitation_check_open,
    invitation_for_token,
    survey_token,
    survey_url,
)
from gezien.insights.surveys.models import COMMENT_CHARS, SurveyInvitation, SurveyKind, SurveyResponse
from gezien.insights.surveys.texts import texts

router = Router(tags=["surveys"])

KindLiteral = Literal["nps", "csat"]


class InvitationOut(Schema):
    id: int
    contact_id: int
    kind: KindLiteral
    language: Literal["nl", "en"]
    token: str = Field(description="the credential of the survey; put it in your own link or use `url`")
    url: str = Field(description="the public survey page (GEZIEN_BASE_URL + /s/<token>/)")
    created_at: datetime
    expires_at: datetime

    @staticmethod
    def resolve_token(obj: SurveyInvitation) -> str:
        return survey_token(obj)

    @staticmethod
    def resolve_url(obj: SurveyInvitation) -> str:
        return survey_url(survey_token(obj))


class SurveyOut(Schema):
    kind: KindLiteral
    language: Literal["nl", "en"]
    organisation: str
    question: str = Field(description="the question in the invitation's language")
    resolved_question: str
    min_score: int
    max_score: int
    expires_at: datetime


class AnswerIn(In):
    model_config = ConfigDict(extra="forbid")

    score: int = Field(description="0..10 for NPS, 1..5 for CSAT", strict=True)
    resolved: bool | None = Field(
        None, description="'Is uw vraag helemaal opgelost?' (optional)", strict=True
    )
    comment: str = Field("", max_length=COMMENT_CHARS)


class AnswerOut(Schema):
    kind: KindLiteral
    score: int
    resolved: bool | None
    comment: str
    comment_emotions: list[str] = Field(description="emotions found in the comment, strongest first")
    answered_at: datetime

    @staticmethod
    def resolve_comment_emotions(obj: SurveyResponse) -> list[str]:
        return [f.signal for f in selectors.comment_feelings(obj.comment_analysis)]


class ResponseOut(Schema):
    id: int
    contact_id: int
    channel: str
    team_id: int | None
    agent_id: int | None = Field(description="null for a department owner (no per-agent figures)")
    reason: str | None = Field(description="the contact reason's code")
    kind: KindLiteral
    score: int
    resolved: bool | None
    comment: str
    comment_emotions: list[str]
    comment_analysis: dict[str, Any] | None = Field(description="the comment's signals (gezien.analysis)")
    answered_at: datetime

    @staticmethod
    def resolve_contact_id(obj: SurveyResponse) -> int:
        return obj.invitation.contact_id

    @staticmethod
    def resolve_channel(obj: SurveyResponse) -> str:
        return obj.invitation.contact.channel

    @staticmethod
    def resolve_team_id(obj: SurveyResponse) -> int | None:
        return obj.invitation.contact.team_id

    @staticmethod
    def resolve_agent_id(obj: SurveyResponse) -> int | None:
        if not getattr(obj, "agent_shown", False):
            return None
        return obj.invitation.contact.assigned_agent_id

    @staticmethod
    def resolve_reason(obj: SurveyResponse) -> str | None:
        reason = obj.invitation.contact.reason
        return reason.code if reason else None

    @staticmethod
    def resolve_comment_emotions(obj: SurveyResponse) -> list[str]:
        return [f.signal for f in selectors.comment_feelings(obj.comment_analysis)]


class ResponsesQuery(PeriodQuery):
    kind: KindLiteral | None = None


@router.post("/contacts/{contact_id}/survey", response={201: InvitationOut})
def create_survey(request: HttpRequest, contact_id: DbId) -> Status[Any]:
    """A survey for a closed contact, for organisations that send it themselves (GEZIEN_SURVEY_SEND=off
    or their own channel). 409 with the reason in Dutch when none may follow it: a bereavement, illness
    or abuse contact, an unidentified customer, the quiet period, or a survey made already."""
    require_perm(request, "contacts.handle_contact")
    contact = get_or_404(Contact, contact_id)
    return Status(201, services.survey_invite(contact=contact))


@router.get("/surveys/responses", response=list[ResponseOut])
@paginate(BoundedLimitOffset)
def list_responses(request: HttpRequest, filters: Query[ResponsesQuery]) -> QuerySet[SurveyResponse]:
    """Answers given in the period (by answer date), newest first: managers see all, a team lead their
    own team's contacts, a department owner the contacts about their departments' reasons (without
    the agent: `agent_id` is null for them)."""
    scope = insight_scope(request.user)
    period = filters.period()
    return selectors.responses_in_scope(scope, period.start, period.end, filters.kind).order_by(
        "-answered_at", "-id"
    )


@router.get("/surveys/{token}", response=SurveyOut, auth=None)
def read_survey(request: HttpRequest, token: str) -> dict[str, Any]:
    """The survey behind a link (no API token: the link is the credential)."""
    invitation = invitation_for_token(token[: TOKEN_CHARS + 1])
    invitation_check_open(invitation, timezone.now())
    t = texts(invitation.language)
    org = desk_setting("organisation_name")
    nps = invitation.kind == SurveyKind.NPS
    return {
        "kind": invitation.kind,
        "language": invitation.language,
        "organisation": org,
        "question": t["nps_question" if nps else "csat_question"].format(org=org),
        "resolved_question": t["resolved_question"],
        "min_score": 0 if nps else 1,
        "max_score": 10 if nps else 5,
        "expires_at": invitation.expires_at,
    }


@router.post("/surveys/{token}/answer", response={201: AnswerOut}, auth=None)
def answer_survey(request: HttpRequest, token: str, payload: AnswerIn) -> Status[Any]:
    """Answer the survey behind a link, once."""
    response = services.survey_answer(
        token=token[: TOKEN_CHARS + 1],
        score=payload.score,
        resolved=payload.resolved,
        comment=payload.comment,
    )
    return Status(201, response)
