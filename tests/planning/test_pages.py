"""The desk's planning pages: the team lead sees the plan with its gap in red (and in words), edits the
forecast and the schedule; managers keep the targets; agents are refused; what people type is escaped."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gezien.accounts.models import User
from gezien.accounts.services import team_ensure
from gezien.planning.models import ForecastAdjustment, ServiceTarget, Shift, VolumeInterval
from gezien.planning.services import shift_create
from tests.planning.helpers import MONDAY, at, import_pattern

pytestmark = pytest.mark.django_db

Maker = Callable[..., User]
PLAN = f"/planning/?day={MONDAY.isoformat()}&channel=phone"


@pytest.fixture
def lead(make_user: Maker, client: Client) -> User:
    user = make_user("karin", "teamlead", first_name="Karin", last_name="Postma")
    client.force_login(user)
    return user


def row(html: str, time: str) -> str:
    found = re.search(rf'<tr class="([^"]*)" data-testid="interval-{time}">(.*?)</tr>', html, re.S)
    assert found, time
    return found.group(1) + found.group(2)


def test_the_team_lead_sees_the_gap_of_the_morning_peak_in_red_and_in_words(
    client: Client, lead: User, make_user: Maker
) -> None:
    import_pattern()
    for name in ("fatima", "mark", "daan"):
        shift_create(
            actor=lead,
            user=make_user(name, "agent"),
            channels=["phone"],
            start=at(MONDAY, 8),
            end=at(MONDAY, 17),
        )
    page = client.get(PLAN)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="scale-up"' in html and "Opschalen" in html
    peak = row(html, "09:00")
    assert peak.startswith("short") and "tekort" in peak
    assert "planning/planning.css" in html
    assert "Verwacht servicelevel over de dag" in html
    assert f'data-testid="day-{MONDAY.isoformat()}"' in html


def test_agents_are_refused_every_planning_page(desk: Client) -> None:
    for url in (PLAN, "/planning/targets/", "/planning/history/"):
        assert desk.get(url).status_code == 403
    assert desk.post("/planning/shifts/", {}).status_code == 403
    assert desk.post("/planning/adjustments/", {}).status_code == 403


def test_a_bad_day_or_channel_is_a_422_page(client: Client, lead: User) -> None:
    for query in ("day=2026-13-01", "day=1999-12-31", "day=2100-01-01", "channel=fax", "day=%00"):
        page = client.get(f"/planning/?{query}")
        assert page.status_code == 422, query
        assert 'data-testid="invalid"' in page.content.decode()


def test_the_team_lead_edits_the_forecast_with_a_note_and_it_shows_escaped(
    client: Client, lead: User
) -> None:
    import_pattern()
    form = {
        "channel": "phone",
        "kind": "percent",
        "day": MONDAY.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "value": "40",
        "note": "<script>alert('storing')</script>",
    }
    assert client.post("/planning/adjustments/", form).status_code == 302
    html = client.get(PLAN).content.decode()
    assert "&lt;script&gt;alert(&#x27;storing&#x27;)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "Karin Postma" in html and "aangepast" in row(html, "10:00")
    bad = client.post("/planning/adjustments/", {**form, "end_time": "09:00"})
    assert bad.status_code == 422 and "Het einde moet na het begin liggen." in bad.content.decode()
    assert ForecastAdjustment.objects.count() == 1


def test_the_team_lead_schedules_their_team_and_not_another(
    client: Client, lead: User, make_user: Maker
) -> None:
    fatima = make_user("fatima", "agent", first_name="Fatima", last_name="El Amrani")
    form = {
        "user": fatima.pk,
        "channels": ["phone", "chat"],
        "day": MONDAY.isoformat(),
        "start_time": "08:00",
        "end_time": "12:30",
        "note": "<b>inwerken</b>",
        "plan_channel": "phone",
    }
    assert client.post("/planning/shifts/", form).status_code == 302
    html = client.get(PLAN).content.decode()
    assert "Fatima El Amrani" in html and "&lt;b&gt;inwerken&lt;/b&gt;" in html
    shift = Shift.objects.get()
    assert client.post(f"/planning/shifts/{shift.pk}/", {**form, "end_time": "13:00"}).status_code == 302
    assert Shift.objects.get().end == at(MONDAY, 13)
    assert (
        client.post("/planning/shifts/", {**form, "start_time": "12:00", "end_time": "14:00"}).status_code
        == 422
    )
    emre = make_user("emre", "agent", team=team_ensure(name="Team Zuid"))
    assert client.post("/planning/shifts/", {**form, "user": emre.pk}).status_code == 422  # not a choice
    manager = make_user("hans", "manager", team=None)
    theirs = shift_create(
        actor=manager, user=emre, channels=["phone"], start=at(MONDAY, 8), end=at(MONDAY, 12)
    )
    assert client.get(f"/planning/shifts/{theirs.pk}/").status_code == 404
    assert client.post(f"/planning/shifts/{theirs.pk}/delete/").status_code == 404
    assert client.post(f"/planning/shifts/{shift.pk}/delete/", {"day": MONDAY.isoformat()}).status_code == 302
    assert list(Shift.objects.all()) == [theirs]


def test_an_end_before_the_start_is_a_night_shift_into_the_next_morning(
    client: Client, lead: User, make_user: Maker
) -> None:
    mark = make_user("mark", "agent")
    assert "de volgende ochtend (nachtdienst)" in client.get(PLAN).content.decode()
    form = {"user": mark.pk, "channels": ["phone"], "day": MONDAY.isoformat(), "start_time": "22:00"}
    assert client.post("/planning/shifts/", {**form, "end_time": "06:00"}).status_code == 302
    shift = Shift.objects.get()
    assert (shift.start, shift.end) == (at(MONDAY, 22), at(MONDAY + timedelta(days=1), 6))
    edit = client.get(f"/planning/shifts/{shift.pk}/").content.decode()
    assert 'value="22:00' in edit and 'value="06:00' in edit  # edited as it was entered
    assert client.post("/planning/shifts/", {**form, "end_time": "22:00"}).status_code == 422  # 24 hours
    assert Shift.objects.count() == 1


def test_shifts_come_in_from_a_csv(client: Client, lead: User, make_user: Maker) -> None:
    make_user("fatima", "agent")
    make_user("mark", "agent")
    text = (
        "medewerker;kanalen;start;einde\n"
        "fatima;telefoon;2026-11-23 08:00;2026-11-23 16:30\n"
        "mark;telefoon chat;2026-11-23 09:00;2026-11-23 17:00\n"
    )
    upload = SimpleUploadedFile("rooster.csv", text.encode(), content_type="text/csv")
    assert client.post("/planning/shifts/import/", {"file": upload}).status_code == 302
    assert Shift.objects.count() == 2
    bad = (
        "medewerker;kanalen;start;einde\n"
        "fatima;telefoon;2026-11-24 08:00;2026-11-24 16:30\n"
        "nobody;telefoon;2026-11-24 08:00;2026-11-24 16:30\n"
    )
    client.post("/planning/shifts/import/", {"file": SimpleUploadedFile("r.csv", bad.encode())}, follow=True)
    assert Shift.objects.count() == 2  # all or nothing


def test_managers_keep_the_targets_and_team_leads_only_read_them(
    client: Client, lead: User, make_user: Maker
) -> None:
    page = client.get("/planning/targets/")
    assert page.status_code == 200 and "Erlang A" in page.content.decode()
    form = {
        "phone-service_level": "90",
        "phone-target_seconds": "15",
        "phone-patience_seconds": "",
        "phone-max_abandon": "",
        "phone-max_occupancy": "85",
        "phone-shrinkage": "35",
        "phone-concurrency": "1",
    }
    assert client.post("/planning/targets/phone/", form).status_code == 403
    client.force_login(make_user("hans", "manager", team=None))
    assert client.post("/planning/targets/phone/", form).status_code == 302
    saved = ServiceTarget.objects.get(channel="phone")
    assert (saved.service_level, saved.target_seconds, saved.patience_seconds, saved.shrinkage) == (
        0.9,
        15,
        None,
        0.35,
    )
    bad = client.post("/planning/targets/phone/", {**form, "phone-max_abandon": "5"})
    assert bad.status_code == 422 and "Erlang A" in bad.content.decode()
    assert client.post("/planning/targets/phone/", {**form, "phone-service_level": "100"}).status_code == 422
    assert ServiceTarget.objects.get(channel="phone").service_level == 0.9


def test_interval_history_is_uploaded_as_csv(client: Client, lead: User) -> None:
    text = (
        "kanaal;start;minuten;aangeboden;afgehandeld;aht\n"
        "telefoon;2026-11-16 09:00;30;40;38;270\n"
        "chat;2026-11-16 09:00;;10;;\n"
    )
    page = client.post("/planning/history/", {"file": SimpleUploadedFile("acd.csv", text.encode())})
    assert page.status_code == 302
    assert VolumeInterval.objects.filter(source="import").count() == 2 + 2
    html = client.get("/planning/history/").content.decode()
    assert "import" in html and "4,5 min" in html
    bad = "kanaal;start;aangeboden\ntelefoon;2026-11-17 09:07;12\n"
    page = client.post("/planning/history/", {"file": SimpleUploadedFile("acd.csv", bad.encode())})
    assert page.status_code == 422 and "regel 2" in page.content.decode()
    endless = "kanaal;start;minuten;aangeboden\ntelefoon;2026-11-17 09:00;inf;12\n"
    page = client.post("/planning/history/", {"file": SimpleUploadedFile("acd.csv", endless.encode())})
    assert page.status_code == 422 and "regel 2: minutes is geen getal" in page.content.decode()
    assert VolumeInterval.objects.count() == 4


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_day_the_desk_does_not_plan_for_is_a_form_error(
    client: Client, lead: User, make_user: Maker, day: str
) -> None:
    fatima = make_user("fatima", "agent")
    for end_time in ("00:00", "12:00"):
        page = client.post(
            "/planning/adjustments/",
            {"channel": "phone", "kind": "percent", "day": day, "start_time": "08:00", "end_time": end_time},
        )
        assert page.status_code == 422 and "Kies een datum tussen" in page.content.decode()
    page = client.post(
        "/planning/shifts/",
        {"user": fatima.pk, "channels": ["phone"], "day": day, "start_time": "08:00", "end_time": "17:00"},
    )
    assert page.status_code == 422 and "Kies een datum tussen" in page.content.decode()
    assert not ForecastAdjustment.objects.exists() and not Shift.objects.exists()
