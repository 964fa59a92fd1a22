"""A token's expiry is judged by the desk's clock on every call, not only the first: the remembered grant
of a token made under the desk's clock compared its expiry with the machine's, so its second call was
refused (found by the demo loaded on Tweede Kerstdag a year back, issue 20)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from gezien.accounts.tokens import token_create
from tests.conftest import ApiClient, clock_from


@pytest.mark.django_db
def test_a_token_valid_by_the_desks_clock_stays_valid_on_its_next_calls(
    make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock_from(monkeypatch, datetime(2025, 12, 26, 11, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))
    record, token = token_create(user=make_user("m", "manager"), name="rapport")
    assert record.expires_at is not None and record.expires_at < datetime.now(ZoneInfo("UTC"))
    api = ApiClient(token)
    for _ in range(3):
        assert api.get("/api/insights/summary").status_code == 200


@pytest.mark.django_db
def test_a_token_past_its_expiry_by_the_desks_clock_is_refused_though_remembered(
    make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _record, token = token_create(user=make_user("m", "manager"), name="rapport", days=1)
    api = ApiClient(token)
    assert api.get("/api/insights/summary").status_code == 200
    clock_from(monkeypatch, datetime.now(ZoneInfo("UTC")) + timedelta(days=2))
    assert api.get("/api/insights/summary").status_code == 401
