import pytest
from django.contrib.auth.models import User

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
    assert user.profile.team.name == "Team Zuid"
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
