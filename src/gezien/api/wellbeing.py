"""API: agents' wellbeing (R17). Your own week (GET /api/wellbeing/me) and an agent's as their team lead or
a manager sees it (GET /api/wellbeing/agents/{id}), the team overview with the days that call for scaling
up (GET /api/wellbeing/overview), the break prompt (GET /api/wellbeing/prompt, POST /api/wellbeing/break),
protections (POST .../protections/{id}/decompress and /end), alerts (GET /api/wellbeing/alerts, POST
.../alerts/{id}/acknowledge) and the policy (GET and PUT /api/wellbeing/policy).

Roles as in the desk: agents their own page, team leads their team (per agent only when the organisation
allows it: `per_agent_views`), managers everyone and the policy."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.accounts.models import Team, User
from gezien.api.auth import require_perm
from gezien.api.common import MAX_ID, DbId, find_or_404
from gezien.api.input import In
from gezien.api.schemas import PersonOut, name_of
from gezien.audit.log import audit_from_request
from gezien.core.errors import Forbidden, Invalid, NotFound
from gezien.wellbeing import selectors, services
from gezien.wellbeing.alerts import alert_acknowledge as acknowledge_alert
from gezien.wellbeing.load import PART_NAMES, Load
from gezien.wellbeing.models import ContactLoad, Protection, WellbeingAlert, WellbeingPolicy

router = Router(tags=["wellbeing"])

OWN = "wellbeing.view_own_wellbeing"
KindLiteral = Literal["continuous", "daily_queue", "lunch_only"]
TriggerLiteral = Literal["abuse", "incident", "heavy_run"]


# --- output ---------------------------------------------------------------------------------------------


class DayOut(Schema):
    day: date
    queue_minutes: int = Field(description="available, in contact or after-contact work")
    longest_minutes: int = Field(description="the longest stretch on the queue without a counted break")
    breaks: int = Field(description="breaks besides lunch of at least min_break_minutes")
    break_minutes: int
    lunch_minutes: int
    contacts: int = Field(description="contacts closed (handled) this day")
    load: float = Field(description="the handled contacts' loads added up")
    heavy: int
    abusive: int
    incidents: int
    crossed: list[KindLiteral] = Field(description="the lines of the policy crossed this day")


class ProtectionOut(Schema):
    id: int
    user_id: int
    contact_id: int | None
    trigger: TriggerLiteral
    reason: str
    starts_at: datetime
    ends_at: datetime
    decompression_minutes: int
    break_taken_at: datetime | None
    ended_early_at: datetime | None
    active: bool = Field(description="routing passes them by for heavy contacts now")

    @staticmethod
    def resolve_active(obj: Protection) -> bool:
        return obj.ended_early_at is None and obj.starts_at <= timezone.now() < obj.ends_at


class WellbeingNowOut(Schema):
    working: bool = Field(description="on the queue now")
    state: str
    stretch_minutes: int = Field(description="on the queue without a counted break, so far")
    since: datetime | None
    over: bool = Field(description="longer than continuous_minutes: the desk prompts a break")
    protection: ProtectionOut | None


class LoadOut(Schema):
    contact_id: int
    closed_at: datetime
    load: float = Field(description="0..1: the strongest of abuse, 0.8 anger, 0.7 sadness/stress, ...")
    abuse: float
    anger: float
    distress: float
    disappointment: float
    life_event: str
    abusive: bool
    heavy: bool
    why: str = Field(description="the part that set the load, in words")


class AbuseIncidentOut(Schema):
    id: int
    contact_id: int
    source: str
    created_at: datetime
    break_taken_at: datetime | None


class AgentWeekOut(Schema):
    agent: PersonOut
    week: date = Field(description="the Monday")
    days: list[DayOut]
    total: DayOut
    contacts: list[LoadOut] = Field(description="the week's handled contacts, newest first (200 at most)")
    incidents: list[AbuseIncidentOut]
    protections: list[ProtectionOut]
    now: WellbeingNowOut


class ScaleUpOut(Schema):
    day: date
    continuous: int
    daily_queue: int
    lunch_only: int
    people: list[PersonOut] = Field(description="who crossed a line; empty when per-agent views are off")


class AgentLineOut(Schema):
    agent: PersonOut
    total: DayOut
    days: list[DayOut]


class TeamWeekOut(Schema):
    team_id: int | None
    team: str | None
    days: list[DayOut]
    total: DayOut
    scale_up: list[ScaleUpOut] = Field(description="the days someone crossed a line ('opschalen')")
    agents: list[AgentLineOut] = Field(description="empty when per-agent views are off for team leads")


class NowLineOut(Schema):
    agent: PersonOut
    now: WellbeingNowOut

    @staticmethod
    def resolve_agent(obj: selectors.NowLine) -> User:
        return obj.user


class AlertOut(Schema):
    id: int
    agent: PersonOut
    kind: KindLiteral
    day: date
    minutes: int
    since: datetime | None
    text: str
    raised_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None = Field(description="the name of the lead who acknowledged it")

    @staticmethod
    def resolve_agent(obj: WellbeingAlert) -> User:
        return obj.user

    @staticmethod
    def resolve_acknowledged_by(obj: WellbeingAlert) -> str | None:
        return name_of(obj.acknowledged_by)


class OverviewOut(Schema):
    week: date
    per_agent: bool
    teams: list[TeamWeekOut]
    now: list[NowLineOut] = Field(description="working too long without a break, or protected, now")
    alerts: list[AlertOut] = Field(description="open alerts")


class PromptOut(Schema):
    kind: Literal["none", "break", "decompress"]
    minutes: int = Field(description="the break offered")
    worked_minutes: int
    since: datetime | None
    protection: ProtectionOut | None


class WellbeingPolicyOut(Schema):
    continuous_minutes: int
    daily_queue_minutes: int
    min_break_minutes: int
    lunch_only_minutes: int
    heavy_load_at: float
    heavy_run: int
    heavy_window_minutes: int
    protect_minutes: int
    decompression_minutes: int
    per_agent_views: bool
    updated_at: datetime | None = Field(description="null: the defaults, never changed")


class WellbeingPolicyIn(In):
    """Fields left out keep their value."""

    continuous_minutes: int | None = Field(None, ge=15, le=720)
    daily_queue_minutes: int | None = Field(None, ge=60, le=1440)
    min_break_minutes: int | None = Field(None, ge=1, le=60)
    lunch_only_minutes: int | None = Field(None, ge=60, le=1440)
    heavy_load_at: float | None = Field(None, ge=0.05, le=1.0)
    heavy_run: int | None = Field(None, ge=1, le=20)
    heavy_window_minutes: int | None = Field(None, ge=5, le=1440)
    protect_minutes: int | None = Field(None, ge=1, le=480)
    decompression_minutes: int | None = Field(None, ge=1, le=60)
    per_agent_views: bool | None = None


class WeekQuery(In):
    week: date | None = Field(None, description="any day of the week (YYYY-MM-DD); default this week")


class OverviewQuery(WeekQuery):
    team: int | None = Field(None, ge=1, le=MAX_ID, description="one team (managers); default all in view")


class AlertQuery(In):
    open: bool = Field(False, description="only those no lead has acknowledged")
    limit: int = Field(100, ge=1, le=500)


# --- shaping --------------------------------------------------------------------------------------------


def _load(row: ContactLoad, rules: WellbeingPolicy) -> dict[str, Any]:
    found = Load(row.load, row.abuse, row.anger, row.distress, row.disappointment, row.life_event)
    return {
        "contact_id": row.contact_id,
        "closed_at": row.closed_at,
        "load": row.load,
        "abuse": row.abuse,
        "anger": row.anger,
        "distress": row.distress,
        "disappointment": row.disappointment,
        "life_event": row.life_event,
        "abusive": row.abusive,
        "heavy": row.load >= rules.heavy_load_at,
        "why": str(PART_NAMES.get(found.strongest, "")),
    }


def _week(agent: User, query: WeekQuery) -> dict[str, Any]:
    now = timezone.now()
    week = selectors.agent_week(agent, selectors.week_of(query.week, now), now)
    return {
        "agent": agent,
        "week": week.monday,
        "days": week.days,
        "total": week.total,
        "contacts": [_load(row, week.rules) for row in week.loads],
        "incidents": week.incidents,
        "protections": week.protections,
        "now": week.now,
    }


# --- endpoints ------------------------------------------------------------------------------------------


@router.get("/wellbeing/me", response=AgentWeekOut)
def my_week(request: HttpRequest, query: Query[WeekQuery]) -> Any:
    """Your own week: time on the queue, breaks, handled contacts and their load, abuse, protections."""
    require_perm(request, OWN)
    me = current_user(request)
    return _week(selectors.agent_for(me, me.pk), query)


@router.get("/wellbeing/agents/{user_id}", response=AgentWeekOut)
def agent_week(request: HttpRequest, user_id: DbId, query: Query[WeekQuery]) -> Any:
    """An agent's week as their team lead (per-agent views on) or a manager sees it; 404 outside your
    team, 403 when per-agent views are off."""
    return _week(selectors.agent_for(request.user, user_id), query)


@router.get("/wellbeing/overview", response=OverviewOut)
def overview(request: HttpRequest, query: Query[OverviewQuery]) -> Any:
    """Each team's week in view (team leads their own, managers all or `team`), with the days someone
    crossed a line of the policy ("opschalen"), who needs a break or is protected now, and open alerts."""
    scope = selectors.scope_for(request.user)
    if query.team is not None and (scope.team_id not in (None, query.team) or not _team_exists(query.team)):
        raise NotFound(_("Dit team bestaat niet of is niet het uwe."))
    now = timezone.now()
    view = selectors.overview(scope, selectors.week_of(query.week, now), now, team_id=query.team)
    names = scope.per_agent
    return {
        "week": view.monday,
        "per_agent": names,
        "teams": [
            {
                "team_id": t.team.pk if t.team else None,
                "team": t.team.name if t.team else None,
                "days": t.days,
                "total": t.total,
                "scale_up": [
                    {
                        "day": s.day,
                        "continuous": len(s.continuous),
                        "daily_queue": len(s.daily_queue),
                        "lunch_only": len(s.lunch_only),
                        "people": list(
                            {u.pk: u for u in (*s.continuous, *s.daily_queue, *s.lunch_only)}.values()
                        )
                        if names
                        else [],
                    }
                    for s in t.scale_up
                ],
                "agents": [{"agent": a.user, "total": a.total, "days": a.days} for a in t.agents]
                if names
                else [],
            }
            for t in view.teams
        ],
        "now": view.now,
        "alerts": view.alerts,
    }


def _team_exists(team_id: int) -> bool:

    return Team.objects.filter(pk=team_id).exists()


@router.get("/wellbeing/prompt", response=PromptOut)
def prompt(request: HttpRequest) -> Any:
    """The break prompt the desk shows you now: a break after a long stretch, time to bijkomen after a
    heavy contact, or none."""
    require_perm(request, OWN)
    now = timezone.now()
    found = selectors.prompt_for(request.user, now)
    if found is None:
        return {"kind": "none", "minutes": 0, "worked_minutes": 0, "since": None, "protection": None}
    return found


@router.post("/wellbeing/break", response=WellbeingNowOut)
def take_break(request: HttpRequest) -> Any:
    """Take the break the prompt offers ("Pauze nemen"): a short break now."""
    require_perm(request, "presence.set_own_state")
    me = current_user(request)
    services.break_take(user=me)
    now = timezone.now()
    return selectors.now_for([me.pk], now, selectors.policy())[me.pk]


def _own_protection(request: HttpRequest, protection_id: int) -> Protection:
    found = selectors.protections_for(request.user)
    return find_or_404(found, protection_id, _("Deze bescherming bestaat niet."))


@router.post("/wellbeing/protections/{protection_id}/decompress", response=ProtectionOut)
def decompress(request: HttpRequest, protection_id: DbId) -> Any:
    """Take the decompression break your protection offers ("Even bijkomen")."""
    require_perm(request, OWN)
    found = _own_protection(request, protection_id)
    return services.decompression_take(protection=found, user=current_user(request))


@router.post("/wellbeing/protections/{protection_id}/end", response=ProtectionOut)
def protection_end(request: HttpRequest, protection_id: DbId) -> Any:
    """End a protection early: the agent themselves ("het gaat weer") or their team lead."""
    require_perm(request, OWN)
    found = _own_protection(request, protection_id)
    return services.protection_end(protection=found, actor=current_user(request))


@router.get("/wellbeing/alerts", response=list[AlertOut])
def alerts(request: HttpRequest, query: Query[AlertQuery]) -> Any:
    """Alerts newest first: team leads their team's, managers all, agents their own."""
    if not request.user.has_perm(OWN) and not request.user.has_perm("wellbeing.view_team_wellbeing"):
        raise Forbidden(_("Uw rol mag dit niet."))
    found = selectors.alerts_for(request.user).select_related("user__team")
    if query.open:
        found = found.filter(acknowledged_at__isnull=True)
    return list(found[: query.limit])


@router.post("/wellbeing/alerts/{alert_id}/acknowledge", response=AlertOut)
def alert_acknowledge(request: HttpRequest, alert_id: DbId) -> Any:
    """A team lead or manager marks an alert as seen (and acted on)."""
    require_perm(request, "wellbeing.view_team_wellbeing")
    found = find_or_404(selectors.alerts_for(request.user), alert_id, _("Dit signaal bestaat niet."))
    return acknowledge_alert(alert=found, actor=current_user(request))


@router.get("/wellbeing/policy", response=WellbeingPolicyOut)
def policy_get(request: HttpRequest) -> Any:
    """The organisation's wellbeing policy (everyone in the desk may read it)."""
    require_perm(request, OWN)
    return selectors.policy()


@router.put("/wellbeing/policy", response=WellbeingPolicyOut)
def policy_put(request: HttpRequest, body: WellbeingPolicyIn) -> Any:
    """Change the policy (managers); fields left out keep their value."""
    require_perm(request, "wellbeing.manage_wellbeing_policy")
    values = {k: v for k, v in body.model_dump().items() if v is not None}
    if not values:
        raise Invalid(_("Geef minstens één veld van het beleid."))
    result = services.policy_save(actor=request.user, **values)
    audit_from_request(
        request,
        action="settings.change",
        object_type="wellbeing_policy",
        object_id="",
        details={"change": "update"},
    )
    return result
