"""What the chat tells as it happens: an agent's reply, typing and read reach the customer's widget on
`chat.{id}` (never a note), the customer's typing reaches the desk, a close is told, and the event
stream catches up from the database."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.test import AsyncClient

from gezien.accounts.models import User
from gezien.chat.models import ChatSession, ChatWidget
from gezien.contacts import handling as contact_handling
from gezien.contacts import services as contact_services
from gezien.contacts.models import Author, Contact, MessageKind
from gezien.contacts.sending import agent_read_tell, agent_typing_tell
from gezien.core.live import live_stream
from tests.chat.conftest import SITE, Visitor

pytestmark = pytest.mark.django_db(transaction=True)  # live events are sent after the commit


async def _frames(stream: AsyncIterator[bytes], count: int) -> list[tuple[str, dict[str, Any], str]]:
    found = []
    async for frame in stream:
        if frame.startswith((b"retry", b":")):
            continue
        lines = dict(line.split(": ", 1) for line in frame.decode().strip().split("\n"))
        found.append((lines["event"], json.loads(lines["data"]), lines.get("id", "")))
        if len(found) == count:
            break
    return found


def _closing(act: Callable[[], None]) -> Callable[[], None]:
    """`act` on a thread of the executor, leaving no database connection open behind it."""

    def run() -> None:
        try:
            act()
        finally:
            connections.close_all()

    return run


def _heard(
    topic: str, act: Callable[[], None], count: int, **kwargs: Any
) -> list[tuple[str, dict[str, Any], str]]:
    async def scenario() -> list[tuple[str, dict[str, Any], str]]:
        stream = live_stream([topic], **kwargs)
        assert (await anext(stream)).startswith(b"retry")  # subscribed
        await asyncio.get_running_loop().run_in_executor(None, _closing(act))
        try:
            return await asyncio.wait_for(_frames(stream, count), 5)
        finally:
            await stream.aclose()

    return asyncio.run(scenario())


@pytest.fixture
def chatting(visitor: Visitor) -> Contact:
    visitor.start(name="Piet")
    visitor.say("Mijn modem knippert")
    return Contact.objects.get()


def test_an_agents_reply_reaches_the_widget_and_a_note_never_does(chatting: Contact, agent: User) -> None:
    def reply() -> None:
        contact_services.message_add(
            contact=chatting, author=Author.AGENT, agent=agent, kind=MessageKind.NOTE, text="intern"
        )
        contact_services.message_add(contact=chatting, author=Author.AGENT, agent=agent, text="Ik help u!")

    heard = _heard(f"chat.{chatting.pk}", reply, 2)
    (event, data, event_id), (status_event, status, _id) = heard
    assert event == "message" and data["from"] == "agent" and data["text"] == "Ik help u!"
    assert data["name"] == "Sanne de Vries" and event_id == str(data["id"])
    assert set(data) == {"id", "from", "name", "text", "at", "attachments"}
    assert status_event == "status" and status == {"status": "open", "agent": {"name": "Sanne de Vries"}}


def test_agent_typing_and_read_reach_the_widget(chatting: Contact, agent: User) -> None:
    first = chatting.messages.get()

    def act() -> None:
        agent_typing_tell(chatting, agent)
        agent_read_tell(chatting, first.pk)
        agent_read_tell(chatting, first.pk)  # said again: told once

    heard = _heard(f"chat.{chatting.pk}", act, 2)
    assert heard[0][:2] == ("typing", {"from": "agent", "name": "Sanne de Vries"})
    assert heard[1][:2] == ("read", {"up_to": first.pk})
    assert ChatSession.objects.get().agent_read_up_to == first.pk


def test_the_customers_typing_reaches_the_desk(chatting: Contact, visitor: Visitor) -> None:
    heard = _heard(f"contact.{chatting.pk}", lambda: visitor.call("post", "/typing"), 1)
    assert heard[0][:2] == ("typing", {"from": "customer"})


def test_closing_in_the_desk_or_the_widget_is_told(chatting: Contact, agent: User, visitor: Visitor) -> None:
    def close_in_desk() -> None:
        contact_handling.contact_set_status(contact=chatting, status="closed", actor=agent)

    heard = _heard(f"chat.{chatting.pk}", close_in_desk, 1)
    assert heard[0][:2] == ("status", {"status": "closed", "agent": None})

    def write_again_and_close() -> None:
        visitor.say("Toch nog een vraag")
        visitor.call("post", "/close")

    heard = _heard(f"chat.{chatting.pk}", write_again_and_close, 3)
    assert [(e, d.get("status")) for e, d, _id in heard] == [
        ("message", None),
        ("status", "open"),
        ("status", "closed"),
    ]


def test_the_event_stream_catches_up_and_needs_a_conversation(widget: ChatWidget, agent: User) -> None:
    silent, visitor = Visitor(widget), Visitor(widget)
    silent.start()
    visitor.start()
    first_id = visitor.say("eerste").body["message"]["id"]
    contact = Contact.objects.get()
    contact_services.message_add(contact=contact, author=Author.AGENT, agent=agent, text="antwoord")
    origin = {"Origin": SITE}

    async def scenario() -> None:
        client = AsyncClient()
        early = await client.get(f"/widget/api/v1/events?token={silent.token}", headers=origin)
        assert early.status_code == 409 and early["Access-Control-Allow-Origin"] == SITE
        assert (await client.get("/widget/api/v1/events?token=fout", headers=origin)).status_code == 401
        response = await client.get(
            f"/widget/api/v1/events?token={visitor.token}", headers={**origin, "Last-Event-ID": str(first_id)}
        )
        assert response.status_code == 200 and response["Content-Type"] == "text/event-stream"
        assert response["Access-Control-Allow-Origin"] == SITE
        frames = await asyncio.wait_for(_frames(response.streaming_content, 1), 5)  # type: ignore[arg-type]
        assert frames[0][0] == "message" and frames[0][1]["text"] == "antwoord"  # only what was missed
        await response.streaming_content.aclose()  # type: ignore[union-attr]
        await sync_to_async(connections.close_all)()

    asyncio.run(scenario())


def test_a_reply_through_the_staff_api_brings_its_file_to_the_widget(
    chatting: Contact, visitor: Visitor, api: Any, attachment_files: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.attachment_data import PDF

    upload = api.client.post(
        f"/api/contacts/{chatting.pk}/attachments",
        {"file": SimpleUploadedFile("handleiding.pdf", PDF, content_type="application/pdf")},
        **api.headers,
    )
    assert upload.status_code == 201, upload.content
    file_id = upload.json()["id"]
    refused = api.post(
        f"/api/contacts/{chatting.pk}/messages",
        {"author": "agent", "text": "x", "cc": ["iemand@example.nl"], "attachment_ids": [file_id]},
    )
    assert refused.status_code == 422 and refused.json_body["detail"][0]["loc"] == ["body", "cc"]

    def reply() -> None:
        answer = api.post(
            f"/api/contacts/{chatting.pk}/messages",
            {"author": "agent", "text": "Hier is de handleiding.", "attachment_ids": [file_id]},
        )
        assert answer.status_code == 201, answer.content

    (event, data, _id), *_rest = _heard(f"chat.{chatting.pk}", reply, 1)
    assert event == "message" and [a["name"] for a in data["attachments"]] == ["handleiding.pdf"]
    path = data["attachments"][0]["url"].removeprefix("/widget/api/v1")
    download = visitor.call("get", path)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
