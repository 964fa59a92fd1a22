"""Voice analysis of a stereo call recording, no Django (issue 18): agent and customer each on a channel.

    from gezien.voice import analyse
    result = analyse("call.wav", agent_channel="left")   # WAV, FLAC or Ogg/Opus
    result.to_json()   # duration_s, agent_channel, segments, overtalk, silences, sides, let_finish, version

A file that cannot be analysed (unreadable, empty, mono, more than two channels, one mix on both) raises
VoiceError, a ValueError whose message says why in Dutch and English. docs/phone.md "Voice analysis"
explains the figures.
"""

from gezien.voice.analysis import (
    VERSION,
    LetFinish,
    Overtalk,
    Pitch,
    Segment,
    SideFigures,
    Silence,
    VoiceAnalysis,
    VoiceJson,
    analyse,
    analyse_channels,
)
from gezien.voice.reading import Channels, VoiceError, read_channels

__all__ = [
    "VERSION",
    "Channels",
    "LetFinish",
    "Overtalk",
    "Pitch",
    "Segment",
    "SideFigures",
    "Silence",
    "VoiceAnalysis",
    "VoiceError",
    "VoiceJson",
    "analyse",
    "analyse_channels",
    "read_channels",
]
