"""Voice analysis of a call recording: `gezien voice analyse FILE [--agent-channel left|right]`."""

from __future__ import annotations

import argparse
import json
import sys


def cmd_voice_analyse(args: argparse.Namespace) -> int:
    """One JSON document on stdout; exit 1 with the reason on stderr for a file that will not do."""
    from gezien.voice import VoiceError, analyse

    try:
        result = analyse(args.file, agent_channel=args.agent_channel)
    except VoiceError as exc:
        print(f"gezien: {exc}", file=sys.stderr)
        return 1
    json.dump(result.to_json(), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def add(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    voice = sub.add_parser("voice", help="voice analysis of stereo call recordings (docs/phone.md)")
    voice_sub = voice.add_subparsers(dest="voice_command", required=True)
    analyse = voice_sub.add_parser(
        "analyse", help="talk share, overtalk, silences, rate, pitch, loudness as JSON"
    )
    analyse.add_argument("file", metavar="FILE", help="a stereo WAV, FLAC or Ogg/Opus recording")
    analyse.add_argument(
        "--agent-channel",
        choices=("left", "right"),
        default="left",
        help="the agent's channel (default: left)",
    )
    analyse.set_defaults(func=cmd_voice_analyse)
