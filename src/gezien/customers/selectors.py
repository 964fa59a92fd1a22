"""Reads for customers: search and the identity lookup behind recognition."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from gezien.customers.identities import InvalidIdentity, NormalisedIdentity, normalise
from gezien.customers.models import Customer, Identity, IdentityKind

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class SearchHit:
    customer: Customer
    matched_on: str  # IdentityKind value or "name"

    @property
    def matched_label(self) -> str:
        """What the hit was found on, in words ("Postcode + huisnummer", "Naam")."""
        if self.matched_on in IdentityKind.values:
            return str(IdentityKind(self.matched_on).label)
        return _("Naam")


def identity_owners(identities: list[NormalisedIdentity]) -> dict[tuple[str, str], Customer]:
    """Which customer each known identity belongs to ((kind, value) -> customer), in one query.

    Written as SQL because it runs for every incoming contact: the ORM spent ~1 ms of Python
    building this join, SQLite ~20 µs answering it (see docs/performance.md).
    """
    if not identities:
        return {}
    values_by_kind: dict[str, set[str]] = {}
    for item in identities:
        values_by_kind.setdefault(item.kind, set()).add(item.value)
    # One IN per kind keeps the SQL shallow however many identities are asked about at once.
    where: list[str] = []
    params: list[str] = []
    for kind, values in sorted(values_by_kind.items()):
        where.append(f"(i.kind = %s AND i.value IN ({', '.join(['%s'] * len(values))}))")
        params += [kind, *sorted(values)]
    sql = (
        f"SELECT c.*, i.kind AS matched_kind, i.value AS matched_value "  # noqa: S608 -- no input in the text
        f"FROM {Identity._meta.db_table} i JOIN {Customer._meta.db_table} c ON c.id = i.customer_id "
        f"WHERE {' OR '.join(where)}"
    )
    rows = Customer.objects.raw(sql, params)
    return {(c.matched_kind, c.matched_value): c for c in rows}  # type: ignore[attr-defined]


def _query_identities(text: str) -> list[NormalisedIdentity]:
    """Every identity kind the search text could be; a query like "0612345678" is tried as a phone."""
    candidates: list[NormalisedIdentity] = []
    kinds: list[str] = []
    if "@" in text:
        kinds.append(IdentityKind.EMAIL)
    if re.match(r"^[1-9][0-9]{3}\s?[A-Za-z]{2}", text):
        kinds.append(IdentityKind.ADDRESS)
    if re.match(r"^[+0(][0-9 ()\-]{6,}$", text):
        kinds.append(IdentityKind.PHONE)
    if re.match(r"^[A-Za-z]{0,3}[0-9\-]{3,}$", text):
        kinds.append(IdentityKind.CUSTOMER_NUMBER)
    kinds.append(IdentityKind.CHAT)
    for kind in kinds:
        try:
            candidates.append(normalise(kind, text))
        except InvalidIdentity:
            continue
    return candidates


def _with_identities(qs: QuerySet[Customer]) -> QuerySet[Customer]:
    return qs.prefetch_related(Prefetch("identities", queryset=Identity.objects.order_by("kind", "value")))


def customer_search(query: str, *, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
    """Find customers by name, postcode + huisnummer, customer number, phone, e-mail or chat id.

    Identity matches come first (they are exact); then name matches. Several hits are all shown:
    the desk never picks one silently.
    """
    text = " ".join(query.replace("\x00", " ").split())[:200]
    if not text:
        return []
    hits: list[SearchHit] = []
    seen: set[int] = set()
    owners = identity_owners(_query_identities(text))
    matched = {customer.pk: kind for (kind, _value), customer in owners.items()}
    if matched:
        for customer in _with_identities(Customer.objects.filter(pk__in=list(matched))):
            hits.append(SearchHit(customer, matched[customer.pk]))
            seen.add(customer.pk)
    # A postcode alone (without a house number) lists everyone at that postcode.
    postcode = re.match(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$", text)
    if postcode and not matched:
        prefix = f"{postcode.group(1)}{postcode.group(2).upper()}|"
        ids = Identity.objects.filter(kind=IdentityKind.ADDRESS, value__startswith=prefix).values(
            "customer_id"
        )
        for customer in _with_identities(Customer.objects.filter(pk__in=ids))[:limit]:
            hits.append(SearchHit(customer, IdentityKind.ADDRESS))
            seen.add(customer.pk)
    terms = [t for t in text.casefold().split(" ") if t]
    name_filter = Q()
    for term in terms:
        name_filter &= Q(search_name__contains=term)
    if terms and len(hits) < limit:
        for customer in _with_identities(Customer.objects.filter(name_filter).exclude(pk__in=seen))[
            : limit - len(hits)
        ]:
            hits.append(SearchHit(customer, "name"))
    return hits[:limit]
