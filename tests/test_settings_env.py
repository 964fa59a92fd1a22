import stat
from pathlib import Path

import pytest

from gezien.config.env import ConfigError, env_choice, env_url, stored_secret_key


def test_the_secret_key_is_made_once_and_shared_by_every_process(tmp_path: Path) -> None:
    path = tmp_path / "data" / "secret_key"
    first = stored_secret_key(path)
    assert len(first) >= 50
    assert stored_secret_key(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_choice_setting_takes_only_its_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEZIEN_ANALYSIS_MODEL", raising=False)
    assert env_choice("GEZIEN_ANALYSIS_MODEL", ("auto", "on", "off"), "off") == "off"
    monkeypatch.setenv("GEZIEN_ANALYSIS_MODEL", " On ")
    assert env_choice("GEZIEN_ANALYSIS_MODEL", ("auto", "on", "off"), "off") == "on"
    monkeypatch.setenv("GEZIEN_ANALYSIS_MODEL", "yes")
    with pytest.raises(ConfigError, match="auto, on, off"):
        env_choice("GEZIEN_ANALYSIS_MODEL", ("auto", "on", "off"), "off")


def test_the_base_url_of_links_is_an_address_without_a_trailing_slash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GEZIEN_BASE_URL", raising=False)
    assert env_url("GEZIEN_BASE_URL", "http://127.0.0.1:8123") == "http://127.0.0.1:8123"
    monkeypatch.setenv("GEZIEN_BASE_URL", "https://desk.voorbeeld.nl/")
    assert env_url("GEZIEN_BASE_URL", "http://127.0.0.1:8000") == "https://desk.voorbeeld.nl"
    for wrong in ("desk.voorbeeld.nl", "ftp://desk.voorbeeld.nl", "https://", "https://desk voorbeeld.nl"):
        monkeypatch.setenv("GEZIEN_BASE_URL", wrong)
        with pytest.raises(ConfigError, match="GEZIEN_BASE_URL"):
            env_url("GEZIEN_BASE_URL", "http://127.0.0.1:8000")
