"""Every view and endpoint that shows an agent's reads: the agent, their team lead and managers only;
with per-agent scores off, the agent alone (issue 19, "Privacy")."""

from __future__ import annotations

from django.test import Client

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.coaching.services import policy_save
from tests.coaching.conftest import INTERRUPTING, Handled
from tests.conftest import ApiClient


def _answers(user: User, agent: User, contact_id: int) -> dict[str, int]:
    api = ApiClient(token_create(user=user, name="t")[1])
    desk = Client()
    desk.force_login(user)
    found = {
        path: api.get(path).status_code
        for path in (
            f"/api/coaching/contacts/{contact_id}",
            f"/api/coaching/agents/{agent.pk}",
            f"/api/coaching/agents/{agent.pk}/sessions",
        )
    }
    for path in (f"/desk/coaching/contacts/{contact_id}/", f"/desk/coaching/agents/{agent.pk}/"):
        found[path] = desk.get(path).status_code
    return found


def test_an_agents_reads_are_for_the_agent_their_lead_and_managers(
    agent: User, colleague: User, lead: User, manager: User, stranger: User, handled: Handled
) -> None:
    contact = handled(agent, INTERRUPTING)
    other_lead = User.objects.get(username="bas")
    for who, expected in ((agent, {200}), (lead, {200}), (manager, {200}), (colleague, {403})):
        assert set(_answers(who, agent, contact.pk).values()) == expected, who.username
    assert set(_answers(other_lead, agent, contact.pk).values()) == {404}
    assert set(_answers(stranger, agent, contact.pk).values()) == {403}
    # The contact page links the read only for those who may open it.
    link = 'data-testid="habit-read-link"'
    for who, shown in ((agent, True), (lead, True), (colleague, False)):
        desk = Client()
        desk.force_login(who)
        assert (link in desk.get(f"/desk/contacts/{contact.pk}/").content.decode()) is shown, who.username

    policy_save(actor=manager, per_agent_scores=False)
    assert set(_answers(agent, agent, contact.pk).values()) == {200}
    for who in (lead, manager):
        assert set(_answers(who, agent, contact.pk).values()) == {403}, who.username
