"""Reads for customers: search and the identity lookup behind recognition."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
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
    columns, converters = _customer_columns()
    sql = (
        f"SELECT {columns}, i.kind, i.value "  # noqa: S608 -- no input in the text
        f"FROM {Identity._meta.db_table} i JOIN {Customer._meta.db_table} c ON c.id = i.customer_id "
        f"WHERE {' OR '.join(where)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names = _CUSTOMER_NAMES
    owners: dict[tuple[str, str], Customer] = {}
    for *values, kind, value in rows:  # a raw queryset built the same instances at ~3x the cost
        for index, convert in converters:
            values[index] = convert(values[index])
        owners[(kind, value)] = Customer.from_db(connection.alias, names, values)
    return owners


_CUSTOMER_NAMES = [f.attname for f in Customer._meta.concrete_fields]
_CUSTOMER_COLUMNS: dict[str, tuple[str, list[tuple[int, Callable[[Any], Any]]]]] = {}  # by vendor


def _customer_columns() -> tuple[str, list[tuple[int, Callable[[Any], Any]]]]:
    """The customer's columns as `identity_owners` selects them, and the database's converters of the
    values that need one (dates on SQLite), by position: what the ORM would apply to them."""
    found = _CUSTOMER_COLUMNS.get(connection.vendor)
    if found is None:
        table = Customer._meta.db_table
        fields = Customer._meta.concrete_fields
        converters: list[tuple[int, Callable[[Any], Any]]] = []
        for index, field in enumerate(fields):
            column = field.get_col(table)
            steps = [*connection.ops.get_db_converters(column), *field.get_db_converters(connection)]  # type: ignore[attr-defined]
            if steps:
                converters.append((index, functools.partial(_converted, steps, column)))
        columns = ", ".join(f"c.{connection.ops.quote_name(f.column)}" for f in fields)
        found = _CUSTOMER_COLUMNS[connection.vendor] = (columns, converters)
    return found


def _converted(steps: list[Callable[[Any, Any, Any], Any]], column: Any, value: Any) -> Any:
    for step in steps:
        value = step(value, column, connection)
    return value


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
