"""Bad input on the insights pages and API gets a clear 4xx, never a 500: dates near year 1 or 9999,
unknown departments, digits that are not ASCII digits on the public survey page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gezien.contacts.handling import contact_set_status
from gezien.contacts.services import contact_open
from gezien.insights.surveys.links import survey_token
from gezien.insights.surveys.models import SurveyInvitation, SurveyResponse

pytestmark = pytest.mark.django_db

EXTREMES = ("from=0001-01-01&to=0001-01-10", "from=9999-12-01&to=9999-12-31&granularity=week")


@pytest.fixture
def manager_client(make_user: Any) -> Client:
    client = Client()
    client.force_login(make_user("mia", "manager"))
    return client


@pytest.mark.parametrize("query", EXTREMES)
@pytest.mark.parametrize(
    "page", ["/insights/", "/insights/cx/", "/insights/board/", "/insights/sla/", "/insights/resolution/"]
)
def test_pages_refuse_dates_out_of_range_with_422(manager_client: Client, page: str, query: str) -> None:
    answer = manager_client.get(f"{page}?{query}")
    assert answer.status_code == 422
    assert "2000-01-01" in answer.content.decode()


@pytest.mark.parametrize("query", EXTREMES)
@pytest.mark.parametrize("path", ["/api/insights/summary", "/api/insights/cx", "/api/insights/board"])
def test_the_api_refuses_dates_out_of_range_with_422(api_as: Any, path: str, query: str) -> None:
    answer = api_as("manager").get(f"{path}?{query}")
    assert answer.status_code == 422


def test_the_department_page_knows_no_such_week_or_department(manager_client: Client) -> None:
    from gezien.accounts.models import Department

    Department.objects.create(code="logistiek", name="Logistiek")
    assert manager_client.get("/insights/department/?week=0001-01-03").status_code == 422
    assert manager_client.get("/insights/department/?week=9999-12-31").status_code == 422
    assert manager_client.get("/insights/department/?department=999999").status_code == 404


def test_the_survey_page_takes_ascii_digits_only(
    customer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        contact = contact_open(
            channel="email", identities=[("email", "a.jansen@ziggo.nl")], text="Mijn factuur klopt niet."
        ).contact
    with django_capture_on_commit_callbacks(execute=True):
        contact_set_status(contact=contact, status="closed")
    invitation = SurveyInvitation.objects.get(contact=contact)
    page = f"/s/{survey_token(invitation)}/"
    client = Client()
    for odd in ("²", "١٠", "7.5", "-1", "11"):
        assert client.post(page, {"score": odd}).status_code == 422, odd
    assert not SurveyResponse.objects.exists()
    assert client.post(page, {"score": "9"}).status_code in (200, 302)
    assert SurveyResponse.objects.get().score == 9
