"""The Oefenruimte in the desk: choose a scenario, talk (htmx and plain posts), feedback, finish, the team's
progress and assignments, a team lead's own scenario; roles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from gezien.accounts.models import User
from gezien.practice.models import Assignment, PracticeSession, Scenario

pytestmark = pytest.mark.django_db


def _start(desk: Client, scenario: str = "weduwe") -> PracticeSession:
    answer = desk.post("/desk/practice/start/", {"scenario": scenario})
    session = PracticeSession.objects.latest("pk")
    assert answer.status_code == 302 and answer["Location"] == f"/desk/practice/sessions/{session.pk}/"
    return session


def test_practise_in_the_desk(desk: Client) -> None:
    home = desk.get("/desk/practice/")
    assert home.status_code == 200
    text = home.content.decode()
    assert "Oefenruimte" in text and 'data-testid="scenario-weduwe"' in text
    assert 'data-testid="practice-link"' in text  # in the menu

    session = _start(desk)
    page = desk.get(f"/desk/practice/sessions/{session.pk}/").content.decode()
    assert "mijn man is twee weken geleden overleden" in page and "Condoleer eerst" in page

    part = desk.post(
        f"/desk/practice/sessions/{session.pk}/turn/",
        {"text": "Wat is uw postcode en huisnummer?"},
        HTTP_HX_REQUEST="true",
    )
    assert part.status_code == 200
    chat = part.content.decode()
    assert "<html" not in chat and 'id="practice-chat"' in chat
    assert "Mijn postcode? Ik vertel u net dat mijn man is overleden." in chat
    assert "medeleven" in chat and "boos" in chat  # feedback and the mood

    # Without script the form posts and the page comes back.
    plain = desk.post(f"/desk/practice/sessions/{session.pk}/turn/", {"text": "<b>Gecondoleerd</b>"})
    assert plain.status_code == 302
    page = desk.get(f"/desk/practice/sessions/{session.pk}/").content.decode()
    assert "&lt;b&gt;Gecondoleerd&lt;/b&gt;" in page and "<b>Gecondoleerd" not in page

    empty = desk.post(f"/desk/practice/sessions/{session.pk}/turn/", {"text": "  "}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 422 and "Typ eerst" in empty.content.decode()

    assert desk.post(f"/desk/practice/sessions/{session.pk}/finish/").status_code == 302
    read = desk.get(f"/desk/practice/sessions/{session.pk}/").content.decode()
    assert 'data-testid="practice-read"' in read and "Eerst luisteren, dan oplossen" in read
    assert "Wat is uw postcode en huisnummer?" in read  # a moment quoted
    assert 'data-testid="practice-form"' not in read
    refused = desk.post(f"/desk/practice/sessions/{session.pk}/turn/", {"text": "hallo"}, follow=True)
    assert "Dit gesprek is afgelopen" in refused.content.decode()


def test_unknown_scenario_and_other_peoples_sessions(desk: Client, make_user: Callable[..., User]) -> None:
    answer = desk.post("/desk/practice/start/", {"scenario": "bestaat-niet"}, follow=True)
    assert "Onbekend oefenscenario" in answer.content.decode()
    session = _start(desk)
    other = Client()
    other.force_login(make_user("piet", "agent"))
    assert other.get(f"/desk/practice/sessions/{session.pk}/").status_code == 404
    assert other.post(f"/desk/practice/sessions/{session.pk}/turn/", {"text": "hoi"}).status_code == 404
    assert other.get("/desk/practice/team/").status_code == 403
    nobody = Client()
    nobody.force_login(make_user("dep", "department"))
    assert nobody.get("/desk/practice/").status_code == 403


def test_team_lead_assigns_and_follows_progress(
    desk: Client, agent: User, make_user: Callable[..., User]
) -> None:
    lead = Client()
    lead.force_login(make_user("lotte", "teamlead"))
    page = lead.get("/desk/practice/team/")
    assert page.status_code == 200 and "Sanne de Vries" in page.content.decode()
    assert (
        lead.post(
            "/desk/practice/assign/", {"agent": agent.pk, "scenario": "grof", "note": "Oefen dit"}
        ).status_code
        == 302
    )
    assert Assignment.objects.get().scenario == "grof"
    assert "De grove beller" in desk.get("/desk/practice/").content.decode()  # the agent sees it

    session = _start(desk, "grof")
    desk.post(
        f"/desk/practice/sessions/{session.pk}/turn/", {"text": "Ik begrijp dat je schrok van die rekening."}
    )
    desk.post(f"/desk/practice/sessions/{session.pk}/finish/")
    progress = lead.get("/desk/practice/team/").content.decode()
    assert "1 poging" in progress
    assert lead.get(f"/desk/practice/sessions/{session.pk}/").status_code == 200  # the team's attempts

    bad = lead.post("/desk/practice/assign/", {"agent": 987654, "scenario": "grof"})
    assert bad.status_code == 422


def test_team_lead_writes_a_scenario(make_user: Callable[..., User], desk: Client) -> None:
    lead = Client()
    lead.force_login(make_user("lotte", "teamlead"))
    assert lead.get("/desk/practice/scenarios/new/").status_code == 200
    form = {
        "slug": "verhuizing",
        "title": "De verhuizing",
        "situation": "Twee weken geen internet na een verhuizing.",
        "opening": "Ik zit al twee weken zonder internet!",
        "register": "formal",
        "start_tension": 65,
        "calm_words": "twee weken, zonder internet",
        "reply_acknowledged": "Ja, precies!\nEindelijk iemand die luistert.",
    }
    assert lead.post("/desk/practice/scenarios/new/", form).status_code == 302
    assert Scenario.objects.get().replies == {
        "acknowledged": ["Ja, precies!", "Eindelijk iemand die luistert."]
    }
    again = lead.post("/desk/practice/scenarios/new/", {**form, "slug": "weduwe"})
    assert again.status_code == 422 and "ingebouwd" in again.content.decode()
    assert desk.get("/desk/practice/scenarios/new/").status_code == 403
    assert 'data-testid="scenario-verhuizing"' in desk.get("/desk/practice/").content.decode()
