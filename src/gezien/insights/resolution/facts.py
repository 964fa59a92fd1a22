"""The resolution columns of `ContactFact`: naive resolution, honest first-contact resolution, first of
matter, repeat, handling time. Five queries per batch, whatever its size.

- naive_resolved ("geen terugbelverzoek binnen N werkdagen"): for a closed contact, YES when the same
  customer did not contact us again on the same channel (about anything) from the moment it opened until
  N working days after it closed; NO when they did; PENDING while it is open or the window runs. A
  contact without a customer is matched on its channel identity (the caller's number, the e-mail
  address, the chat id), as a call centre counts callbacks from the same number; without either it
  stays PENDING and is not counted.
- honest_resolved: for the first contact of a matter, YES when the matter was resolved (confirmed or
  no return) with this one contact, NO when it needed more contacts or the customer said "nee", PENDING
  while undecided. For a later contact: NO when another contact followed, YES when the matter was
  resolved after it. Contacts without a matter (no customer or no reason) stay PENDING and are neither
  first of a matter nor a repeat.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Min, Q

from gezien.contacts.models import Author, Contact, ContactEvent, Matter, Message, MessageKind
from gezien.insights.facts import fact_contributor
from gezien.insights.models import Outcome
from gezien.insights.resolution.rules import Work, handling_seconds, window_end

_SPOKEN = Q(kind=MessageKind.MESSAGE, author__in=[Author.CUSTOMER, Author.AGENT])


def _work(ids: list[int]) -> dict[int, Work]:
    rows = (
        Message.objects.filter(contact_id__in=ids)
        .order_by()
        .values("contact_id")
        .annotate(
            turn_start=Min("start_s", filter=Q(kind=MessageKind.TRANSCRIPT)),
            turn_end=Max("end_s", filter=Q(kind=MessageKind.TRANSCRIPT)),
            first=Min("sent_at", filter=_SPOKEN),
            last=Max("sent_at", filter=_SPOKEN),
            replies=Count("id", filter=Q(kind=MessageKind.MESSAGE, author=Author.AGENT)),
        )
    )
    return {
        r["contact_id"]: Work(r["turn_start"], r["turn_end"], r["first"], r["last"], r["replies"])
        for r in rows
    }


def _naive(contacts: Sequence[Contact], now: datetime) -> dict[int, str]:
    out: dict[int, str] = {}
    todo: list[tuple[Contact, datetime]] = []
    for c in contacts:
        if c.closed_at is None or (c.customer_id is None and not c.identity_value):
            out[c.pk] = Outcome.PENDING
        else:
            todo.append((c, window_end(c.closed_at)))
    if not todo:
        return out
    customers = {c.customer_id for c, _end in todo if c.customer_id is not None}
    identities = {c.identity_value for c, _end in todo if c.customer_id is None}
    start = min(c.opened_at for c, _end in todo)
    stop = max(end for _c, end in todo)
    later = list(
        Contact.objects.filter(Q(customer_id__in=customers) | Q(identity_value__in=identities))
        .filter(opened_at__gte=start, opened_at__lt=stop)
        .values_list("pk", "customer_id", "identity_kind", "identity_value", "channel", "opened_at")
    )
    for c, end in todo:
        came_back = any(
            pk != c.pk
            and channel == c.channel
            and (c.opened_at, c.pk) < (opened, pk)
            and opened < end
            and (
                customer == c.customer_id
                if c.customer_id is not None
                else (kind, value) == (c.identity_kind, c.identity_value)
            )
            for pk, customer, kind, value, channel, opened in later
        )
        out[c.pk] = Outcome.NO if came_back else Outcome.YES if end <= now else Outcome.PENDING
    return out


def _honest(contacts: Sequence[Contact]) -> dict[int, dict[str, Any]]:
    matter_ids = {c.matter_id for c in contacts if c.matter_id is not None}
    states = dict(Matter.objects.filter(pk__in=matter_ids).values_list("pk", "state"))
    members: dict[int, list[tuple[datetime, int]]] = {}
    for pk, matter_id, opened in Contact.objects.filter(matter_id__in=matter_ids).values_list(
        "pk", "matter_id", "opened_at"
    ):
        members.setdefault(matter_id, []).append((opened, pk))
    denied = set(
        ContactEvent.objects.filter(
            kind=ContactEvent.Kind.MATTER, contact__matter_id__in=matter_ids, data__action="not_resolved"
        ).values_list("contact__matter_id", flat=True)
    )
    out: dict[int, dict[str, Any]] = {}
    for c in contacts:
        order = sorted(members.get(c.matter_id or 0, []))
        if c.matter_id is None or not order:
            out[c.pk] = {"first_of_matter": False, "is_repeat": False, "honest_resolved": Outcome.PENDING}
            continue
        position = next(i for i, (_o, pk) in enumerate(order) if pk == c.pk)
        resolved = states.get(c.matter_id) == Matter.State.RESOLVED
        if position == 0:
            if len(order) > 1 or c.matter_id in denied:
                honest = Outcome.NO
            else:
                honest = Outcome.YES if resolved else Outcome.PENDING
        elif position < len(order) - 1:
            honest = Outcome.NO
        else:
            honest = Outcome.YES if resolved else Outcome.PENDING
        out[c.pk] = {"first_of_matter": position == 0, "is_repeat": position > 0, "honest_resolved": honest}
    return out


@fact_contributor
def resolution_facts(contacts: Sequence[Contact], now: datetime) -> Mapping[int, Mapping[str, Any]]:
    ids = [c.pk for c in contacts]
    work = _work(ids)
    naive = _naive(contacts, now)
    honest = _honest(contacts)
    return {
        c.pk: {
            "naive_resolved": naive[c.pk],
            **honest[c.pk],
            "handling_seconds": handling_seconds(c.channel, c.opened_at, c.closed_at, work.get(c.pk, Work())),
        }
        for c in contacts
    }
