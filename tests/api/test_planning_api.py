"""API for the staffing plan: targets, forecast, edits, history import, shifts, plan and gaps; happy
paths, role checks (agents 403, team leads their own team's shifts) and bad input (4xx, nothing written)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gezien.accounts.models import User
from gezien.accounts.services import team_ensure
from gezien.accounts.tokens import token_create
from gezien.planning.models import ForecastAdjustment, ServiceTarget, Shift, VolumeInterval
from gezien.workforce import required_agents
from tests.conftest import ApiClient
from tests.planning.helpers import MONDAY, import_pattern

pytestmark = pytest.mark.django_db
DAY = MONDAY.isoformat()


@pytest.fixture
def lead(make_user: Callable[..., User]) -> User:
    return make_user("karin", "teamlead", first_name="Karin", last_name="Postma")


def client_for(user: User) -> ApiClient:
    return ApiClient(token_create(user=user, name="test")[1])


def test_agents_are_refused(api: ApiClient) -> None:
    for path in (
        "targets",
        f"plan?day={DAY}",
        "gaps",
        "shifts",
        "adjustments",
        "history",
        f"forecast?day={DAY}",
    ):
        assert api.get(f"/api/planning/{path}").status_code == 403, path
    assert api.post("/api/planning/shifts", {}).status_code in (403, 422)
    assert (
        api.call(
            "put", "/api/planning/targets/phone", {"service_level": 0.9, "target_seconds": 20}
        ).status_code
        == 403
    )


def test_plan_forecast_and_gaps_tell_the_same_story(lead: User, make_user: Callable[..., User]) -> None:
    import_pattern()
    api = client_for(lead)
    fatima = make_user("fatima", "agent")
    made = api.post(
        "/api/planning/shifts",
        {"user_id": fatima.pk, "channels": ["phone"], "start": f"{DAY}T08:00:00", "end": f"{DAY}T17:00:00"},
    )
    assert made.status_code == 201 and made.json_body["name"] == "Fatima de Vries"
    plan = api.get(f"/api/planning/plan?day={DAY}&channel=phone")
    assert plan.status_code == 200
    body = plan.json_body
    assert body["target"]["model"] == "erlang_a" and body["interval_minutes"] == 30
    peak = next(i for i in body["intervals"] if i["start"].startswith(f"{DAY}T08:00"))
    expected = required_agents(
        peak["volume"], 1800, peak["aht_seconds"], 20, 0.8, patience_s=120, shrinkage=0.3
    )
    assert (peak["agents"], peak["headcount"], peak["scheduled"]) == (
        expected.agents,
        expected.headcount,
        1.0,
    )
    assert peak["short"] == expected.headcount - 1 and peak["gap"] == 1 - expected.headcount
    assert body["scale_up"]["extra_max"] > 0 and body["scale_up"]["ranges"]
    forecast = api.get(f"/api/planning/forecast?day={DAY}&channel=phone").json_body
    assert [i["volume"] for i in forecast["intervals"]] == [i["volume"] for i in body["intervals"]]
    assert forecast["history_days"] == 48
    gaps = api.get(f"/api/planning/gaps?from={DAY}&channel=phone").json_body
    assert [(g["start"], g["extra"]) for g in gaps] == [
        (r["start"], r["extra"]) for r in body["scale_up"]["ranges"]
    ]
    sunday = api.get("/api/planning/plan?day=2026-11-29").json_body
    assert sunday["closed"] == "gesloten" and sunday["intervals"] == []


def test_edits_of_the_forecast(lead: User) -> None:
    import_pattern()
    api = client_for(lead)
    made = api.post(
        "/api/planning/adjustments",
        {
            "channel": "phone",
            "start": f"{DAY}T10:00:00+01:00",
            "end": f"{DAY}T12:00:00+01:00",
            "kind": "percent",
            "value": 40,
            "note": "storing verwacht",
        },
    )
    assert made.status_code == 201
    assert made.json_body["created_by"] == "Karin Postma" and made.json_body["note"] == "storing verwacht"
    listed = api.get(f"/api/planning/adjustments?from={DAY}").json_body
    assert [a["id"] for a in listed] == [made.json_body["id"]]
    ten = next(
        i
        for i in api.get(f"/api/planning/forecast?day={DAY}").json_body["intervals"]
        if i["start"].startswith(f"{DAY}T09:00")
    )  # 10:00 in Amsterdam is 09:00 UTC
    assert ten["volume"] == pytest.approx(1.4 * ten["base_volume"]) and ten["adjustment_ids"] == [
        made.json_body["id"]
    ]
    assert api.delete(f"/api/planning/adjustments/{made.json_body['id']}").status_code == 204
    assert api.delete(f"/api/planning/adjustments/{made.json_body['id']}").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"channel": "fax"},
        {"end": f"{DAY}T09:00:00"},
        {"start": "1999-12-31T10:00:00"},
        {"start": "2100-01-01T10:00:00", "end": "2100-01-01T11:00:00"},
        {"kind": "double"},
        {"value": "veel"},
        {"value": 5000},
        {"note": "x" * 201},
        {"note": "a\x00b"},
        {"start": f"{DAY}T10:05:00"},
    ],
)
def test_bad_edits_are_refused(lead: User, body: dict[str, Any]) -> None:
    good = {
        "channel": "phone",
        "start": f"{DAY}T10:00:00",
        "end": f"{DAY}T11:00:00",
        "kind": "percent",
        "value": 10,
    }
    answer = client_for(lead).post("/api/planning/adjustments", {**good, **body})
    assert answer.status_code in (400, 422), body
    assert not ForecastAdjustment.objects.exists()


def test_targets_are_read_by_team_leads_and_set_by_managers(
    lead: User, make_user: Callable[..., User]
) -> None:
    listed = client_for(lead).get("/api/planning/targets").json_body
    assert {t["channel"]: t["concurrency"] for t in listed} == {
        "phone": 1,
        "chat": 3,
        "email": 1,
        "webform": 1,
    }
    body = {
        "service_level": 0.9,
        "target_seconds": 15,
        "patience_seconds": None,
        "shrinkage": 0.35,
        "concurrency": 1,
    }
    assert client_for(lead).call("put", "/api/planning/targets/phone", body).status_code == 403
    manager = client_for(make_user("hans", "manager", team=None))
    saved = manager.call("put", "/api/planning/targets/phone", body)
    assert saved.status_code == 200 and saved.json_body["model"] == "erlang_c"
    for bad in (
        {"service_level": 1.0},
        {"service_level": "hoog"},
        {"shrinkage": 0.95},
        {"concurrency": 0},
        {"max_abandon": 0.05},
    ):
        assert manager.call("put", "/api/planning/targets/phone", {**body, **bad}).status_code == 422, bad
    assert manager.call("put", "/api/planning/targets/fax", body).status_code in (404, 422)
    assert ServiceTarget.objects.get(channel="phone").target_seconds == 15


def test_team_leads_manage_their_own_teams_shifts(lead: User, make_user: Callable[..., User]) -> None:
    api = client_for(lead)
    own = make_user("fatima", "agent")
    other = make_user("emre", "agent", team=team_ensure(name="Team Zuid"))
    shift = {
        "user_id": own.pk,
        "channels": ["phone", "chat"],
        "start": f"{DAY}T08:00:00",
        "end": f"{DAY}T12:00:00",
    }
    made = api.post("/api/planning/shifts", shift).json_body
    assert made["channels"] == ["phone", "chat"]
    assert api.post("/api/planning/shifts", {**shift, "user_id": other.pk}).status_code == 403
    manager = client_for(make_user("hans", "manager", team=None))
    theirs = manager.post("/api/planning/shifts", {**shift, "user_id": other.pk}).json_body
    assert api.patch(f"/api/planning/shifts/{theirs['id']}", {"note": "ruil"}).status_code == 403
    assert api.delete(f"/api/planning/shifts/{theirs['id']}").status_code == 403
    changed = api.patch(
        f"/api/planning/shifts/{made['id']}", {"end": f"{DAY}T13:00:00", "channels": ["phone"]}
    )
    assert changed.status_code == 200 and changed.json_body["channels"] == ["phone"]
    listed = api.get(f"/api/planning/shifts?from={DAY}&channel=chat").json_body
    assert [s["id"] for s in listed] == [theirs["id"]]
    assert [s["id"] for s in api.get(f"/api/planning/shifts?from={DAY}&team={own.team_id}").json_body] == [
        made["id"]
    ]
    for bad in (
        {"end": f"{DAY}T07:00:00"},
        {"channels": []},
        {"channels": ["fax"]},
        {"user_id": 999999},
        {"user_id": "fatima"},
        {"start": "0001-01-01T00:00:00"},
        {"start": "2100-01-01T08:00:00", "end": "2100-01-01T09:00:00"},
        {"start": f"{DAY}T11:00:00", "end": f"{DAY}T14:00:00"},  # overlaps her shift
    ):
        assert api.post("/api/planning/shifts", {**shift, **bad}).status_code in (409, 422), bad
    assert Shift.objects.count() == 2
    assert api.delete(f"/api/planning/shifts/{made['id']}").status_code == 204
    assert api.patch("/api/planning/shifts/99999999", {"note": "x"}).status_code == 404


def test_interval_history_comes_in_as_json_or_csv(lead: User) -> None:
    api = client_for(lead)
    rows = [
        {
            "channel": "phone",
            "start": "2026-11-16T09:00:00",
            "minutes": 30,
            "offered": 40,
            "handled": 38,
            "aht_seconds": 270,
        },
        {"channel": "chat", "start": "2026-11-16T09:15:00", "offered": 10},
    ]
    answer = api.post("/api/planning/history", {"rows": rows})
    assert answer.status_code == 200 and answer.json_body == {"quarters": 3}
    days = api.get("/api/planning/history?from=2026-11-16&channel=phone").json_body
    assert days == [
        {
            "day": "2026-11-16",
            "channel": "phone",
            "source": "import",
            "offered": 40.0,
            "handled": 38.0,
            "aht_seconds": 270.0,
        }
    ]
    for bad in (
        {"start": "2026-11-16T09:05:00"},
        {"minutes": 45},
        {"offered": -1},
        {"channel": "fax"},
        {"start": "1999-01-01T09:00:00"},
    ):
        assert (
            api.post("/api/planning/history", {"rows": [rows[0], {**rows[1], **bad}]}).status_code == 422
        ), bad
    assert api.post("/api/planning/history", {"rows": []}).status_code == 422
    assert VolumeInterval.objects.count() == 3
    client = Client(HTTP_AUTHORIZATION=api.headers["HTTP_AUTHORIZATION"])
    csv = "kanaal;start;aangeboden;aht\ntelefoon;2026-11-17 09:00;12;300\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    sent = client.post("/api/planning/history/csv", {"file": SimpleUploadedFile("acd.csv", csv.encode())})
    assert sent.status_code == 200 and sent.json() == {"quarters": 2}  # 30 minutes by default
    broken = client.post(
        "/api/planning/history/csv",
        {"file": SimpleUploadedFile("acd.csv", b"kanaal;start\ntelefoon;morgen\n")},
    )
    assert broken.status_code == 422
    for minutes in ("inf", "nan", "1e400"):  # words float() reads, but no length of an interval
        text = f"kanaal;start;minuten;aangeboden\ntelefoon;2026-11-18 09:00;{minutes};12\n"
        upload = {"file": SimpleUploadedFile("acd.csv", text.encode())}
        sent = client.post("/api/planning/history/csv", upload)
        assert sent.status_code == 422 and "minutes" in sent.content.decode(), minutes
    assert VolumeInterval.objects.count() == 5


def test_shifts_come_in_as_csv(lead: User, make_user: Callable[..., User]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    make_user("fatima", "agent")
    client = Client(HTTP_AUTHORIZATION=client_for(lead).headers["HTTP_AUTHORIZATION"])
    text = (
        "medewerker,kanalen,start,einde,toelichting\n"
        "fatima,telefoon|chat,2026-11-23 08:00,2026-11-23 12:00,ochtend\n"
    )
    sent = client.post("/api/planning/shifts/csv", {"file": SimpleUploadedFile("rooster.csv", text.encode())})
    assert sent.status_code == 201 and sent.json()[0]["channels"] == ["phone", "chat"]
    again = client.post(
        "/api/planning/shifts/csv", {"file": SimpleUploadedFile("rooster.csv", text.encode())}
    )
    assert again.status_code == 409 and "regel 2" in again.json()["detail"][0]["msg"]
    assert Shift.objects.count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "plan?day=1999-12-31",
        "plan?day=2100-01-01",
        "plan?day=vandaag",
        "plan?channel=fax",
        "gaps?from=2026-11-23&to=2026-11-01",
        "gaps?from=2026-01-01&to=2026-12-31",
        "shifts?team=abc",
        "history?from=2000-01-01&to=2099-12-31",
    ],
)
def test_bad_queries_are_4xx(lead: User, path: str) -> None:
    assert client_for(lead).get(f"/api/planning/{path}").status_code in (400, 422), path
