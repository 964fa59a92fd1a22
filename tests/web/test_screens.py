"""Screens that speak plainly (issue 13): the landing page and menu by role, the error pages, no internal
values, date inputs the browser can fill, grouped notifications, paged long lists, offline API docs."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.utils import translation

from gezien.accounts.models import Department, User
from gezien.contacts.handling import contact_set_status
from gezien.contacts.models import Channel, Status
from gezien.contacts.services import contact_open
from gezien.notifications.models import Notification
from gezien.planning.services import shift_create
from gezien.web.forms import DayInput
from gezien.web.views.errors import server_error

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ROLES = ("agent", "teamlead", "manager", "admin", "department")


@pytest.fixture
def person(make_user: Callable[..., User]) -> Callable[[str], Client]:
    """A client logged in with a role; the department owner owns Logistiek."""

    def login(role: str) -> Client:
        user = make_user(f"{role}-1", role)
        if role == "department":
            Department.objects.create(code="logistiek", name="Logistiek").owners.add(user)
        client = Client()
        client.force_login(user)
        return client

    return login


def _menu_links(html: str) -> list[str]:
    menu = html[html.index('data-testid="menu"') : html.index("</nav>", html.index('data-testid="menu"'))]
    return re.findall(r'<a href="([^"]+)"', menu)


def test_the_department_owner_lands_on_their_board_not_on_a_403(person: Callable[[str], Client]) -> None:
    owner = person("department")
    assert owner.get("/").headers["Location"] == "/insights/board/"
    assert owner.get("/insights/board/").status_code == 200


def test_the_desk_lands_on_the_queue_and_login_goes_to_the_landing_page(
    person: Callable[[str], Client], client: Client, make_user: Callable[..., User]
) -> None:
    assert person("agent").get("/").headers["Location"] == "/desk/"
    make_user("lisa", "department")
    Department.objects.create(code="voorraad", name="Voorraad").owners.add(User.objects.get(username="lisa"))
    answer = client.post("/login/", {"username": "lisa", "password": "geheim-wachtwoord-1"}, follow=True)
    assert answer.redirect_chain[-1][0] == "/insights/board/" and answer.status_code == 200


def test_someone_without_a_role_is_told_why_instead_of_a_bare_403(client: Client, db: None) -> None:
    nobody = User.objects.create_user("niemand", password="geheim-wachtwoord-1")
    client.force_login(nobody)
    answer = client.get("/")
    assert answer.status_code == 403
    assert "nog geen rol in de desk" in answer.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_no_menu_item_answers_403(person: Callable[[str], Client], role: str) -> None:
    client = person(role)
    page = client.get("/", follow=True)
    assert page.status_code == 200
    links = _menu_links(page.content.decode())
    assert links, "an empty menu"
    for url in links:
        assert client.get(url).status_code in (200, 302), (role, url)


def test_each_role_sees_its_own_menu(person: Callable[[str], Client]) -> None:
    def menu(role: str) -> set[str]:
        return set(_menu_links(person(role).get("/", follow=True).content.decode()))

    agent, lead, owner, admin = menu("agent"), menu("teamlead"), menu("department"), menu("admin")
    assert {"/desk/", "/customers/", "/desk/notifications/"} <= agent
    assert not {"/insights/", "/desk/live/", "/planning/", "/admin/"} & agent
    assert {"/insights/", "/desk/live/", "/planning/"} <= lead and "/admin/" not in lead
    assert "/insights/" in owner and not {"/desk/", "/customers/", "/desk/notifications/"} & owner
    assert "/admin/" in admin


def test_insight_tabs_that_would_refuse_are_not_shown(person: Callable[[str], Client]) -> None:
    lead = person("teamlead").get("/insights/board/").content.decode()
    assert "/insights/churn/" in lead and "/insights/department/" not in lead  # no department of theirs
    owner = person("department").get("/insights/board/").content.decode()
    assert "/insights/department/" in owner and "/insights/churn/" not in owner


def test_403_and_404_pages_are_desk_pages_with_the_reason(person: Callable[[str], Client]) -> None:
    agent = person("agent")
    refused = agent.get("/planning/")
    assert refused.status_code == 403
    html = refused.content.decode()
    assert 'data-testid="menu"' in html and "Geen toegang" in html and "Uw rol mag dit niet." in html
    missing = agent.get("/desk/contacts/999999/")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert 'data-testid="menu"' in html and "Niet gevonden" in html and "Dit contact bestaat niet." in html
    unknown = agent.get("/bestaat/niet/")
    assert unknown.status_code == 404 and "Deze pagina bestaat niet (meer)." in unknown.content.decode()
    assert "tried" not in unknown.content.decode()  # not Django's list of URL patterns


def test_the_error_pages_speak_english_when_chosen(person: Callable[[str], Client]) -> None:
    agent = person("agent")
    agent.post("/i18n/setlang/", {"language": "en", "next": "/desk/"})
    html = agent.get("/bestaat/niet/").content.decode()
    assert "Not found" in html and "Niet gevonden" not in html


def test_the_500_page_renders_without_the_database_or_a_request_context() -> None:
    """No `db` fixture: any query here fails the test."""
    with translation.override("nl"):
        answer = server_error(RequestFactory().get("/desk/"))
    html = answer.content.decode()
    assert answer.status_code == 500
    assert "Er ging iets mis" in html and "gezien/desk.css" in html and 'class="topbar"' in html
    with translation.override("en"):
        assert "Something went wrong" in server_error(RequestFactory().get("/")).content.decode()


def test_date_inputs_are_filled_as_the_browser_needs_them() -> None:
    with translation.override("nl"):
        html = DayInput().render("day", date(2026, 12, 7))
    assert 'type="date"' in html and 'value="2026-12-07"' in html


def test_the_shift_form_has_its_day_its_channels_in_one_row_and_no_dashes(
    person: Callable[[str], Client],
) -> None:
    html = person("teamlead").get("/planning/?channel=phone&day=2026-12-07").content.decode()
    form = html[html.index('data-testid="shift-form"') :]
    form = form[: form.index("</form>")]
    assert re.search(r'<input type="date" name="day" value="2026-12-07"', form), form
    assert '<fieldset class="choices"><legend>Kanalen</legend>' in form and "<label>Kanalen" not in form
    assert "---------" not in html and "Kies iemand" in form


def test_the_shifts_name_their_channels_in_words(make_user: Callable[..., User], client: Client) -> None:
    lead = make_user("karin", "teamlead")
    agent = make_user("sanne", "agent")
    start = datetime(2026, 12, 7, 8, tzinfo=AMSTERDAM)
    shift_create(
        actor=lead, user=agent, channels=["phone", "chat"], start=start, end=start + timedelta(hours=8)
    )
    client.force_login(lead)
    html = client.get("/planning/?channel=phone&day=2026-12-07").content.decode()
    table = html[html.index('data-testid="shifts"') :]
    assert "<td>Telefoon, Chat</td>" in table and ">phone" not in table[: table.index("</table>")]


def test_search_results_say_what_they_were_found_on_in_words(desk: Client, customer: Any) -> None:
    html = desk.get("/customers/", {"q": "1234AB12"}).content.decode()
    assert "<td>Postcode + huisnummer</td>" in html and ">address<" not in html
    html = desk.get("/customers/", {"q": "annie"}).content.decode()
    assert "<td>Naam</td>" in html and "<td>name</td>" not in html


def _notify(user: User, kind: str, n: int) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, text=f"{kind} {i}") for i in range(n)
    )


def test_notifications_are_grouped_by_kind_and_one_kind_is_paged(desk: Client, agent: User) -> None:
    _notify(agent, "retention", 45)
    _notify(agent, "wellbeing", 2)
    html = desk.get("/desk/notifications/").content.decode()
    assert re.findall(r'kind" data-testid="notifications-(\w+)"', html) == ["retention", "wellbeing"]
    assert html.count("retention ") == 10 and "Alle 45 tonen" in html  # the newest of each kind
    first = desk.get("/desk/notifications/", {"kind": "retention"}).content.decode()
    assert first.count("retention ") == 30 and "Pagina 1 van 2" in first and "wellbeing 0" not in first
    second = desk.get("/desk/notifications/", {"kind": "retention", "page": 2}).content.decode()
    assert second.count("retention ") == 15 and "Pagina 2 van 2" in second


def test_all_read_marks_every_unread_notification_or_one_kind(desk: Client, agent: User, api: Any) -> None:
    _notify(agent, "retention", 3)
    _notify(agent, "wellbeing", 2)
    desk.post("/desk/notifications/read-all/", {"kind": "wellbeing"})
    unread = Notification.objects.filter(read_at__isnull=True)
    assert sorted(unread.values_list("kind", flat=True)) == ["retention"] * 3
    assert 'data-testid="read-all"' in desk.get("/desk/notifications/").content.decode()
    desk.post("/desk/notifications/read-all/")
    assert not unread.exists()
    assert 'data-testid="read-all"' not in desk.get("/desk/notifications/").content.decode()


def test_the_api_marks_all_notifications_read(agent: User, api: Any) -> None:
    _notify(agent, "retention", 3)
    _notify(agent, "capacity", 1)
    answer = api.post("/api/notifications/read-all?kind=capacity")
    assert answer.status_code == 200 and answer.json_body == {"read": 1}
    assert api.post("/api/notifications/read-all").json_body == {"read": 3}
    assert api.post("/api/notifications/read-all?kind=iets").status_code == 422
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_api_docs_use_the_apps_own_static_files(desk: Client) -> None:
    html = desk.get("/api/docs").content.decode()
    assert "cdn" not in html.lower()
    scripts = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert "ninja/swagger-ui-bundle.js" in scripts and "ninja/swagger-ui.css" in scripts
    assert all(finders.find(path) for path in scripts)


def test_a_closed_call_shows_no_greeting_to_say(desk: Client, customer: Any) -> None:
    """The opening checklist ("Goedemorgen, u spreekt met ...", "Laat de klant uitpraten") guides the
    start of a call; reading a call afterwards it is noise above the transcript."""
    contact = contact_open(channel=Channel.PHONE, identities=[("phone", "06-12345678")], text="Hallo").contact
    assert "u spreekt met" in desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    contact_set_status(contact=contact, status=Status.CLOSED)
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert "u spreekt met" not in page and "Laat de klant uitpraten" not in page
    assert "Hallo" in page
