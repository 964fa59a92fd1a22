"""Where an analyser's configuration comes from outside the desk: the environment, read at the edge."""

from __future__ import annotations

from pathlib import Path

import pytest

from gezien.analysis import AnalysisConfig
from gezien.config.analysis import analysis_config_from_env


def heads_in(directory: Path) -> Path:
    directory.mkdir(parents=True)
    (directory / "heads.npz").write_bytes(b"")
    (directory / "record.json").write_text("{}", encoding="utf-8")
    return directory


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("GEZIEN_MODEL_DIR", "GEZIEN_LEXICON_DIRS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GEZIEN_DATA_DIR", str(tmp_path / "var"))
    return monkeypatch


def test_the_commands_use_the_heads_the_desk_refitted_and_make_analysis_eval_the_shipped_ones(
    tmp_path: Path, env: pytest.MonkeyPatch
) -> None:
    assert analysis_config_from_env().heads_dir is None  # nothing refitted: the shipped heads
    desk = heads_in(tmp_path / "var" / "heads")
    assert analysis_config_from_env(model=True) == AnalysisConfig(model=True, heads_dir=desk.resolve())
    assert analysis_config_from_env(desk_heads=False).heads_dir is None
    named = heads_in(tmp_path / "elsewhere")
    env.setenv("GEZIEN_MODEL_DIR", str(named))
    assert analysis_config_from_env(desk_heads=False).heads_dir == named.resolve()
    env.setenv("GEZIEN_MODEL_DIR", str(tmp_path / "empty"))  # no heads there: the shipped ones
    assert analysis_config_from_env().heads_dir is None


def test_lexicon_folders_are_separated_by_colons_and_made_absolute(
    tmp_path: Path, env: pytest.MonkeyPatch
) -> None:
    env.chdir(tmp_path)
    env.setenv("GEZIEN_LEXICON_DIRS", "ours: /srv/theirs ::")
    assert analysis_config_from_env().lexicon_dirs == (
        tmp_path.resolve() / "ours",
        Path("/srv/theirs").resolve(),
    )


def test_a_config_holds_paths_whatever_it_was_given() -> None:
    config = AnalysisConfig(lexicon_dirs=["a", Path("b")], heads_dir="h")  # type: ignore[arg-type]
    assert config.lexicon_dirs == (Path("a"), Path("b")) and config.heads_dir == Path("h")
    assert hash(config) == hash(AnalysisConfig(lexicon_dirs=(Path("a"), Path("b")), heads_dir=Path("h")))
