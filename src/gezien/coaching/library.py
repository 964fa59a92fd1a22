"""The library of good examples ("Zo kan het ook"): a team lead or the agent marks an agent's turn of a
closed contact as exemplary, with the situation it shows how to handle and why. The excerpt (the
customer's turn before it and the agent's turn) is stored anonymised for the customer
(`coaching.anonymise`), so every agent may read the library; it is searched by situation and words.
Its author and team leads (and managers) may remove an example."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.accounts.models import User
from gezien.coaching.anonymise import anonymise
from gezien.coaching.habits import HABITS
from gezien.coaching.models import ContactRead, GoodExample
from gezien.coaching.selectors import conversations, leads, read_for
from gezien.core.errors import Forbidden, Invalid, NotFound
from gezien.customers.models import Identity

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import _StrPromise

WHY_MAX = 500
SITUATION_MAX = 40
CONTEXT_TURNS = 1  # the customer's turns before the marked one that go with it
TURN_MAX = 4000
PAGE = 50

SITUATIONS: dict[str, _StrPromise] = {
    "boos": gettext_lazy("Boze klant"),
    "rouw": gettext_lazy("Rouw of overlijden"),
    "vijfde-contact": gettext_lazy("Vijfde contact over hetzelfde"),
    "grof": gettext_lazy("Grof taalgebruik"),
    "formele-klacht": gettext_lazy("Formele klacht"),
}


def situation_label(situation: str) -> str:
    return str(SITUATIONS.get(situation, situation))


def may_read(viewer: User | AnonymousUser) -> bool:
    return bool(viewer.has_perm("coaching.view_own_reads") or leads(viewer))


def may_remove(viewer: User | AnonymousUser, example: GoodExample) -> bool:
    return bool(viewer.is_authenticated and (example.author_id == viewer.pk or leads(viewer)))


def _situation(raw: str) -> str:
    value = " ".join(str(raw or "").split()).lower()
    if not value:
        raise Invalid(_("Kies een situatie of geef een eigen label."), field="situation")
    if len(value) > SITUATION_MAX or "\x00" in value:
        raise Invalid(_("Een situatie heeft hooguit %(n)d tekens.") % {"n": SITUATION_MAX}, field="situation")
    return value


def _known(read: ContactRead) -> list[str]:
    """What the desk knows of the contact's customer: names and identities, to take out of the excerpt."""
    contact = read.contact
    known = [contact.identity_value, contact.identity_raw]
    customer = contact.customer
    if customer is not None:
        known += [customer.first_name, customer.last_name, f"{customer.first_name} {customer.last_name}"]
        known.append(customer.customer_number)
        known += [part for part in customer.last_name.split() if len(part) > 3]
        for value, display in Identity.objects.filter(customer=customer).values_list("value", "display"):
            known += [value, display]
    return [k for k in known if k]


def example_mark(
    *,
    actor: User | AnonymousUser,
    contact_id: int,
    turn: int,
    situation: str,
    why: str,
    habit: str = "",
) -> GoodExample:
    """The agent (their own contact) or their team lead or a manager marks an agent's turn as exemplary."""
    read = read_for(actor, contact_id)  # the agent, their team lead, a manager (per-agent scores on)
    if read.agent_id != actor.pk and not leads(actor):
        raise Forbidden(_("Alleen de medewerker of een teamleider markeert een voorbeeld."))
    situation = _situation(situation)
    if not isinstance(why, str) or not why.strip():
        raise Invalid(_("Schrijf kort waarom dit een goed voorbeeld is."), field="why")
    why = why.strip()
    if len(why) > WHY_MAX or "\x00" in why:
        raise Invalid(_("Hooguit %(n)d tekens.") % {"n": WHY_MAX}, field="why")
    if habit not in ("", *HABITS):
        raise Invalid(_("Onbekende gewoonte."), field="habit")
    turns = conversations([read.pk]).get(read.pk, [])
    if isinstance(turn, bool) or not isinstance(turn, int) or not 0 <= turn < len(turns):
        raise Invalid(_("Dit gesprek heeft geen beurt %(n)s.") % {"n": turn}, field="turn")
    if turns[turn].author != "agent":
        raise Invalid(_("Kies een beurt van de medewerker."), field="turn")
    start = turn
    while start > 0 and turn - start < CONTEXT_TURNS and turns[start - 1].author == "customer":
        start -= 1
    known = _known(read)
    region = settings.PHONE_DEFAULT_REGION
    excerpt = [
        {"author": t.author, "text": anonymise(t.text[:TURN_MAX], known=known, region=region)}
        for t in turns[start : turn + 1]
    ]
    search = " ".join([*(e["text"] for e in excerpt), why, situation, situation_label(situation)]).lower()
    return GoodExample.objects.create(
        contact_id=read.pk,
        agent_id=read.agent_id,
        author=actor if isinstance(actor, User) else None,
        turn=turn,
        habit=habit,
        situation=situation,
        excerpt=excerpt,
        why=why,
        search_text=search,
    )


@dataclass(frozen=True)
class Found:
    examples: list[GoodExample]
    situations: list[tuple[str, str]]  # (situation, label) of the library, the known ones first


def examples_search(
    viewer: User | AnonymousUser, *, situation: str = "", q: str = "", limit: int = PAGE
) -> Found:
    """The library for anyone who may read it: by situation (exact) and words (each must occur)."""
    if not may_read(viewer):
        raise Forbidden(_("Uw rol mag dit niet."))
    found: QuerySet[GoodExample] = GoodExample.objects.select_related("agent", "author")
    situation, q = situation.replace("\x00", ""), str(q or "").replace("\x00", "")
    if situation:
        found = found.filter(situation=" ".join(situation.split()).lower())
    for word in str(q or "").lower().split()[:8]:
        found = found.filter(search_text__contains=word)
    used = set(GoodExample.objects.values_list("situation", flat=True).distinct()[:200])
    situations = [(s, situation_label(s)) for s in SITUATIONS] + [
        (s, s) for s in sorted(used - set(SITUATIONS))
    ]
    return Found(list(found[: max(1, min(limit, 200))]), situations)


def example_get(viewer: User | AnonymousUser, example_id: int) -> GoodExample:
    if not may_read(viewer):
        raise Forbidden(_("Uw rol mag dit niet."))
    example = GoodExample.objects.select_related("agent", "author").filter(pk=example_id).first()
    if example is None:
        raise NotFound(_("Dit voorbeeld bestaat niet."))
    return example


def example_remove(*, actor: User | AnonymousUser, example_id: int) -> None:
    """Its author, a team lead or a manager removes an example."""
    example = example_get(actor, example_id)
    if not may_remove(actor, example):
        raise Forbidden(_("Alleen wie het voorbeeld markeerde of een teamleider verwijdert het."))
    example.delete()
