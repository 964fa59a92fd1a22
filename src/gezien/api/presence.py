"""API: agent states and the live board (issue 6). One's own state (GET/PUT /api/me/state), a team lead
setting a team member's state (PUT /api/agents/{id}/state), and the live board (GET /api/live)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field, StrictInt

from gezien.accounts.http import current_user
from gezien.accounts.models import User
from gezien.api.auth import require_perm
from gezien.api.common import DbId, get_or_404
from gezien.api.input import In
from gezien.api.schemas import ChannelLiteral
from gezien.planning.live import AgentRow, ChannelBoard, live_board, live_scope
from gezien.presence import services
from gezien.presence.selectors import Current, current_state
from gezien.presence.services import MAX_BREAK_MINUTES

router = Router(tags=["presence"])

StateLiteral = Literal["available", "in_contact", "after_contact", "break", "offline"]
ChosenLiteral = Literal["available", "break", "offline"]
BreakKindLiteral = Literal["", "short", "lunch", "decompression", "other"]


class StateOut(Schema):
    user_id: int
    state: StateLiteral = Field(description="offline when never signed on")
    label: str = Field(description="as the desk shows it, e.g. 'Lunch', 'Nawerk'")
    break_kind: BreakKindLiteral
    since: datetime | None
    seconds: int = Field(description="seconds in this state so far")
    planned_end: datetime | None = Field(description="when a planned break or after-contact work ends")
    set_by: Literal["agent", "auto", "lead"] | None


class StateIn(In):
    state: ChosenLiteral
    break_kind: BreakKindLiteral = ""
    minutes: StrictInt | None = Field(
        None, ge=1, le=MAX_BREAK_MINUTES, description="a break's planned length in minutes"
    )


def _state_out(user_id: int, current: Current | None, now: datetime) -> StateOut:
    if current is None:
        return StateOut(
            user_id=user_id,
            state="offline",
            label="Afgemeld",
            break_kind="",
            since=None,
            seconds=0,
            planned_end=None,
            set_by=None,
        )
    return StateOut(
        user_id=user_id,
        state=current.state,  # type: ignore[arg-type]
        label=current.label,
        break_kind=current.break_kind,  # type: ignore[arg-type]
        since=current.since,
        seconds=current.seconds(now),
        planned_end=current.planned_end,
        set_by=current.set_by,  # type: ignore[arg-type]
    )


@router.get("/me/state", response=StateOut)
def my_state(request: HttpRequest) -> StateOut:
    require_perm(request, "presence.set_own_state")
    user_id = current_user(request).pk
    return _state_out(user_id, current_state(user_id), timezone.now())


def _put(request: HttpRequest, user: User, body: StateIn) -> StateOut:
    services.state_set(
        user=user, state=body.state, break_kind=body.break_kind, minutes=body.minutes, actor=request.user
    )
    return _state_out(user.pk, current_state(user.pk), timezone.now())


@router.put("/me/state", response=StateOut)
def my_state_set(request: HttpRequest, body: StateIn) -> StateOut:
    require_perm(request, "presence.set_own_state")
    return _put(request, current_user(request), body)


@router.put("/agents/{user_id}/state", response=StateOut)
def agent_state_set(request: HttpRequest, user_id: DbId, body: StateIn) -> StateOut:
    require_perm(request, "presence.view_live")
    return _put(request, get_or_404(User, user_id), body)


class ChannelOut(Schema):
    channel: ChannelLiteral
    waiting: int
    longest_wait_seconds: int | None
    service_level_today: float | None = Field(description="answered within target / (answered + missed)")
    answered_today: int
    within_target_today: int
    missed_today: int
    abandoned_today: int = Field(description="calls that hung up before anyone answered (CTI events)")
    patience_seconds_today: float | None = Field(
        description="mean patience today from those calls: all waiting over those who hung up"
    )
    target_service_level: float | None
    target_seconds: int | None
    agents_by_state: dict[str, int]
    occupancy_last_hour: float | None
    arrivals_last_hour: int
    scale_up_needed: int | None = Field(description="agents the live queue needs now, when more than present")
    scale_up_present: int | None
    service_level_expected_now: float | None
    service_level_expected_with: float | None


class AgentOut(Schema):
    user_id: int
    name: str
    state: StateOut
    channels: list[ChannelLiteral]
    occupancy_last_hour: float | None


class LiveOut(Schema):
    at: datetime
    open_now: bool = Field(description="whether the desk is within its opening hours now")
    closed_day: str | None = Field(description="the holiday or own day that closes the desk today, if any")
    reopens_at: datetime | None = Field(description="when closed: the next opening hours' start")
    channels: list[ChannelOut]
    agents: list[AgentOut]


def _channel_out(c: ChannelBoard) -> ChannelOut:
    up = c.scale_up
    return ChannelOut(
        channel=c.channel,  # type: ignore[arg-type]
        waiting=c.waiting,
        longest_wait_seconds=c.longest_wait_seconds,
        service_level_today=c.service_level,
        answered_today=c.answered_today,
        within_target_today=c.within_target_today,
        missed_today=c.missed_today,
        abandoned_today=c.abandoned_today,
        patience_seconds_today=c.patience_seconds,
        target_service_level=c.target.service_level if c.target else None,
        target_seconds=c.target.target_seconds if c.target else None,
        agents_by_state=c.agents_by_state,
        occupancy_last_hour=c.occupancy,
        arrivals_last_hour=c.arrivals_last_hour,
        scale_up_needed=up.needed if up else None,
        scale_up_present=up.present if up else None,
        service_level_expected_now=up.service_level_now if up else None,
        service_level_expected_with=up.service_level_with if up else None,
    )


def _agent_out(a: AgentRow, now: datetime) -> AgentOut:
    return AgentOut(
        user_id=a.user.pk,
        name=a.name,
        state=_state_out(a.user.pk, a.current, now),
        channels=a.channels,  # type: ignore[arg-type]
        occupancy_last_hour=a.occupancy,
    )


@router.get("/live", response=LiveOut)
def live(request: HttpRequest) -> LiveOut:
    """The live board: per channel the queue and today's service level, and every agent's state."""
    require_perm(request, "presence.view_live")
    board = live_board(live_scope(request.user))
    closed = board.closed
    return LiveOut(
        at=board.now,
        open_now=closed is None,
        closed_day=(closed.day_name or None) if closed else None,
        reopens_at=closed.reopens if closed else None,
        channels=[_channel_out(c) for c in board.channels],
        agents=[_agent_out(a, board.now) for a in board.agents],
    )
