"""The rules engine's mechanics, with an organisation lexicon of made-up words so the shipped lexicons
can change without breaking these tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gezien.analysis import AnalysisConfig, Analyzer, analyze, analyze_conversation
from gezien.analysis.lexicon import LexiconError
from gezien.analysis.result import Analysis


@pytest.fixture(scope="module")
def org(lexicons: Path) -> Analyzer:
    return Analyzer(AnalysisConfig(lexicon_dirs=(lexicons,)))


def evidence_for(analysis, signal):  # type: ignore[no-untyped-def]
    return [e for e in analysis.evidence if e.signal == signal]


def test_evidence_spans_point_at_the_words_in_the_original_text(org: Analyzer) -> None:
    text = "İstanbul-reis: ik ben ZORBLAX over de blimfrop."  # İ grows when lowered; offsets must not
    a = org.analyze(text, lang="nl")
    for e in a.evidence:
        assert text[e.start : e.end] == e.text
    assert [(e.text, e.rule) for e in evidence_for(a, "anger")] == [
        ("ZORBLAX", "org:nl/test:zorblax"),
        ("ZORBLAX", "style:caps"),  # one long word in capitals is a shout
    ]


def test_negation_intensifiers_and_capitals_change_the_score(org: Analyzer) -> None:
    plain = org.analyze("ik ben zorblax", lang="nl").emotions["anger"]
    assert plain == pytest.approx(0.6)
    assert org.analyze("ik ben niet zorblax", lang="nl").emotions["anger"] == 0
    assert org.analyze("ik ben ontzettend zorblax", lang="nl").emotions["anger"] > plain
    assert org.analyze("ik ben een beetje zorblax", lang="nl").emotions["anger"] < plain
    assert org.analyze("ik ben ZORBLAX", lang="nl").emotions["anger"] > plain
    assert org.analyze("ik ben ZORB", lang="nl").emotions["anger"] == 0  # unknown word, short: not a shout
    # A negated positive emotion reads as disappointment, with the evidence saying it was negated.
    negated = org.analyze("ik ben niet blimfrop", lang="nl")
    assert negated.emotions["satisfaction"] == 0 and negated.emotions["disappointment"] > 0
    assert evidence_for(negated, "disappointment")[0].rule.endswith("+negated")
    # Negation stops at punctuation: "niet" in the first clause does not reach the second.
    assert org.analyze("niet vandaag, zorblax ben ik", lang="nl").emotions["anger"] > 0
    # A negator belongs to the nearest cue after it: "niet zorblax" does not also negate "blimfrop".
    both = org.analyze("niet zorblax blimfrop", lang="nl")
    assert both.emotions["anger"] == 0 and both.emotions["satisfaction"] > 0


def test_cues_combine_by_noisy_or_and_exclamation_strengthens(org: Analyzer) -> None:
    two = org.analyze("zorblax en nog eens zorblax", lang="nl").emotions["anger"]
    assert two == pytest.approx(1 - 0.4 * 0.4)
    assert org.analyze("zorblax!!!", lang="nl").emotions["anger"] > 0.6


def test_phrases_gaps_numbers_ordinals_prefixes(org: Analyzer) -> None:
    assert "sadness" in {e.signal for e in org.analyze("mijn grootvee ben ik kwijt", lang="nl").evidence}
    assert org.analyze("grootvee kwijt", lang="nl").emotions["sadness"] > 0.8  # a gap may be empty
    assert org.analyze("grootvee a b c kwijt", lang="nl").emotions["sadness"] == 0  # at most two
    assert org.analyze("grootvee, nu kwijt", lang="nl").emotions["sadness"] == 0  # not over punctuation
    assert org.analyze("12 keer gefloept", lang="nl").repeat == pytest.approx(0.8)
    assert org.analyze("twaalf keer gefloept", lang="nl").repeat == pytest.approx(0.8)
    assert org.analyze("voor de vijfde floep", lang="nl").repeat == pytest.approx(0.9)
    assert org.analyze("voor de 5e floep", lang="nl").repeat == pytest.approx(0.9)
    assert org.analyze("wat een knarsbedrijfje", lang="nl").abuse == pytest.approx(0.7)


def test_a_zero_weight_switches_a_shipped_entry_off(org: Analyzer, tmp_path: Path) -> None:
    (tmp_path / "nl").mkdir()
    (tmp_path / "nl" / "off.tsv").write_text("zorblax\tanger\t0\n", encoding="utf-8")
    off = Analyzer(AnalysisConfig(lexicon_dirs=(tmp_path.parent / tmp_path.name,)))
    assert off.analyze("zorblax", lang="nl").emotions["anger"] == 0


def test_lexicon_errors_name_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "nl").mkdir()
    (tmp_path / "nl" / "bad.tsv").write_text("# ok\nboos\tfuriousness\t0.5\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad.tsv:2: unknown signal 'furiousness'"):
        Analyzer(AnalysisConfig(lexicon_dirs=(tmp_path,)))
    (tmp_path / "nl" / "bad.tsv").write_text("boos\tanger\tveel\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="is not a number"):
        Analyzer(AnalysisConfig(lexicon_dirs=(tmp_path,)))


def test_organisation_lexicons_from_the_environment_reach_the_library_only_through_its_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gezien.config.analysis import analysis_config_from_env

    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "ours.tsv").write_text("flurbostoring\tanger\t0.7\n", encoding="utf-8")
    monkeypatch.setenv("GEZIEN_LEXICON_DIRS", f"{tmp_path}:")
    assert Analyzer().analyze("weer een flurbostoring", lang="nl").emotions["anger"] == 0  # no env read
    configured = Analyzer(analysis_config_from_env())  # what `gezien analyse` and `eval` build
    assert configured.analyze("weer een flurbostoring", lang="nl").emotions["anger"] == pytest.approx(0.7)


def test_two_analysers_with_different_lexicons_in_one_process_stay_independent(tmp_path: Path) -> None:
    """A clinic's lexicon adds the English word "scar". Its analyser reads "scar" (and "scared", which
    its own English words now lemmatise to "scar") its way; an analyser with the shipped lexicons keeps
    reading "scared" as "scare" (stress), whichever of the two was built or used first."""
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "clinic.tsv").write_text("scar\tsadness\t0.6\n", encoding="utf-8")
    scar, scared = "The scar is still there.", "I was scared."

    def stress_rules(analysis: Analysis) -> list[str]:
        return [e.rule for e in analysis.evidence if e.signal == "stress"]

    default = Analyzer()
    default_scar = default.analyze(scar, lang="en")
    clinic = Analyzer(AnalysisConfig(lexicon_dirs=(tmp_path,)))
    clinic_scar, clinic_scared = clinic.analyze(scar, lang="en"), clinic.analyze(scared, lang="en")
    assert clinic_scar.emotions["sadness"] == pytest.approx(0.6) and default_scar.emotions["sadness"] == 0
    assert clinic_scared.emotions["sadness"] == pytest.approx(0.6)  # its own lemma of "scared"

    default_scared = default.analyze(scared, lang="en")  # a word the default met only after the clinic
    assert stress_rules(default_scared) == ["en/emotions:scare"] and default_scared.emotions["sadness"] == 0
    assert Analyzer().analyze(scared, lang="en") == default_scared  # a default built after the clinic's
    assert default.analyze(scar, lang="en") == default_scar
    assert clinic.analyze(scar, lang="en") == clinic_scar  # and the clinic's, after the defaults' use
    assert clinic.analyze(scared, lang="en") == clinic_scared


def test_language_is_detected_dutch_first() -> None:
    assert analyze("Ik heb al drie keer gebeld en het is nog steeds niet opgelost").lang == "nl"
    assert analyze("I have called three times and it is still not fixed").lang == "en"
    assert analyze("").lang == "nl"
    assert analyze("12345").lang == "nl"


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\x00",
        "\ud800 lone surrogate",
        "🙂" * 1000,
        "<b>HTML</b> &amp; <script>x</script>",
        "a" * 10_000,
    ],
)
def test_odd_input_never_crashes(text: str) -> None:
    a = analyze(text)
    assert -1 <= a.sentiment <= 1
    assert all(0 <= v <= 1 for v in a.emotions.values())


def test_a_megabyte_of_text_is_analysed_in_one_piece() -> None:
    text = ("Ik ben er klaar mee, de monteur is weer niet gekomen. " * 20_000)[:1_000_000]
    a = analyze(text)
    assert a.evidence and a.evidence[-1].end <= len(text)


def test_wrong_types_and_values_get_clear_errors() -> None:
    with pytest.raises(TypeError, match="text must be a str"):
        analyze(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        analyze("hallo", lang="de")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="role must be"):
        analyze("hallo", role="manager")  # type: ignore[arg-type]


def test_analyze_many_equals_one_by_one() -> None:
    texts = ["Ik ben boos!", "Dank u wel voor de hulp", "I am so happy with this", ""]
    analyzer = Analyzer()
    assert analyzer.analyze_many(texts) == [analyzer.analyze(t) for t in texts]
    assert analyzer.layers == ("rules",)


def test_register_and_mixed() -> None:
    assert analyze("Geachte heer, kunt u mij helpen met uw factuur?").register == "formal"
    assert analyze("Hoi, kun je me even helpen met je factuur?").register == "informal"
    assert analyze("Geachte heer, kunt u mij helpen? Groetjes en kun je snel reageren?").register == "mixed"
    assert analyze("Factuur 2024-113 ontvangen.").register == "unknown"
    # Slang does not overrule the form of address; a formal frame around "je" is a switch.
    assert analyze("Haha lol, kunt u mij de groetjes doen?").register == "formal"
    assert analyze("Geachte heer, kun je mij bellen?").register == "mixed"
    assert analyze("Hoi! Groetjes").register == "informal"


def test_conversation_start_peak_end_mismatch_and_interruptions() -> None:
    c = analyze_conversation(
        [
            ("customer", "Ik ben woedend, u heeft mijn internet al drie keer afgesloten!", 0.0, 8.0),
            ("agent", "Hoi! Wat vervelend, ik ga je helpen.", 6.5, 10.0),
            ("customer", "Dank u wel, fijn dat het nu is opgelost.", 10.5, 14.0),
        ]
    )
    assert c.emotion_start["anger"] > 0.5 > c.emotion_end["anger"]
    assert c.emotion_peak["anger"] == c.emotion_start["anger"]
    assert c.emotion_end["appreciation"] > 0.5
    assert c.register == "formal" and c.agent_register == "informal" and c.register_mismatch
    assert c.interruptions == [(1, 1.5)]
    with pytest.raises(ValueError, match="turn 0: role"):
        analyze_conversation([("klant", "hallo", None, None)])


def test_the_library_does_not_import_django() -> None:
    code = "import sys, gezien.analysis as a; a.analyze('ik ben boos'); print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.postgres_too  # the desk starts with the run's DATABASE_URL
def test_the_desk_runs_without_importing_the_evaluation_and_training_code() -> None:
    """gezien_lab ships beside the desk but is loaded only by the commands that need it."""
    code = (
        "import sys, django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'gezien.config.settings';"
        " django.setup(); import gezien.config.urls, gezien.cli, gezien.analysis.batch;"
        " from gezien.contacts.analysing import analyser; analyser('off').analyze('Dank u wel!');"
        " print(sorted(m for m in sys.modules if m.startswith('gezien_lab')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
