"""Spoken practice (issue 19, the optional `stt` extra): a turn said instead of typed, through
`POST /api/practice/sessions/{id}/spoken` and the desk's "Inspreken" (`/desk/practice/sessions/{id}/spoken/`).

With the extra installed the real Whisper model runs (marked slow); without it those tests skip, unless
GEZIEN_REQUIRE_STT=1, and the tests of what a desk without the extra says run.
"""

from __future__ import annotations

import io
import os
from typing import Any

import numpy as np
import pytest
import soundfile
from django.test import Client

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.practice import spoken
from gezien.practice.models import PracticeSession
from gezien.voice import stt
from tests.practice.spoken_audio import recognisably_the_sentence, say, tools_missing

pytestmark = pytest.mark.django_db

MISSING = stt.missing()
REQUIRED = os.environ.get("GEZIEN_REQUIRE_STT") == "1"
SESSIONS = "/api/practice/sessions"

needs_voices = pytest.mark.skipif(bool(tools_missing()), reason="needs espeak-ng and sox")
_stt_skip = pytest.mark.skipif(bool(MISSING) and not REQUIRED, reason=str(MISSING))


def needs_stt(test: Any) -> Any:
    return pytest.mark.slow(_stt_skip(test))


without_stt = pytest.mark.skipif(not MISSING, reason="the stt extra is installed here")


def _client(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t')[1]}")


def _start(client: Client, scenario: str = "vijfde-keer") -> int:
    answer = client.post(SESSIONS, {"scenario": scenario}, content_type="application/json")
    assert answer.status_code == 201, answer.content
    return int(answer.json()["id"])


def _file(data: bytes, name: str = "turn.wav") -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def _silence_wav(seconds: float) -> bytes:
    out = io.BytesIO()
    soundfile.write(out, np.zeros(int(16000 * seconds), dtype=np.float32), 16000, format="WAV")
    return out.getvalue()


@pytest.fixture(scope="module")
def sentence(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    if tools_missing():
        pytest.skip("needs espeak-ng and sox")
    return say(tmp_path_factory.mktemp("spoken") / "turn.wav").read_bytes()


@needs_voices
@needs_stt
def test_a_spoken_turn_is_transcribed_and_answered_as_a_typed_one(agent: User, sentence: bytes) -> None:
    client = _client(agent)
    session_id = _start(client)
    answer = client.post(f"{SESSIONS}/{session_id}/spoken", {"file": _file(sentence)})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert recognisably_the_sentence(body["heard"]), body["heard"]
    assert body["agent_turn"]["text"] == body["heard"] and body["agent_turn"]["author"] == "agent"
    assert body["reply"]["author"] == "customer" and body["reply"]["text"]
    assert body["feedback"] and body["status"] == "open"
    turns = client.get(f"{SESSIONS}/{session_id}").json()["turns"]
    assert [t["author"] for t in turns] == ["customer", "agent", "customer"]


@needs_voices
@needs_stt
def test_the_desk_returns_the_text_to_read_before_saying_it(
    agent: User, desk: Client, sentence: bytes
) -> None:
    session_id = _start(_client(agent))
    url = f"/desk/practice/sessions/{session_id}/spoken/"
    answer = desk.post(url, {"file": _file(sentence, "turn.webm")})
    assert answer.status_code == 200, answer.content
    assert recognisably_the_sentence(answer.json()["text"]), answer.json()
    # Only the text comes back: the turn is taken when the agent presses "Zeggen".
    session = PracticeSession.objects.get(pk=session_id)
    assert session.turns.count() == 1
    page = desk.get(f"/desk/practice/sessions/{session_id}/")
    assert b'data-testid="practice-speak"' in page.content and b"practice_speak.js" in page.content


@needs_stt
def test_bad_audio_is_422_and_nothing_is_stored(agent: User, desk: Client) -> None:
    client = _client(agent)
    session_id = _start(client)
    url = f"{SESSIONS}/{session_id}/spoken"
    not_audio = client.post(url, {"file": _file(b"geen geluid maar tekst " * 40)})
    assert not_audio.status_code == 422, not_audio.content
    assert "niet worden gelezen" in not_audio.json()["detail"][0]["msg"]
    silent = client.post(url, {"file": _file(_silence_wav(2.0))})
    assert silent.status_code == 422 and "geen spraak" in silent.json()["detail"][0]["msg"]
    too_long = client.post(url, {"file": _file(_silence_wav(spoken.MAX_SECONDS + 2))})
    assert too_long.status_code == 422 and "te lang" in too_long.json()["detail"][0]["msg"]
    too_big = client.post(url, {"file": _file(b"\0" * (spoken.MAX_BYTES + 1))})
    assert too_big.status_code == 422 and "te groot" in too_big.json()["detail"][0]["msg"]
    assert client.post(url, {}).status_code == 422
    desk_answer = desk.post(f"/desk/practice/sessions/{session_id}/spoken/", {"file": _file(b"x" * 100)})
    assert desk_answer.status_code == 422 and "niet worden gelezen" in desk_answer.json()["error"]
    assert PracticeSession.objects.get(pk=session_id).turns.count() == 1


@needs_stt
def test_only_the_agent_of_an_open_session_may_speak(agent: User, make_user: Any, desk: Client) -> None:
    client = _client(agent)
    session_id = _start(client)
    other = _client(make_user("piet", "agent"))
    refused = other.post(f"{SESSIONS}/{session_id}/spoken", {"file": _file(_silence_wav(1.0))})
    assert refused.status_code in (403, 404)
    typed = {"text": "Wat vervelend voor u."}
    assert (
        client.post(f"{SESSIONS}/{session_id}/turns", typed, content_type="application/json").status_code
        == 200
    )
    assert client.post(f"{SESSIONS}/{session_id}/finish").status_code == 200
    finished = client.post(f"{SESSIONS}/{session_id}/spoken", {"file": _file(_silence_wav(1.0))})
    assert finished.status_code == 409
    # The desk's endpoint wants the CSRF token like any other post.
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(agent)
    assert (
        strict.post(f"/desk/practice/sessions/{session_id}/spoken/", {"file": _file(b"x")}).status_code == 403
    )


@without_stt
def test_without_the_extra_503_with_the_install_hint_and_no_button(agent: User, desk: Client) -> None:
    client = _client(agent)
    session_id = _start(client)
    answer = client.post(f"{SESSIONS}/{session_id}/spoken", {"file": _file(_silence_wav(1.0))})
    assert answer.status_code == 503
    assert "gezien[stt]" in answer.json()["detail"][0]["msg"]
    desk_answer = desk.post(
        f"/desk/practice/sessions/{session_id}/spoken/", {"file": _file(_silence_wav(1.0))}
    )
    assert desk_answer.status_code == 503 and "gezien[stt]" in desk_answer.json()["error"]
    page = desk.get(f"/desk/practice/sessions/{session_id}/")
    assert page.status_code == 200 and b'data-testid="practice-speak"' not in page.content
    assert PracticeSession.objects.get(pk=session_id).turns.count() == 1


def test_the_sentence_check_can_fail() -> None:
    assert not recognisably_the_sentence("Wat is uw postcode en huisnummer?")
    assert recognisably_the_sentence("Maar daar wordt u dat spijt me veel er. Ik wil graag helpen.")
