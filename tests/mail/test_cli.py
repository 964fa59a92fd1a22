"""`gezien mailbox add/list` and `gezien mail ingest`: the names outside checks use."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from gezien.cli import main
from gezien.mail.models import InboundMail, Mailbox
from tests.mail.conftest import eml


def test_mailbox_add_and_list_never_show_a_password(
    db: None, team: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "mailbox",
            "add",
            "support",
            "--address",
            "Support@Voorbeeld.nl",
            "--imap",
            "imaps://support:geheim123@imap.voorbeeld.nl:993/INBOX",
            "--smtp",
            "smtp+starttls://support:geheim123@smtp.voorbeeld.nl:587",
            "--team",
            team.name,
        ]
    )
    assert code == 0
    box = Mailbox.objects.get(name="support")
    assert box.address == "support@voorbeeld.nl" and box.team == team
    capsys.readouterr()
    assert main(["mailbox", "list"]) == 0
    out = capsys.readouterr().out
    assert "support@voorbeeld.nl" in out and "imaps://support@imap.voorbeeld.nl:993/INBOX" in out
    assert "smtp+starttls://support@smtp.voorbeeld.nl:587" in out
    assert "geheim123" not in out


@pytest.mark.parametrize(
    ("options", "error"),
    [
        (["--address", "geen-adres"], "e-mailadres"),
        (["--address", "a@b.nl", "--imap", "http://imap.b.nl"], "imaps://"),
        (["--address", "a@b.nl", "--team", "Bestaat Niet"], "onbekend team"),
    ],
)
def test_mailbox_add_refuses_bad_input_clearly(
    db: None, options: list[str], error: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mailbox", "add", "support", *options]) == 2
    assert error in capsys.readouterr().err
    assert not Mailbox.objects.exists()


def test_mailbox_add_twice_is_a_clear_conflict(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mailbox", "add", "support", "--address", "a@b.nl"]) == 0
    assert main(["mailbox", "add", "support", "--address", "c@b.nl"]) == 2
    assert "al een mailbox" in capsys.readouterr().err


def _line(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == 1, out
    found: dict[str, Any] = json.loads(lines[0])
    assert list(found) == ["outcome", "contact_id", "message_id", "reason"]
    return found


def test_mail_ingest_prints_one_json_line_per_outcome(
    mailbox: Mailbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mail.eml"
    path.write_bytes(eml())
    assert main(["mail", "ingest", "--mailbox", "klantenservice", str(path)]) == 0
    first = _line(capsys)
    assert first["outcome"] == "contact" and first["contact_id"] and first["message_id"]
    assert main(["mail", "ingest", "--mailbox", "klantenservice", str(path)]) == 0
    second = _line(capsys)
    assert (second["outcome"], second["contact_id"], second["message_id"]) == (
        "duplicate",
        first["contact_id"],
        first["message_id"],
    )
    assert second["reason"].startswith("same Message-ID as inbound mail")
    path.write_bytes(b"\x00\x01")
    assert main(["mail", "ingest", "--mailbox", "klantenservice", str(path)]) == 0
    assert _line(capsys)["outcome"] == "quarantined"


def test_mail_ingest_reads_stdin(
    mailbox: Mailbox, monkeypatch: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = eml(headers={"Auto-Submitted": "auto-replied"}, subject="Afwezig")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))
    assert main(["mail", "ingest", "--mailbox", "klantenservice", "-"]) == 0
    line = _line(capsys)
    assert line["outcome"] == "auto_reply" and line["contact_id"] is None and line["reason"]


def test_mail_ingest_refuses_an_unknown_mailbox_or_a_file_it_cannot_read(
    mailbox: Mailbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mail.eml"
    path.write_bytes(eml())
    assert main(["mail", "ingest", "--mailbox", "bestaat-niet", str(path)]) == 2
    assert "onbekende mailbox" in capsys.readouterr().err
    assert main(["mail", "ingest", "--mailbox", "klantenservice", str(tmp_path / "weg.eml")]) == 2
    assert "kan" in capsys.readouterr().err
    empty = tmp_path / "leeg.eml"
    empty.write_bytes(b"")
    assert main(["mail", "ingest", "--mailbox", "klantenservice", str(empty)]) == 2
    assert "leeg" in capsys.readouterr().err
    assert not InboundMail.objects.exists()


def test_mail_ingest_takes_several_files_and_prints_a_line_for_each(
    mailbox: Mailbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for number, subject in enumerate(["Eerste vraag", "Re: Eerste vraag", "Tweede vraag"]):
        paths.append(tmp_path / f"{number}.eml")
        paths[-1].write_bytes(eml(subject=subject, message_id=f"<m{number}@ziggo.nl>"))
    empty = tmp_path / "leeg.eml"
    empty.write_bytes(b"")
    # One empty file among them: nothing is stored.
    assert main(["mail", "ingest", "--mailbox", "klantenservice", *map(str, paths), str(empty)]) == 2
    assert "leeg" in capsys.readouterr().err and not InboundMail.objects.exists()
    assert main(["mail", "ingest", "--mailbox", "klantenservice", *map(str, paths)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["outcome"] for line in lines] == ["contact", "message", "contact"]
    assert lines[1]["contact_id"] == lines[0]["contact_id"] != lines[2]["contact_id"]
