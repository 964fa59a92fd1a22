"""The analysis of a stereo call: who spoke when, over whom, how fast, how high and how loud.

Every figure comes from two arrays per channel (reading.Channels): the mean square of each 10 ms hop and
a copy decimated to about 8 kHz. docs/phone.md "Voice analysis" says what each figure means and how
accurate it is.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypedDict

import numpy as np
import numpy.typing as npt

from gezien.voice.reading import Channels, VoiceError, read_channels

VERSION = "voice-1"

Side = Literal["agent", "customer"]
ChannelName = Literal["left", "right"]
SIDES: tuple[Side, Side] = ("agent", "customer")

Floats = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]

# Voice activity, per channel
SMOOTH_HOPS = 3  # levels over 30 ms
FLOOR_PERCENTILE = 10  # the channel's noise floor
TOP_PERCENTILE = 99  # the channel's loud speech
ABOVE_FLOOR_DB = 8.0  # speech is at least this far above the floor...
BELOW_TOP_DB = 35.0  # ...and no further than this below the loud speech
QUIET_CHANNEL_DB = -65.0  # a channel whose loud part stays under this holds no speech
LEAK_MARGIN_DB = 8.0  # a channel speaks only this far above the loudest the other's leaked copy gets in it
LEAK_SPREAD_HOPS = 5  # ...that copy may come up to 50 ms late
LEAK_NEAR_DB = 12.0  # hops this close above the typical leak are leak too (own speech is further above)
LEAK_EDGE_PERCENTILE = 90
SAME_MIX_DB = -6.0  # each channel this loud in the other: one mixed recording on both, not two sides
MERGE_GAP_S = 0.3  # pauses between words stay inside a segment
MIN_SEGMENT_S = 0.12  # clicks and breaths are no speech
# Events
MIN_OVERTALK_S = 0.15
SILENCE_S = 3.0
TURN_GAP_S = 1.0  # a customer's pause shorter than this, the agent silent, keeps the turn going
FINISH_TOLERANCE_S = 0.2  # an agent who starts up to this much before the customer's end let them finish
# Speaking rate: syllable nuclei are peaks of the energy envelope
RATE_SMOOTH_HOPS = 5
PEAK_HALF_WIDTH = 5  # peaks at least 50 ms apart
VALLEY_HALF_WIDTH = 12  # the dips around a peak, within 120 ms
PEAK_PROMINENCE_DB = 4.0
# Pitch: autocorrelation of 40 ms frames every 30 ms
PITCH_MIN_HZ = 60.0
PITCH_MAX_HZ = 400.0
PITCH_FRAME_S = 0.04
PITCH_STEP_HOPS = 3
PITCH_CHUNK = 2048
VOICED_CORRELATION = 0.5
OCTAVE_SHARE = 0.85  # the shortest lag within this share of the best one (no octave-low errors)
LOUDNESS_FLOOR_DB = -120.0


@dataclass(frozen=True, slots=True)
class Segment:
    side: Side
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class Overtalk:
    by: Side  # who started talking while the other was speaking
    start_s: float
    duration_s: float


@dataclass(frozen=True, slots=True)
class Silence:
    start_s: float
    duration_s: float


@dataclass(frozen=True, slots=True)
class Pitch:
    p10: float | None
    p50: float | None
    p90: float | None


@dataclass(frozen=True, slots=True)
class SideFigures:
    talk_s: float
    talk_share: float
    speaking_rate: float  # syllables per second of talk
    pitch_hz: Pitch
    loudness_db: tuple[float, ...]  # dBFS of each second of the side's channel
    loudness_range_db: float


@dataclass(frozen=True, slots=True)
class LetFinish:
    at_s: float  # where the customer's turn ended
    finished: bool
    gap_s: float  # the agent's next start minus the turn's end: negative when they started over the customer


class SegmentJson(TypedDict):
    side: Side
    start_s: float
    end_s: float


class OvertalkJson(TypedDict):
    by: Side
    start_s: float
    duration_s: float


class SilenceJson(TypedDict):
    start_s: float
    duration_s: float


class PitchJson(TypedDict):
    p10: float | None
    p50: float | None
    p90: float | None


class SideJson(TypedDict):
    talk_s: float
    talk_share: float
    speaking_rate: float
    pitch_hz: PitchJson
    loudness_db: list[float]
    loudness_range_db: float


class LetFinishJson(TypedDict):
    at_s: float
    finished: bool
    gap_s: float


class VoiceJson(TypedDict):
    version: str
    duration_s: float
    sample_rate: int
    agent_channel: ChannelName
    segments: list[SegmentJson]
    overtalk: list[OvertalkJson]
    silences: list[SilenceJson]
    sides: dict[Side, SideJson]
    let_finish: list[LetFinishJson]


@dataclass(frozen=True, slots=True)
class VoiceAnalysis:
    duration_s: float
    sample_rate: int
    agent_channel: ChannelName
    segments: tuple[Segment, ...]  # both sides, by start
    overtalk: tuple[Overtalk, ...]
    silences: tuple[Silence, ...]
    sides: dict[Side, SideFigures]
    let_finish: tuple[LetFinish, ...]
    version: str = VERSION

    def to_json(self) -> VoiceJson:
        return {
            "version": self.version,
            "duration_s": _r(self.duration_s),
            "sample_rate": self.sample_rate,
            "agent_channel": self.agent_channel,
            "segments": [
                {"side": s.side, "start_s": _r(s.start_s), "end_s": _r(s.end_s)} for s in self.segments
            ],
            "overtalk": [
                {"by": o.by, "start_s": _r(o.start_s), "duration_s": _r(o.duration_s)} for o in self.overtalk
            ],
            "silences": [{"start_s": _r(s.start_s), "duration_s": _r(s.duration_s)} for s in self.silences],
            "sides": {side: _side_json(figures) for side, figures in self.sides.items()},
            "let_finish": [
                {"at_s": _r(f.at_s), "finished": f.finished, "gap_s": _r(f.gap_s)} for f in self.let_finish
            ],
        }


def analyse(path: str | Path, agent_channel: str = "left") -> VoiceAnalysis:
    """Analyse a stereo recording; reading.VoiceError when the file or the channel name will not do."""
    if agent_channel not in ("left", "right"):
        raise VoiceError(
            f"kanaal van de medewerker moet 'left' of 'right' zijn, niet {agent_channel!r}"
            f" / agent channel must be 'left' or 'right', not {agent_channel!r}"
        )
    channel: ChannelName = "left" if agent_channel == "left" else "right"
    return analyse_channels(read_channels(path), agent_channel=channel)


def analyse_channels(channels: Channels, *, agent_channel: ChannelName = "left") -> VoiceAnalysis:
    hop_s = channels.hop / channels.sample_rate
    order = (0, 1) if agent_channel == "left" else (1, 0)
    energy = channels.energy[list(order)]
    levels = _levels(energy, SMOOTH_HOPS)
    speaking = _speaking(levels)
    spans = {side: _spans(speaking[i], hop_s) for i, side in enumerate(SIDES)}
    duration = channels.duration_s
    segments = sorted(
        (Segment(side, float(s), float(e)) for side in SIDES for s, e in spans[side]),
        key=lambda seg: (seg.start_s, seg.side),
    )
    talk = {side: float(sum(e - s for s, e in spans[side])) for side in SIDES}
    total_talk = sum(talk.values())
    sides: dict[Side, SideFigures] = {}
    for i, side in enumerate(SIDES):
        mask = _mask_of(spans[side], hop_s, energy.shape[1])
        sides[side] = SideFigures(
            talk_s=talk[side],
            talk_share=talk[side] / total_talk if total_talk > 0 else 0.0,
            speaking_rate=_speaking_rate(energy[i], mask, talk[side]),
            pitch_hz=_pitch(channels.decimated[order[i]], channels.decimated_rate, mask, hop_s),
            loudness_db=_loudness(energy[i], hop_s),
            loudness_range_db=_loudness_range(energy[i], mask, hop_s),
        )
    return VoiceAnalysis(
        duration_s=duration,
        sample_rate=channels.sample_rate,
        agent_channel=agent_channel,
        segments=tuple(segments),
        overtalk=tuple(_overtalk(spans["agent"], spans["customer"])),
        silences=tuple(_silences(segments, duration)),
        sides=sides,
        let_finish=tuple(_let_finish(spans["agent"], spans["customer"])),
    )


# Voice activity


def _levels(energy: Floats, hops: int) -> Floats:
    """dB of each hop's energy, averaged over `hops` hops around it."""
    kernel = np.ones(hops) / hops
    smooth = np.stack([np.convolve(row, kernel, mode="same") for row in energy])
    return _decibels(smooth)


def _speaking(levels: Floats) -> Mask:
    """Per hop, is each channel speaking: above its own adaptive threshold and well above the other's leak."""
    loud = np.stack([_above_threshold(row) for row in levels])
    # the leaked copy may arrive late and smeared (a microphone near the other's earpiece): each hop is
    # compared with the other channel's loudest moment around it
    width = 2 * LEAK_SPREAD_HOPS + 1
    nearby = np.stack(
        [
            np.lib.stride_tricks.sliding_window_view(np.pad(row, LEAK_SPREAD_HOPS, mode="edge"), width).max(
                axis=1
            )
            for row in levels
        ]
    )
    speaking = loud.copy()
    leaks = [_leak_db(levels[me], nearby[other], loud[other]) for me, other in ((0, 1), (1, 0))]
    if all(leak is not None and leak > SAME_MIX_DB for leak in leaks):
        raise VoiceError(
            "beide kanalen bevatten hetzelfde geluid (een gemengde opname?); nodig is stereo met medewerker"
            " en klant elk op een eigen kanaal / both channels carry the same sound (a mixed recording?);"
            " needs the agent and the customer each on their own channel"
        )
    for (me, other), leak in zip(((0, 1), (1, 0)), leaks, strict=True):
        if leak is not None:
            speaking[me] &= levels[me] > nearby[other] + leak + LEAK_MARGIN_DB
    return speaking


def _above_threshold(level: Floats) -> Mask:
    floor = float(np.percentile(level, FLOOR_PERCENTILE))
    top = float(np.percentile(level, TOP_PERCENTILE))
    if top < QUIET_CHANNEL_DB or top - floor < ABOVE_FLOOR_DB:
        return np.zeros(level.shape, dtype=bool)
    return level > max(floor + ABOVE_FLOOR_DB, top - BELOW_TOP_DB)


def _leak_db(mine: Floats, other: Floats, other_loud: Mask) -> float | None:
    """How loud the other channel shows up in mine at most (dB relative to it), from the other's loud hops.

    The leaked copy's level varies with the sound (a dulled copy loses its hiss), so the upper edge of
    its spread counts: first the typical leak (a low percentile, which real overlaps, where both speak
    and the difference is far higher, do not move), then the LEAK_EDGE_PERCENTILE of the hops near it.
    """
    if not other_loud.any():
        return None
    top = float(np.percentile(other[other_loud], 90))
    chosen = other_loud & (other > top - 20.0)
    if int(chosen.sum()) < 20:
        return None
    difference = mine[chosen] - other[chosen]
    typical = float(np.percentile(difference, 30))
    near = difference[difference < typical + LEAK_NEAR_DB]
    return float(np.percentile(near, LEAK_EDGE_PERCENTILE))


def _spans(mask: Mask, hop_s: float) -> list[tuple[float, float]]:
    """The runs of a mask as (start_s, end_s): short pauses bridged (MERGE_GAP_S), short runs dropped."""
    starts, ends = _runs(mask)
    if len(starts) == 0:
        return []
    gap = round(MERGE_GAP_S / hop_s)
    keep = (starts[1:] - ends[:-1]) >= gap
    starts = starts[np.concatenate([[True], keep])]
    ends = ends[np.concatenate([keep, [True]])]
    long_enough = (ends - starts) >= round(MIN_SEGMENT_S / hop_s)
    return [
        (float(s * hop_s), float(e * hop_s))
        for s, e in zip(starts[long_enough], ends[long_enough], strict=True)
    ]


def _runs(mask: Mask) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def _mask_of(spans: list[tuple[float, float]], hop_s: float, hops: int) -> Mask:
    mask = np.zeros(hops, dtype=bool)
    for start, end in spans:
        mask[round(start / hop_s) : round(end / hop_s)] = True
    return mask


# Events


def _overtalk(agent: list[tuple[float, float]], customer: list[tuple[float, float]]) -> list[Overtalk]:
    events: list[Overtalk] = []
    i = j = 0
    while i < len(agent) and j < len(customer):
        (a0, a1), (c0, c1) = agent[i], customer[j]
        start, end = max(a0, c0), min(a1, c1)
        if end - start >= MIN_OVERTALK_S:
            events.append(
                Overtalk(by="agent" if a0 > c0 else "customer", start_s=start, duration_s=end - start)
            )
        if a1 < c1:
            i += 1
        else:
            j += 1
    return events


def _silences(segments: list[Segment], duration: float) -> list[Silence]:
    silences: list[Silence] = []
    reached = 0.0
    for segment in segments:
        if segment.start_s - reached > SILENCE_S:
            silences.append(Silence(start_s=reached, duration_s=segment.start_s - reached))
        reached = max(reached, segment.end_s)
    if duration - reached > SILENCE_S:
        silences.append(Silence(start_s=reached, duration_s=duration - reached))
    return silences


def _let_finish(agent: list[tuple[float, float]], customer: list[tuple[float, float]]) -> list[LetFinish]:
    """For each customer turn the agent answered: did the agent start only once the customer had finished?"""
    turns = _customer_turns(agent, customer)
    starts = [a0 for a0, _ in agent]
    moments: list[LetFinish] = []
    for k, (start, end) in enumerate(turns):
        until = turns[k + 1][0] if k + 1 < len(turns) else float("inf")
        first = bisect.bisect_right(starts, start)
        last = bisect.bisect_left(starts, until)
        reply = next((a for a in agent[first:last] if a[1] > end), None)
        if reply is None:
            continue
        gap = reply[0] - end
        moments.append(LetFinish(at_s=end, finished=gap >= -FINISH_TOLERANCE_S, gap_s=gap))
    return moments


def _customer_turns(
    agent: list[tuple[float, float]], customer: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    starts = [a0 for a0, _ in agent]
    turns: list[tuple[float, float]] = []
    for start, end in customer:
        if turns:
            last_start, last_end = turns[-1]
            agent_spoke = bisect.bisect_left(starts, start) > bisect.bisect_left(starts, last_end)
            if start - last_end < TURN_GAP_S and not agent_spoke:
                turns[-1] = (last_start, max(last_end, end))
                continue
        turns.append((start, end))
    return turns


# Per side


def _speaking_rate(energy: Floats, mask: Mask, talk_s: float) -> float:
    """Syllables per second of talk: envelope peaks inside the side's speech, prominent over their valleys."""
    if talk_s <= 0:
        return 0.0
    envelope = _levels(energy[None, :], RATE_SMOOTH_HOPS)[0]
    width = 2 * PEAK_HALF_WIDTH + 1
    padded = np.pad(envelope, PEAK_HALF_WIDTH, mode="edge")
    local_max = envelope >= np.lib.stride_tricks.sliding_window_view(padded, width).max(axis=1)
    valley = np.pad(envelope, VALLEY_HALF_WIDTH, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(valley, VALLEY_HALF_WIDTH + 1)
    left_min = windows[: len(envelope)].min(axis=1)
    right_min = windows[VALLEY_HALF_WIDTH : VALLEY_HALF_WIDTH + len(envelope)].min(axis=1)
    prominent = envelope - np.maximum(left_min, right_min) >= PEAK_PROMINENCE_DB
    peaks = local_max & prominent & mask
    # a plateau's hops are all local maxima: count each plateau once
    starts, _ = _runs(peaks)
    return float(len(starts) / talk_s)


def _pitch(signal: npt.NDArray[np.float32], rate: float, mask: Mask, hop_s: float) -> Pitch:
    """Percentiles of the voiced frames' fundamental frequency (normalised autocorrelation)."""
    size = round(PITCH_FRAME_S * rate)
    centres_hop = np.flatnonzero(mask)[::PITCH_STEP_HOPS]
    starts = np.round(centres_hop * hop_s * rate).astype(np.intp) - size // 2
    starts = starts[(starts >= 0) & (starts + size <= len(signal))]
    if len(starts) == 0:
        return Pitch(None, None, None)
    low, high = int(rate / PITCH_MAX_HZ), min(int(rate / PITCH_MIN_HZ), size * 2 // 3)
    if high <= low + 2:
        return Pitch(None, None, None)
    fft_size = 1 << int(np.ceil(np.log2(size + high + 2)))  # no wrap-around up to the longest lag
    window = np.hanning(size)
    window_spectrum = np.fft.rfft(window, n=fft_size)
    window_correlation = np.fft.irfft(np.abs(window_spectrum) ** 2, n=fft_size)[: high + 2]
    window_correlation /= window_correlation[0]
    found: list[Floats] = []
    offsets = np.arange(size)
    for chunk in range(0, len(starts), PITCH_CHUNK):  # chunks that stay in the cache
        part = signal[starts[chunk : chunk + PITCH_CHUNK, None] + offsets].astype(np.float64)
        part -= part.mean(axis=1, keepdims=True)
        spectrum = np.fft.rfft(part * window, n=fft_size)
        correlation = np.fft.irfft(spectrum.real**2 + spectrum.imag**2, n=fft_size)[:, : high + 2]
        energy = correlation[:, 0]
        ok = energy > 1e-10
        normal = correlation[ok] / energy[ok, None] / window_correlation
        found.append(_pitch_of(normal, low, high, rate))
    hertz = np.concatenate(found)
    if len(hertz) == 0:
        return Pitch(None, None, None)
    p10, p50, p90 = (float(v) for v in np.percentile(hertz, [10, 50, 90]))
    return Pitch(round(p10, 1), round(p50, 1), round(p90, 1))


def _pitch_of(normal: Floats, low: int, high: int, rate: float) -> Floats:
    """The fundamental frequency of each voiced frame, from its normalised autocorrelation."""
    band = normal[:, low : high + 1]
    best = band.max(axis=1)
    inner = band[:, 1:-1]
    peak = (inner >= band[:, :-2]) & (inner >= band[:, 2:]) & (inner >= OCTAVE_SHARE * best[:, None])
    has_peak = peak.any(axis=1) & (best >= VOICED_CORRELATION)
    if not has_peak.any():
        return np.zeros(0)
    index = np.argmax(peak[has_peak], axis=1) + 1  # the shortest lag among the strong peaks
    rows = band[has_peak]
    pick = np.arange(len(rows))
    left, centre, right = rows[pick, index - 1], rows[pick, index], rows[pick, index + 1]
    curve = left - 2 * centre + right
    shift = np.where(np.abs(curve) > 1e-12, 0.5 * (left - right) / np.where(curve == 0, 1, curve), 0.0)
    lag = low + index + np.clip(shift, -0.5, 0.5)
    return np.asarray(rate / lag, dtype=np.float64)


def _per_second(energy: Floats, hop_s: float) -> Floats:
    hops = max(1, round(1.0 / hop_s))
    seconds = -(-len(energy) // hops)
    padded = np.full(seconds * hops, np.nan)
    padded[: len(energy)] = energy
    return np.asarray(np.nanmean(padded.reshape(seconds, hops), axis=1), dtype=np.float64)


def _decibels(energy: Floats) -> Floats:
    return np.asarray(10.0 * np.log10(np.maximum(energy, 10 ** (LOUDNESS_FLOOR_DB / 10))), dtype=np.float64)


def _loudness(energy: Floats, hop_s: float) -> tuple[float, ...]:
    return tuple(round(float(v), 1) for v in _decibels(_per_second(energy, hop_s)))


def _loudness_range(energy: Floats, mask: Mask, hop_s: float) -> float:
    """p95 minus p10 of the per-second loudness over the seconds the side spoke at least half of."""
    spoken = _per_second(mask.astype(np.float64), hop_s) >= 0.5
    if int(spoken.sum()) < 2:
        return 0.0
    levels = _decibels(_per_second(energy, hop_s))[spoken]
    return round(float(np.percentile(levels, 95) - np.percentile(levels, 10)), 1)


def _side_json(figures: SideFigures) -> SideJson:
    return {
        "talk_s": _r(figures.talk_s),
        "talk_share": round(figures.talk_share, 4),
        "speaking_rate": round(figures.speaking_rate, 2),
        "pitch_hz": {"p10": figures.pitch_hz.p10, "p50": figures.pitch_hz.p50, "p90": figures.pitch_hz.p90},
        "loudness_db": list(figures.loudness_db),
        "loudness_range_db": figures.loudness_range_db,
    }


def _r(seconds: float) -> float:
    return round(float(seconds), 3)
