"""Voice analysis of a call recording: `gezien voice analyse FILE [--agent-channel left|right]`; its
speech as text with the optional `stt` extra: `gezien voice transcribe FILE [--agent-channel left|right]`."""

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


def cmd_voice_transcribe(args: argparse.Namespace) -> int:
    """The turns as one JSON document on stdout; exit 1 for a file that will not do, 2 without the extra."""
    from gezien.voice import VoiceError
    from gezien.voice.stt import SttMissing, transcribe

    try:
        result = transcribe(
            args.file, agent_channel=args.agent_channel, threads=args.threads, model_dir=args.model
        )
    except SttMissing as exc:
        print(f"gezien: {exc}", file=sys.stderr)
        return 2
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
    transcribe = voice_sub.add_parser(
        "transcribe",
        help="Dutch speech-to-text per side with offsets, on this machine (the stt extra) as JSON",
    )
    transcribe.add_argument("file", metavar="FILE", help="a stereo WAV, FLAC or Ogg/Opus recording")
    transcribe.add_argument(
        "--agent-channel",
        choices=("left", "right"),
        default="left",
        help="the agent's channel (default: left)",
    )
    transcribe.add_argument(
        "--threads", type=int, default=0, help="CPU threads for the model (default 0: CTranslate2 decides)"
    )
    transcribe.add_argument(
        "--model",
        metavar="DIR",
        default=None,
        help="another CTranslate2 Whisper model folder (default: the packaged Whisper base)",
    )
    transcribe.set_defaults(func=cmd_voice_transcribe)
