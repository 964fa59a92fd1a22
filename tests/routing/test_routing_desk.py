"""Routing in the desk: team leads set skills and experience, the queue shows the flag with its why, the
contact view's partial says why a contact went where it went, and being at the desk is noticed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from gezien.accounts.models import User
from gezien.accounts.services import team_ensure
from gezien.contacts.models import Contact
from gezien.routing.models import RoutingProfile, Skill
from gezien.routing.selectors import routing_for_contact
from gezien.routing.services import seen_in_desk
from tests.routing.conftest import BEREAVEMENT

Maker = Callable[..., User]


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_team_lead_sees_their_team_and_sets_skills(make_user: Maker) -> None:
    lead = make_user("karin", "teamlead")
    naomi = make_user("naomi", first_name="Naomi", last_name="Pinas")
    emre = make_user("emre", team=team_ensure(name="Team Zuid"))
    desk = logged_in(lead)
    page = desk.get("/desk/routing/skills/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="agent-naomi"' in html and 'data-testid="agent-emre"' not in html
    assert "Gevoelige gesprekken" in html
    saved = desk.post(
        f"/desk/routing/agents/{naomi.pk}/skills/",
        {"skills": ["gevoelige_gesprekken", "techniek"], "experience": "senior"},
        follow=True,
    )
    assert saved.status_code == 200
    assert "Vaardigheden van Naomi Pinas opgeslagen." in saved.content.decode()
    profile = RoutingProfile.objects.get(user=naomi)
    assert sorted(s.code for s in profile.skills.all()) == ["gevoelige_gesprekken", "techniek"]
    assert profile.experience == 3
    row = saved.content.decode().split('data-testid="agent-naomi"')[1].split("</tr>")[0]
    assert 'value="gevoelige_gesprekken" form="agent-' in row and row.count(" checked") == 2
    # Someone of another team: refused, nothing written.
    assert desk.post(f"/desk/routing/agents/{emre.pk}/skills/", {"experience": "senior"}).status_code == 403
    assert not RoutingProfile.objects.filter(user=emre, experience=3).exists()


def test_bad_skill_forms_are_refused_with_422(make_user: Maker) -> None:
    lead = make_user("karin", "teamlead")
    naomi = make_user("naomi")
    desk = logged_in(lead)
    bad = desk.post(
        f"/desk/routing/agents/{naomi.pk}/skills/", {"skills": ["bestaat_niet"], "experience": "guru"}
    )
    assert bad.status_code == 422
    assert not RoutingProfile.objects.filter(user=naomi).exists()
    assert desk.post("/desk/routing/agents/987654/skills/", {"experience": "junior"}).status_code == 404
    assert desk.post("/desk/routing/skills/new/", {"code": "met spatie", "name": "X"}).status_code == 422
    assert desk.post("/desk/routing/skills/new/", {"code": "klachten", "name": "Dubbel"}).status_code == 422
    added = desk.post(
        "/desk/routing/skills/new/", {"code": "zakelijk", "name": "Zakelijke klanten"}, follow=True
    )
    assert "Vaardigheid Zakelijke klanten toegevoegd." in added.content.decode()
    assert Skill.objects.filter(code="zakelijk").exists()


def test_agents_cannot_open_the_skills_page(desk: Client, agent: User) -> None:
    assert desk.get("/desk/routing/skills/").status_code == 403
    assert desk.post(f"/desk/routing/agents/{agent.pk}/skills/", {"experience": "senior"}).status_code == 403
    assert desk.post("/desk/routing/skills/new/", {"code": "x", "name": "X"}).status_code == 403


def test_managers_see_every_team(make_user: Maker) -> None:
    make_user("emre", team=team_ensure(name="Team Zuid"))
    make_user("naomi")
    html = logged_in(make_user("hans", "manager")).get("/desk/routing/skills/").content.decode()
    assert 'data-testid="agent-emre"' in html and 'data-testid="agent-naomi"' in html


def test_the_queue_shows_the_flag_with_its_why(open_contact: Callable[..., Contact], desk: Client) -> None:
    flagged = open_contact(BEREAVEMENT)
    plain = open_contact("Hoe laat zijn jullie open?")
    html = desk.get("/desk/queue-table/").content.decode()
    assert html.count('data-testid="routing-flag"') == 1
    assert 'title="overlijden: &#x27;overleden&#x27;"' in html
    assert "gevoelig</span>" in html and "routing-why" in html
    assert f"/desk/contacts/{plain.pk}/" in html and f"/desk/contacts/{flagged.pk}/" in html


def test_the_contact_partial_says_why_and_routing_again_assigns(
    open_contact: Callable[..., Contact], skilled: Maker, desk: Client
) -> None:
    naomi = skilled("naomi", away=True, first_name="Naomi", last_name="Pinas")
    contact = open_contact(BEREAVEMENT)
    html = render_to_string(
        "web/_routing.html", {"routing": routing_for_contact(contact), "perms": _perms(naomi)}
    )
    assert "Niemand met Gevoelige gesprekken was beschikbaar" in html
    assert "overlijden: &#x27;overleden&#x27;" in html
    assert f"/desk/contacts/{contact.pk}/route/" in html
    RoutingProfile.objects.filter(user=naomi).update(last_seen_at=timezone.now())
    done = desk.post(f"/desk/contacts/{contact.pk}/route/", follow=True)
    assert "Toegewezen aan Naomi Pinas." in done.content.decode()
    html = render_to_string(
        "web/_routing.html", {"routing": routing_for_contact(contact), "perms": _perms(naomi)}
    )
    assert "Toegewezen aan Naomi Pinas: Gevoelige gesprekken." in html
    assert "/route/" not in html  # nothing to route any more
    assert render_to_string("web/_routing.html", {"routing": None}).strip() == ""


def test_customer_words_in_the_why_are_escaped(open_contact: Callable[..., Contact], desk: Client) -> None:
    contact = open_contact("<script>alert(1)</script> Mijn vader is overleden <b>gisteren</b>")
    routing = routing_for_contact(contact)
    assert routing is not None
    routing.decision.needs[0]["reasons"][0]["params"]["words"] = ["<script>alert(1)</script>"]
    routing.decision.save()
    assert "<script>" not in render_to_string("web/_routing.html", {"routing": routing})
    assert "<script>alert" not in desk.get("/desk/queue-table/").content.decode()


def test_routing_again_from_the_desk_needs_an_open_contact(
    desk: Client, open_contact: Callable[..., Contact]
) -> None:
    assert desk.post("/desk/contacts/987654/route/").status_code == 404
    assert desk.get(f"/desk/contacts/{open_contact('Hoi').pk}/route/").status_code == 405
    plain = open_contact("Hoi")
    done = desk.post(f"/desk/contacts/{plain.pk}/route/", follow=True)
    assert "vraagt geen bijzondere vaardigheid" in done.content.decode()


def test_being_in_the_desk_is_noticed_once_a_minute(desk: Client, agent: User) -> None:
    assert not RoutingProfile.objects.filter(user=agent).exists()
    desk.get("/desk/")
    first = RoutingProfile.objects.get(user=agent).last_seen_at
    assert first is not None and timezone.now() - first < timedelta(seconds=30)
    RoutingProfile.objects.filter(user=agent).update(last_seen_at=first - timedelta(minutes=5))
    desk.get("/desk/")  # within the minute: not written again
    assert RoutingProfile.objects.get(user=agent).last_seen_at == first - timedelta(minutes=5)
    assert seen_in_desk(user=agent) is False


def test_api_calls_do_not_count_as_being_at_the_desk(api, agent: User) -> None:  # type: ignore[no-untyped-def]
    api.get("/api/skills")
    assert not RoutingProfile.objects.filter(user=agent, last_seen_at__isnull=False).exists()


def _perms(user: User) -> object:
    from django.contrib.auth.context_processors import PermWrapper

    return PermWrapper(user)


def test_the_why_reads_in_english_for_who_chose_english_and_in_dutch_otherwise(
    open_contact: Callable[..., Contact], desk: Client
) -> None:
    contact = open_contact(BEREAVEMENT)  # decided while the desk spoke Dutch
    desk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    queue = desk.get("/desk/queue-table/").content.decode()
    assert 'title="bereavement: &#x27;overleden&#x27;"' in queue and "overlijden" not in queue
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert "bereavement: &#x27;overleden&#x27;" in page and "overlijden:" not in page
    assert "Nobody with Gevoelige gesprekken available; queued as sensitive: bereavement" in page
    desk.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert "overlijden: &#x27;overleden&#x27;" in desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
