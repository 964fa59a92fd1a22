"""The audit log page (Meer > Auditlog, admins): the entries matching the filters, newest first, paged,
and whether the hash chain is intact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypedDict

from django.core.paginator import Page
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import User
from gezien.accounts.roles import desk_people
from gezien.audit.models import AuditEntry
from gezien.audit.selectors import audit_entries, audit_verify
from gezien.core.errors import Invalid
from gezien.web.pages.shapes import paged

PER_PAGE = 50
# The actions a filter offers (any other can be typed: the list is a help, not a limit).
KNOWN_ACTIONS = (
    "contact.view", "contact.update", "contact.assign", "contact.link", "message.add", "message.view",
    "message.resend", "attachment.view", "attachment.list", "customer.view", "customer.search",
    "customer.create", "customer.update", "customer.export", "customer.erase", "churn.export",
    "survey.export", "problem.export_affected", "settings.change", "user.create", "user.update",
    "user.role_change", "user.login", "user.login_failed", "token.create", "token.revoke", "audit.export",
    "coaching.view",
)  # fmt: skip


@dataclass(frozen=True)
class AuditFilters:
    customer_id: int | None = None
    actor_id: int | None = None
    action: str = ""
    start: date | None = None
    end: date | None = None

    def entries(self) -> QuerySet[AuditEntry]:
        zone = timezone.get_current_timezone()
        since = datetime.combine(self.start, time.min, zone) if self.start else None
        until = datetime.combine(self.end + timedelta(days=1), time.min, zone) if self.end else None
        return audit_entries(
            customer_id=self.customer_id,
            actor_id=self.actor_id,
            action=self.action or None,
            since=since,
            until=until,
        )

    def query(self) -> str:
        """The filters as a query string ending in "&" (for the pager and the CSV link), or ""."""
        pairs = [
            ("klant", self.customer_id),
            ("persoon", self.actor_id),
            ("actie", self.action),
            ("van", self.start),
            ("tot", self.end),
        ]
        return "".join(f"{name}={value}&" for name, value in pairs if value not in (None, ""))


def _number(raw: str, field: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 19):
        raise Invalid(_("Vul een nummer in."), field=field)
    return int(raw)


def _day(raw: str, field: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise Invalid(_("Vul een datum in als JJJJ-MM-DD."), field=field) from exc


def audit_filters(params: dict[str, str]) -> AuditFilters:
    """The filters from the query string (`klant`, `persoon`, `actie`, `van`, `tot`); `Invalid` when
    one cannot be read."""
    action = params.get("actie", "").strip()[:64]
    return AuditFilters(
        customer_id=_number(params.get("klant", ""), "klant"),
        actor_id=_number(params.get("persoon", ""), "persoon"),
        action=action,
        start=_day(params.get("van", ""), "van"),
        end=_day(params.get("tot", ""), "tot"),
    )


class AuditPage(TypedDict):
    page: Page[AuditEntry]
    filters: AuditFilters
    pager_query: str
    people: list[User]
    actions: tuple[str, ...]
    chain_ok: bool
    chain_broken_at: int | None
    error: str


def audit_page(filters: AuditFilters, page_number: str | None, error: str = "") -> AuditPage:
    ok, broken_at = audit_verify()  # seals what waits first, so the page shows a sealed chain
    return {
        "page": paged(filters.entries(), page_number, PER_PAGE),
        "filters": filters,
        "pager_query": filters.query(),
        "people": list(desk_people().order_by("first_name", "last_name", "username")),
        "actions": KNOWN_ACTIONS,
        "chain_ok": ok,
        "chain_broken_at": broken_at,
        "error": error,
    }
