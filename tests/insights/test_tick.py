"""The insights tick: every periodic job runs, a failing one stops none of the others, and the
figures catch up afterwards."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from gezien.contacts.services import contact_open
from gezien.core import tick
from gezien.insights.models import ContactFact, StaleFact

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs() -> object:
    saved = dict(tick._jobs)
    yield tick._jobs
    tick._jobs.clear()
    tick._jobs.update(saved)


def test_a_failing_job_does_not_stop_the_others_and_figures_catch_up(
    jobs, django_capture_on_commit_callbacks
):
    seen: list[datetime] = []

    @tick.periodic("broken")
    def broken(now: datetime) -> None:
        raise RuntimeError("kapot")

    @tick.periodic("counting")
    def counting(now: datetime) -> int:
        seen.append(now)
        return 7

    with django_capture_on_commit_callbacks(execute=True):
        contact = contact_open(channel="chat", text="Waar blijft mijn pakket?").contact
    now = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    results = tick.tick(now)
    assert isinstance(results["broken"], RuntimeError)
    assert results["counting"] == 7 and seen == [now]
    assert "catch_up" in results
    assert ContactFact.objects.filter(pk=contact.pk).exists() and not StaleFact.objects.exists()


def test_every_area_has_its_periodic_job():
    assert {"resolution", "sla_breaches", "rootcause_spikes", "retention_risks", "retention_digests"} <= set(
        tick._jobs
    )
