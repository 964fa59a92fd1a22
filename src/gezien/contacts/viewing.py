"""Who has a contact open in the desk right now (collision detection): an agent's desk says "open",
"typing" or "left", and every other desk on the contact hears it at once (`contact.{id}` `viewing`).

Viewers are remembered briefly in the cache, so an agent opening a contact sees who was already there;
a desk that says nothing for `VIEWER_TTL_S` (a closed laptop, a dropped connection) is forgotten. The
desk repeats "open" as a heartbeat well within that time. What an agent does also reaches the customer
where the channel cares (chat): typing through `sending.agent_typing_tell`, having read the thread
through `sending.agent_read_tell`.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Literal

from django.core.cache import cache

from gezien.accounts.models import User
from gezien.contacts.models import Contact, Message
from gezien.contacts.sending import agent_read_tell, agent_typing_tell
from gezien.core.live import live_publish

ViewState = Literal["open", "typing", "left"]
VIEW_STATES: tuple[ViewState, ...] = ("open", "typing", "left")
VIEWER_TTL_S = 30  # a desk that has not said "open" or "typing" for this long has left
HEARTBEAT_S = 15  # how often an open desk repeats "open" (the desk's script reads it from the page)


@dataclass(frozen=True)
class Viewer:
    """One agent with the contact open: who, and whether they are typing a reply."""

    user_id: int
    name: str
    state: ViewState
    at: float  # when the desk last said so (epoch seconds)

    def event(self) -> dict[str, object]:
        return {"user_id": self.user_id, "name": self.name, "state": self.state}


def _key(contact_id: int) -> str:
    return f"gezien:viewers:{contact_id}"


def _fresh(raw: object, now: float) -> dict[int, Viewer]:
    if not isinstance(raw, dict):
        return {}
    kept: dict[int, Viewer] = {}
    for value in raw.values():
        if isinstance(value, dict) and now - float(value.get("at", 0)) < VIEWER_TTL_S:
            viewer = Viewer(**value)
            kept[viewer.user_id] = viewer
    return kept


def viewers_of(contact_id: int) -> list[Viewer]:
    """The agents with `contact_id` open now, the longest there first."""
    viewers = _fresh(cache.get(_key(contact_id)), time.time())
    return sorted(viewers.values(), key=lambda v: (v.at, v.user_id))


def viewer_mark(
    *, contact: Contact, user: User, state: ViewState, read_up_to: int | None = None
) -> list[Viewer]:
    """`user`'s desk has `contact` open, types on it, or left it: remember it (briefly), tell the
    other desks on the contact, and tell the channel. `read_up_to`: the newest message the desk
    showed (the channel hears the thread was read up to there; an id not of this contact is
    ignored). Returns who is on the contact now."""
    now = time.time()
    viewers = _fresh(cache.get(_key(contact.pk)), now)
    before = viewers.get(user.pk)
    if state == "left":
        viewers.pop(user.pk, None)
    else:
        viewers[user.pk] = Viewer(user.pk, user.display_name, state, now)
    cache.set(_key(contact.pk), {v.user_id: asdict(v) for v in viewers.values()}, VIEWER_TTL_S * 2)
    if before is None or before.state != state:  # a heartbeat that changes nothing tells nobody
        live_publish(
            f"contact.{contact.pk}",
            "viewing",
            {"user_id": user.pk, "name": user.display_name, "state": state},
        )
    if state == "typing":
        agent_typing_tell(contact, user)
    if read_up_to is not None and state != "left":
        newest = (
            Message.objects.filter(contact=contact, pk__lte=read_up_to)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if newest is not None:
            agent_read_tell(contact, newest)
    return viewers_of(contact.pk)
