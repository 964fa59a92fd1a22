"""The draft check: one test per rule, each on what the agent would see."""

from __future__ import annotations

from gezien.analysis import Analyzer
from gezien.assist.draft import DraftContext, check_draft, shouting
from gezien.contacts.addressing import Cite

ANALYSER = Analyzer()


def _ctx(**changes: object) -> DraftContext:
    base: dict[str, object] = {
        "address": "u",
        "address_known": True,
        "address_cites": (Cite("formal", "kunt u", 1),),
        "lang": "nl",
        "listen_first": False,
        "acknowledged": False,
        "feeling_cites": (),
        "recognised": True,
        "complaint": False,
        "sensitive": False,
        "last_customer_words": 20,
    }
    base.update(changes)
    return DraftContext(**base)  # type: ignore[arg-type]


def _keys(text: str, **ctx: object) -> list[str]:
    return [f.key for f in check_draft(ANALYSER.analyze(text, role="agent"), _ctx(**ctx)).findings]


def test_an_informal_reply_to_a_formal_customer_is_a_register_mismatch_citing_both_sides() -> None:
    check = check_draft(ANALYSER.analyze("Hoi! Kun je even je klantnummer sturen?", role="agent"), _ctx())
    finding = next(f for f in check.findings if f.key == "register_mismatch")
    assert "Kun je" in finding.draft_words and finding.because[0].words == "kunt u"
    assert "too_loose" in [f.key for f in check.findings]  # "Hoi!" is style, not address


def test_a_formal_reply_to_a_je_customer_is_a_mismatch_and_stiff_phrasing_is_named() -> None:
    keys = _keys("Geachte heer, middels deze mail bevestig ik uw verzoek.", address="je")
    assert "register_mismatch" in keys and "too_stiff" in keys


def test_a_matching_reply_gets_no_register_finding() -> None:
    assert _keys("Kunt u mij uw ordernummer sturen? Dan kijk ik het direct na.") == []


def test_mixing_u_and_je_is_named() -> None:
    assert "register_mixed" in _keys("Kunt u mij helpen? Dan stuur ik je het formulier.")


def test_unknown_register_prefers_u() -> None:
    assert "register_mismatch" in _keys("Kun je dat nog even checken?", address_known=False, address_cites=())


def test_asking_for_data_before_acknowledging_an_upset_customer() -> None:
    ctx = {"listen_first": True, "feeling_cites": (Cite("anger", "woedend", 1),)}
    assert "data_before_acknowledgement" in _keys("Mag ik uw postcode en huisnummer?", **ctx)
    calm = _keys("Ik begrijp dat u hier boos over bent. Mag ik uw postcode en huisnummer?", **ctx)
    assert "data_before_acknowledgement" not in calm


def test_asking_a_recognised_customer_for_their_details_again() -> None:
    assert "data_already_known" in _keys("Mag ik uw postcode en huisnummer?")


def test_signposting_is_suggested_for_an_unrecognised_customer() -> None:
    check = check_draft(ANALYSER.analyze("Mag ik uw postcode?", role="agent"), _ctx(recognised=False))
    finding = next(f for f in check.findings if f.key == "signpost_first")
    assert finding.suggestion.startswith("Ik wil u graag helpen; daarvoor pak ik uw gegevens erbij.")
    signposted = "Om u goed te helpen pak ik uw gegevens erbij. Mag ik uw postcode?"
    assert "signpost_first" not in _keys(signposted, recognised=False)


def test_a_long_complaint_wants_a_paraphrase() -> None:
    reply = (
        "Wij gaan dit voor u uitzoeken en laten u binnen twee werkdagen weten wat er is gebeurd met uw order."
    )
    assert "paraphrase_missing" in _keys(reply, complaint=True, last_customer_words=150)
    paraphrased = "Als ik het goed begrijp, is uw order nog steeds niet geleverd. " + reply
    assert "paraphrase_missing" not in _keys(paraphrased, complaint=True, last_customer_words=150)
    assert "paraphrase_missing" not in _keys(reply, complaint=True, last_customer_words=30)


def test_no_upsell_in_a_complaint_or_after_a_death() -> None:
    offer = "Wist u dat we nu een speciale aanbieding hebben: drie maanden gratis sneller internet?"
    assert "upsell" in _keys(offer, sensitive=True)
    assert "upsell" in _keys(offer, complaint=True)
    assert "upsell" not in _keys(offer)


def test_shouting_is_caps_and_bangs_but_not_acronyms() -> None:
    assert "shouting" in _keys("DAT KAN ECHT NIET!!")
    assert shouting("Uw IBAN en de KPN-storing") == ()
    assert shouting("Dat is GEWELDIG nieuws?!") == ("GEWELDIG", "?!")


def test_an_acknowledgement_opens_the_solutions() -> None:
    ctx = _ctx(listen_first=True)
    folded = check_draft(ANALYSER.analyze("Mag ik uw ordernummer?", role="agent"), ctx)
    opened = check_draft(ANALYSER.analyze("Ik begrijp dat u hier boos over bent.", role="agent"), ctx)
    assert not folded.solutions_open and opened.solutions_open and opened.acknowledges


def test_english_customers_get_no_u_je_findings() -> None:
    assert _keys("Could you send me your order number?", lang="en") == []
