"""The wellbeing pages (R17): the team page for leads and managers (who needs a break or is protected
now, open alerts, the week), an agent's week (their own, or as their lead sees it) and the policy form."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypedDict

from django.forms import Form
from django.utils import timezone

from gezien.accounts.models import Team, User
from gezien.wellbeing import selectors


class TeamPage(TypedDict):
    view: selectors.Overview
    teams: list[Team]  # the teams to pick from (managers; a lead sees only their own)
    team_id: int | None
    can_manage: bool
    now: datetime
    today: date  # days after it have not happened yet: not shown as rows of zeros


class AgentPage(TypedDict):
    week: selectors.AgentWeek
    own: bool  # the reader's own page
    can_end: bool  # the reader may end a protection early
    now: datetime
    today: date


class PolicyPage(TypedDict):
    form: Form


def team_page(
    scope: selectors.Scope, monday: date, now: datetime, team_id: int | None, *, can_manage: bool
) -> TeamPage:
    """The week starting `monday` of the scope's team, or of one team (`team_id`) for a manager."""
    return {
        "view": selectors.overview(scope, monday, now, team_id=team_id),
        "teams": list(Team.objects.order_by("name")) if scope.team_id is None else [],
        "team_id": team_id,
        "can_manage": can_manage,
        "now": now,
        "today": timezone.localdate(now),
    }


def agent_page(agent: User, monday: date, now: datetime, *, own: bool, can_end: bool) -> AgentPage:
    """`agent`'s week starting `monday`: time on the queue, breaks, heavy contacts and protections."""
    return {
        "week": selectors.agent_week(agent, monday, now),
        "own": own,
        "can_end": can_end,
        "now": now,
        "today": timezone.localdate(now),
    }


def policy_page(form: Form) -> PolicyPage:
    return {"form": form}
