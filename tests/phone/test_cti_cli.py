"""`gezien cti replay FILE` and `gezien cti ring`: call events played as a telephone system sends them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gezien.cli import main
from gezien.customers.models import Customer
from gezien.phone.models import Call, CallEvent


def test_replay_plays_a_file_of_events_in_order(
    tmp_path: Path, agent: Any, customer: Customer, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "calls.jsonl"
    events.write_text(
        "# a call that rings, is answered by sanne and ends\n"
        '{"event": "newCall", "call_id": "r1", "from": "06-12345678"}\n'
        '{"event": "answer", "call_id": "r1", "user": "sanne", "delay": 0.01}\n'
        "\n"
        '{"event": "hangup", "call_id": "r1", "cause": "normalClearing", "delay": 0.01}\n'
        '{"event": "hangup", "call_id": "r1", "cause": "normalClearing"}\n',
        encoding="utf-8",
    )
    assert main(["cti", "replay", str(events)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["answer"]["call"]["state"] for line in lines] == ["ringing", "answered", "ended", "ended"]
    assert [line["answer"]["created"] for line in lines] == [True, True, True, False]
    call = Call.objects.get(call_id="r1")
    assert call.customer_id == customer.pk and call.agent_id == agent.pk and call.contact_id is not None


def test_replay_refuses_a_bad_line_and_sends_nothing(
    tmp_path: Path, db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "bad.jsonl"
    events.write_text('{"event": "newCall", "call_id": "b1"}\nnot json\n', encoding="utf-8")
    assert main(["cti", "replay", str(events)]) == 1
    assert "regel 2" in capsys.readouterr().err
    assert not CallEvent.objects.exists()


def test_replay_reports_an_event_the_desk_refuses(
    tmp_path: Path, db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "refused.jsonl"
    events.write_text('{"event": "answer", "call_id": "x1", "user": "nobody"}\n', encoding="utf-8")
    assert main(["cti", "replay", str(events)]) == 1
    assert "user" in capsys.readouterr().err
    assert not Call.objects.exists()


def test_ring_plays_the_demo_widow_s_call_nobody_answers(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from gezien.customers.services import customer_create

    widow = customer_create(first_name="Johanna", last_name="Jansen", identities=[("phone", "020-6123456")])
    assert main(["cti", "ring", "--ring-s", "0", "--speed", "0"]) == 0
    call = Call.objects.get()
    assert call.customer_id == widow.pk and call.state == "abandoned"


def test_ring_over_the_api_of_a_running_desk(live_desk: Any, capsys: pytest.CaptureFixture[str]) -> None:
    live_desk.gezien("createuser", "sanne", "--password", "lang-genoeg-wachtwoord-1")
    token = live_desk.gezien("token", "create", "--user", "sanne", "--scopes", "cti:write").strip()
    args = ["cti", "ring", "06-12345678", "--answer", "sanne", "--speed", "0", "--url", live_desk.base_url]
    assert main([*args, "--token", token]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["answer"]["call"]["state"] for line in lines] == ["ringing", "answered", "ended"]
    assert lines[-1]["answer"]["call"]["contact_id"] is not None
    assert main([*args, "--token", "wrong"]) == 1
    assert "401" in capsys.readouterr().err
