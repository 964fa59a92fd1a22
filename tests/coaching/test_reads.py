"""Every closed contact gets its read; the agent comments on their own; who may see whose reads."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gezien.accounts.models import User
from gezien.coaching import selectors
from gezien.coaching.models import ContactRead, ReadComment
from gezien.coaching.services import comment_add, policy_save, reads_backfill
from gezien.core.errors import Forbidden, Invalid, NotFound
from tests.coaching.conftest import ATTENTIVE, INTERRUPTING, Handled


def test_a_closed_call_gets_its_read(agent: User, handled: Handled) -> None:
    contact = handled(agent, INTERRUPTING)
    read = ContactRead.objects.get(pk=contact.pk)
    assert read.agent == agent
    assert read.uitpraten is not None and read.uitpraten == 0  # three interruptions out of three
    habit = next(h for h in read.data["habits"] if h["habit"] == "uitpraten")
    assert [m["turn"] for m in habit["moments"] if not m["good"]] == [1, 3, 5]
    assert read.collegas is None


def test_an_open_contact_has_no_read(agent: User, django_capture_on_commit_callbacks: object) -> None:
    from gezien.contacts.services import contact_open

    contact = contact_open(channel="chat", text="Waar blijft mijn pakket?").contact
    assert not ContactRead.objects.filter(pk=contact.pk).exists()


def test_the_backfill_reads_contacts_closed_before(agent: User, handled: Handled) -> None:
    contact = handled(agent, ATTENTIVE)
    ContactRead.objects.all().delete()
    assert reads_backfill() == 1
    assert ContactRead.objects.get(pk=contact.pk).terugkoppelen == 100
    assert reads_backfill() == 0  # current reads are left alone
    assert reads_backfill(force=True) == 1


def test_the_agent_comments_and_disagrees(agent: User, lead: User, colleague: User, handled: Handled) -> None:
    contact = handled(agent, INTERRUPTING)
    comment_add(
        actor=agent,
        contact_id=contact.pk,
        text="De klant zweeg lang, ik dacht dat ze klaar was.",
        habit="uitpraten",
        disagree=True,
    )
    with pytest.raises(Invalid):
        comment_add(actor=agent, contact_id=contact.pk, text="   ")
    with pytest.raises(Invalid):
        comment_add(actor=agent, contact_id=contact.pk, text="x", habit="zingen")
    with pytest.raises(Forbidden):
        comment_add(actor=lead, contact_id=contact.pk, text="Ik als teamleider")
    with pytest.raises(Forbidden):
        comment_add(actor=colleague, contact_id=contact.pk, text="Ik als collega")
    assert ReadComment.objects.count() == 1
    report = selectors.agent_report(agent)
    assert [c.text for c in report.comments] == ["De klant zweeg lang, ik dacht dat ze klaar was."]
    assert report.comments[0].disagree


def test_who_sees_whose_read(
    agent: User, lead: User, manager: User, colleague: User, stranger: User, handled: Handled
) -> None:
    contact = handled(agent, INTERRUPTING)
    for viewer in (agent, lead, manager):
        assert selectors.read_for(viewer, contact.pk).pk == contact.pk
    with pytest.raises(Forbidden):
        selectors.read_for(colleague, contact.pk)  # another agent of the team
    bas = User.objects.get(username="bas")
    with pytest.raises(NotFound):
        selectors.read_for(bas, contact.pk)  # the lead of another team
    with pytest.raises(Forbidden):
        selectors.scope_for(stranger)


def test_per_agent_scores_switched_off_keeps_team_figures(
    agent: User, lead: User, manager: User, handled: Handled
) -> None:
    handled(agent, INTERRUPTING)
    with pytest.raises(Forbidden):
        policy_save(actor=lead, per_agent_scores=False)
    policy_save(actor=manager, per_agent_scores=False)
    queue = selectors.coaching_queue(lead)
    assert queue.agents == [] and queue.team.contacts == 1
    uitpraten = next(h for h in queue.team.habits if h.habit == "uitpraten")
    assert uitpraten.score == 0
    with pytest.raises(Forbidden):
        selectors.agent_for(lead, agent.pk)
    with pytest.raises(Forbidden):
        selectors.agent_for(manager, agent.pk)
    assert selectors.agent_for(agent, agent.pk) == agent  # the agent still sees their own
    policy_save(actor=manager, per_agent_scores=True)
    assert [a.agent for a in selectors.coaching_queue(lead).agents] == [agent]


def test_the_queue_puts_the_agent_who_interrupts_first_with_examples(
    agent: User, colleague: User, lead: User, handled: Handled
) -> None:
    for days in (1, 3, 8, 10):
        handled(agent, INTERRUPTING, ago=timedelta(days=days))
        handled(colleague, ATTENTIVE, ago=timedelta(days=days))
    handled(agent, ATTENTIVE, ago=timedelta(days=2))  # one that went well
    queue = selectors.coaching_queue(lead)
    first = queue.agents[0]
    assert first.agent == agent
    focus = {f.habit: f for f in first.focus}
    assert "uitpraten" in focus
    examples = focus["uitpraten"].examples
    assert 2 <= len(examples) <= 3
    assert any(e.good for e in examples) and any(not e.good for e in examples)
    assert all(e.quote for e in examples)
    uitpraten = next(h for h in first.habits if h.habit == "uitpraten")
    assert uitpraten.colleagues == 100 and uitpraten.score is not None and uitpraten.score < 30
    good = next(a for a in queue.agents if a.agent == colleague)
    assert {h.habit for h in good.strengths} & {"uitpraten", "terugkoppelen", "eerst_luisteren"}
    assert not any(f.habit == "uitpraten" for f in good.focus)


def test_the_reanalyse_command(agent: User, handled: Handled, capsys: pytest.CaptureFixture[str]) -> None:
    from gezien.cli import main

    handled(agent, ATTENTIVE)
    ContactRead.objects.all().delete()
    assert main(["coaching", "reanalyse", "--quiet"]) == 0
    assert capsys.readouterr().out.strip() == "1 contacten gelezen"
    assert ContactRead.objects.count() == 1
    assert main(["coaching", "reanalyse", "--since", "gisteren"]) == 2
