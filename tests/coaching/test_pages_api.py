"""The coaching queue, an agent's own page and a contact's read, in the desk and through the API, with
the roles that may see them."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.audit.models import AuditEntry
from gezien.coaching.models import ReadComment
from tests.coaching.conftest import ATTENTIVE, INTERRUPTING, Handled
from tests.conftest import ApiClient


def _api(user: User) -> ApiClient:
    return ApiClient(token_create(user=user, name="t")[1])


def _desk(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_team_lead_sees_the_queue_with_examples(
    agent: User, colleague: User, lead: User, handled: Handled
) -> None:
    for days in (1, 3, 9):
        handled(agent, INTERRUPTING, ago=timedelta(days=days))
        handled(colleague, ATTENTIVE, ago=timedelta(days=days))
    contact = handled(agent, ATTENTIVE, ago=timedelta(days=2))
    page = _desk(lead).get("/desk/coaching/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-agent="sanne"' in html and "Laat de klant uitpraten" in html
    assert html.index('data-agent="sanne"') < html.index('data-agent="pieter"')  # most worth coaching first
    assert "Kan beter" in html and "Ging goed" in html
    assert f'href="{reverse("desk:contact", args=[contact.pk])}"' in html  # the good example links to it
    assert AuditEntry.objects.filter(action="coaching.view").exists()

    body = _api(lead).get("/api/coaching/agents").json_body
    assert body["per_agent"] is True
    first = body["agents"][0]
    assert first["agent"]["username"] == "sanne"
    focus = {f["habit"]: f for f in first["focus"]}
    assert "uitpraten" in focus
    assert {e["good"] for e in focus["uitpraten"]["examples"]} == {True, False}
    trend = {h["habit"]: h for h in first["habits"]}
    assert trend["uitpraten"]["colleagues"] == 100 and len(trend["uitpraten"]["weeks"]) == 8


def test_the_agent_sees_their_own_and_comments(
    agent: User, lead: User, colleague: User, handled: Handled
) -> None:
    contact = handled(agent, INTERRUPTING)
    desk = _desk(agent)
    assert desk.get("/desk/coaching/").url == "/desk/coaching/me/"
    mine = desk.get("/desk/coaching/me/")
    assert mine.status_code == 200 and "Mijn gespreksvaardigheden" in mine.content.decode()
    assert "habit-read-link" in desk.get(reverse("desk:contact", args=[contact.pk])).content.decode()
    assert "my-coaching" in desk.get("/desk/account/").content.decode()
    read = desk.get(f"/desk/coaching/contacts/{contact.pk}/").content.decode()
    assert "U begon 1,2 s voordat de klant was uitgesproken." in read and "comment-form" in read
    saved = desk.post(
        f"/desk/coaching/contacts/{contact.pk}/comment/",
        {"habit": "uitpraten", "disagree": "on", "text": "De lijn haperde, ik hoorde haar niet."},
    )
    assert saved.status_code == 302
    refused = desk.post(f"/desk/coaching/contacts/{contact.pk}/comment/", {"habit": "", "text": ""})
    assert refused.status_code == 422 and ReadComment.objects.count() == 1
    # The team lead sees the comment on the agent's page; the lead cannot comment in the agent's name.
    lead_view = _desk(lead).get(f"/desk/coaching/agents/{agent.pk}/").content.decode()
    assert "De lijn haperde" in lead_view and "niet mee eens" in lead_view
    assert (
        _desk(lead).post(f"/desk/coaching/contacts/{contact.pk}/comment/", {"text": "x"}).status_code == 403
    )
    # A colleague sees neither the read nor the page.
    assert _desk(colleague).get(f"/desk/coaching/contacts/{contact.pk}/").status_code == 403
    assert _desk(colleague).get(f"/desk/coaching/agents/{agent.pk}/").status_code == 403
    assert (
        "habit-read-link"
        not in _desk(colleague).get(reverse("desk:contact", args=[contact.pk])).content.decode()
    )


def test_the_api_read_and_comment(agent: User, colleague: User, stranger: User, handled: Handled) -> None:
    contact = handled(agent, ATTENTIVE)
    own = _api(agent)
    body = own.get(f"/api/coaching/contacts/{contact.pk}").json_body
    habits = {h["habit"]: h for h in body["habits"]}
    assert habits["terugkoppelen"]["score"] == 100 and habits["collegas"]["applies"] is False
    made = own.post(f"/api/coaching/contacts/{contact.pk}/comments", {"text": "Fijn om te zien", "habit": ""})
    assert made.status_code == 201 and made.json_body["contact_id"] == contact.pk
    bad = own.post(f"/api/coaching/contacts/{contact.pk}/comments", {"text": "x", "habit": "zingen"})
    assert bad.status_code == 422
    assert own.get(f"/api/coaching/agents/{agent.pk}").json_body["comments"][0]["text"] == "Fijn om te zien"
    assert _api(colleague).get(f"/api/coaching/contacts/{contact.pk}").status_code == 403
    assert _api(colleague).get(f"/api/coaching/agents/{agent.pk}").status_code == 403
    assert _api(agent).get("/api/coaching/agents").status_code == 403
    bas = User.objects.get(username="bas")
    assert _api(bas).get(f"/api/coaching/agents/{agent.pk}").status_code == 404


def test_per_agent_scores_off(agent: User, lead: User, manager: User, handled: Handled) -> None:
    handled(agent, INTERRUPTING)
    assert _api(lead).call("put", "/api/coaching/policy", {"per_agent_scores": False}).status_code == 403
    boss = _api(manager)
    assert (
        boss.call("put", "/api/coaching/policy", {"per_agent_scores": False}).json_body["per_agent_scores"]
        is False
    )
    queue = _api(lead).get("/api/coaching/agents").json_body
    assert queue["per_agent"] is False and queue["agents"] == [] and queue["team"]["contacts"] == 1
    assert _api(lead).get(f"/api/coaching/agents/{agent.pk}").status_code == 403
    page = _desk(lead).get("/desk/coaching/").content.decode()
    assert "per-agent-off" in page and 'data-agent="sanne"' not in page
    assert _api(agent).get(f"/api/coaching/agents/{agent.pk}").status_code == 200  # one's own stays
    # The desk's switch turns them back on.
    assert _desk(manager).post("/desk/coaching/policy/", {"per_agent_scores": "on"}).status_code == 302
    assert _api(lead).get("/api/coaching/agents").json_body["per_agent"] is True
