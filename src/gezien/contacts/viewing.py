"""Who has a contact open in the desk right now (collision detection): an agent's desk says "open",
"typing" or "left", and every other desk on the contact hears it at once (`contact.{id}` `viewing`).

Viewers are remembered briefly in the cache, so an agent opening a contact sees who was already there;
a desk that says nothing for `VIEWER_TTL_S` (a closed laptop, a dropped connection) is forgotten. The
desk repeats "open" as a heartbeat well within that time. Each desk's word sits under a key of its own,
so two agents marking at once never overwrite each other (one shared dict did: the heartbeat of one
could undo the "typing" of the other); a short list per contact says whose keys to read, and joining
it is checked and retried. What an agent does also reaches the customer
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


def _viewer_key(contact_id: int, user_id: int) -> str:
    return f"gezien:viewers:{contact_id}:{user_id}"


INDEX_TTL_S = 3600  # the list of who may be on a contact; heartbeats keep it, joins prune it
JOIN_TRIES = 5


def _fresh(raw: dict[str, object], now: float) -> dict[int, Viewer]:
    kept: dict[int, Viewer] = {}
    for value in raw.values():
        if isinstance(value, dict) and now - float(value.get("at", 0)) < VIEWER_TTL_S:
            viewer = Viewer(**value)
            kept[viewer.user_id] = viewer
    return kept


def _listed(contact_id: int) -> list[int]:
    ids = cache.get(_key(contact_id))
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def _join(contact_id: int, user_id: int) -> None:
    """Put `user_id` on the contact's list (its own key is written already). Two desks joining at once
    can each write the list without the other: each reads it back and tries again until it is on."""
    for _ in range(JOIN_TRIES):
        ids = _listed(contact_id)
        if user_id in ids:
            cache.touch(_key(contact_id), INDEX_TTL_S)
            return
        alive = cache.get_many([_viewer_key(contact_id, i) for i in ids])
        kept = [i for i in ids if _viewer_key(contact_id, i) in alive]  # the forgotten are pruned here
        cache.set(_key(contact_id), [*kept, user_id], INDEX_TTL_S)


def viewers_of(contact_id: int) -> list[Viewer]:
    """The agents with `contact_id` open now, the longest there first."""
    raw = cache.get_many([_viewer_key(contact_id, i) for i in _listed(contact_id)])
    viewers = _fresh(raw, time.time())
    return sorted(viewers.values(), key=lambda v: (v.at, v.user_id))


def viewer_mark(
    *, contact: Contact, user: User, state: ViewState, read_up_to: int | None = None
) -> list[Viewer]:
    """`user`'s desk has `contact` open, types on it, or left it: remember it (briefly), tell the
    other desks on the contact, and tell the channel. `read_up_to`: the newest message the desk
    showed (the channel hears the thread was read up to there; an id not of this contact is
    ignored). Returns who is on the contact now."""
    now = time.time()
    key = _viewer_key(contact.pk, user.pk)
    before = _fresh({key: cache.get(key)}, now).get(user.pk)
    if state == "left":
        cache.delete(key)
    else:
        cache.set(key, asdict(Viewer(user.pk, user.display_name, state, now)), VIEWER_TTL_S)
        _join(contact.pk, user.pk)
    if before is None or before.state != state:  # a heartbeat that changes nothing tells nobody
        live_publish(
            f"contact.{contact.pk}",
            "viewing",
            # `at`: the desk keeps the newest word of each colleague, whichever way it came first
            {"user_id": user.pk, "name": user.display_name, "state": state, "at": now},
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
