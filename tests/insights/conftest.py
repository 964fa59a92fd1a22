"""Fixtures for the insights tests: a department with its reasons, a week of contacts about them, and a
problem they caused (used by the department view and digest tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from gezien.accounts.models import Department, User
from gezien.contacts.handling import contact_set_reason
from gezien.contacts.models import Contact, ContactReason
from gezien.contacts.services import contact_open
from gezien.insights.rollups import insights_catch_up
from gezien.insights.rootcause.models import Problem, ProblemContact, ProblemStatus

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def _analyse_inline(settings: Any) -> None:
    """Insights read the signals of what customers wrote: analyse right after the commit on every
    database (with DATABASE_URL the default is a worker task)."""
    settings.GEZIEN_ANALYSIS_INLINE = True


@pytest.fixture(autouse=True)
def _default_sla_policies(request: pytest.FixtureRequest) -> None:
    """The starting SLA policies come from a data migration; a test elsewhere that flushes the database
    (the demo tests) removes them, so they are put back for every test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not {"db", "transactional_db"} & names:
        return
    transactional = "transactional_db" in names or (marker is not None and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    import importlib

    from django.apps import apps

    importlib.import_module("gezien.insights.sla.migrations.0002_default_policies").create(apps, None)


WEEK = date(2026, 11, 16)  # a Monday


@dataclass
class DepartmentWeek:
    department: Department
    owner: User
    late: ContactReason
    problem: Problem
    contacts: list[Contact]


@pytest.fixture
def department_week(
    make_user: Callable[..., User], django_capture_on_commit_callbacks: Any, customer: Any
) -> DepartmentWeek:
    owner = make_user("lisa", "department", first_name="Lisa", last_name="Logistiek")
    owner.email = "lisa@logistiek.example"
    owner.save(update_fields=["email"])
    logistics = Department.objects.create(
        code="logistiek", name="Logistiek", digest_email="team@logistiek.example"
    )
    logistics.owners.add(owner)
    parent = ContactReason.objects.create(code="levering", name="Levering", department=logistics)
    late = ContactReason.objects.create(code="levering_vertraagd", name="Levering vertraagd", parent=parent)
    other = ContactReason.objects.create(code="factuur", name="Factuur")
    contacts = []
    moments = [datetime(2026, 11, 17, 10, tzinfo=AMS), datetime(2026, 11, 18, 11, tzinfo=AMS)]
    moments += [datetime(2026, 11, 19, 9, tzinfo=AMS), datetime(2026, 11, 11, 9, tzinfo=AMS)]
    with django_capture_on_commit_callbacks(execute=True):
        for i, at in enumerate(moments):
            contact = contact_open(
                channel="chat", identities=[("phone", "06-12345678")], text=f"Waar blijft pakket {i}?", at=at
            ).contact
            contact_set_reason(contact=contact, reason=late)
            contacts.append(contact)
        bill = contact_open(channel="chat", text="Mijn factuur klopt niet.", at=moments[0]).contact
        contact_set_reason(contact=bill, reason=other)
    problem = Problem.objects.create(
        title="Vertraging <magazijn> & Tilburg",
        department=logistics,
        status=ProblemStatus.NEW,
        created_at=moments[0],
    )
    for contact in contacts[:3]:
        ProblemContact.objects.create(problem=problem, contact=contact, at=moments[2])
    insights_catch_up()
    return DepartmentWeek(logistics, owner, late, problem, contacts)


@pytest.fixture
def week() -> date:
    return WEEK + timedelta(days=0)
