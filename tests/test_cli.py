import pytest

from gezien.accounts.models import User
from gezien.cli import main
from tests.conftest import ApiClient


def test_createuser_and_token_create_give_a_working_api_token(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            ["createuser", "kees", "--role", "teamlead", "--team", "Team Zuid", "--password", "lang-genoeg-1"]
        )
        == 0
    )
    user = User.objects.get(username="kees")
    assert user.check_password("lang-genoeg-1")
    assert user.groups.get().name == "teamlead"
    assert user.team.name == "Team Zuid"
    capsys.readouterr()
    assert main(["token", "create", "--user", "kees", "--name", "telefooncentrale"]) == 0
    token = capsys.readouterr().out.strip()
    assert ApiClient(token).get("/api/reasons").status_code == 200
    assert main(["token", "list", "--user", "kees"]) == 0
    assert "telefooncentrale" in capsys.readouterr().out


def test_token_for_an_unknown_user_fails_clearly(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "create", "--user", "niemand"]) == 2
    assert "onbekende gebruiker" in capsys.readouterr().err


def test_createuser_twice_fails_clearly(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["createuser", "kees", "--password", "lang-genoeg-1"]) == 0
    assert main(["createuser", "kees", "--password", "lang-genoeg-1"]) == 2
    assert "bestaat al" in capsys.readouterr().err


def test_revoking_a_token_from_the_command_line(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    main(["createuser", "kees", "--password", "lang-genoeg-1"])
    main(["token", "create", "--user", "kees"])
    token = capsys.readouterr().out.strip().splitlines()[-1]
    from gezien.accounts.models import ApiToken

    assert main(["token", "revoke", str(ApiToken.objects.get().pk)]) == 0
    assert ApiClient(token).get("/api/reasons").status_code == 401


def _unanalysed(count: int) -> None:
    from gezien.contacts.services import contact_open

    for i in range(count):  # the test's transaction never commits: nothing is analysed yet
        contact_open(channel="chat", text=f"Bericht {i}: ik ben boos")


def test_reanalyse_fills_in_the_missing_signals_with_a_progress_bar(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from gezien.contacts.models import MessageSignals

    _unanalysed(3)
    assert main(["analysis", "reanalyse", "--missing", "--batch", "2"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("3 berichten geanalyseerd (rules")
    assert "Analyseren [" in err and "3/3 100%" in err
    assert MessageSignals.objects.count() == 3
    assert main(["analysis", "reanalyse"]) == 0  # nothing missing, nothing stale
    assert capsys.readouterr().out.startswith("0 berichten geanalyseerd")
    assert main(["analysis", "reanalyse", "--all"]) == 0
    assert capsys.readouterr().out.startswith("3 berichten geanalyseerd")


@pytest.mark.parametrize("bad", [["--batch", "0"], ["--all", "--missing"], ["--model", "misschien"]])
def test_reanalyse_refuses_bad_options(db: None, bad: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["analysis", "reanalyse", *bad])
    assert stopped.value.code == 2


def test_analyse_reads_jsonl_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import json

    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": 7, "text": "Bedankt, super geholpen!"}\n'))
    assert main(["analyse", "-"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    record = json.loads(line)
    assert record["id"] == 7
    assert -1 <= record["signals"]["sentiment"] <= 1


def test_train_refits_on_the_learnable_corrections_into_the_model_dir(
    db: None, agent, settings, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gezien.contacts.corrections import signal_correct
    from gezien.contacts.services import contact_open
    from gezien_lab.training import pipeline

    message = contact_open(channel="chat", text="Ik ben niet boos, wel teleurgesteld").messages[0]
    for signal, value in [("anger", False), ("disappointment", True), ("churn", True), ("formal", False)]:
        signal_correct(message=message, signal=signal, value=value, actor=agent)
    settings.GEZIEN_MODEL_DIR = tmp_path / "heads"
    seen: dict[str, object] = {}

    class Report:
        def describe(self) -> str:
            return "dev emotion macro-F1: 0.400 -> 0.420 (+0.020)"

    def fake_train(**kwargs: object) -> Report:
        seen.update(kwargs)
        return Report()

    monkeypatch.setattr(pipeline, "train", fake_train)
    assert main(["analysis", "train", "--data", str(tmp_path), "--limit", "10"]) == 0
    out = capsys.readouterr().out
    assert "4 gecorrigeerde signalen, waarvan 3 voor de geleerde laag" in out
    assert "0.400 -> 0.420" in out
    assert (seen["out_dir"], seen["data_dir"], seen["limit"]) == (tmp_path / "heads", tmp_path, 10)
    assert sorted((e.signal, e.value) for e in seen["extra"]) == [  # type: ignore[attr-defined]
        ("anger", False),
        ("disappointment", True),
        ("formal", False),
    ]
