"""Reading a stereo call recording (WAV, FLAC, Ogg/Opus through libsndfile) into what the analysis needs.

The file is read in blocks of about a minute, so an hour's call never sits in memory at full rate: only
the 10 ms energies of each channel and a copy decimated to about 8 kHz (for pitch) are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

HOP_S = 0.01  # one energy value per 10 ms
PITCH_RATE = 8000  # the decimated copy's target rate (Hz)
BLOCK_HOPS = 6000  # a minute of audio per read


class VoiceError(ValueError):
    """A recording the analysis cannot take: the message says why, in Dutch and English."""


@dataclass(frozen=True, slots=True)
class Channels:
    """What the analysis keeps of a stereo recording."""

    sample_rate: int
    frames: int  # samples per channel in the file
    hop: int  # samples per energy value
    energy: npt.NDArray[np.float64]  # (2, hops): mean square per hop, left and right
    decimated: npt.NDArray[np.float32]  # (2, samples): averaged down to about PITCH_RATE
    decimated_rate: float

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate


def read_channels(path: str | Path) -> Channels:
    """Read a two-channel recording; VoiceError when it is unreadable, empty, mono or has more channels."""
    import soundfile  # here, not with the module: libsndfile is ~20 MB in every process that imports it

    name = str(path)
    try:
        info = soundfile.info(name)
    except (soundfile.LibsndfileError, RuntimeError, OSError) as exc:
        raise VoiceError(
            f"{name}: geen leesbare opname (WAV, FLAC of Opus) / not a readable recording: {_reason(exc)}"
        ) from exc
    if info.channels != 2:
        kind = "mono" if info.channels == 1 else f"{info.channels} kanalen"
        raise VoiceError(
            f"{name}: de opname is {kind}; nodig is stereo met medewerker en klant elk op een eigen kanaal"
            f" / the recording has {info.channels} channel(s); needs stereo, agent and customer on their own"
        )
    rate = int(info.samplerate)
    if rate < 4000:
        raise VoiceError(f"{name}: samplefrequentie {rate} Hz is te laag / sample rate {rate} Hz is too low")
    hop = max(1, round(rate * HOP_S))
    factor = max(1, rate // PITCH_RATE)
    block = hop * factor * BLOCK_HOPS
    energies: list[npt.NDArray[np.float64]] = []
    decimated: list[npt.NDArray[np.float32]] = []
    frames = 0
    try:
        with soundfile.SoundFile(name) as sound:
            for chunk in sound.blocks(blocksize=block, dtype="float32", always_2d=True):
                frames += chunk.shape[0]
                data = np.ascontiguousarray(chunk.T)  # (2, n)
                if not np.isfinite(data.sum()):  # a float file's NaN or infinity: silence
                    data = np.nan_to_num(data, nan=0.0, posinf=0.0, neginf=0.0)
                usable = data.shape[1] - data.shape[1] % hop
                if usable < data.shape[1]:  # the last block: pad its tail hop with silence
                    pad = hop - data.shape[1] % hop
                    data = np.concatenate([data, np.zeros((2, pad), dtype=np.float32)], axis=1)
                hops = data.reshape(2, -1, hop)
                energies.append(np.einsum("ijk,ijk->ij", hops, hops).astype(np.float64) / hop)
                whole = data.shape[1] - data.shape[1] % factor
                # a boxcar low-pass before keeping every factor-th sample (strided adds beat a reshaped mean)
                summed = data[:, 0:whole:factor].copy()
                for k in range(1, factor):
                    summed += data[:, k:whole:factor]
                summed *= np.float32(1.0 / factor)
                decimated.append(summed)
    except (soundfile.LibsndfileError, RuntimeError, OSError) as exc:
        raise VoiceError(
            f"{name}: de opname is beschadigd / the recording is damaged: {_reason(exc)}"
        ) from exc
    if frames == 0:
        raise VoiceError(f"{name}: de opname bevat geen geluid / the recording contains no audio")
    return Channels(
        sample_rate=rate,
        frames=frames,
        hop=hop,
        energy=np.concatenate(energies, axis=1),
        decimated=np.concatenate(decimated, axis=1).astype(np.float32, copy=False),
        decimated_rate=rate / factor,
    )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[-1] if text else type(exc).__name__
