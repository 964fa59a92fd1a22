"""Agents and team leads correct signals on a message; one say per person, signal and message."""

import pytest
from django.utils import timezone

from gezien.analysis.result import EMOTIONS, LIFE_EVENTS, SCALAR_SIGNALS
from gezien.contacts.corrections import corrections_as_examples, signal_correct
from gezien.contacts.models import Message, SignalCorrection
from gezien.contacts.services import contact_open
from gezien.contacts.vocabulary import CORRECTABLE
from gezien.core.errors import Invalid


@pytest.fixture
def message(db: None) -> Message:
    return contact_open(channel="chat", text="Ik ben niet boos, wel teleurgesteld.").messages[0]


def test_the_desk_can_name_every_signal_the_analyser_raises() -> None:
    assert set(CORRECTABLE) >= {*EMOTIONS, *LIFE_EVENTS, *SCALAR_SIGNALS, "formal", "informal"}


def test_saying_it_again_updates_the_same_correction(message: Message, agent) -> None:
    first = signal_correct(message=message, signal="anger", value=False, actor=agent)
    again = signal_correct(message=message, signal="anger", value=True, note="toch wel", actor=agent)
    assert (first.created, again.created) == (True, False)
    correction = SignalCorrection.objects.get()
    assert (correction.value, correction.note, correction.corrected_by) == (True, "toch wel", agent)


def test_each_person_has_their_own_say(message: Message, agent, make_user) -> None:
    lead = make_user("kees", "teamlead")
    signal_correct(message=message, signal="anger", value=False, actor=agent)
    signal_correct(message=message, signal="anger", value=True, actor=lead)
    assert SignalCorrection.objects.filter(message=message, signal="anger").count() == 2


@pytest.mark.parametrize("signal", ["furious", "", "ANGER", "model:anger", None])
def test_an_unknown_signal_is_refused_and_nothing_stored(message: Message, agent, signal) -> None:
    with pytest.raises(Invalid) as refused:
        signal_correct(message=message, signal=signal, value=False, actor=agent)
    assert refused.value.field == "signal"
    assert not SignalCorrection.objects.exists()


def test_system_messages_and_long_notes_are_refused(message: Message, agent) -> None:
    system = Message.objects.create(
        contact=message.contact, author="system", text="Doorgezet", sent_at=timezone.now()
    )
    with pytest.raises(Invalid):
        signal_correct(message=system, signal="anger", value=False, actor=agent)
    with pytest.raises(Invalid) as refused:
        signal_correct(message=message, signal="anger", value=False, note="x" * 301, actor=agent)
    assert refused.value.field == "note"
    assert not SignalCorrection.objects.exists()


def test_corrections_become_one_example_per_signal_by_majority(message: Message, agent, make_user) -> None:
    lead, other = make_user("kees", "teamlead"), make_user("piet", "agent")
    signal_correct(message=message, signal="anger", value=False, actor=agent)
    signal_correct(message=message, signal="anger", value=False, actor=lead)
    signal_correct(message=message, signal="anger", value=True, actor=other)
    signal_correct(message=message, signal="disappointment", value=True, actor=agent)
    examples = {e.signal: e for e in corrections_as_examples()}
    assert (examples["anger"].value, examples["anger"].votes) == (False, 3)
    assert examples["disappointment"].value is True
    assert examples["anger"].text == message.text
    assert examples["anger"].role == "customer"


def test_a_tie_goes_to_the_latest_say(message: Message, agent, make_user) -> None:
    lead = make_user("kees", "teamlead")
    signal_correct(message=message, signal="churn", value=True, actor=agent)
    signal_correct(message=message, signal="churn", value=False, actor=lead)
    assert [e.value for e in corrections_as_examples()] == [False]
