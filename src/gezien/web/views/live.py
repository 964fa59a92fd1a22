"""The desk's live side: the event stream of an open workspace (`/live/desk/?contact=ID`), one message
rendered for the thread as it arrives, and collision detection (who else has the contact open or types
on it). The page's script (`static/gezien/desklive.js`) uses all three."""

from __future__ import annotations

import json
import time
from functools import partial
from typing import Any

from asgiref.sync import sync_to_async
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from gezien.accounts.models import User
from gezien.contacts.models import Contact, Message
from gezien.contacts.selectors import message_with_signals
from gezien.contacts.viewing import VIEW_STATES, Viewer, viewer_mark, viewers_of
from gezien.core.live import LiveEvent, last_event_id_from, live_response
from gezien.web.middleware import IDLE_LEFT_ATTRIBUTE
from gezien.web.pages.contact import message_part
from gezien.web.views.common import actor, requires

HANDLE = "contacts.handle_contact"  # the contact page's rule: who may see a contact's thread
CATCH_UP_MAX = 500  # messages a reconnecting desk gets at most (more: it reloads the page)


def _id(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 19 else None


def missed_messages(contact_id: int, last_event_id: int | None) -> list[LiveEvent]:
    """The messages of `contact_id` after the one the desk showed last (none on a first connection
    without an id: the page it came from shows the thread)."""
    if last_event_id is None:
        return []
    ids = (
        Message.objects.filter(contact_id=contact_id, pk__gt=last_event_id)
        .order_by("pk")
        .values_list("pk", flat=True)[:CATCH_UP_MAX]
    )
    return [LiveEvent("message", {"id": pk}, pk) for pk in ids]


def _may_handle(user: User) -> bool:
    return user.has_perm(HANDLE)


@never_cache
async def desk_live(request: HttpRequest) -> HttpResponseBase:
    """The events an agent's open workspace listens to: the queue (`desk`), their own (`agent.{id}`),
    and, for a contact they may handle, that contact's (`contact.{id}`, with the messages missed since
    `Last-Event-ID` or `?last_event_id=`)."""
    user = await request.auser()
    if not isinstance(user, User):
        return HttpResponse(status=401)
    if not await sync_to_async(_may_handle)(user):  # the queue's events are for those who handle contacts
        return HttpResponse(status=403)
    topics = ["desk", f"agent.{user.pk}"]
    catch_up = None
    contact_id = _id(request.GET.get("contact"))
    if (
        contact_id is not None
        and await sync_to_async(_may_handle)(user)
        and await Contact.objects.filter(pk=contact_id).aexists()
    ):
        topics.append(f"contact.{contact_id}")
        catch_up = partial(missed_messages, contact_id)
    # The stream ends when the session would time out unused (web.middleware.SignInMiddleware): it does not
    # keep a session alive, and the browser's reconnect is asked for a live session again.
    ends_after_s = getattr(request, IDLE_LEFT_ATTRIBUTE, None)
    return live_response(
        topics, last_event_id=last_event_id_from(request), catch_up=catch_up, ends_after_s=ends_after_s
    )


@requires(HANDLE)
@require_GET
def message_fragment(request: HttpRequest, contact_id: int, message_id: int) -> HttpResponse:
    """One message of the thread, rendered as the contact page renders it (the live desk adds it)."""
    message = message_with_signals(message_id)
    if message is None or message.contact_id != contact_id:
        raise Http404(_("Dit bericht bestaat niet."))
    return render(request, "web/_message.html", message_part(actor(request), message.contact, message))


def _viewers_json(me: User, viewers: list[Viewer], asked: float) -> JsonResponse:
    """`now`: when the answer was read (before the cache was), so the desk keeps a colleague's word that
    came by the stream after it instead of this older picture."""
    return JsonResponse({"me": me.pk, "now": asked, "viewers": [v.event() for v in viewers]})


def _posted(request: HttpRequest) -> dict[str, Any]:
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}
    return request.POST.dict()


@requires(HANDLE)
@require_POST
def viewing(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The desk says the agent has the contact `open` (also its heartbeat), is `typing`, or `left`;
    `read_up_to`: the newest message shown. Answers who is on the contact now."""
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        raise Http404(_("Dit contact bestaat niet."))
    body = _posted(request)
    state = body.get("state")
    if state not in VIEW_STATES:
        return HttpResponseBadRequest(_("Kies open, typing of left."))
    read_up_to = body.get("read_up_to")
    read = _id(str(read_up_to)) if read_up_to is not None else None
    me = actor(request)
    asked = time.time()
    return _viewers_json(me, viewer_mark(contact=contact, user=me, state=state, read_up_to=read), asked)


@requires(HANDLE)
@require_GET
def viewers(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Who has the contact open now (the desk asks on opening it)."""
    if not Contact.objects.filter(pk=contact_id).exists():
        raise Http404(_("Dit contact bestaat niet."))
    asked = time.time()
    return _viewers_json(actor(request), viewers_of(contact_id), asked)


urls: list[URLPattern] = [
    path("live/desk/", desk_live, name="live_stream"),
    path(
        "desk/contacts/<id:contact_id>/messages/<id:message_id>/fragment/",
        message_fragment,
        name="message_fragment",
    ),
    path("desk/contacts/<id:contact_id>/live/", viewing, name="viewing"),
    path("desk/contacts/<id:contact_id>/viewers/", viewers, name="viewers"),
]
