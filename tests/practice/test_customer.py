"""The simulated customer of each built-in scenario reacts as the seeds describe: acknowledged -> calmer,
data first -> angrier, abused back -> the conversation ends; the same conversation gets the same answers."""

from __future__ import annotations

import pytest

from gezien.practice.customer import CustomerState, Reaction, respond
from gezien.practice.scenarios import BUILTIN, REACTIONS, ScenarioSpec

# Per scenario: what acknowledges this customer, what asks data first, and a helpful next turn.
TURNS = {
    "weduwe": (
        "Gecondoleerd met het verlies van uw man. Wat verdrietig voor u.",
        "Wat is uw postcode en huisnummer?",
        "Ik zeg het abonnement voor u op per de datum van overlijden, zonder kosten.",
    ),
    "vijfde-keer": (
        "Wat vervelend dat u al vijf keer heeft moeten bellen, mijn excuses daarvoor.",
        "Wat is uw ordernummer?",
        "Ik ga het zelf uitzoeken en ik bel u morgen voor twaalf uur terug.",
    ),
    "grof": (
        "Ik begrijp dat je schrok van die rekening, dat is ook veel geld.",
        "Wat is je klantnummer?",
        "Ik ga de rekening voor je nakijken en pas hem aan als er iets fout is gegaan.",
    ),
    "informeel": (
        "Leuk dat je chat! Snap ik helemaal.",
        "Mag ik je klantnummer en postcode?",
        "Ja hoor, als je vandaag bestelt is hij maandag bij je 😊",
    ),
    "formele-klacht": (
        "Geachte mevrouw, het spijt ons zeer dat onze monteur tweemaal niet is verschenen. Onze excuses.",
        "Wat is uw klantnummer?",
        "Wij vergoeden uw twee verlofdagen en plannen een nieuwe afspraak, schriftelijk bevestigd.",
    ),
}


def play(spec: ScenarioSpec, *texts: str) -> list[Reaction]:
    state = CustomerState.start(spec)
    return [respond(spec, state, text) for text in texts]


def test_the_five_scenarios_with_their_slugs() -> None:
    assert list(BUILTIN) == ["weduwe", "vijfde-keer", "grof", "informeel", "formele-klacht"]
    for spec in BUILTIN.values():
        assert spec.opening and spec.situation and spec.calms and spec.angers and spec.hints
        for reaction in REACTIONS:
            assert spec.lines(reaction), (spec.slug, reaction)


@pytest.mark.parametrize("slug", [s for s in TURNS if BUILTIN[s].start_tension >= 40])
def test_acknowledged_calms_data_first_angers(slug: str) -> None:
    spec = BUILTIN[slug]
    acknowledge, data, _help = TURNS[slug]
    [calmer] = play(spec, acknowledge)
    [angrier] = play(spec, data)
    assert calmer.reaction == "acknowledged" and calmer.tension < spec.start_tension
    assert angrier.reaction == "data_first" and angrier.tension > spec.start_tension
    assert calmer.reply != angrier.reply
    assert "gegevens" in angrier.feedback


@pytest.mark.parametrize("slug", list(TURNS))
def test_heard_and_helped_ends_content(slug: str) -> None:
    spec = BUILTIN[slug]
    acknowledge, _data, helps = TURNS[slug]
    *_, last = play(spec, acknowledge, helps)
    assert last.ended and last.outcome == "resolved"
    assert last.reply in spec.lines("resolved")


@pytest.mark.parametrize("slug", list(TURNS))
def test_abuse_back_ends_the_conversation(slug: str) -> None:
    [reaction] = play(BUILTIN[slug], "Hou je bek, stomme idioot")
    assert reaction.ended and reaction.outcome == "abused" and reaction.reaction == "abused"
    assert "schold" in reaction.feedback


def test_the_widow_needs_condolence_not_a_general_acknowledgement() -> None:
    spec = BUILTIN["weduwe"]
    [general] = play(spec, "Wat vervelend voor u.")
    [condolence] = play(spec, "Gecondoleerd met uw verlies.")
    assert general.reaction == "partly" and condolence.reaction == "acknowledged"
    assert condolence.tension < general.tension
    assert "medeleven" in general.feedback


def test_the_postcode_question_first_then_again_until_she_hangs_up() -> None:
    spec = BUILTIN["weduwe"]
    reactions = play(spec, "Wat is uw postcode en huisnummer?", "Uw postcode alstublieft?", "Uw huisnummer?")
    assert [r.reaction for r in reactions] == ["data_first", "data_first", "hung_up"]
    assert reactions[0].reply != reactions[1].reply  # the lines vary
    assert reactions[-1].ended and reactions[-1].outcome == "hung_up"


def test_signposted_data_after_condolence_is_progress() -> None:
    spec = BUILTIN["weduwe"]
    _, data = play(
        spec,
        "Gecondoleerd met het verlies van uw man.",
        "Ik wil u graag helpen en pak daarvoor uw gegevens erbij. Mag ik uw postcode en huisnummer?",
    )
    assert data.reaction == "progress" and not data.ended


def test_register_followed_or_noted() -> None:
    informal = BUILTIN["informeel"]
    [stiff] = play(informal, "Geachte mevrouw, u kunt bestellen, dan wordt deze maandag geleverd.")
    assert stiff.register_mismatch and stiff.reaction == "angered" and not stiff.ended
    assert "stijl" in stiff.feedback
    formal = BUILTIN["formele-klacht"]
    [loose] = play(formal, "Hoi! Sorry hoor, je hebt gelijk.")
    assert loose.register_mismatch and "register" in loose.feedback


def test_deterministic() -> None:
    for slug, turns in TURNS.items():
        assert play(BUILTIN[slug], *turns) == play(BUILTIN[slug], *turns)


def test_a_spec_survives_json() -> None:
    for spec in BUILTIN.values():
        assert ScenarioSpec.from_json(spec.to_json()) == spec


def test_once_heard_the_fifth_time_caller_gives_his_order_number() -> None:
    spec = BUILTIN["vijfde-keer"]
    _, data = play(spec, TURNS["vijfde-keer"][0], "Mag ik uw ordernummer, dan zoek ik het meteen uit?")
    assert data.reaction == "progress" and "4471-2290" in data.reply
    [blamed] = play(spec, "Dat ligt aan de vervoerder.")
    assert blamed.reaction == "data_first" and blamed.tension > spec.start_tension
