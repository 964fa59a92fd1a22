"""Synthetic stereo calls with a known truth, for the tests, the benchmark and the demo.

Each line of a script is spoken by Debian's `espeak-ng` (agent and customer with their own voice),
resampled by `sox`, trimmed to where its sound starts and ends (that is the truth), and laid on its
side's channel a given time after the previous line ended (negative: it starts over it). The other
channel gets a faint copy (leakage, `leak_db`) and both a little noise, as a headset would.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile

from gezien.voice.analysis import Side

TRIM_BELOW_PEAK_DB = (
    40.0  # a clip's sound starts and ends where it first and last comes this close to its peak
)


@dataclass(frozen=True, slots=True)
class Line:
    side: Side
    text: str
    # after the end of the lines so far; negative overlaps the last of them (at most its second half), so a
    # short "ja" 2 s before the customer's end followed by a line 0.5 s after is an answer 0.5 s after the end
    after_s: float = 0.5


@dataclass(frozen=True, slots=True)
class Voices:
    agent: str = "nl"
    customer: str = "nl+f3"
    agent_wpm: int = 170
    customer_wpm: int = 170


@dataclass(frozen=True, slots=True)
class Truth:
    """Where each line's sound really is, in seconds."""

    duration_s: float
    spans: tuple[tuple[Side, float, float], ...] = field(default_factory=tuple)

    def talk_s(self, side: Side) -> float:
        return _union_length([(s, e) for who, s, e in self.spans if who == side])


def tools_missing() -> list[str]:
    return [name for name in ("espeak-ng", "sox") if shutil.which(name) is None]


def speak(text: str, *, voice: str, wpm: int, rate: int, folder: Path) -> npt.NDArray[np.float32]:
    """One line as mono samples at `rate`, trimmed to its sound."""
    raw, resampled = folder / "raw.wav", folder / "line.wav"
    _tool("espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(raw), text)
    _tool("sox", str(raw), "-r", str(rate), "-c", "1", "-b", "16", str(resampled))
    samples, _ = soundfile.read(str(resampled), dtype="float32")
    loud = np.flatnonzero(np.abs(samples) >= np.abs(samples).max() * 10 ** (-TRIM_BELOW_PEAK_DB / 20))
    return np.asarray(samples[loud[0] : loud[-1] + 1], dtype=np.float32)


def synth_call(
    lines: Sequence[Line],
    path: str | Path,
    *,
    rate: int = 16000,
    voices: Voices | None = None,
    agent_channel: str = "left",
    leak_db: float | None = -30.0,
    leak_delay_s: float = 0.0,
    noise_db: float | dict[Side, float] = -65.0,
    lead_s: float = 0.5,
    tail_s: float = 0.5,
    gain: dict[Side, float] | None = None,
    seed: int = 7,
    until_s: float | None = None,
) -> Truth:
    """Speak `lines` into a stereo file (WAV, FLAC or Ogg/Opus by its suffix); return where the speech is.

    With `until_s`, the lines after the first that ends past it are left out.
    """
    voices = voices or Voices()
    gain = gain or {}
    clips: list[tuple[Side, float, npt.NDArray[np.float32]]] = []
    cache: dict[tuple[str, str, int], npt.NDArray[np.float32]] = {}
    at = lead_s
    with tempfile.TemporaryDirectory(prefix="gezien-voice-") as folder:
        for line in lines:
            voice = voices.agent if line.side == "agent" else voices.customer
            wpm = voices.agent_wpm if line.side == "agent" else voices.customer_wpm
            key = (line.text, voice, wpm)
            if key not in cache:
                cache[key] = speak(line.text, voice=voice, wpm=wpm, rate=rate, folder=Path(folder))
            # an overlap never reaches back past the middle of the line it starts over
            start = at if not clips else max(clips[-1][1] + len(clips[-1][2]) / rate / 2, at + line.after_s)
            clips.append((line.side, start, cache[key]))
            at = max(at, start + len(cache[key]) / rate)
            if until_s is not None and at >= until_s:
                break
    duration = max(start + len(clip) / rate for _, start, clip in clips) + tail_s
    tracks = {side: np.zeros(round(duration * rate), dtype=np.float32) for side in ("agent", "customer")}
    spans: list[tuple[Side, float, float]] = []
    for side, start, clip in clips:
        first = round(start * rate)
        tracks[side][first : first + len(clip)] += clip * gain.get(side, 1.0)
        spans.append((side, first / rate, (first + len(clip)) / rate))
    rng = np.random.default_rng(seed)
    leak = 0.0 if leak_db is None else 10 ** (leak_db / 20)
    mixed: dict[Side, npt.NDArray[np.float32]] = {}
    pairs: tuple[tuple[Side, Side], ...] = (("agent", "customer"), ("customer", "agent"))
    for side, other in pairs:
        level = noise_db if isinstance(noise_db, float | int) else noise_db.get(side, -65.0)
        noise = rng.normal(0, 10 ** (level / 20), len(tracks[side])).astype(np.float32)
        mixed[side] = tracks[side] + leak * _crosstalk(tracks[other], round(leak_delay_s * rate)) + noise
    left, right = pairs[0] if agent_channel == "left" else pairs[1]
    stereo = np.clip(np.stack([mixed[left], mixed[right]], axis=1), -1.0, 1.0)
    write(path, stereo, rate)
    return Truth(duration_s=len(tracks["agent"]) / rate, spans=tuple(sorted(spans, key=lambda s: s[1])))


def _crosstalk(track: npt.NDArray[np.float32], delay: int) -> npt.NDArray[np.float32]:
    """The other voice as the near microphone hears it: late by `delay` samples and (if late) dulled."""
    if delay <= 0:
        return track
    late = np.concatenate([np.zeros(delay, dtype=np.float32), track[:-delay]])
    return np.convolve(late, np.ones(4, dtype=np.float32) / 4, mode="same").astype(np.float32)


def _tool(name: str, *args: str) -> None:
    program = shutil.which(name)
    if program is None:
        raise FileNotFoundError(f"{name} is not installed (apt-get install espeak-ng sox)")
    subprocess.run([program, *args], check=True, capture_output=True)  # noqa: S603 -- our argv, no shell


def write(path: str | Path, samples: npt.NDArray[np.float32], rate: int) -> None:
    suffix = Path(path).suffix.lower()
    if suffix in (".opus", ".ogg"):
        soundfile.write(str(path), samples, rate, format="OGG", subtype="OPUS")
    elif suffix == ".flac":
        soundfile.write(str(path), samples, rate, format="FLAC", subtype="PCM_16")
    else:
        soundfile.write(str(path), samples, rate, format="WAV", subtype="PCM_16")


def _union_length(spans: list[tuple[float, float]]) -> float:
    total, reached = 0.0, float("-inf")
    for start, end in sorted(spans):
        if end > reached:
            total += end - max(start, reached)
            reached = end
    return total
