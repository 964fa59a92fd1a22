"""Which analyser the desk uses: one per process and mode; the learned layer only where it can load."""

from collections.abc import Iterator

import pytest

from gezien.analysis import ModelUnavailable
from gezien.contacts import analysing
from gezien.contacts.analysing import analyser, analyser_version, analysers_forget


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    analysers_forget()
    yield
    analysers_forget()


@pytest.fixture
def without_model(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    tries: list[int] = []

    def missing() -> None:
        tries.append(1)
        raise ModelUnavailable("pip install 'gezien[models]'")

    monkeypatch.setattr(analysing, "_with_model", missing)
    return tries


def test_one_analyser_per_process_and_mode(settings) -> None:
    settings.GEZIEN_ANALYSIS_MODEL = "off"
    assert analyser() is analyser("off")
    assert analyser().layers == ("rules",)
    assert analyser_version(analyser()).startswith("rules@")  # the layers and the lexicons' fingerprint


def test_a_lexicon_change_makes_stored_signals_stale(tmp_path, settings) -> None:
    before = analyser_version(analyser("off"))
    (tmp_path / "nl").mkdir()
    (tmp_path / "nl" / "ours.tsv").write_text("storingsmelding\tanger\t0.4\n", encoding="utf-8")
    settings.GEZIEN_LEXICON_DIRS = (tmp_path,)
    analysers_forget()
    assert analyser_version(analyser("off")) != before
    assert analyser().analyze("weer een storingsmelding", lang="nl").emotions["anger"] == pytest.approx(0.4)


def test_auto_falls_back_to_the_rules_without_the_learned_layer(without_model: list[int]) -> None:
    assert analyser("auto").layers == ("rules",)
    assert analyser("auto") is analyser("auto")
    assert len(without_model) == 1


def test_on_without_the_learned_layer_fails_once_and_then_quickly(without_model: list[int]) -> None:
    for _ in range(3):
        with pytest.raises(ModelUnavailable):
            analyser("on")
    assert len(without_model) == 1  # not loaded again for every message


def test_reanalyse_with_the_model_required_but_missing_says_how_to_install(
    db: None, without_model: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    from gezien.cli import main

    assert main(["analysis", "reanalyse", "--model", "on"]) == 2
    assert "gezien[models]" in capsys.readouterr().err
