"""The retention list (/insights/churn/): customers at risk of leaving, highest first, why in words,
and who followed them up; 50 a page."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.paginator import Page

from gezien.core.period import Period
from gezien.insights.retention import selectors
from gezien.insights.retention.models import FollowUpOutcome
from gezien.insights.retention.selectors import RiskRow
from gezien.insights.scope import Scope
from gezien.web.pages.insights import Tabbed
from gezien.web.pages.shapes import Choices, paged

RISK_LIST_PAGE = 50  # customers per page (the CSV has them all)


class ChurnPage(Tabbed):
    rows: list[RiskRow]
    page: Page[RiskRow]
    level: str  # "hoog", "middel" or "" for both
    outcomes: Choices
    query: str


def churn_page(
    scope: Scope, period: Period, level: str, levels: Sequence[str], page_number: str | None
) -> ChurnPage:
    page = paged(selectors.risk_list(scope, period, levels=levels), page_number, RISK_LIST_PAGE)
    return {
        "rows": list(page.object_list),
        "page": page,
        "period": period,
        "level": level,
        "outcomes": FollowUpOutcome.choices,
        "active_tab": "churn",
        "query": f"{period.as_query()}&level={level}",
    }
