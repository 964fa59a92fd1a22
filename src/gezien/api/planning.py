"""API for the staffing plan (issue 6).

- Targets: GET /api/planning/targets, PUT /api/planning/targets/{channel} (managers).
- Forecast: GET /api/planning/forecast?channel=&day= (per interval, before and after edits).
- Edits: GET/POST /api/planning/adjustments, DELETE /api/planning/adjustments/{id}.
- History: GET /api/planning/history?channel=&from=&to= (per day), POST /api/planning/history (JSON
  rows of a telephony platform's interval data), POST /api/planning/history/csv (the same as a file).
- Shifts: GET/POST /api/planning/shifts, PATCH/DELETE /api/planning/shifts/{id},
  POST /api/planning/shifts/csv (team leads their own team, managers everyone).
- Plan and gaps: GET /api/planning/plan?channel=&day=, GET /api/planning/gaps?from=&to=&channel=.

Reading needs `planning.view_plan` (team leads and up), edits `planning.edit_forecast`, targets
`planning.manage_targets`. Dates outside 2000-2099, unknown channels, an end before the start or wrong
types answer 4xx with the field at fault, and write nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from gezien.accounts.models import User
from gezien.api.auth import require_perm
from gezien.api.common import DbId, Moment, schema_fields
from gezien.api.input import In
from gezien.api.schemas import ChannelLiteral, name_of
from gezien.audit.log import audit_from_request
from gezien.core.errors import Invalid
from gezien.core.period import date_in_range
from gezien.planning import services
from gezien.planning.history import ImportRow, history_days, parse_history_csv
from gezien.planning.intervals import day_bounds, plan_interval_minutes
from gezien.planning.models import ForecastAdjustment, Shift
from gezien.planning.plan import DayPlan, plan_for, plans_for_days
from gezien.planning.selectors import (
    CHANNELS,
    Target,
    adjustments_between,
    shifts_between,
    targets_by_channel,
)

router = Router(tags=["planning"])

KindLiteral = Literal["percent", "volume", "aht"]
MAX_UPLOAD = 2 * 1024 * 1024


# --- schemas ----------------------------------------------------------------------------------------


class ServiceTargetOut(Schema):
    channel: ChannelLiteral
    service_level: float = Field(description="share answered within target_seconds (0.8 = 80 %)")
    target_seconds: int
    patience_seconds: int | None = Field(description="mean seconds before a customer hangs up; set: Erlang A")
    max_abandon: float | None
    max_occupancy: float | None
    shrinkage: float = Field(description="share of paid time not on the line (breaks, training, illness)")
    concurrency: int = Field(description="contacts one agent handles at once (chat)")
    model: Literal["erlang_a", "erlang_c"]

    @staticmethod
    def resolve_model(obj: Target) -> str:
        return "erlang_a" if obj.erlang_a else "erlang_c"


class ServiceTargetIn(In):
    service_level: float = Field(gt=0, lt=1)
    target_seconds: int = Field(ge=1, le=604_800)
    patience_seconds: int | None = Field(None, ge=1, le=86_400)
    max_abandon: float | None = Field(None, ge=0, lt=1)
    max_occupancy: float | None = Field(None, gt=0, le=1)
    shrinkage: float = Field(0.3, ge=0, le=0.9)
    concurrency: int = Field(1, ge=1, le=20)


class PlanDayQuery(In):
    channel: ChannelLiteral = "phone"
    day: date | None = Field(None, description="YYYY-MM-DD (2000-2099), default today (Europe/Amsterdam)")


class PlanRangeQuery(In):
    channel: ChannelLiteral | None = None
    from_: date | None = Field(None, alias="from", description="first day, default today")
    to: date | None = Field(None, description="last day (inclusive), default `from`")


class PlanShiftQuery(PlanRangeQuery):
    team: int | None = Field(None, ge=1, le=2**63 - 1, description="only shifts of this team's people")


class ForecastIntervalOut(Schema):
    start: datetime
    end: datetime
    volume: float
    aht_seconds: float
    base_volume: float = Field(description="the forecast before the team lead's edits")
    base_aht_seconds: float
    adjustment_ids: list[int]


class ForecastOut(Schema):
    channel: ChannelLiteral
    day: date
    interval_minutes: int
    closed: str | None = Field(description="why the desk is closed that day (a holiday), else null")
    history_days: int = Field(description="days of history the forecast learnt from")
    volume: float
    intervals: list[ForecastIntervalOut]

    @staticmethod
    def resolve_volume(obj: DayPlan) -> float:
        return round(obj.volume, 3)


class AdjustmentOut(Schema):
    id: int
    channel: ChannelLiteral
    start: datetime
    end: datetime
    kind: KindLiteral
    value: float
    note: str
    created_by: str | None
    created_at: datetime

    @staticmethod
    def resolve_created_by(obj: ForecastAdjustment) -> str | None:
        return name_of(obj.created_by)


class AdjustmentIn(In):
    channel: ChannelLiteral
    start: Moment
    end: Moment
    kind: KindLiteral = Field(
        description="percent (+40 = 40 % more), volume (contacts over the range), aht (s)"
    )
    value: float
    note: str = Field("", max_length=200)


class HistoryRowIn(In):
    channel: ChannelLiteral
    start: Moment = Field(description="the interval's start, on a whole quarter")
    minutes: Literal[15, 30, 60] = 15
    offered: float = Field(ge=0, le=1_000_000)
    handled: float | None = Field(None, ge=0, le=1_000_000, description="answered; default: offered")
    aht_seconds: float | None = Field(None, ge=0, le=86_400, description="mean handling time; null: unknown")


class HistoryIn(In):
    rows: list[HistoryRowIn] = Field(min_length=1, max_length=10_000)


class HistoryImportedOut(Schema):
    quarters: int = Field(description="quarters of an hour written (an interval of 30 minutes is two)")


class HistoryDayOut(Schema):
    day: date
    channel: ChannelLiteral
    source: Literal["contacts", "import"]
    offered: float
    handled: float
    aht_seconds: float | None


class ShiftOut(Schema):
    id: int
    user_id: int
    username: str
    name: str
    team_id: int | None
    channels: list[ChannelLiteral]
    start: datetime
    end: datetime
    note: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_username(obj: Shift) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_name(obj: Shift) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_team_id(obj: Shift) -> int | None:
        return obj.user.team_id

    @staticmethod
    def resolve_channels(obj: Shift) -> list[str]:
        return obj.channel_list


class ShiftIn(In):
    user_id: DbId
    channels: list[ChannelLiteral] = Field(min_length=1, max_length=4)
    start: Moment
    end: Moment
    note: str = Field("", max_length=200)


class ShiftPatch(In):
    user_id: DbId | None = None
    channels: list[ChannelLiteral] | None = Field(None, min_length=1, max_length=4)
    start: Moment | None = None
    end: Moment | None = None
    note: str | None = Field(None, max_length=200)


class PlanIntervalOut(Schema):
    start: datetime
    end: datetime
    volume: float
    aht_seconds: float
    base_volume: float
    base_aht_seconds: float
    adjusted: bool
    agents: int = Field(description="agents needed on the line to meet the target")
    headcount: int = Field(description="people to schedule for that, with shrinkage")
    scheduled: float = Field(
        description="people scheduled (part of an interval or a second channel counts in part)"
    )
    on_line: int = Field(description="the scheduled people on the line after shrinkage")
    gap: float = Field(description="scheduled - headcount; negative: short")
    short: int = Field(description="people to add")
    service_level: float | None = Field(description="expected with the scheduled people")
    service_level_with_extra: float | None = Field(description="expected with `short` more")
    past: bool


class PlanGapRangeOut(Schema):
    start: datetime
    end: datetime
    extra: int = Field(description="the most people short in the range")
    intervals: int
    service_level: float | None
    service_level_with_extra: float | None


class PlanScaleUpOut(Schema):
    extra_max: int
    extra_hours: float
    service_level: float | None = Field(description="the day's expected service level as scheduled")
    service_level_with_extra: float | None
    ranges: list[PlanGapRangeOut]


class PlanOut(Schema):
    day: date
    channel: ChannelLiteral
    closed: str | None
    interval_minutes: int
    history_days: int
    target: ServiceTargetOut
    volume: float
    intervals: list[PlanIntervalOut]
    scale_up: PlanScaleUpOut

    @staticmethod
    def resolve_volume(obj: DayPlan) -> float:
        return round(obj.volume, 3)


class PlanGapOut(PlanGapRangeOut):
    day: date
    channel: ChannelLiteral


# --- helpers ----------------------------------------------------------------------------------------


def _day(value: date | None, field: str = "day") -> date:
    return date_in_range(value, field) if value is not None else timezone.localdate()


def _days(query: PlanRangeQuery, longest: int) -> tuple[date, date]:
    start = _day(query.from_, "from")
    end = date_in_range(query.to, "to") if query.to is not None else start
    if end < start:
        raise Invalid(_("De einddatum ligt voor de begindatum."), field="to")
    if (end - start).days + 1 > longest:
        raise Invalid(_("Hoogstens %(n)s dagen per keer.") % {"n": longest}, field="to")
    return start, end


def _person(user_id: int) -> User:
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise Invalid(_("Onbekende medewerker."), field="user_id")
    return person


def _upload_text(file: UploadedFile) -> str:
    if file.size is not None and file.size > MAX_UPLOAD:
        raise Invalid(_("Het bestand is te groot (hoogstens 2 MB)."), field="file")
    try:
        return str(file.read().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Invalid(_("Het bestand is geen UTF-8-tekst."), field="file") from None


# --- targets ----------------------------------------------------------------------------------------


@router.get("/planning/targets", response=list[ServiceTargetOut])
def targets_list(request: HttpRequest) -> Any:
    """The service-level target of every channel (the stored one, or the starting one)."""
    require_perm(request, "planning.view_plan")
    return list(targets_by_channel().values())


@router.put("/planning/targets/{channel}", response=ServiceTargetOut)
def target_put(request: HttpRequest, channel: ChannelLiteral, body: ServiceTargetIn) -> Any:
    """Set a channel's target (managers). `patience_seconds` switches the plan to Erlang A."""
    require_perm(request, "planning.manage_targets")
    result = services.target_save(actor=request.user, channel=channel, **body.model_dump())
    audit_from_request(
        request,
        action="settings.change",
        object_type="service_target",
        object_id=channel,
        details={"change": "update"},
    )
    return result


# --- forecast and edits -----------------------------------------------------------------------------


@router.get("/planning/forecast", response=ForecastOut)
def forecast(request: HttpRequest, query: Query[PlanDayQuery]) -> Any:
    """The forecast of one day and channel per plan interval, before and after the team lead's edits."""
    require_perm(request, "planning.view_plan")
    return plan_for(_day(query.day), query.channel)


@router.get("/planning/adjustments", response=list[AdjustmentOut])
def adjustments_list(request: HttpRequest, query: Query[PlanRangeQuery]) -> Any:
    """The edits of the forecast that touch the days [from, to] (at most 92 days)."""
    require_perm(request, "planning.view_plan")
    start, end = _days(query, 92)
    lo, _hi = day_bounds(start)
    _lo, hi = day_bounds(end)
    return list(adjustments_between(query.channel, lo, hi))


@router.post("/planning/adjustments", response={201: AdjustmentOut})
def adjustment_post(request: HttpRequest, body: AdjustmentIn) -> Any:
    """Edit the forecast: a percentage, the contacts over the range, or the handling time."""
    require_perm(request, "planning.edit_forecast")
    return Status(201, services.adjustment_add(actor=request.user, **body.model_dump()))


@router.delete("/planning/adjustments/{adjustment_id}", response={204: None})
def adjustment_remove(request: HttpRequest, adjustment_id: DbId) -> Any:
    require_perm(request, "planning.edit_forecast")
    services.adjustment_delete(actor=request.user, adjustment_id=adjustment_id)
    return Status(204, None)


# --- history ----------------------------------------------------------------------------------------


@router.get("/planning/history", response=list[HistoryDayOut])
def history_list(request: HttpRequest, query: Query[PlanRangeQuery]) -> Any:
    """Offered contacts and handling time per day, channel and source for [from, to] (at most 366 days)."""
    require_perm(request, "planning.view_plan")
    start, end = _days(query, 366)
    return [
        {
            "day": h.day,
            "channel": h.channel,
            "source": h.source,
            "offered": round(h.offered, 3),
            "handled": round(h.handled, 3),
            "aht_seconds": None if h.aht_seconds is None else round(h.aht_seconds, 1),
        }
        for h in history_days(query.channel, start, end)
        if h.channel in CHANNELS
    ]


@router.post("/planning/history", response=HistoryImportedOut)
def history_post(request: HttpRequest, body: HistoryIn) -> Any:
    """Import a telephony platform's interval data (all rows or none). A quarter imported again is replaced;
    on a day with imported data the forecast reads the import only."""
    require_perm(request, "planning.edit_forecast")
    rows = [ImportRow(r.channel, r.start, r.minutes, r.offered, r.handled, r.aht_seconds) for r in body.rows]
    return {"quarters": services.history_rows_import(actor=request.user, rows=rows)}


@router.post("/planning/history/csv", response=HistoryImportedOut)
def history_csv(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """The same as a CSV file: kanaal, start, [minuten], aangeboden, [afgehandeld], [aht]."""
    require_perm(request, "planning.edit_forecast")
    rows = parse_history_csv(_upload_text(file), default_minutes=plan_interval_minutes())
    return {"quarters": services.history_rows_import(actor=request.user, rows=rows)}


# --- shifts -----------------------------------------------------------------------------------------


@router.get("/planning/shifts", response=list[ShiftOut])
def shifts_list(request: HttpRequest, query: Query[PlanShiftQuery]) -> Any:
    """The shifts overlapping the days [from, to] (at most 62 days), of one channel or team."""
    require_perm(request, "planning.view_plan")
    start, end = _days(query, 62)
    lo, _hi = day_bounds(start)
    _lo, hi = day_bounds(end)
    return list(shifts_between(lo, hi, channel=query.channel, team_id=query.team))


@router.post("/planning/shifts", response={201: ShiftOut})
def shift_post(request: HttpRequest, body: ShiftIn) -> Any:
    """Schedule someone (team leads: their own team's people; managers: anyone)."""
    require_perm(request, "planning.edit_forecast")
    shift = services.shift_create(
        actor=request.user,
        user=_person(body.user_id),
        channels=body.channels,
        start=body.start,
        end=body.end,
        note=body.note,
    )
    return Status(201, shift)


# Declared before /planning/shifts/{shift_id}, whose URL would otherwise take "csv" for an id.
@router.post("/planning/shifts/csv", response={201: list[ShiftOut]})
def shifts_csv(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """Shifts from a CSV file: medewerker, kanalen, start, einde, [toelichting] (all or none)."""
    require_perm(request, "planning.edit_forecast")
    created = services.shifts_import(actor=request.user, rows=services.parse_shifts_csv(_upload_text(file)))
    return Status(201, list(created))


@router.patch("/planning/shifts/{shift_id}", response=ShiftOut)
def shift_patch(request: HttpRequest, shift_id: DbId, body: ShiftPatch) -> Any:
    """Change a shift; what is left out stays."""
    require_perm(request, "planning.edit_forecast")
    shift = services.shift_update(
        actor=request.user,
        shift_id=shift_id,
        user=_person(body.user_id) if body.user_id is not None else None,
        channels=body.channels,
        start=body.start,
        end=body.end,
        note=body.note,
    )
    return shift


@router.delete("/planning/shifts/{shift_id}", response={204: None})
def shift_remove(request: HttpRequest, shift_id: DbId) -> Any:
    require_perm(request, "planning.edit_forecast")
    services.shift_delete(actor=request.user, shift_id=shift_id)
    return Status(204, None)


# --- plan and gaps ----------------------------------------------------------------------------------


@router.get("/planning/plan", response=PlanOut)
def plan(request: HttpRequest, query: Query[PlanDayQuery]) -> Any:
    """The plan of one day and channel: per interval the forecast, the agents and headcount the target
    needs, who is scheduled, the gap, and the expected service level with and without the extra people."""
    require_perm(request, "planning.view_plan")
    return plan_for(_day(query.day), query.channel)


@router.get("/planning/gaps", response=list[PlanGapOut])
def gaps(request: HttpRequest, query: Query[PlanRangeQuery]) -> Any:
    """The short ranges of the days [from, to] (default today; at most 31 days), per channel."""
    require_perm(request, "planning.view_plan")
    start, end = _days(query, 31)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    found = []
    for channel in [query.channel] if query.channel else list(CHANNELS):
        for day_plan in plans_for_days(days, channel):
            found += [
                {"day": day_plan.day, "channel": channel, **schema_fields(r, PlanGapRangeOut)}
                for r in day_plan.scale_up.ranges
            ]
    return sorted(found, key=lambda g: (g["day"], g["start"], g["channel"]))
