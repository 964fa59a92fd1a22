"""The habits' read on constructed conversations whose answer is known."""

from __future__ import annotations

import pytest

from gezien.coaching.habits import HABITS, HabitRead, Turn, read_conversation


def _c(text: str, start: float | None = None, end: float | None = None) -> Turn:
    return Turn("customer", text, start, end)


def _a(text: str, start: float | None = None, end: float | None = None) -> Turn:
    return Turn("agent", text, start, end)


def test_the_shape_is_the_fixed_interface() -> None:
    data = read_conversation(
        [_c("Mijn internet doet het al drie dagen niet."), _a("Wat vervelend voor u.")]
    ).to_json()
    assert [h["habit"] for h in data["habits"]] == list(HABITS)
    for h in data["habits"]:
        assert set(h) == {"habit", "applies", "score", "certainty", "moments"}
        assert 0 <= h["certainty"] <= 1
        assert h["score"] is None or 0 <= h["score"] <= 100
        for m in h["moments"]:
            assert set(m) == {"turn", "at_s", "quote", "good", "why"}
    assert HabitRead.from_json(data).to_json() == data


def test_an_agent_who_interrupts_three_times() -> None:
    turns = [
        _a("Goedemiddag, met Sanne van Voorbeeld Telecom, waarmee kan ik u helpen?", 0.0, 3.0),
        _c("Ik bel omdat mijn internet al drie dagen niet werkt en ik thuis moet werken", 3.4, 9.0),
        _a("Heeft u de router al opnieuw opgestart?", 7.5, 9.5),  # 1.5 s over the customer
        _c("Ja, twee keer, en daarna heb ik ook nog de kabels", 10.0, 14.0),
        _a("Dan stuur ik u een nieuwe router.", 13.0, 15.0),  # 1.0 s over
        _c("Maar ik heb morgen een belangrijke presentatie en", 15.5, 19.0),
        _a("Die komt morgen.", 18.0, 19.5),  # 1.0 s over
        _c("Goed, dank u.", 20.0, 21.0),
        _a("Graag gedaan, fijne dag.", 21.4, 23.0),
    ]
    habit = read_conversation(turns).habit("uitpraten")
    assert habit.applies
    bad = [m for m in habit.moments if not m.good]
    assert [m.turn for m in bad] == [2, 4, 6]
    assert [m.at_s for m in bad] == [7.5, 13.0, 18.0]
    assert "1,5 s" in bad[0].why
    assert habit.score is not None and habit.score <= 40
    # The same call, the agent waiting each time, scores full marks.
    patient = [Turn(t.author, t.text, t.start_s, t.end_s) for t in turns]
    for n in (2, 4, 6):
        before = patient[n - 1]
        assert before.end_s is not None
        patient[n] = _a(turns[n].text, before.end_s + 0.5, before.end_s + 2.5)
    calm = read_conversation(patient).habit("uitpraten")
    assert calm.score == 100 and all(m.good for m in calm.moments)


def test_interruptions_from_the_voice_analysis() -> None:
    turns = [
        _c("Ik heb al vijf keer gebeld over mijn factuur.", 0.0, 4.0),
        _a("Ik kijk het voor u na.", 4.5, 6.0),
        _c("En elke keer wordt het niet opgelost.", 6.5, 9.0),
        _a("Dat begrijp ik.", 8.2, 9.5),
    ]
    voice = {
        "let_finish": [
            {"at_s": 4.0, "finished": True, "gap_s": 0.5},
            {"at_s": 9.0, "finished": False, "gap_s": -0.8},
        ],
        "overtalk": [
            {"by": "agent", "start_s": 8.2, "duration_s": 0.8},
            {"by": "customer", "start_s": 2, "duration_s": 3},
        ],
    }
    habit = read_conversation(turns, voice=voice).habit("uitpraten")
    assert habit.score == 50
    assert habit.certainty > 0.6
    bad = [m for m in habit.moments if not m.good]
    assert len(bad) == 1 and bad[0].turn == 3  # the overtalk at the same place is the same moment


def test_no_times_no_uitpraten() -> None:
    habit = read_conversation(
        [_c("Waar blijft mijn pakket? Het zou gisteren komen."), _a("Ik kijk het na.")]
    ).habit("uitpraten")
    assert not habit.applies and habit.score is None and habit.certainty == 0


def test_an_agent_who_never_asks_a_question() -> None:
    turns = [
        _c("Mijn pakket is nog steeds niet bezorgd, het zou vorige week dinsdag al komen."),
        _a("Ik stuur u vandaag een nieuw pakket."),
        _c("En wanneer komt dat dan?"),
        _a("Morgen voor 18:00 uur wordt het bezorgd."),
    ]
    habit = read_conversation(turns).habit("vragen")
    assert habit.applies and habit.score == 0
    assert any(not m.good and "zonder eerst een vraag" in m.why for m in habit.moments)


def test_an_agent_who_asks_open_questions_before_solving() -> None:
    turns = [
        _c("Mijn pakket is nog steeds niet bezorgd, het zou vorige week dinsdag al komen."),
        _a("Kunt u vertellen wat er op de track-and-trace staat?"),
        _c("Er staat dat het bij de buren is, maar daar is het niet."),
        _a("Heeft u bij beide buren gevraagd?"),
        _c("Ja."),
        _a("Ik stuur u vandaag een nieuw pakket."),
    ]
    habit = read_conversation(turns).habit("vragen")
    assert habit.score is not None and habit.score >= 90
    assert [m.turn for m in habit.moments if m.good] == [1, 3]


def test_a_thank_you_gets_no_questions_score() -> None:
    read = read_conversation([_c("Bedankt voor de snelle hulp!"), _a("Graag gedaan, fijne dag.")])
    for name in ("vragen", "terugkoppelen", "eerst_luisteren", "uitpraten"):
        assert not read.habit(name).applies, name
        assert read.habit(name).score is None


def test_an_agent_who_paraphrases_the_feeling() -> None:
    turns = [
        _c("Ik heb al vijf keer gebeld en er gebeurt gewoon niets, ik ben het echt zat!"),
        _a(
            "Als ik het goed begrijp heeft u al vijf keer gebeld zonder resultaat, en dat is frustrerend. "
            "Klopt dat?"
        ),
        _c("Ja, precies."),
        _a("Ik begrijp dat u boos bent. Ik zorg dat een monteur morgen langskomt."),
    ]
    read = read_conversation(turns)
    habit = read.habit("terugkoppelen")
    assert habit.applies and habit.score == 100
    whys = [m.why for m in habit.moments if m.good]
    assert any("samen" in w for w in whys) and any("gevoel" in w for w in whys)
    assert read.habit("eerst_luisteren").score == 100


def test_skipping_the_feeling_is_a_moment_to_improve() -> None:
    turns = [
        _c("Ik heb al vijf keer gebeld en er gebeurt gewoon niets, ik ben het echt zat!"),
        _a("Wat is uw klantnummer?"),
        _c("12345678"),
        _a("Ik zorg dat een monteur morgen langskomt."),
    ]
    read = read_conversation(turns)
    terug = read.habit("terugkoppelen")
    assert terug.score == 0 and any("gevoel" in m.why and not m.good for m in terug.moments)
    first = read.habit("eerst_luisteren")
    assert first.score == 0 and first.moments[0].turn == 1 and not first.moments[0].good


def test_listening_first_in_the_widows_call() -> None:
    widow = _c("Mijn man is vorige week overleden en ik wil zijn abonnement opzeggen.")
    postcode = read_conversation([widow, _a("Wat is uw postcode en huisnummer?")]).habit("eerst_luisteren")
    condolence = read_conversation(
        [
            widow,
            _a("Gecondoleerd met uw verlies. Ik help u graag; mag ik daarvoor uw postcode en huisnummer?"),
        ]
    ).habit("eerst_luisteren")
    assert postcode.score == 0 and "ingrijpends" in postcode.moments[0].why
    assert condolence.score == 100 and condolence.moments[0].good


def test_staying_calm_under_anger() -> None:
    angry = _c("Dit is echt belachelijk, jullie zijn een stelletje oplichters! Ik ben woedend!")
    calm = read_conversation(
        [angry, _a("Ik begrijp dat u boos bent, dat is vervelend. Ik los het nu voor u op.")]
    )
    fierce = read_conversation([angry, _a("Dat is uw eigen schuld, u had de voorwaarden moeten lezen.")])
    shouting = read_conversation([angry, _a("U MOET NIET ZO TEGEN MIJ PRATEN")])
    assert calm.habit("rustig").score == 100 and calm.habit("rustig").moments[0].good
    assert fierce.habit("rustig").score is not None and fierce.habit("rustig").score <= 60
    assert "schuld" in fierce.habit("rustig").moments[0].quote
    assert shouting.habit("rustig").score is not None and shouting.habit("rustig").score <= 60
    assert "schreeuwen" in shouting.habit("rustig").moments[0].why
    # No anger, no capitals: the habit does not apply.
    assert not read_conversation([_c("Wanneer komt mijn pakket?"), _a("Morgen.")]).habit("rustig").applies


def test_a_raised_voice_in_the_call() -> None:
    turns = [_c("Ik ben woedend, dit is de vijfde keer!", 0, 3), _a("Ik begrijp het.", 3.5, 12)]
    loud = [-30.0] * 20
    loud[5] = -15.0
    habit = read_conversation(
        turns, voice={"sides": {"agent": {"loudness_db": loud, "speaking_rate": 4.0}}}
    ).habit("rustig")
    assert any(not m.good and "luider" in m.why and m.at_s == 5.0 for m in habit.moments)


def test_following_the_customers_register() -> None:
    customer = _c("Hoi, kun je me helpen? Mijn abonnement is te duur geworden en ik wil iets goedkopers.")
    follows = read_conversation([customer, _a("Natuurlijk, ik kijk even met je mee.")]).habit("register")
    stiff = read_conversation(
        [customer, _a("Natuurlijk, ik kijk even met u mee. Heeft u uw klantnummer?")]
    ).habit("register")
    assert follows.score == 100 and follows.moments[0].good
    assert stiff.score == 0 and "'u'" in stiff.moments[0].why


def test_collegas_never_applies_to_one_conversation() -> None:
    habit = read_conversation(
        [_c("Mijn internet doet het niet meer sinds gisteren."), _a("Wat vervelend.")]
    ).habit("collegas")
    assert not habit.applies and habit.moments == []


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="author"):
        read_conversation([Turn("bot", "hallo")])  # type: ignore[arg-type]
