"""Sarcasm reads as negative with its reason in the evidence; formal complaints carry their emotions."""

from __future__ import annotations

import pytest

from gezien.analysis import analyze

NEGATIVE = ("anger", "disappointment")


def sarcasm_rules(text: str) -> list[str]:
    return [e.rule for e in analyze(text).evidence if "+sarcasm:" in e.rule]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "Geweldig hoor, weer een monteur die niet komt opdagen. Echt top service, bedankt voor niks.",
            "marker=hoor",
        ),
        ("Echt knap hoor, drie keer gebeld en nog steeds niks.", "marker=hoor"),
        ("Nou fijn, nu doet de tv het ook niet meer.", "marker=nou"),
        ("Fantastisch, de monteur is weer niet gekomen.", "fact=weer niet gekomen"),
        ("Top, alweer een storing.", "fact=alweer een storing"),
        ("Goed bezig jullie, weer een verkeerde factuur.", "fact="),
        ("Prachtige service, bedankt voor niks!", "with=bedankt voor niks"),
        ("Great, thanks for nothing.", "with=thanks for nothing"),
    ],
)
def test_praise_beside_a_failure_or_marked_as_irony_reads_as_negative(text: str, reason: str) -> None:
    a = analyze(text)
    assert a.sentiment < -0.3, (a.sentiment, a.evidence)
    assert max(a.emotions[e] for e in NEGATIVE) > max(
        a.emotions[e] for e in ("appreciation", "satisfaction", "trust", "reassurance")
    ), a.emotions
    assert any(f"+sarcasm:{reason}" in r for r in sarcasm_rules(text)), a.evidence


@pytest.mark.parametrize(
    "text",
    [
        "Super, bedankt! De storing is opgelost.",  # praise in its own sentence, the failure solved
        "Geweldig hoor, dank u wel voor uw snelle hulp!",  # a marker without a failure
        "Fijn hoor, dank u, ik was erg bezorgd.",  # worry is no failure to mock
        "Bedankt voor uw hulp, maar het werkt nog steeds niet.",  # "maar" separates honest thanks
        "Top service, weer binnen een dag geleverd.",  # "weer" alone is no failure
        "Bedankt voor het terugbellen, ik ben nog steeds ontevreden over de factuur.",  # thanks stays thanks
        "Naomi heeft me laatst super geholpen, maar de storing is er nog steeds.",
    ],
)
def test_sincere_praise_is_not_read_as_sarcasm(text: str) -> None:
    assert sarcasm_rules(text) == []


@pytest.mark.parametrize(
    ("text", "emotion", "low"),
    [
        ("Tot mijn grote teleurstelling is er nog niets gebeurd.", "disappointment", 0.7),
        ("Ik ben zeer ontevreden over de gang van zaken.", "disappointment", 0.6),
        ("Ik maak hierbij bezwaar tegen de factuur van maart.", "anger", 0.4),
        ("Hierbij maak ik bezwaar tegen de verhoging.", "anger", 0.4),
        ("Ik verzoek u dringend contact met mij op te nemen.", "haste", 0.6),
        ("Ik verzoek u met klem de incasso te stoppen.", "anger", 0.4),
        ("Ik ben hoogst verbaasd over uw reactie.", "anger", 0.4),
        ("Ik heb het vertrouwen in uw organisatie verloren.", "disappointment", 0.6),
        ("Ik stel u aansprakelijk voor de gevolgen.", "anger", 0.5),
        ("I wish to lodge a formal complaint about the outage.", "anger", 0.4),
        ("To my great disappointment the engineer never came.", "disappointment", 0.7),
    ],
)
def test_formal_complaint_phrases_carry_an_emotion(text: str, emotion: str, low: float) -> None:
    a = analyze(text)
    assert a.emotions[emotion] >= low, a.emotions
    assert a.emotions[emotion] < 0.97, "restrained: never the strength of an outburst"
    assert a.sentiment < 0 and a.abuse == 0


def test_a_formal_complaint_letter_is_not_emotionless() -> None:
    letter = (
        "Geachte heer, mevrouw,\n\nOp 3 maart jl. heb ik een factuur ontvangen voor diensten die ik niet heb "
        "afgenomen. Ik maak hierbij bezwaar tegen deze factuur en verzoek u dringend het bedrag te "
        "crediteren.\n\nHoogachtend,\nJ. de Vries"
    )
    a = analyze(letter)
    assert a.register == "formal"
    assert max(a.emotions[e] for e in NEGATIVE) >= 0.4, a.emotions
    assert a.top_emotion(threshold=0.3) in ("anger", "disappointment", "haste")


def test_a_polite_formal_request_is_not_a_complaint() -> None:
    a = analyze(
        "Geachte heer, mevrouw, ik verzoek u vriendelijk mijn adres te wijzigen. Hoogachtend, P. Jansen"
    )
    assert all(a.emotions[e] < 0.3 for e in ("anger", "disappointment", "haste", "stress", "sadness"))
