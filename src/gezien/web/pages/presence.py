"""The live board (/desk/live/, and its panel htmx swaps in every few seconds): who is on which state,
the queue per channel, and whether more people are needed now."""

from __future__ import annotations

from typing import TypedDict

from gezien.planning.live import LiveBoard, LiveScope, live_board
from gezien.presence.models import State

LIVE_REFRESH_SECONDS = 5


class LivePage(TypedDict):
    board: LiveBoard
    refresh: int  # seconds between the panel's refreshes
    states: type[State]


def live_page(scope: LiveScope) -> LivePage:
    return {"board": live_board(scope), "refresh": LIVE_REFRESH_SECONDS, "states": State}
