"""A phone contact's recordings on the contact page: the player, and each analysed call as a timeline bar
(who spoke when, on two lanes; overtalk red, long silences grey), with its figures.

`timeline` turns the stored analysis (`gezien.voice`'s JSON) into coordinates in the SVG's viewBox; the
template draws them (escaped: every text is ours, numbers and translated labels).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from gezien.assist.phone import clock
from gezien.contacts.models import Channel, Contact
from gezien.phone.listening import recordings_visible_to
from gezien.phone.models import AgentChannel, AnalysisState, Recording
from gezien.phone.recordings import has_recordings
from gezien.phone.transcripts import stt_available
from gezien.web import numbers

if TYPE_CHECKING:
    from gezien.accounts.models import User

WIDTH = 800  # viewBox units (the pane shows it at about its own size: texts stay readable)
PLOT_X = 95  # where the time axis starts (the lane labels sit left of it)
PLOT_W = WIDTH - PLOT_X - 10
LANE_H = 22
LANES = {"agent": 18, "customer": 48}  # y of each lane
AXIS_Y = 84
HEIGHT = 100
TICK_STEPS = (5, 10, 15, 30, 60, 120, 300, 600, 900, 1800)


@dataclass(frozen=True)
class Bar:
    kind: str  # agent, customer (speech), overtalk, silence
    x: float
    y: float
    w: float
    h: float
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class SideFigures:
    label: str
    talk_share: str
    talk: str
    rate: str
    pitch: str


@dataclass
class Timeline:
    width: int = WIDTH
    height: int = HEIGHT
    plot_x: int = PLOT_X
    plot_w: int = PLOT_W
    lane_h: int = LANE_H
    lanes: list[tuple[str, float, float]] = field(default_factory=list)  # (label, lane's top, its middle)
    speech: list[Bar] = field(default_factory=list)
    overtalk: list[Bar] = field(default_factory=list)
    silences: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    sides: list[SideFigures] = field(default_factory=list)
    interrupted: list[str] = field(default_factory=list)  # where the agent started over the customer
    turns: int = 0
    label: str = ""  # the SVG's accessible summary


def _side_label(side: str) -> str:
    return _("Medewerker") if side == "agent" else _("Klant")


def _num(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _x(seconds: float, duration: float) -> float:
    return round(PLOT_X + PLOT_W * min(max(seconds, 0.0), duration) / duration, 1)


def _w(seconds: float, duration: float) -> float:
    return round(max(PLOT_W * seconds / duration, 1.5), 1)  # a short event stays visible


def _ticks(duration: float) -> list[Tick]:
    step = next((s for s in TICK_STEPS if duration / s <= 8), TICK_STEPS[-1])
    return [Tick(_x(t, duration), clock(t)) for t in range(0, int(duration) + 1, step)]


def _sides(analysis: dict[str, Any]) -> list[SideFigures]:
    sides = analysis.get("sides") or {}
    out = []
    for side in ("agent", "customer"):
        figures = sides.get(side) or {}
        pitch = figures.get("pitch_hz") or {}
        out.append(
            SideFigures(
                label=_side_label(side),
                talk_share=numbers.percent(_num(figures.get("talk_share"))),
                talk=clock(_num(figures.get("talk_s"))),
                rate=_("%(n)s lettergrepen/s")
                % {"n": numbers.decimal(_num(figures.get("speaking_rate")), 1)},
                pitch=_("%(low)s–%(high)s Hz")
                % {"low": round(_num(pitch.get("p10"))), "high": round(_num(pitch.get("p90")))},
            )
        )
    return out


def timeline(analysis: dict[str, Any]) -> Timeline | None:
    """The timeline of one analysed call, or None when the analysis has no length."""
    duration = _num(analysis.get("duration_s"))
    if duration <= 0:
        return None
    line = Timeline(lanes=[(_side_label(side), y, y + LANE_H / 2) for side, y in LANES.items()])
    for seg in analysis.get("segments") or []:
        side = seg.get("side")
        if side not in LANES:
            continue
        start, end = _num(seg.get("start_s")), _num(seg.get("end_s"))
        title = _("%(side)s spreekt %(start)s–%(end)s") % {
            "side": _side_label(side),
            "start": clock(start),
            "end": clock(end),
        }
        line.speech.append(
            Bar(side, _x(start, duration), LANES[side], _w(end - start, duration), LANE_H, title)
        )
    lanes_top, lanes_h = LANES["agent"] - 4, LANES["customer"] + LANE_H + 4 - (LANES["agent"] - 4)
    for event in analysis.get("overtalk") or []:
        start, length = _num(event.get("start_s")), _num(event.get("duration_s"))
        by = event.get("by")
        title = _("%(side)s praat over de ander heen op %(at)s (%(s)s s)") % {
            "side": _side_label(str(by)),
            "at": clock(start),
            "s": numbers.decimal(length, 1),
        }
        line.overtalk.append(
            Bar("overtalk", _x(start, duration), lanes_top, _w(length, duration), lanes_h, title)
        )
    for silence in analysis.get("silences") or []:
        start, length = _num(silence.get("start_s")), _num(silence.get("duration_s"))
        title = _("Stilte van %(s)s s op %(at)s") % {"s": numbers.decimal(length, 1), "at": clock(start)}
        line.silences.append(
            Bar("silence", _x(start, duration), lanes_top, _w(length, duration), lanes_h, title)
        )
    line.ticks = _ticks(duration)
    line.sides = _sides(analysis)
    moments = [m for m in analysis.get("let_finish") or [] if isinstance(m, dict)]
    line.turns = len(moments)
    line.interrupted = [clock(_num(m.get("at_s"))) for m in moments if not m.get("finished", True)]
    line.label = _(
        "Tijdlijn van het gesprek (%(length)s): %(talk)d keer gesproken, %(over)d keer door elkaar, "
        "%(silent)d lange stiltes."
    ) % {
        "length": clock(duration),
        "talk": len(line.speech),
        "over": len(line.overtalk),
        "silent": len(line.silences),
    }
    return line


@dataclass(frozen=True)
class RecordingView:
    recording: Recording
    length: str
    agent_side: str  # "links" / "rechts"
    timeline: Timeline | None
    pending: bool
    failed: bool


@dataclass
class RecordingsBlock:
    show: bool = False  # a phone contact and a person who may listen
    can_upload: bool = False
    recordings: list[RecordingView] = field(default_factory=list)
    can_transcribe: bool = False  # the stt extra is installed and the person handles contacts


def recordings_block(user: User, contact: Contact) -> RecordingsBlock:
    """The contact page's recordings: for a phone contact, to a person who may listen to them."""
    if contact.channel != Channel.PHONE or not user.has_perm("phone.listen_recording"):
        return RecordingsBlock()
    if not has_recordings(contact.pk):
        return RecordingsBlock(True, user.has_perm("contacts.handle_contact"), [])
    recordings = recordings_visible_to(user).filter(contact=contact).order_by("created_at", "pk")
    views = [
        RecordingView(
            recording=rec,
            length=clock(rec.duration_s),
            agent_side=_("links") if rec.agent_channel == AgentChannel.LEFT else _("rechts"),
            timeline=timeline(rec.analysis) if isinstance(rec.analysis, dict) else None,
            pending=rec.analysis_state == AnalysisState.PENDING,
            failed=rec.analysis_state == AnalysisState.FAILED,
        )
        for rec in recordings
    ]
    handles = user.has_perm("contacts.handle_contact")
    return RecordingsBlock(True, handles, views, can_transcribe=handles and stt_available())
