"""The root-cause pages (R15): the board (/insights/board/), one problem with its impact, contacts,
"ik zie dit ook" examples and the department's answers, and the reason tree (/insights/reasons/)."""

from __future__ import annotations

from typing import Any, TypedDict

from django.core.paginator import Page
from django.db.models import QuerySet

from gezien.accounts.models import Department
from gezien.contacts.models import ContactReason
from gezien.core.period import Period
from gezien.insights.rootcause import selectors, services
from gezien.insights.rootcause.board import Board, board
from gezien.insights.rootcause.impact import Impact, problem_impact
from gezien.insights.rootcause.models import Problem, ProblemContact, ProblemStatus, ProblemUpdate
from gezien.insights.rootcause.selectors import Affected, Similar
from gezien.insights.scope import Scope
from gezien.web.pages.insights import Tabbed
from gezien.web.pages.shapes import Choices, paged

PROBLEM_LINKS_PAGE = 50  # the linked contacts, paged
PROBLEM_EXAMPLES = 20  # the newest "ik zie dit ook" notes


class BoardPage(Tabbed):
    board: Board
    scope: Scope
    rows: list[tuple[Problem, Impact]]
    can_create: bool
    reasons: QuerySet[ContactReason]
    departments: QuerySet[Department]


def board_page(scope: Scope, period: Period, viewer: Any, *, closed: bool) -> BoardPage:
    """The reasons, spikes and problems of the period (`closed`: solved ones too), each problem with
    its impact, and what a new problem can be about."""
    data = board(scope, period, closed=closed)
    return {
        "board": data,
        "period": period,
        "scope": scope,
        "active_tab": "board",
        "rows": [(p, data.impact[p.pk]) for p in data.problems],
        "can_create": viewer.has_perm("rootcause.add_problem"),
        "reasons": ContactReason.objects.filter(active=True).order_by("name"),
        "departments": Department.objects.all(),
    }


class ProblemPage(TypedDict):
    problem: Problem
    impact: Impact
    links: list[ProblemContact]
    page: Page[ProblemContact]
    examples: list[ProblemContact]
    updates: list[ProblemUpdate]
    can_answer: bool
    can_link: bool
    can_see_contacts: bool
    statuses: Choices
    similar: list[Similar]
    affected: list[Affected]
    active_tab: str


def problem_page(problem: Problem, viewer: Any, page_number: str | None) -> ProblemPage:
    """One problem as `viewer` may see it: the contacts linked (50 a page), the latest examples, the
    answers, contacts that look alike (for those who link) and the customers affected once solved."""
    links = problem.links.select_related("contact", "contact__customer", "linked_by").order_by("-at", "-id")
    page = paged(links, page_number, PROBLEM_LINKS_PAGE)
    can_link = viewer.has_perm("rootcause.link_problem")
    sees_affected = problem.status == ProblemStatus.SOLVED and viewer.has_perm("customers.view_customer")
    return {
        "problem": problem,
        "impact": problem_impact(problem.pk),
        "links": list(page.object_list),
        "page": page,
        "examples": list(links.filter(kind="seen_too")[:PROBLEM_EXAMPLES]),
        "updates": list(problem.updates.select_related("author")),
        "can_answer": services.can_answer(viewer, problem),
        "can_link": can_link,
        "can_see_contacts": viewer.has_perm("contacts.view_contact"),
        "statuses": ProblemStatus.choices,
        "similar": selectors.similar_contacts(problem) if can_link and problem.is_open else [],
        "affected": selectors.affected_customers(problem) if sees_affected else [],
        "active_tab": "board",
    }


class ReasonsPage(TypedDict):
    tree: list[tuple[ContactReason, list[ContactReason]]]  # each top reason with its children
    reasons: list[ContactReason]
    departments: list[Department]
    active_tab: str


def reasons_page() -> ReasonsPage:
    """The contact reason tree and the departments that own reasons."""
    reasons = list(ContactReason.objects.select_related("parent", "department").order_by("code"))
    children: dict[int, list[ContactReason]] = {}
    for r in reasons:
        if r.parent_id:
            children.setdefault(r.parent_id, []).append(r)
    return {
        "tree": [(top, children.get(top.pk, [])) for top in reasons if top.parent_id is None],
        "reasons": reasons,
        "departments": list(Department.objects.prefetch_related("owners")),
        "active_tab": "board",
    }
