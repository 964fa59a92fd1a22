"""The CX pages with the demo organisation loaded: a manager sees the emotion trend and NPS side by side."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from gezien.demo.loader import load_demo
from gezien.insights.models import ContactFact


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        load_demo(password="demo-wachtwoord")
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["manager", "teamlead"])
def test_the_demo_insights_pages_render(demo: None, login: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=login))
    home = client.get("/insights/?from=2025-11-24&to=2026-11-23")
    assert home.status_code == 200
    page = client.get("/insights/?from=2025-11-24&to=2026-11-23".replace("/insights/", "/insights/cx/"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "NPS per periode" in html and "Emotie van de klant per periode" in html
    assert client.get("/insights/cx/?dim=reason&granularity=week").status_code == 200
    # The demo's customers wrote analysed words: some contacts carry an emotion measurement.
    assert ContactFact.objects.filter(emotion_end__isnull=False).exists()
