"""Every stored message is analysed after its transaction commits (by the outbox, off the request); a
failing analysis never costs the message; `reanalyse` fills in what is missing or stale. These tests
commit for real (transaction=True); with nothing else running, the outbox is handled after each commit."""

import logging
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from gezien.contacts import analysing
from gezien.contacts.analysing import analyser, analyser_version, messages_analyse, messages_reanalyse
from gezien.contacts.handling import contact_transfer
from gezien.contacts.models import Contact, Message, MessageSignals, OutboxEntry
from gezien.contacts.outbox import outbox_drain
from gezien.contacts.services import TranscriptTurn, contact_open, message_add
from tests.conftest import FakeAnalyzer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def inline(settings) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = True


def test_a_new_contact_is_stored_then_analysed_by_the_real_analyser(inline: None) -> None:
    opened = contact_open(
        channel="chat",
        text="Ik heb al vijf keer gebeld en ik ben er klaar mee!",
        transcript=[],
    )
    message = Message.objects.get(contact=opened.contact)
    signals = MessageSignals.objects.get(message=message)
    assert (signals.role, signals.layers) == ("customer", "rules")
    assert signals.version == analyser_version(analyser("off"))
    assert set(signals.data) >= {"lang", "emotions", "sentiment", "evidence", "layers", "abuse", "churn"}
    assert -1 <= signals.sentiment <= 1
    assert signals.top_emotion in {"", *signals.data["emotions"]}


def test_transcript_turns_are_read_with_the_role_of_their_speaker(inline: None, fake_analyser) -> None:
    contact = contact_open(
        channel="phone",
        transcript=[
            TranscriptTurn("customer", "Ik ben boos.", 0, 2),
            TranscriptTurn("agent", "Dat begrijp ik, vervelend.", 2, 4),
        ],
    ).contact
    roles = dict(
        MessageSignals.objects.filter(message__contact=contact).values_list("message__author", "role")
    )
    assert roles == {"customer": "customer", "agent": "agent"}
    assert sorted(role for _texts, role in fake_analyser.calls) == ["agent", "customer"]


def test_notes_are_the_agents_and_system_messages_are_not_analysed(
    inline: None, fake_analyser, agent
) -> None:
    contact = contact_open(channel="phone").contact
    note = message_add(contact=contact, author="agent", kind="note", text="Klant was boos.", agent=agent)
    contact_transfer(contact=contact, actor=agent, to_agent=agent, note="Graag terugbellen")
    system = Message.objects.get(contact=contact, author="system")
    assert MessageSignals.objects.get(message=note).role == "agent"
    assert not MessageSignals.objects.filter(message=system).exists()


def test_analysis_waits_for_the_commit(inline: None, fake_analyser) -> None:
    with transaction.atomic():
        contact = contact_open(channel="chat", text="Ik ben boos").contact
        message_add(contact=contact, author="customer", text="Nog steeds boos")
        assert not MessageSignals.objects.exists()  # stored, not yet committed: not analysed either
    assert MessageSignals.objects.filter(message__contact=contact).count() == 2
    assert set(MessageSignals.objects.values_list("top_emotion", flat=True)) == {"anger"}


def test_a_rolled_back_message_is_never_analysed(inline: None, fake_analyser) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        contact_open(channel="chat", text="Ik ben boos")
        raise RuntimeError("the request failed after storing")
    assert not Contact.objects.exists()
    assert fake_analyser.calls == []


def test_a_failing_analysis_leaves_the_message_stored_and_unanalysed(
    inline: None, fake_analyser: FakeAnalyzer, caplog: pytest.LogCaptureFixture
) -> None:
    fake_analyser.fail = True
    with caplog.at_level(logging.ERROR, logger="gezien.contacts.analysing"):
        opened = contact_open(channel="chat", text="Ik ben boos")
        message_add(contact=opened.contact, author="customer", text="Hallo?")
    assert Message.objects.filter(contact=opened.contact).count() == 2
    assert not MessageSignals.objects.exists()
    assert "reanalyse" in caplog.text
    assert not OutboxEntry.objects.exists()  # a failed analysis is not tried again and again
    fake_analyser.fail = False
    assert messages_reanalyse(scope="missing") == 2
    assert MessageSignals.objects.count() == 2


def test_a_broken_database_write_of_the_signals_does_not_fail_the_request(
    inline: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(rows: object) -> list[tuple[str, tuple[object, ...]]]:  # the database refuses the write
        return [("INSERT INTO no_such_table_of_signals (id) VALUES (1)", ())]

    monkeypatch.setattr(analysing, "_upsert_sql", broken)
    opened = contact_open(channel="email", text="Waar blijft mijn pakket?")
    assert opened.contact.messages.count() == 1
    assert not MessageSignals.objects.exists()


def test_with_a_worker_the_analysis_waits_in_the_outbox_until_it_drains(settings, fake_analyser) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = False
    contact = contact_open(
        channel="phone",
        transcript=[TranscriptTurn("customer", "Ik ben boos."), TranscriptTurn("agent", "Vervelend.")],
    ).contact
    (entry,) = OutboxEntry.objects.all()
    assert entry.contact_ids == str(contact.pk)
    messages = sorted(contact.messages.values_list("pk", flat=True))
    assert sorted(map(int, entry.message_ids.split())) == messages
    assert not MessageSignals.objects.exists()
    assert outbox_drain() >= 1  # and the row its listeners wrote (routing's event)
    assert MessageSignals.objects.filter(message__contact=contact).count() == 2
    assert not OutboxEntry.objects.exists()


def _messages(count: int) -> list[Message]:
    contact = Contact.objects.create(channel="chat", recognition="unidentified", opened_at=timezone.now())
    start = timezone.now() - timedelta(hours=1)
    return Message.objects.bulk_create(
        Message(
            contact=contact, author="customer", text=f"Bericht {i} boos", sent_at=start + timedelta(minutes=i)
        )
        for i in range(count)
    )


def test_reanalyse_fills_in_what_is_missing_in_batches_and_is_idempotent(fake_analyser) -> None:
    messages = _messages(5)
    messages_analyse(messages[:2])
    seen: list[tuple[int, int]] = []
    assert messages_reanalyse(scope="missing", batch=2, progress=lambda d, t: seen.append((d, t))) == 3
    assert seen == [(0, 3), (2, 3), (3, 3)]
    assert MessageSignals.objects.count() == 5
    assert messages_reanalyse(scope="missing") == 0
    assert messages_reanalyse(scope="stale") == 0  # all written by this analyser's version


def test_reanalyse_redoes_what_another_analyser_version_wrote(fake_analyser: FakeAnalyzer) -> None:
    messages = _messages(3)
    messages_analyse(messages)
    MessageSignals.objects.filter(message=messages[0]).update(version="rules@old-lexicon", top_emotion="")
    assert messages_reanalyse(scope="missing") == 0
    assert messages_reanalyse(scope="stale") == 1
    assert MessageSignals.objects.get(message=messages[0]).top_emotion == "anger"
    assert messages_reanalyse(scope="all") == 3
    assert MessageSignals.objects.count() == 3


def test_agent_turns_notes_and_replies_store_no_customer_signal(inline: None, agent) -> None:
    """Signals follow the author (the real analyser): whatever customer-signal words an agent's turn,
    note or reply holds, its stored row has acts and tone, and nothing a figure or hint could read as
    the customer's (emotions, sentiment, abuse, churn, repeat, life events)."""
    words = "U heeft al vijf keer gebeld, u bent boos en wilt opzeggen; uw man is overleden. Wat een ellende!"
    contact = contact_open(
        channel="phone",
        transcript=[
            TranscriptTurn(
                "customer", "Ik heb al vijf keer gebeld, ik ben woedend en ik zeg alles op!", 0, 4
            ),
            TranscriptTurn("agent", words, 4, 9),
        ],
    ).contact
    note = message_add(contact=contact, author="agent", kind="note", text=words, agent=agent)
    reply = message_add(contact=contact, author="agent", text=words, agent=agent)
    rows = MessageSignals.objects.filter(message__contact=contact)
    customer = rows.get(role="customer")
    assert customer.churn >= 0.5 and customer.repeat >= 0.5 and customer.top_emotion == "anger"
    agents = list(rows.filter(role="agent"))
    assert {r.message_id for r in agents} >= {note.pk, reply.pk} and len(agents) == 3
    for row in agents:
        scores = (row.churn, row.repeat, row.abuse, row.sentiment, row.top_score)
        assert scores == (0, 0, 0, 0, 0) and row.top_emotion == row.life_events == ""
        assert not any(row.data["emotions"].values()) and row.data["life_events"] == []
