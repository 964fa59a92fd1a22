"""The department owners' view: who sees which department, the week's figures, problems awaiting an
answer, CSV and the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gezien.accounts.models import Department, User
from gezien.accounts.tokens import token_create
from gezien.insights.retention.department import department_overview
from gezien.insights.rootcause.models import ProblemUpdate
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_the_overview_counts_the_departments_reasons_only(department_week: Any, week: Any) -> None:
    overview = department_overview(department_week.department, week)
    assert [(r.name, r.contacts, r.previous) for r in overview.reasons] == [
        ("Levering vertraagd", 3, [1, 0, 0, 0])
    ]
    assert overview.total["contacts"] == 3
    assert overview.previous_contacts == [1, 0, 0, 0]
    (problem,) = overview.problems
    assert problem.awaits_answer and problem.impact["contacts"] == 3
    ProblemUpdate.objects.create(
        problem=department_week.problem, text="We huren extra mensen in.", at=problem.created_at
    )
    assert not department_overview(department_week.department, week).awaiting


def test_an_owner_sees_their_department_and_can_answer_from_it(
    client: Client, department_week: Any, week: Any
) -> None:
    client.force_login(department_week.owner)
    page = client.get(f"/insights/department/?week={week.isoformat()}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Wat de klantenservice voor Logistiek opving" in html
    assert "Levering vertraagd" in html and "Factuur" not in html
    assert "Vertraging &lt;magazijn&gt; &amp; Tilburg" in html
    assert f"/insights/problems/{department_week.problem.pk}/" in html
    csv = client.get(f"/insights/department/?week={week.isoformat()}&format=csv").content.decode("utf-8-sig")
    assert csv.splitlines()[1].startswith("Levering vertraagd,3,0.25")
    problems = client.get(f"/insights/department/?week={week}&format=csv&table=problems").content.decode(
        "utf-8-sig"
    )
    assert "Vertraging <magazijn> & Tilburg" in problems


def test_others_are_refused(
    client: Client, department_week: Any, make_user: Callable[..., User], week: Any
) -> None:
    other = Department.objects.create(code="facturatie", name="Facturatie")
    client.force_login(department_week.owner)
    assert client.get(f"/insights/department/?department={other.pk}").status_code == 403
    assert client.get("/insights/department/?week=gisteren").status_code == 422
    client.force_login(make_user("leider", "teamlead"))
    assert client.get("/insights/department/").status_code == 403
    client.force_login(make_user("baas", "manager"))
    page = client.get(f"/insights/department/?department={other.pk}&week={week}")
    assert page.status_code == 200 and "Facturatie" in page.content.decode()


def test_the_api_gives_the_week(department_week: Any, api_as: Callable[[str], ApiClient], week: Any) -> None:
    owner = ApiClient(token_create(user=department_week.owner)[1])
    response = owner.get(f"/api/insights/departments/{department_week.department.pk}?week={week}")
    assert response.status_code == 200
    body = response.json_body
    assert body["week_start"] == "2026-11-16" and body["contacts"] == 3
    assert body["reasons"][0]["name"] == "Levering vertraagd" and body["reasons"][0]["previous"] == [
        1,
        0,
        0,
        0,
    ]
    assert body["problems"][0]["awaits_answer"] is True
    assert body["problems"][0]["url"] == f"/insights/problems/{department_week.problem.pk}/"
    assert (
        api_as("agent").get(f"/api/insights/departments/{department_week.department.pk}").status_code == 403
    )
    assert api_as("manager").get("/api/insights/departments/99999").status_code == 404
    assert (
        owner.get(f"/api/insights/departments/{department_week.department.pk}?week=2026-02-31").status_code
        == 422
    )
