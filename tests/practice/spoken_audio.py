"""A Dutch sentence said by espeak-ng, as a WAV, for the spoken-practice tests (API and browser).

The sentence acknowledges the customer's feelings; Whisper base hears espeak-ng's Dutch voices imperfectly
(it hears "vervelend" and "begrijp" as other words), so the tests check the words it hears reliably in this
voice: "helpen" and at least two of the others.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

SENTENCE = "Wat naar voor u, dat spijt me heel erg. Ik wil u graag helpen."
ALWAYS_HEARD = {"helpen"}
OFTEN_HEARD = {"spijt", "heel", "erg", "graag", "voor", "wil"}


def tools_missing() -> list[str]:
    return [name for name in ("espeak-ng", "sox") if shutil.which(name) is None]


def say(path: Path, text: str = SENTENCE, *, pad_s: float = 0.5) -> Path:
    """`text` as a 48 kHz mono 16-bit WAV (what Chromium's fake microphone plays), with `pad_s` of
    silence either side."""
    raw = path.with_suffix(".raw.wav")
    subprocess.run([_tool("espeak-ng"), "-v", "nl+m3", "-s", "120", "-w", str(raw), text], check=True)
    subprocess.run(
        [
            _tool("sox"),
            str(raw),
            "-r",
            "48000",
            "-c",
            "1",
            "-b",
            "16",
            str(path),
            "pad",
            str(pad_s),
            str(pad_s),
        ],
        check=True,
    )
    raw.unlink()
    return path


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is not installed"
    return found


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def recognisably_the_sentence(text: str) -> bool:
    heard = words(text)
    return heard >= ALWAYS_HEARD and len(heard & OFTEN_HEARD) >= 2
