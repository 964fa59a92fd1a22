"""`gezien staffing`: reading what people type, the Dutch table, and clear refusals (exit code 2)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gezien.cli import main
from gezien.workforce.parsing import parse_duration, parse_percentage, parse_target
from gezien.workforce.table import StaffingQuestion, format_staffing, staffing_report


@pytest.mark.parametrize(
    "text,seconds",
    [("30m", 1800), ("15m", 900), ("1h", 3600), ("1u", 3600), ("180s", 180), ("3m", 180), ("1h30m", 5400),
     ("2,5m", 150), (" 90 sec ", 90), ("45min", 2700)],
)  # fmt: skip
def test_durations_as_people_type_them(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["30", "30x", "m30", "", "1h 30x", "-5m", "1e3s"])
def test_durations_without_a_clear_unit_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="bijvoorbeeld 30m"):
        parse_duration(text)


def test_targets_and_percentages() -> None:
    assert parse_target("80/20") == (0.8, 20.0)
    assert parse_target("90%/1m") == (0.9, 60.0)
    assert parse_percentage("30%", name="shrinkage") == 0.3
    assert parse_percentage("12,5", name="shrinkage") == 0.125
    for bad in ("80", "80/", "/20", "120/20", "80/20x"):
        with pytest.raises(ValueError):
            parse_target(bad)


def test_the_table_marks_the_answer_among_its_neighbours() -> None:
    report = staffing_report(
        StaffingQuestion(calls=100, interval_s=1800, aht_s=180, target_s=20, target_sl=0.8, shrinkage=0.3)
    )
    assert [row.agents for row in report.rows] == [12, 13, 14, 15, 16, 17]
    text = format_staffing(report)
    marked = [line for line in text.splitlines() if line.startswith("→")]
    assert len(marked) == 1 and marked[0].split()[1] == "14" and "88,8%" in marked[0]
    assert "Verkeer: 10,00 erlang" in text
    assert "Antwoord: 14 agenten op de lijn" in text
    assert "Met 30% shrinkage: 20 medewerkers inroosteren." in text


def test_the_command_prints_the_erlang_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["staffing", "--calls", "100", "--interval", "30m", "--aht", "180s", "--target", "80/20",
         "--patience", "120s", "--shrinkage", "30%"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "Erlang A: bellers hangen op na gemiddeld 2 min wachten" in out
    assert "Opgehangen" in out
    answer = next(line for line in out.splitlines() if line.startswith("→"))
    assert answer.split()[1] == "12" and "6,2%" in answer  # 12 agents, 6.2% hang up
    assert "18 medewerkers inroosteren" in out


def test_the_command_shows_chats_and_unstable_rows(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "staffing",
                "--calls",
                "60",
                "--interval",
                "15m",
                "--aht",
                "6m",
                "--target",
                "80/60",
                "--concurrency",
                "3",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "3 contacten tegelijk per agent" in out
    assert "instabiel" in out  # 8 agents x 3 chats = 24 slots for 24 erlangs
    assert next(line for line in out.splitlines() if line.startswith("→")).split()[1] == "10"


@pytest.mark.parametrize(
    "argv,message",
    [
        (["--interval", "30x"], "ongeldige waarde voor intervalduur"),
        (["--aht", "0s"], "groter zijn dan 0"),
        (["--target", "80"], "ongeldig doel"),
        (["--target", "100/20"], "onder 100"),
        (["--shrinkage", "100%"], "shrinkage"),
        (["--calls", "veel"], "ongeldig aantal"),
        (["--concurrency", "0"], "gelijktijdigheid"),
        (["--max-abandon", "5%"], "--patience"),
        (["--patience", "nooit"], "ongeldige waarde voor geduld"),
    ],
)
def test_bad_input_is_refused_with_exit_code_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = {"--calls": "100", "--interval": "30m", "--aht": "180s", "--target": "80/20"}
    base.update(dict(zip(argv[::2], argv[1::2], strict=True)))
    args = ["staffing", *[part for pair in base.items() for part in pair]]
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err and captured.err.startswith("gezien: ")


def test_the_installed_command() -> None:
    command = [
        sys.executable,
        "-m",
        "gezien.cli",
        "staffing",
        "--calls",
        "100",
        "--interval",
        "30m",
        "--aht",
        "3m",
        "--target",
        "80/20",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Antwoord: 14 agenten" in result.stdout
    missing = subprocess.run(command[:4], capture_output=True, text=True, check=False)
    assert missing.returncode == 2 and "required" in missing.stderr
