"""The top bar as a person sees it at 1440 px: one line for the role with the most pages, in Dutch and
English; the department owner lands on the board; the shift form's day is filled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gezien.accounts.models import Department
from gezien.contacts.models import Channel, Contact
from gezien.contacts.services import contact_open
from gezien.customers.services import customer_create
from gezien.notifications.models import Notification
from tests.browser import sign_in
from tests.web import test_browser

page = test_browser.page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-1"  # what the make_user fixture gives everyone


def _login(page: Any, username: str) -> None:
    sign_in(page, username, PASSWORD, landing=lambda url: "/login/" not in url)


def _one_line(page: Any) -> None:
    tops = page.eval_on_selector_all(
        "header.topbar nav > a, header.topbar nav > details, header.topbar .me > *",
        "els => els.map(e => Math.round(e.getBoundingClientRect().top))",
    )
    assert len(set(tops)) <= 2 and max(tops) - min(tops) < 12, tops  # all on one line
    bar = page.eval_on_selector("header.topbar", "e => [e.scrollWidth, e.clientWidth]")
    assert bar[0] <= bar[1] <= 1440, bar  # and nothing pushed off screen


def test_the_navigation_fits_one_line_at_1440_px_in_dutch_and_english(page: Any, make_user: Any) -> None:
    admin = make_user("beheer", "admin", first_name="Priya", last_name="Ramsaran-Oosterhuis")
    Notification.objects.bulk_create(  # "Meldingen 66" as a busy team lead sees it
        Notification(recipient=admin, kind="retention", text="Opzegrisico hoog") for _ in range(66)
    )
    page.set_viewport_size({"width": 1440, "height": 900})
    _login(page, "beheer")
    assert page.url.endswith("/desk/")
    _one_line(page)
    assert page.locator("header.topbar nav > a").count() >= 9  # everything an admin may open, or "Meer"
    page.click("[data-testid=me]")  # the language is in the person's menu
    with page.expect_navigation():
        page.select_option("header.topbar .me .lang select", "en")
    assert page.locator("[data-testid=menu] >> text=Queue").count() == 1
    _one_line(page)
    page.click("[data-testid=menu-more] summary")
    assert page.locator("[data-testid=menu-more] a[href='/admin/']").is_visible()


def test_the_department_owner_starts_on_the_board(page: Any, make_user: Any) -> None:
    owner = make_user("lisa", "department", team=None)
    Department.objects.create(code="logistiek", name="Logistiek").owners.add(owner)
    page.set_viewport_size({"width": 1440, "height": 900})
    _login(page, "lisa")
    assert page.url.endswith("/insights/board/")
    assert "Oorzakenbord" in page.locator("h1").inner_text()
    assert page.locator("[data-testid=menu] a[href='/desk/']").count() == 0


def _lines(page: Any, selector: str) -> list[int]:
    """How many lines the text of each matching cell takes."""
    return page.eval_on_selector_all(
        selector,
        """els => els.map(e => { const r = document.createRange(); r.selectNodeContents(e);
            return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; })""",
    )


def test_times_and_dates_in_tables_read_on_one_line_at_1440_px(page: Any, make_user: Any) -> None:
    """The queue's waiting time ("43 u 28") and the customer's timeline dates ("06-12-2026 12:06") were
    broken over two or three lines beside long summaries; the customer page no longer repeats the
    timeline and the remember form in its side card."""
    make_user("sanne", "agent")
    customer = customer_create(first_name="Ria", last_name="de Vries", identities=[("phone", "0612345678")])
    long = "Pakket niet bezorgd, nieuwe datum toegezegd, klant wil compensatie en belt morgen terug " * 2
    for _ in range(3):
        contact_open(channel=Channel.PHONE, identities=[("phone", "0612345678")], subject=long, text="Hallo")
    Contact.objects.update(waiting_since=timezone.now() - timedelta(hours=43, minutes=28))
    page.set_viewport_size({"width": 1440, "height": 900})
    _login(page, "sanne")
    assert "43 u 28" in page.locator("[data-testid=queue] td.wait").first.inner_text()
    assert set(_lines(page, "[data-testid=queue] td.wait")) == {1}
    page.goto(f"/customers/{customer.pk}/")
    assert set(_lines(page, "[data-testid=full-timeline] tbody td:first-child")) == {1}
    assert page.locator("[data-testid=full-timeline] tbody tr").count() == 3
    assert page.locator("[data-testid=gezien-kaart] [data-testid=timeline]").count() == 0
    assert page.locator("summary", has_text="Iets onthouden").count() == 0


def test_the_departments_totals_are_tiles_side_by_side(page: Any, make_user: Any) -> None:
    """They were an unstyled list: each label over its indented figure, six lines down the page."""
    owner = make_user("lisa", "department", team=None)
    Department.objects.create(code="logistiek", name="Logistiek").owners.add(owner)
    page.set_viewport_size({"width": 1440, "height": 900})
    _login(page, "lisa")
    page.goto("/insights/department/")
    tiles = "[data-testid=department-totals] > div"
    tops = page.eval_on_selector_all(tiles, "els => els.map(e => Math.round(e.getBoundingClientRect().top))")
    assert len(tops) == 6 and len(set(tops)) == 1, tops  # one row at 1440 px
    sizes = page.eval_on_selector(
        "[data-testid=department-totals] > div",
        "e => ['dt', 'dd'].map(tag => parseFloat(getComputedStyle(e.querySelector(tag)).fontSize))",
    )
    assert sizes[1] > 1.5 * sizes[0]  # the figure stands out from its label


def test_a_contacts_summary_and_the_macro_search_show_their_whole_text(page: Any, make_user: Any) -> None:
    """At 1440 px the summary field showed "Tv-box bleef hangen bij op" of its line, and the macro
    search "Zoek een standaardantwo"."""
    make_user("sanne", "agent")
    contact = contact_open(  # an e-mail: its row also holds "Markeer als spam"
        channel=Channel.EMAIL, identities=[("email", "ria@example.nl")], subject="Tv-box", text="Hallo"
    ).contact
    summary_text = "Tv-box bleef hangen bij opstarten; fabrieksreset gedaan"
    Contact.objects.filter(pk=contact.pk).update(summary=summary_text)
    page.set_viewport_size({"width": 1440, "height": 900})
    _login(page, "sanne")
    page.goto(f"/desk/contacts/{contact.pk}/")
    page.get_by_test_id("contact-menu").locator("> summary").click()  # reason, summary, priority: in the menu
    summary = page.eval_on_selector("#id_summary", "e => [e.scrollWidth, e.clientWidth]")
    assert summary[0] <= summary[1], summary
    assert _one_row(page, "[data-testid=sla-contact] form > label, [data-testid=sla-contact] form > button")
    assert _one_row(page, "label[for=id_summary], #id_summary, form:has(#id_summary) button")
    page.keyboard.press("Escape")
    page.locator("#composer textarea[name=text]").press("/")  # the picker of standard replies and articles
    page.locator("#picker-q").wait_for()
    assert _placeholder_fits(page, "#picker-q")
    page.goto("/desk/macros/")
    assert _placeholder_fits(page, "input[name=q]")  # "Zoek op titel, label of tekst"


def _one_row(page: Any, selector: str) -> bool:
    """The elements sit side by side (their vertical middles within a few pixels)."""
    middles = page.eval_on_selector_all(
        selector, "els => els.map(e => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; })"
    )
    return len(middles) >= 2 and max(middles) - min(middles) < 8


def _placeholder_fits(page: Any, selector: str) -> bool:
    return bool(
        page.eval_on_selector(
            selector,
            """e => { const c = document.createElement('canvas').getContext('2d');
                c.font = getComputedStyle(e).font;
                return c.measureText(e.placeholder).width < e.clientWidth; }""",
        )
    )
