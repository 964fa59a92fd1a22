"""The desk's live side without a browser: the event stream of an open contact catches up on what was
missed (and only for an agent who may see the contact), one message renders as the thread shows it,
and collision detection tells who else has a contact open or types on it (desk and API)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache, caches
from django.test import AsyncClient, Client

from gezien.accounts.models import User
from gezien.contacts import sending
from gezien.contacts.models import Contact, Message
from gezien.contacts.services import contact_open, message_add
from gezien.contacts.viewing import VIEWER_TTL_S, viewer_mark, viewers_of
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_viewers_left() -> None:
    """Viewers live in the cache, which outlives a test's database."""
    cache.clear()


@pytest.fixture
def chat(customer: Any) -> Contact:
    return contact_open(
        channel="chat", identities=[("phone", "06-12345678")], text="Waar blijft mijn pakket?"
    ).contact


@pytest.fixture
def naomi(make_user: Callable[..., User]) -> User:
    return make_user("naomi", first_name="Naomi", last_name="Bakker")


@pytest.fixture
def told() -> Iterator[list[tuple[str, int]]]:
    """What the chat channel heard from the desk (typing, read), through the real registry."""
    heard: list[tuple[str, int]] = []
    before = dict(sending._LIVE)
    sending.channel_live_register(
        "chat",
        on_typing=lambda contact, agent: heard.append(("typing", agent.pk)),
        on_read=lambda contact, up_to: heard.append(("read", up_to)),
    )
    yield heard
    sending._LIVE.clear()
    sending._LIVE.update(before)


def _frames(user: User, url: str, count: int) -> list[str]:
    """The first `count` event frames the stream at `url` sends `user` (keepalives and retry left out),
    or what came within two seconds."""

    async def read() -> list[str]:
        client = AsyncClient()
        await client.aforce_login(user)
        response = await client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/event-stream"
        frames: list[str] = []
        stream = aiter(response.streaming_content)

        async def collect() -> None:
            async for chunk in stream:
                text = bytes(chunk).decode()
                if not text.startswith(("retry", ":")):
                    frames.append(text)
                    if len(frames) == count:
                        return

        with contextlib.suppress(TimeoutError):  # fewer came: the test sees which
            await asyncio.wait_for(collect(), 2)
        await stream.aclose()  # type: ignore[attr-defined]
        return frames

    return asyncio.run(read())


@pytest.mark.django_db(transaction=True)  # the stream reads in another thread
def test_a_reconnecting_desk_gets_the_messages_it_missed_once_each(agent: User, chat: Contact) -> None:
    first = chat.messages.get()
    second = message_add(contact=chat, author="customer", text="Hallo?")
    note = message_add(contact=chat, author="agent", kind="note", text="Klant belt morgen", agent=agent)
    frames = _frames(agent, f"/live/desk/?contact={chat.pk}&last_event_id={first.pk}", 2)
    assert frames == [
        f'id: {second.pk}\nevent: message\ndata: {{"id":{second.pk}}}\n\n',
        f'id: {note.pk}\nevent: message\ndata: {{"id":{note.pk}}}\n\n',
    ]


def test_a_person_who_may_not_handle_contacts_gets_no_stream(
    client: Client, make_user: Callable[..., User], chat: Contact
) -> None:
    """The queue's and a contact's events are for people who handle contacts (issue 17: a department
    owner, or a signed-in person without a role, was sent the desk's events)."""
    client.force_login(make_user("dirk", "department"))
    assert client.get(f"/live/desk/?contact={chat.pk}&last_event_id=0").status_code == 403


def test_the_stream_needs_a_login(chat: Contact) -> None:
    response = Client().get(f"/live/desk/?contact={chat.pk}")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_one_message_renders_as_the_thread_shows_it(desk: Client, agent: User, chat: Contact) -> None:
    note = message_add(contact=chat, author="agent", kind="note", text="Let op: <b>vip</b>", agent=agent)
    response = desk.get(f"/desk/contacts/{chat.pk}/messages/{note.pk}/fragment/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<li class="msg msg-agent kind-note" id="message-{note.pk}"')
    assert f'data-message-id="{note.pk}"' in html
    assert "Let op: &lt;b&gt;vip&lt;/b&gt;" in html  # the text escaped
    assert "Sanne" in html


def test_a_message_of_another_contact_is_not_found(desk: Client, chat: Contact) -> None:
    other = contact_open(channel="chat", identities=[("phone", "0687654321")], text="Ander").contact
    message = other.messages.get()
    assert desk.get(f"/desk/contacts/{chat.pk}/messages/{message.pk}/fragment/").status_code == 404


def test_the_fragment_is_refused_to_a_role_without_contacts(
    client: Client, make_user: Callable[..., User], chat: Contact
) -> None:
    client.force_login(make_user("dirk", "department"))
    message = chat.messages.get()
    assert client.get(f"/desk/contacts/{chat.pk}/messages/{message.pk}/fragment/").status_code == 403


def _say(client: Client, contact: Contact, **body: Any) -> Any:
    return client.post(f"/desk/contacts/{contact.pk}/live/", body, content_type="application/json")


def test_two_agents_on_one_contact_see_each_other(
    desk: Client, agent: User, naomi: User, chat: Contact, told: list[tuple[str, int]]
) -> None:
    before = time.time()
    first = _say(desk, chat, state="open").json()
    assert before <= first.pop("now") <= time.time()  # when the picture was taken (the desk merges by it)
    assert first == {
        "me": agent.pk,
        "viewers": [{"user_id": agent.pk, "name": "Sanne de Vries", "state": "open"}],
    }
    other = Client()
    other.force_login(naomi)
    answer = _say(other, chat, state="typing").json()
    assert answer["viewers"] == [
        {"user_id": agent.pk, "name": "Sanne de Vries", "state": "open"},
        {"user_id": naomi.pk, "name": "Naomi Bakker", "state": "typing"},
    ]
    assert told == [("typing", naomi.pk)]  # the chat customer sees "typt"
    assert [v["name"] for v in desk.get(f"/desk/contacts/{chat.pk}/viewers/").json()["viewers"]] == [
        "Sanne de Vries",
        "Naomi Bakker",
    ]
    _say(other, chat, state="left")
    assert desk.get(f"/desk/contacts/{chat.pk}/viewers/").json()["viewers"] == [
        {"user_id": agent.pk, "name": "Sanne de Vries", "state": "open"}
    ]


def test_two_desks_marking_at_once_never_undo_each_others_word(
    agent: User, naomi: User, chat: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Naomi's "typing" lands while Sanne's heartbeat is between reading and writing: Naomi's word
    stands (one shared record per contact lost it: the heartbeat wrote back what it had read)."""
    viewer_mark(contact=chat, user=naomi, state="open")
    backend = caches["default"]  # the proxy `cache` passes attribute writes on to it
    real_get = backend.get
    interleaved: list[str] = []

    def get_then_naomi_types(key: str, *args: Any, **kwargs: Any) -> Any:
        value = real_get(key, *args, **kwargs)
        if not interleaved:
            interleaved.append(key)
            viewer_mark(contact=chat, user=naomi, state="typing")
        return value

    monkeypatch.setattr(backend, "get", get_then_naomi_types)
    viewer_mark(contact=chat, user=agent, state="open")
    monkeypatch.undo()
    assert interleaved
    assert sorted((v.name, v.state) for v in viewers_of(chat.pk)) == [
        ("Naomi Bakker", "typing"),
        ("Sanne de Vries", "open"),
    ]


def test_a_desk_that_went_quiet_is_forgotten(
    desk: Client, agent: User, chat: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    _say(desk, chat, state="open")
    later = time.time() + VIEWER_TTL_S + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert desk.get(f"/desk/contacts/{chat.pk}/viewers/").json()["viewers"] == []


def test_reading_the_thread_tells_the_channel_up_to_the_newest_message_of_the_contact(
    desk: Client, chat: Contact, told: list[tuple[str, int]]
) -> None:
    newest = message_add(contact=chat, author="customer", text="Nog iets")
    later = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _say(desk, chat, state="open", read_up_to=later + 10)
    assert told == [("read", newest.pk)]


def test_a_state_the_desk_does_not_know_is_refused(desk: Client, chat: Contact) -> None:
    assert _say(desk, chat, state="sleeping").status_code == 400
    assert desk.get(f"/desk/contacts/{chat.pk}/viewers/").json()["viewers"] == []


def test_integrations_see_and_say_the_same_through_the_api(
    api: ApiClient, desk: Client, agent: User, naomi: User, chat: Contact
) -> None:
    other = Client()
    other.force_login(naomi)
    _say(other, chat, state="open")
    seen = api.get(f"/api/contacts/{chat.pk}/viewers")
    assert seen.status_code == 200
    assert seen.json_body == {"viewers": [{"user_id": naomi.pk, "name": "Naomi Bakker", "state": "open"}]}
    typed = api.post(f"/api/contacts/{chat.pk}/viewers", {"state": "typing"})
    assert typed.status_code == 200
    assert typed.json_body["viewers"][1] == {"user_id": agent.pk, "name": "Sanne de Vries", "state": "typing"}
    wrong = api.post(f"/api/contacts/{chat.pk}/viewers", {"state": "sleeping"})
    assert wrong.status_code == 422
    assert api.get("/api/contacts/999999/viewers").status_code == 404


def test_the_api_refuses_a_role_without_contacts(api_as: Callable[[str], ApiClient], chat: Contact) -> None:
    assert api_as("department").get(f"/api/contacts/{chat.pk}/viewers").status_code == 403


def test_the_live_texts_come_in_the_agents_language(desk: Client, settings: Any) -> None:
    dutch = desk.get("/desk/").content.decode()
    assert 'data-open="{name} heeft dit contact ook open"' in dutch
    assert "De klant typt…" in dutch
    desk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = desk.get("/desk/").content.decode()
    assert 'data-open="{name} also has this contact open"' in english
    assert 'data-typing="{name} is typing a reply"' in english
    assert "Sound for a new chat" in english
