"""Facts and rollups: every change to a contact reaches the figures, and a period sums its days."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gezien.accounts.models import Department, Team, User
from gezien.contacts.handling import contact_set_reason, contact_set_status
from gezien.contacts.models import ContactReason
from gezien.contacts.services import contact_open
from gezien.insights.facts import facts_rebuild_all
from gezien.insights.figures import figures, pearson
from gezien.insights.models import ContactFact, DailyRollup, StaleFact
from gezien.insights.rollups import insights_catch_up, period_totals, rollups_rebuild_all

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")


def _open(text: str, at: datetime, channel: str = "chat") -> object:
    return contact_open(channel=channel, identities=[], text=text, at=at).contact


def test_a_new_contact_reaches_the_rollups_on_catch_up(django_capture_on_commit_callbacks):
    at = datetime(2026, 11, 2, 10, 0, tzinfo=AMS)
    with django_capture_on_commit_callbacks(execute=True):
        contact = _open("Mijn pakket is nog steeds niet bezorgd.", at)
    assert StaleFact.objects.filter(contact_id=contact.pk).exists()
    insights_catch_up()
    assert not StaleFact.objects.exists()
    fact = ContactFact.objects.get(pk=contact.pk)
    assert fact.day == at.date() and fact.channel == "chat"
    totals = period_totals(at.date(), at.date())
    assert totals[""]["contacts"] == 1
    per_channel = period_totals(at.date(), at.date(), "channel")
    assert per_channel["chat"]["contacts"] == 1


def test_the_department_follows_the_reason_and_its_parent(django_capture_on_commit_callbacks):
    logistics = Department.objects.create(code="logistiek", name="Logistiek")
    parent = ContactReason.objects.create(code="levering", name="Levering", department=logistics)
    child = ContactReason.objects.create(code="levering_vertraagd", name="Vertraagd", parent=parent)
    at = datetime(2026, 11, 3, 9, 0, tzinfo=AMS)
    with django_capture_on_commit_callbacks(execute=True):
        contact = _open("Waar blijft mijn bestelling?", at)
        contact_set_reason(contact=contact, reason=child)
    insights_catch_up()
    assert ContactFact.objects.get(pk=contact.pk).department_id == logistics.pk
    totals = period_totals(at.date(), at.date(), "department")
    assert totals[str(logistics.pk)]["contacts"] == 1


def test_a_day_is_rebuilt_when_its_contact_closes(django_capture_on_commit_callbacks):
    at = timezone.now() - timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        contact = _open("Hoe zet ik mijn voicemail uit?", at)
    insights_catch_up()
    day = timezone.localtime(at).date()
    assert period_totals(day, day)[""]["closed"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        contact_set_status(contact=contact, status="closed")
    insights_catch_up()
    assert period_totals(day, day)[""]["closed"] == 1


def test_rebuilding_everything_gives_the_same_rollups(django_capture_on_commit_callbacks):
    team = Team.objects.create(name="Team Noord")
    base = datetime(2026, 10, 5, 11, 0, tzinfo=AMS)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(6):
            c = _open(
                f"Vraag {i} over mijn factuur.", base + timedelta(days=i % 3), "email" if i % 2 else "phone"
            )
            c.team = team
            c.save(update_fields=["team"])
    facts_rebuild_all()
    insights_catch_up()
    before = sorted(DailyRollup.objects.values_list("day", "dim", "key", "contacts"))
    rollups_rebuild_all()
    after = sorted(DailyRollup.objects.values_list("day", "dim", "key", "contacts"))
    assert before == after
    start, end = base.date(), base.date() + timedelta(days=2)
    assert period_totals(start, end)[""]["contacts"] == 6
    assert period_totals(start, end, "team")[str(team.pk)]["contacts"] == 6
    assert period_totals(start, end, "team_channel")[f"{team.pk}:email"]["contacts"] == 3


def test_figures_without_data_are_none_not_zero():
    out = figures({"contacts": 0})
    assert out["nps"] is None and out["honest_fcr"] is None and out["emotion_gain"] is None


def test_pearson_from_sums_matches_the_definition():
    xs, ys = [0.1, 0.5, 0.9, 0.3], [9, 6, 2, 8]
    n = len(xs)
    r = pearson(
        n,
        sum(xs),
        sum(ys),
        sum(x * x for x in xs),
        sum(y * y for y in ys),
        sum(x * y for x, y in zip(xs, ys, strict=True)),
    )
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sx = sum((x - mx) ** 2 for x in xs) ** 0.5
    sy = sum((y - my) ** 2 for y in ys) ** 0.5
    assert r == pytest.approx(cov / (sx * sy))
    assert pearson(2, 1, 1, 1, 1, 1) is None


def test_a_team_lead_sees_per_agent_only_their_teams_contacts(django_capture_on_commit_callbacks, make_user):
    from gezien.insights.scope import Scope, scoped_totals

    south, north = Team.objects.create(name="Team Zuid"), Team.objects.create(name="Team Noordoost")
    piet = make_user("piet")
    at = datetime(2026, 11, 4, 10, 0, tzinfo=AMS)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            c = _open(f"Vraag {i}", at)
            c.team, c.assigned_agent = south, piet
            c.save(update_fields=["team", "assigned_agent"])
    User.objects.filter(pk=piet.pk).update(team=north)  # Piet moves to another team
    facts_rebuild_all()
    insights_catch_up()
    day = at.date()
    assert scoped_totals(Scope(team_id=north.pk), day, day, "agent") == {}
    assert scoped_totals(Scope(team_id=south.pk), day, day, "agent")[str(piet.pk)]["contacts"] == 3


def test_a_contact_marked_again_while_its_fact_is_rebuilt_stays_stale(django_capture_on_commit_callbacks):
    from gezien.insights import facts

    at = datetime(2026, 11, 5, 10, 0, tzinfo=AMS)
    with django_capture_on_commit_callbacks(execute=True):
        contact = _open("Mijn pakket is zoek.", at)
    real = facts.facts_refresh

    changed: list[int] = []

    def refresh_while_it_changes(ids, **kwargs):
        written = real(ids, **kwargs)
        if not changed:  # the change lands once, while the first rebuild runs
            changed.append(contact.pk)
            type(contact).objects.filter(pk=contact.pk).update(channel="phone")
            facts.facts_mark_stale([contact.pk])
        return written

    facts.facts_refresh = refresh_while_it_changes
    try:
        facts.stale_facts_refresh(limit=1)
        assert StaleFact.objects.filter(contact_id=contact.pk).exists()  # the newer mark survived
        facts.stale_facts_refresh()
    finally:
        facts.facts_refresh = real
    assert ContactFact.objects.get(pk=contact.pk).channel == "phone"
    assert not StaleFact.objects.exists()


def test_moving_a_reason_to_another_department_moves_its_figures(django_capture_on_commit_callbacks):
    from gezien.insights.rootcause.services import reason_update

    logistics = Department.objects.create(code="logistiek", name="Logistiek")
    billing = Department.objects.create(code="facturatie", name="Facturatie")
    reason = ContactReason.objects.create(code="levering", name="Levering", department=logistics)
    at = datetime(2026, 11, 6, 10, 0, tzinfo=AMS)
    with django_capture_on_commit_callbacks(execute=True):
        contact = _open("Waar blijft mijn pakket?", at)
        contact_set_reason(contact=contact, reason=reason)
    insights_catch_up()
    with django_capture_on_commit_callbacks(execute=True):
        reason_update(reason=reason, department=billing)
    insights_catch_up()
    per_department = period_totals(at.date(), at.date(), "department")
    assert str(logistics.pk) not in per_department
    assert per_department[str(billing.pk)]["contacts"] == 1
