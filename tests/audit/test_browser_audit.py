"""The audit log page in a browser: an admin opens it from "Meer", filters by customer, and sees the
chain's state (docs/screenshots/audit-log.png)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gezien.audit.log import audit_record
from tests.browser import sign_in
from tests.web import test_browser

page = test_browser.page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_an_admin_reads_the_audit_log_from_the_menu(page: Any, make_user: Any) -> None:
    admin = make_user("beheer", "admin", first_name="Ada", last_name="Beheer")
    for i, (action, customer) in enumerate(
        [("contact.view", 12), ("customer.view", 12), ("contact.update", 12), ("customer.search", None)]
    ):
        audit_record(
            action=action,
            actor_id=admin.pk,
            actor_name="Sanne de Vries",
            source="192.0.2.14",
            object_type="customer" if action.startswith("customer") else "contact",
            object_id="" if customer is None else 40 + i,
            customer_id=customer,
            details={"field": "status"} if action == "contact.update" else {},
        )
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, "beheer", "geheim-wachtwoord-1", landing=lambda url: "/login/" not in url)
    page.click("[data-testid=menu-more] summary")
    page.click("[data-testid=menu-more] a[href='/beheer/auditlog/']")
    assert page.locator("[data-testid=audit-chain]").inner_text().endswith("Keten intact")
    page.fill("input[name=klant]", "12")
    with page.expect_navigation():
        page.click("[data-testid=audit-filters] button")
    assert page.locator("[data-testid=audit-entries] tbody tr").count() == 3
    page.screenshot(path=str(SHOTS / "audit-log.png"), full_page=True)
