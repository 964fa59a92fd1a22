"""The desk's survey answers page (/insights/surveys/): scoped, with a CSV export; and one answer per
link when two arrive at the same moment (real threads, real commits)."""

from __future__ import annotations

import threading
import time
from csv import DictReader
from io import StringIO
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client

from gezien.accounts.services import team_ensure
from gezien.contacts.handling import contact_set_status
from gezien.contacts.services import contact_open
from gezien.core.errors import DomainError
from gezien.customers.models import Customer
from gezien.insights.surveys.links import survey_token
from gezien.insights.surveys.models import SurveyInvitation, SurveyResponse
from gezien.insights.surveys.services import survey_answer

EMAIL = ("email", "a.jansen@ziggo.nl")


def _answered(customer: Customer, capture: Any, team: Any, score: int, comment: str) -> int:
    with capture(execute=True):
        contact = contact_open(
            channel="chat", identities=[EMAIL], text="Vraag over de factuur.", team=team
        ).contact
    with capture(execute=True):
        contact_set_status(contact=contact, status="closed")
    invitation = SurveyInvitation.objects.get(contact=contact)
    survey_answer(token=survey_token(invitation), score=score, comment=comment)
    # past the quiet period, so the next contact is asked too
    SurveyInvitation.objects.update(created_at=invitation.created_at.replace(year=2025))
    return contact.pk


@pytest.mark.django_db
def test_team_leads_see_their_own_teams_answers_and_export_them(
    customer: Customer, django_capture_on_commit_callbacks: Any, make_user: Any, team: Any, client: Client
) -> None:
    south = team_ensure(name="Team Zuid")
    ours = _answered(customer, django_capture_on_commit_callbacks, team, 9, "Heel vriendelijk, dank u wel!")
    theirs = _answered(customer, django_capture_on_commit_callbacks, south, 1, '=HYPERLINK("x") slecht')
    client.force_login(make_user("lotte", "teamlead"))
    page = client.get("/insights/surveys/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f"/desk/contacts/{ours}/" in html and f"/desk/contacts/{theirs}/" not in html
    assert f"#{ours}" not in html  # the contact is named by its channel and subject, not its number
    assert "Heel vriendelijk" in html and "NPS 100" in html
    csv = client.get("/insights/surveys/export.csv").content.decode("utf-8-sig")
    contact_ids = [row["contact_id"] for row in DictReader(StringIO(csv))]
    assert contact_ids == [str(ours)]  # not their team's answer (by its id column: a score may match it)
    client.force_login(make_user("mira", "manager"))
    everything = client.get("/insights/surveys/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in everything  # formula-safe
    assert client.get("/insights/surveys/?from=2026-02-31").status_code == 422
    client.force_login(make_user("sanne2", "agent"))
    assert client.get("/insights/surveys/").status_code == 403


@pytest.mark.django_db
def test_the_contact_page_marks_the_feelings_in_a_survey_comment_and_escapes_the_rest(
    customer: Customer, django_capture_on_commit_callbacks: Any, make_user: Any, team: Any, client: Client
) -> None:
    contact_id = _answered(
        customer, django_capture_on_commit_callbacks, team, 2, "Ik ben echt boos <script>x</script>"
    )
    client.force_login(make_user("lotte", "teamlead"))
    html = client.get(f"/desk/contacts/{contact_id}/").content.decode()
    block = html.split('data-testid="survey-comment">', 1)[1].split("</blockquote>", 1)[0]
    assert '<mark class="ev ev-neg"' in block and ">boos</mark>" in block
    assert "&lt;script&gt;" in block and "<script>" not in block


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_one_wins(customer: Customer, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        contact = contact_open(channel="chat", identities=[EMAIL], text="Hallo").contact
        contact_set_status(contact=contact, status="closed")
    token = survey_token(SurveyInvitation.objects.get(contact=contact))
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def answer(score: int) -> None:
        try:
            start.wait()
            for _attempt in range(500):
                try:
                    survey_answer(token=token, score=score)
                    outcomes.append("stored")
                    return
                except OperationalError as exc:  # SQLite's in-memory test database: "table is locked"
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
        except DomainError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(n,)) for n in (3, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["AlreadyAnswered", "stored"]
    assert SurveyResponse.objects.count() == 1
