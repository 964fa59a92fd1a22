"""Emotional load of handled contacts and the protection that follows an abusive contact, an incident or
a run of heavy ones: the agent is offered time to bijkomen, routing passes them by for heavy contacts
(`protected`), and agent and team lead are told. Never a sanction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gezien.accounts.models import User
from gezien.assist.services import incident_log
from gezien.contacts import analysing
from gezien.contacts.analysing import analyser, messages_analyse
from gezien.contacts.handling import contact_assign, contact_set_status
from gezien.contacts.models import Contact, Message
from gezien.contacts.outbox import outbox_drain
from gezien.contacts.services import contact_open
from gezien.core.errors import Conflict, Forbidden
from gezien.notifications.models import Notification
from gezien.presence.selectors import current_state
from gezien.wellbeing.load import load_of
from gezien.wellbeing.models import ContactLoad, Protection
from gezien.wellbeing.selectors import prompt_for, protected
from gezien.wellbeing.services import (
    decompression_take,
    policy_save,
    protection_end,
    protections_check,
    wellbeing_tick,
)
from tests.wellbeing.conftest import ABUSIVE, ANGRY, CALM, write_spans

Handled = Callable[..., Contact]


@dataclass
class Row:
    abuse: float = 0.0
    life_events: str = ""
    data: Any = None


def emotions(**scores: float) -> Row:
    return Row(data={"emotions": scores})


@pytest.mark.parametrize(
    ("rows", "load", "why"),
    [
        ([], 0.0, ""),
        ([emotions(anger=0.75)], 0.6, "anger"),
        ([emotions(anger=0.74)], 0.592, "anger"),
        ([Row(abuse=0.6)], 0.6, "abuse"),
        ([emotions(sadness=0.5), emotions(stress=0.9)], 0.63, "distress"),
        ([emotions(disappointment=1.0)], 0.5, "disappointment"),
        ([Row(life_events="moving bereavement", data={"emotions": {"sadness": 0.3}})], 0.6, "life_event"),
        ([emotions(anger=0.2), Row(abuse=0.95, data={"emotions": {"anger": 0.9}})], 0.95, "abuse"),
    ],
)
def test_the_load_is_the_strongest_weighted_part(rows: list[Row], load: float, why: str) -> None:
    found = load_of(rows)
    assert found.load == pytest.approx(load) and found.strongest == why
    assert found.analysed == len(rows)


def test_abusive_from_the_analysis_threshold() -> None:
    assert load_of([Row(abuse=0.5)]).abusive and not load_of([Row(abuse=0.49)]).abusive


def test_a_handled_contact_gets_its_load_from_the_customers_words(agent: User, handled: Handled) -> None:
    calm = handled(agent, CALM)
    angry = handled(agent, CALM, ANGRY)
    assert ContactLoad.objects.get(contact=calm).load < 0.3
    row = ContactLoad.objects.get(contact=angry)
    assert row.load == pytest.approx(0.8, abs=0.01) and row.agent == agent and not row.abusive


def test_an_abusive_contact_protects_the_agent_and_tells_them_and_their_lead(
    agent: User, lead: User, stranger: User, handled: Handled
) -> None:
    contact = handled(agent, ABUSIVE)
    protection = Protection.objects.get()
    assert (protection.user, protection.contact, protection.trigger) == (agent, contact, "abuse")
    assert protection.ends_at == contact.closed_at + timedelta(minutes=60)
    now = timezone.now()
    assert protected([agent.pk, lead.pk, stranger.pk], now) == {agent.pk}
    assert protected([agent.pk], protection.ends_at) == set()
    to_agent = Notification.objects.get(recipient=agent, kind="wellbeing")
    to_lead = Notification.objects.get(recipient=lead, kind="wellbeing")
    assert "Neem gerust 10 minuten" in to_agent.text and to_agent.contact_id == contact.pk
    assert to_lead.text.startswith("Sanne de Vries: Grof taalgebruik")
    assert to_agent.link == "/desk/wellbeing/me/"  # their own page; the lead's leads to the agent's page
    assert to_lead.link == f"/desk/wellbeing/agents/{agent.pk}/"
    assert not Notification.objects.filter(recipient__username="bas", kind="wellbeing").exists()


def test_protection_is_idempotent(agent: User, lead: User, handled: Handled) -> None:
    handled(agent, ABUSIVE)
    for minutes in (0, 1, 5):
        wellbeing_tick(timezone.now() + timedelta(minutes=minutes))
    assert Protection.objects.count() == 1
    assert Notification.objects.filter(kind="wellbeing").count() == 2


def test_a_run_of_heavy_contacts_protects_from_the_third(agent: User, lead: User, handled: Handled) -> None:
    handled(agent, ANGRY, ago=timedelta(minutes=80))
    handled(agent, ANGRY, ago=timedelta(minutes=40))
    handled(agent, CALM, ago=timedelta(minutes=30))
    assert protected([agent.pk]) == set()  # two heavy ones and a calm one
    third = handled(agent, ANGRY, ago=timedelta(minutes=2))
    protection = Protection.objects.get()
    assert protection.trigger == "heavy_run" and protection.contact == third
    assert "3 zware contacten binnen 90 minuten" in protection.reason
    assert protected([agent.pk]) == {agent.pk}


def test_heavy_contacts_further_apart_than_the_window_do_not_make_a_run(
    agent: User, handled: Handled
) -> None:
    handled(agent, ANGRY, ago=timedelta(minutes=95))
    handled(agent, ANGRY, ago=timedelta(minutes=40))
    handled(agent, ANGRY, ago=timedelta(minutes=2))
    assert not Protection.objects.exists()


def test_the_policy_sets_the_run_and_the_time(agent: User, manager: User, handled: Handled) -> None:
    policy_save(actor=manager, heavy_run=1, protect_minutes=15)
    contact = handled(agent, ANGRY)
    protection = Protection.objects.get()
    assert protection.ends_at == contact.closed_at + timedelta(minutes=15)


def test_an_old_abusive_contact_protects_no_one_now(agent: User, handled: Handled) -> None:
    handled(agent, ABUSIVE, ago=timedelta(minutes=61))
    assert not Protection.objects.exists()


def test_signals_that_arrive_after_the_close_are_caught_up(
    agent: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A message analysed only after its contact closed (the analysis failed in the outbox's batch;
    `gezien analysis reanalyse` filled it in later): the load and the protection follow then."""
    settings.GEZIEN_ANALYSIS_INLINE = False  # as with a worker: the outbox waits for a drain
    contact = contact_open(channel="chat", text=ABUSIVE).contact
    contact_assign(contact=contact, agent=agent)
    contact_set_status(contact=contact, status="closed", actor=agent)
    with monkeypatch.context() as broken:
        broken.setattr(analysing, "analyser", _analyser_away)
        outbox_drain()
    assert ContactLoad.objects.get(contact=contact).load == 0.0 and not Protection.objects.exists()
    messages_analyse(list(Message.objects.filter(contact=contact)), using=analyser("off"))  # reanalyse
    wellbeing_tick(timezone.now())
    assert ContactLoad.objects.get(contact=contact).abusive
    assert protected([agent.pk]) == {agent.pk}


def _analyser_away(mode: str | None = None) -> Any:
    raise RuntimeError("the analyser could not be loaded")


def test_a_reported_incident_protects_the_agent(agent: User, handled: Handled) -> None:
    contact = handled(agent, CALM)
    incident_log(contact=contact, source="reported", note="Schreeuwde en dreigde", reported_by=agent)
    protections_check([agent.pk], timezone.now())
    assert Protection.objects.get().trigger == "incident"


def test_abuse_in_a_contact_still_open_protects_at_once(
    agent: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        contact = contact_open(channel="chat", text=CALM).contact
        contact_assign(contact=contact, agent=agent)
    with django_capture_on_commit_callbacks(execute=True):
        from gezien.contacts.services import message_add

        message_add(contact=contact, author="customer", text=ABUSIVE)
    assert protected([agent.pk]) == {agent.pk}


def test_the_agent_is_offered_time_to_bijkomen_once(agent: User, handled: Handled) -> None:
    write_spans(agent, [("work", 30)], end=timezone.now() + timedelta(seconds=5))
    handled(agent, ABUSIVE)
    offer = prompt_for(agent)
    assert offer is not None and offer.kind == "decompress" and offer.minutes == 10
    protection = decompression_take(protection=offer.protection, user=agent)
    state = current_state(agent.pk)
    assert state is not None and (state.state, state.break_kind) == ("break", "decompression")
    assert protection.break_taken_at is not None
    with pytest.raises(Conflict):
        decompression_take(protection=protection, user=agent)
    assert protected([agent.pk]) == {agent.pk}  # the break does not end the protection


def test_only_the_agent_takes_their_break(agent: User, lead: User, handled: Handled) -> None:
    handled(agent, ABUSIVE)
    with pytest.raises(Forbidden):
        decompression_take(protection=Protection.objects.get(), user=lead)


def test_the_agent_or_their_lead_may_end_it_early_another_teams_lead_not(
    agent: User, lead: User, stranger: User, handled: Handled
) -> None:
    handled(agent, ABUSIVE)
    protection = Protection.objects.get()
    with pytest.raises(Forbidden):
        protection_end(protection=protection, actor=User.objects.get(username="bas"))
    protection_end(protection=protection, actor=lead)
    assert protected([agent.pk]) == set()
    with pytest.raises(Conflict):
        protection_end(protection=protection, actor=agent)


def test_protected_asks_one_query(agent: User, handled: Handled, django_assert_num_queries: Any) -> None:
    handled(agent, ABUSIVE)
    with django_assert_num_queries(1):
        assert protected([agent.pk, agent.pk + 1]) == {agent.pk}
    with django_assert_num_queries(0):
        assert protected([]) == set()
