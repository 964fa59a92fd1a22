import pytest

from gezien.contacts.transcripts import parse_transcript
from gezien.core.errors import Invalid


def test_a_pasted_transcript_becomes_turns_with_offsets() -> None:
    turns = parse_transcript(
        "[00:00-00:07] Klant: Dit is nu de vijfde keer dat ik bel!\n"
        "[00:06-00:09] Medewerker: Dat begrijp ik, meneer.\n"
        "En ik zoek het meteen op.\n"
        "Klant: Graag."
    )
    assert [(t.author, t.start_s, t.end_s) for t in turns] == [
        ("customer", 0, 7),
        ("agent", 6, 9),
        ("customer", None, None),
    ]
    assert turns[1].text == "Dat begrijp ik, meneer.\nEn ik zoek het meteen op."


def test_minutes_and_seconds_and_plain_seconds_are_both_understood() -> None:
    turns = parse_transcript("[1:05-1:10.5] M: Goedemiddag\n[70-72] K: Hallo")
    assert [(t.start_s, t.end_s) for t in turns] == [(65, 70.5), (70, 72)]


@pytest.mark.parametrize("text", ["", "zomaar tekst zonder spreker", "[00:09-00:02] Klant: terug in de tijd"])
def test_unreadable_transcripts_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(Invalid):
        parse_transcript(text)
