"""`split_quote`: the new words apart from quoted history and signature, in Dutch and English."""

from __future__ import annotations

import pytest

from gezien.mailparse import split_quote

HISTORY = [
    "Op ma 3 feb 2025 om 10:12 schreef Klantenservice <info@shop.nl>:\n\n> Beste Jan,\n> oud",
    "Op 3 feb. 2025 om 10:12 heeft Klantenservice <info@shop.nl> het volgende geschreven:\n\n> oud",
    "On Mon, Feb 3, 2025 at 10:12 AM Support <support@shop.example> wrote:\n\n> old",
    "On Mon, Feb 3, 2025 at 10:12 AM Support <support@shop.example>\nwrote:\n\n> old",
    "Van: Klantenservice <info@shop.nl>\nVerzonden: 3 februari 2025\nAan: Jan\nOnderwerp: RE: x\n\noud",
    "From: Support <s@shop.example>\nSent: Monday, February 3, 2025 10:12 AM\nTo: Jan\nSubject: RE: x\n\nold",
    "________________________________\nVan: Klantenservice <info@shop.nl>\nVerzonden: ma\nAan: Jan\n\noud",
    "-----Original Message-----\nFrom: a\nold",
    "-----Oorspronkelijk bericht-----\nVan: a\noud",
    "---------- Forwarded message ---------\nFrom: a\nold",
    "> oud\n> ouder",
]


@pytest.mark.parametrize("history", HISTORY)
def test_history_is_folded_under_the_new_words(history):
    split = split_quote(f"Dank, het is opgelost.\n\n{history}\n")
    assert split.body == "Dank, het is opgelost."
    assert split.quoted == history.strip()


@pytest.mark.parametrize(
    ("text", "body", "signature"),
    [
        ("Graag terugbellen.\n\nMet vriendelijke groet,\nJan de Vries\n06-12345678", "Graag terugbellen.",
         "Met vriendelijke groet,\nJan de Vries\n06-12345678"),
        ("Graag terugbellen.\n\nMvg,\nJan", "Graag terugbellen.", "Mvg,\nJan"),
        ("Graag terugbellen.\n\nGroet, Piet", "Graag terugbellen.", "Groet, Piet"),
        ("Graag terugbellen.\n-- \nJan\nwww.jan.nl", "Graag terugbellen.", "-- \nJan\nwww.jan.nl"),
        ("Bel me.\n\nVerzonden vanaf mijn iPhone", "Bel me.", "Verzonden vanaf mijn iPhone"),
        ("Please call me.\n\nKind regards,\nSarah\n\nSent from my iPhone", "Please call me.",
         "Kind regards,\nSarah\n\nSent from my iPhone"),
    ],
)  # fmt: skip
def test_signatures(text, body, signature):
    split = split_quote(text)
    assert (split.body, split.signature) == (body, signature)


def test_a_closing_followed_by_a_long_block_is_not_a_signature():
    text = "Met vriendelijke groet,\n" + "\n".join(f"regel {n} van mijn verhaal" for n in range(12))
    assert split_quote(text).signature == ""


def test_a_sentence_starting_with_thanks_is_not_a_closing():
    text = "Hallo,\n\nThanks for the quick reply, the parcel arrived today.\n\nJan"
    assert split_quote(text).body == text


def test_answers_between_quoted_lines_stay_whole():
    text = "> Welk model?\nDe City 3.\n\n> Wanneer gekocht?\nIn maart."
    assert split_quote(text).body == text


def test_a_reply_under_the_quote_stays_whole():
    text = "On 04/02/2012 06:26 PM, Megan wrote:\n> Hi\nHello"
    assert split_quote(text).body == text


def test_nothing_is_folded_into_an_empty_body():
    for text in ("> alleen een quote", "Met vriendelijke groet,\nJan", "-- \nJan", ""):
        split = split_quote(text)
        assert split.body == text.strip()
        assert (split.quoted, split.signature) == ("", "")


def test_only_a_closing_above_the_history_becomes_the_body():
    split = split_quote("Groet, Piet\n\nOp ma 3 feb 2025 schreef X <x@y.nl>:\n> vraag")
    assert split.body == "Groet, Piet"
    assert split.quoted.startswith("Op ma 3 feb")


def test_long_text_is_fast_and_intact():
    text = "regel\n" * 100_000 + "x" * 1_000_000
    assert split_quote(text).body == text.strip()


def test_a_customer_recalling_what_they_wrote_is_not_a_reply_header():
    text = "Op 3 februari schreef ik u het volgende:\n\nIk wil mijn geld terug.\n\nJan"
    assert split_quote(text).quoted == ""


def test_a_postscript_under_the_name_stays_in_the_body():
    text = "Graag terugbellen.\n\nGroet,\nJan\n\nPS: het ordernummer is 12345"
    assert split_quote(text).body == text
