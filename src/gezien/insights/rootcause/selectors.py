"""Reads of the root-cause board: who sees which problems, the problems a contact or customer touches,
similar new contacts to link, and the customers to tell when a problem is solved."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import HttpResponse

from gezien.contacts.models import Author, Contact, ContactReason, Message
from gezien.core.errors import Forbidden
from gezien.core.export import csv_response
from gezien.customers.models import Customer, IdentityKind
from gezien.insights.rootcause.models import OPEN_STATUSES, Problem, ProblemContact, ProblemUpdate
from gezien.insights.rootcause.services import owned_department_ids
from gezien.insights.rootcause.words import content_lemmas

if TYPE_CHECKING:
    pass


def problems_visible(user: Any) -> QuerySet[Problem]:
    """Agents and up see every problem (they link contacts to them); a department owner sees the
    problems of their own departments; anyone else none (Forbidden)."""
    problems = Problem.objects.select_related("department")
    if user.has_perm("rootcause.link_problem") or user.has_perm("rootcause.answer_any_problem"):
        return problems
    if user.has_perm("rootcause.view_problem"):
        return problems.filter(department_id__in=owned_department_ids(user))
    raise Forbidden(_no_access())


def _no_access() -> str:
    from django.utils.translation import gettext as _

    return _("Je hebt geen toegang tot de signalen.")


def with_latest_answer(problems: QuerySet[Problem]) -> QuerySet[Problem]:
    """Annotate `latest_answer` and `latest_answer_at`: the department's newest written answer."""
    answers = ProblemUpdate.objects.filter(problem=OuterRef("pk")).exclude(text="").order_by("-at", "-id")
    return problems.annotate(
        latest_answer=Subquery(answers.values("text")[:1]),
        latest_answer_at=Subquery(answers.values("at")[:1]),
    )


# Plain SQL, asked on every contact page first: most contacts and customers are linked to no problem,
# and the query for the problems themselves (two subqueries for the latest answer) costs more to build
# than this costs to run.
_LINKED_CONTACT_SQL = "SELECT EXISTS(SELECT 1 FROM {link} WHERE contact_id = %s)"
_LINKED_CUSTOMER_SQL = (
    "SELECT EXISTS(SELECT 1 FROM {link} pc JOIN {contact} c ON c.id = pc.contact_id WHERE c.customer_id = %s)"
)


def _linked(sql: str, pk: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(link=ProblemContact._meta.db_table, contact=Contact._meta.db_table), [pk])
        row = cursor.fetchone()
    return bool(row and row[0])


def open_problems_for_contact(contact: Contact) -> list[Problem]:
    """Open problems about this contact's reason (or its parent, or a problem on a parent whose child
    this is), plus any problem the contact is linked to, with `linked`/`link_kind` set. One query (two
    when the contact has no reason: whether it is linked at all, first)."""
    if contact.reason_id is None and not _linked(_LINKED_CONTACT_SQL, contact.pk):
        return []
    link = ProblemContact.objects.filter(problem=OuterRef("pk"), contact=contact)
    match = Q(Exists(link))
    if contact.reason_id is not None:
        family = [contact.reason_id]
        if contact.reason is not None and contact.reason.parent_id:
            family.append(contact.reason.parent_id)
        about = Q(reasons__in=family) | Q(reasons__children=contact.reason_id)
        match |= Q(status__in=OPEN_STATUSES, pk__in=Problem.objects.filter(about).values("pk"))
    problems = list(
        with_latest_answer(Problem.objects.filter(match).select_related("department"))
        .annotate(link_kind=Subquery(link.values("kind")[:1]))
        .order_by("-created_at")[:10]
    )
    for problem in problems:
        problem.linked = bool(problem.link_kind)  # type: ignore[attr-defined]
    return sorted(problems, key=lambda p: not getattr(p, "linked", False))


def customer_problems(customer_id: int, limit: int = 5) -> list[Problem]:
    """Problems affecting this customer (one of their contacts is linked), newest first, with the
    department's latest answer: ONE query (the gezien-kaart counts its queries), after one that asks
    whether any of their contacts is linked at all."""
    if not _linked(_LINKED_CUSTOMER_SQL, customer_id):
        return []
    linked = ProblemContact.objects.filter(problem=OuterRef("pk"), contact__customer_id=customer_id)
    problems = with_latest_answer(Problem.objects.filter(Exists(linked)).select_related("department"))
    return list(problems.order_by("-updated_at", "-id")[:limit])


def open_problems_for_reasons(reason_ids: set[int]) -> list[Problem]:
    """Open problems about any of these reasons or their parents/children (the assist's known problems)."""
    if not reason_ids:
        return []
    parents = ContactReason.objects.filter(pk__in=reason_ids, parent__isnull=False).values("parent_id")
    match = Q(reasons__in=reason_ids) | Q(reasons__in=Subquery(parents)) | Q(reasons__children__in=reason_ids)
    return list(
        with_latest_answer(Problem.objects.filter(match, status__in=OPEN_STATUSES))
        .prefetch_related("reasons")
        .distinct()
        .order_by("-created_at")[:5]
    )


# --- similar new contacts ---------------------------------------------------------------------------


def _contact_texts(contact_ids: list[int]) -> dict[int, str]:
    """Subject, summary and the customer's words of each contact: one query for the messages."""
    texts: dict[int, list[str]] = {}
    for cid, subject, summary in Contact.objects.filter(pk__in=contact_ids).values_list(
        "pk", "subject", "summary"
    ):
        texts[cid] = [subject, summary]
    rows = Message.objects.filter(contact_id__in=contact_ids, author=Author.CUSTOMER).values_list(
        "contact_id", "text"
    )
    for cid, text in rows:
        texts.setdefault(cid, []).append(text[:1500])
    return {cid: " ".join(parts) for cid, parts in texts.items()}


def _vector(text: str) -> Counter[str]:
    return Counter(content_lemmas(text))


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


@dataclass(frozen=True)
class Similar:
    contact: Contact
    score: float
    words: tuple[str, ...]  # the shared words that made it similar


def similar_contacts(problem: Problem, *, limit: int = 10, candidates: int = 200) -> list[Similar]:
    """New contacts about the problem's reasons (or their children), opened since the problem started,
    not linked yet, ranked by how much their words resemble the linked contacts' words."""
    reason_ids = list(problem.reasons.values_list("pk", flat=True))
    if not reason_ids:
        return []
    since = problem.created_at - timedelta(days=7) if problem.spike_id is None else problem.spike.window_start  # type: ignore[union-attr]
    linked_ids = list(problem.links.order_by("-at").values_list("contact_id", flat=True)[:50])
    pool = list(
        Contact.objects.filter(
            Q(reason_id__in=reason_ids) | Q(reason__parent_id__in=reason_ids), opened_at__gte=since
        )
        .exclude(problem_links__problem=problem)
        .select_related("customer", "reason")
        .order_by("-opened_at")[:candidates]
    )
    if not pool:
        return []
    texts = _contact_texts([c.pk for c in pool] + linked_ids)
    centroid: Counter[str] = Counter()
    for cid in linked_ids:
        centroid.update(set(content_lemmas(texts.get(cid, ""))))
    found = []
    for contact in pool:
        vec = _vector(texts.get(contact.pk, ""))
        score = _cosine(vec, centroid) if centroid else 0.0
        shared = sorted((w for w in vec if w in centroid), key=lambda w: -centroid[w])[:5]
        found.append(Similar(contact, round(score, 3), tuple(shared)))
    found.sort(key=lambda s: (-s.score, -s.contact.opened_at.timestamp()))
    return found[:limit]


# --- affected customers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Affected:
    customer_id: int
    customer_number: str
    name: str
    email: str
    phone: str
    contacts: int
    last_contact_at: datetime


def affected_customers(problem: Problem) -> list[Affected]:
    """The customers with a contact linked to the problem (for a proactive message once it is
    solved), with their e-mail and phone from their identities. Two queries."""
    from django.db.models import Count, Max

    rows = (
        ProblemContact.objects.filter(problem=problem, contact__customer__isnull=False)
        .values("contact__customer_id")
        .annotate(n=Count("contact_id"), last=Max("contact__opened_at"))
    )
    per_customer = {r["contact__customer_id"]: (r["n"], r["last"]) for r in rows}
    customers = Customer.objects.filter(pk__in=list(per_customer)).prefetch_related("identities")
    out = []
    for customer in customers:
        ids = list(customer.identities.all())
        email = next((i.display for i in ids if i.kind == IdentityKind.EMAIL), "")
        phone = next((i.display for i in ids if i.kind == IdentityKind.PHONE), "")
        n, last = per_customer[customer.pk]
        out.append(Affected(customer.pk, customer.customer_number, customer.full_name, email, phone, n, last))
    return sorted(out, key=lambda a: (a.name, a.customer_id))


def problems_customers(problem_ids: list[int]) -> dict[int, int]:
    """Distinct customers linked to each problem: one grouped query."""
    from django.db.models import Count

    if not problem_ids:
        return {}
    rows = (
        ProblemContact.objects.filter(problem_id__in=problem_ids)
        .values("problem_id")
        .annotate(n=Count("contact__customer_id", distinct=True))
    )
    return {row["problem_id"]: row["n"] for row in rows}


def affected_csv_response(problem: Problem) -> HttpResponse:
    """The customers a problem affects, as a CSV download (the desk and the API give the same file)."""
    rows = [
        (a.customer_number, a.name, a.email, a.phone, a.contacts, a.last_contact_at.isoformat())
        for a in affected_customers(problem)
    ]
    header = ("klantnummer", "naam", "e-mail", "telefoon", "contacten", "laatste_contact")
    return csv_response(f"signaal-{problem.pk}-klanten.csv", header, rows)
