"""/api/insights/...: scoped figures, Pearson r from known data, CSV with ?format=csv."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest

from gezien.accounts.models import Department
from gezien.accounts.tokens import token_create
from gezien.contacts.models import ContactReason
from tests.conftest import ApiClient
from tests.insights.cx_data import seed

pytestmark = pytest.mark.django_db

PERIOD = "from=2026-11-01&to=2026-11-20"
PAIRS = [(0.1, 10), (0.2, 9), (0.4, 7), (0.5, 8), (0.7, 3), (0.9, 1)]


def _r(pairs):
    n = len(pairs)
    mx = sum(x for x, _ in pairs) / n
    my = sum(y for _, y in pairs) / n
    cov = sum((x - mx) * (y - my) for x, y in pairs)
    return cov / math.sqrt(sum((x - mx) ** 2 for x, _ in pairs) * sum((y - my) ** 2 for _, y in pairs))


@pytest.fixture
def known(team):
    delivery = ContactReason.objects.create(code="levering", name="Levering")
    rows = [
        {
            "team": team,
            "reason": delivery,
            "emotion_start": 0.8,
            "emotion_end": x,
            "nps": y,
            "day": date(2026, 11, 3 + i),
        }
        for i, (x, y) in enumerate(PAIRS)
    ]
    rows.append({"team": team, "reason": delivery, "emotion_start": 0.6, "emotion_end": 0.3})  # no answer
    seed(rows)
    return delivery


def test_pearson_r_between_emotion_at_the_end_and_nps(known, api_as):
    body = api_as("manager").get(f"/api/insights/cx/relation?{PERIOD}").json_body
    assert body["emotion_nps_r"] == pytest.approx(_r(PAIRS), abs=1e-6)
    assert body["nps_pairs"] == 6
    assert body["nps_reading"].startswith("Sterk verband (r = -0.96") and "n = 6" in body["nps_reading"]
    assert "lager" in body["nps_reading"]  # more distress at the end, lower scores
    (reason,) = body["reasons"]
    assert reason["label"] == "Levering" and reason["contacts"] == 7
    assert reason["response_rate"] == pytest.approx(6 / 7) and reason["emotion_coverage"] == 1.0


def test_summary_and_trend(known, api_as):
    client = api_as("manager")
    summary = client.get(f"/api/insights/summary?{PERIOD}").json_body
    assert summary["figures"]["contacts"] == 7
    gains = [0.8 - x for x, _ in PAIRS] + [0.6 - 0.3]
    assert summary["figures"]["emotion_gain"] == pytest.approx(sum(gains) / 7)
    assert summary["figures"]["nps"] == pytest.approx(100 * (2 - 2) / 6)  # 10, 9 promote; 3, 1 detract
    cx = client.get(f"/api/insights/cx?{PERIOD}&granularity=week&dim=reason").json_body
    assert cx["granularity"] == "week" and cx["groups"][0]["label"] == "Levering"
    assert all(b["bucket"] <= "2026-11-20" for b in cx["groups"][0]["series"])
    assert sum(b["figures"]["contacts"] for b in cx["groups"][0]["series"]) == 7


def test_csv_with_format_csv(known, api_as):
    answer = api_as("manager").get(f"/api/insights/cx?{PERIOD}&format=csv")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert "Emotiewinst" in answer.content.decode("utf-8-sig")


def test_scoping_and_bad_input(known, api_as, make_user):
    assert api_as("agent").get("/api/insights/summary").status_code == 403
    owner = make_user("olaf", "department", team=None)
    Department.objects.create(code="logistiek", name="Logistiek").owners.add(owner)
    as_owner = ApiClient(token_create(user=owner)[1])
    assert as_owner.get(f"/api/insights/cx?{PERIOD}&dim=agent").status_code == 403
    assert as_owner.get(f"/api/insights/cx?{PERIOD}&dim=reason").status_code == 200
    manager = api_as("manager")
    assert manager.get("/api/insights/cx?dim=planet").status_code == 422
    bad = manager.get("/api/insights/summary?from=2026-02-30")
    assert bad.status_code == 422 and bad.json_body["detail"][0]["msg"].startswith("Geen geldige datum")


@pytest.fixture(autouse=True)
def _analyse_inline(settings: Any) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = True  # insights read signals; with DATABASE_URL the default is a task
