"""Issue 6 in the demo: the plan with its Monday-morning gap, the floor's wellbeing, and the live board."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from gezien.demo.planning import load_planning_demo
from gezien.demo.presence import load_history_states, load_presence_demo
from gezien.demo.wellbeing import load_wellbeing_demo


def load_workforce_demo(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts: dict[str, int] = load_planning_demo(now)
    # Wellbeing first: it writes the states of the agents it is about; the floor leaves those alone.
    counts.update(load_wellbeing_demo(now))
    counts.update(load_presence_demo(now))
    counts["historie_statussen"] = load_history_states(now)  # last: days with states are left alone
    return counts
