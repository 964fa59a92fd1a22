"""The desk pages for macros and the picker next to the reply box."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from gezien.accounts.models import User
from gezien.contacts.models import Contact, ContactReason
from gezien.contacts.selectors import contact_with_thread
from gezien.replies.models import Macro
from gezien.replies.selectors import rendered_macros_for_contact
from gezien.replies.services import macro_create


@pytest.fixture
def lead_desk(teamlead: User) -> Client:
    client = Client()
    client.force_login(teamlead)
    return client


def test_macro_pages_require_login(client: Client, shared_macro: Macro, formal_contact: Contact) -> None:
    for url in ["/desk/macros/", "/desk/macros/new/", f"/desk/macros/{shared_macro.pk}/",
                f"/desk/contacts/{formal_contact.pk}/macros/"]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/")


def test_the_nav_links_to_the_macros_and_the_list_searches(
    desk: Client, agent: User, colleague: User, shared_macro: Macro
) -> None:
    macro_create(actor=agent, title="Mijn afsluiting", body_je="Fijne dag nog!")
    macro_create(actor=colleague, title="Van Mark", body_u="Niet voor Sanne.")
    page = desk.get("/desk/").content.decode()
    assert 'href="/desk/macros/"' in page and "Standaardantwoorden" in page
    listing = desk.get("/desk/macros/").content.decode()
    assert "Bevestiging levering" in listing and "Mijn afsluiting" in listing
    assert "Van Mark" not in listing
    assert "{ordernummer}" in listing  # the placeholders are explained
    found = desk.get("/desk/macros/?q=afsluiting", HTTP_HX_REQUEST="true").content.decode()
    assert "Mijn afsluiting" in found and "Bevestiging levering" not in found and "<html" not in found


def test_an_agent_creates_edits_and_archives_their_own(
    desk: Client, agent: User, reason: ContactReason
) -> None:
    page = desk.get("/desk/macros/new/").content.decode()
    assert 'name="shared"' not in page  # an agent cannot share
    response = desk.post(
        "/desk/macros/new/",
        {
            "title": "Pakket kwijt",
            "body_u": "Beste {naam},",
            "body_je": "",
            "tags": "levering, Pakket",
            "reasons": ["levering"],
        },
    )
    assert response.status_code == 302
    macro = Macro.objects.get()
    assert (macro.owner, macro.tags, [r.code for r in macro.reasons.all()]) == (
        agent,
        ["levering", "pakket"],
        ["levering"],
    )
    edit = desk.get(f"/desk/macros/{macro.pk}/").content.decode()
    assert "Pakket kwijt" in edit and "levering, pakket" in edit
    desk.post(
        f"/desk/macros/{macro.pk}/",
        {"title": "Pakket zoek", "body_u": "Beste {naam},", "body_je": "Hoi {naam}!"},
    )
    macro.refresh_from_db()
    assert (macro.title, macro.body_je, macro.tags) == ("Pakket zoek", "Hoi {naam}!", [])
    followed = desk.post(f"/desk/macros/{macro.pk}/archive/", follow=True).content.decode()
    assert "staat in het archief" in followed
    macro.refresh_from_db()
    assert macro.archived
    assert "Pakket zoek" in desk.get("/desk/macros/?archived=1").content.decode()
    desk.post(f"/desk/macros/{macro.pk}/restore/")
    macro.refresh_from_db()
    assert not macro.archived


def test_a_bad_macro_shows_the_form_again_with_a_dutch_error(desk: Client) -> None:
    response = desk.post("/desk/macros/new/", {"title": "Typfout", "body_u": "Beste {nam},", "body_je": ""})
    assert response.status_code == 422
    assert "Onbekende plaatshouder {nam}" in response.content.decode()
    empty = desk.post("/desk/macros/new/", {"title": "Leeg", "body_u": "", "body_je": ""})
    assert empty.status_code == 422 and "minstens één tekst" in empty.content.decode()
    assert not Macro.objects.exists()


def test_an_agent_gets_403_on_shared_and_colleagues_macros(
    desk: Client, colleague: User, shared_macro: Macro
) -> None:
    theirs = macro_create(actor=colleague, title="Van Mark", body_u="Dag.")
    for macro in (shared_macro, theirs):
        assert desk.get(f"/desk/macros/{macro.pk}/").status_code == 403
        assert (
            desk.post(f"/desk/macros/{macro.pk}/", {"title": "Overgenomen", "body_u": "x"}).status_code == 403
        )
        assert desk.post(f"/desk/macros/{macro.pk}/archive/").status_code == 403
    assert (
        desk.post("/desk/macros/new/", {"title": "Gedeeld", "body_u": "Dag.", "shared": "on"}).status_code
        == 302
    )
    assert Macro.objects.get(title="Gedeeld").owner is not None  # the field is not there for agents
    assert desk.get("/desk/macros/987654/").status_code == 404
    assert desk.get("/desk/macros/99999999999999999999/").status_code == 404
    assert desk.get(f"/desk/macros/{shared_macro.pk}/archive/").status_code == 405
    assert Macro.objects.get(pk=shared_macro.pk).title == "Bevestiging levering"


def test_a_team_lead_makes_and_edits_shared_ones(lead_desk: Client, shared_macro: Macro) -> None:
    assert 'name="shared"' in lead_desk.get("/desk/macros/new/").content.decode()
    lead_desk.post("/desk/macros/new/", {"title": "Voor iedereen", "body_u": "Dag {naam}.", "shared": "on"})
    assert Macro.objects.get(title="Voor iedereen").owner is None
    response = lead_desk.post(
        f"/desk/macros/{shared_macro.pk}/", {"title": "Levering bevestigd", "body_u": "Dag.", "shared": "on"}
    )
    assert response.status_code == 302
    assert Macro.objects.get(pk=shared_macro.pk).title == "Levering bevestigd"


def test_macro_text_is_escaped(desk: Client, agent: User, formal_contact: Contact) -> None:
    evil = "<script>alert('macro')</script>"
    macro_create(actor=agent, title=evil, body_u=f"Beste {{naam}}, {evil}")
    for url in ["/desk/macros/", f"/desk/contacts/{formal_contact.pk}/macros/"]:
        page = desk.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "&lt;script&gt;" in page, url


def _picker(contact: Contact, user: User) -> str:
    request = RequestFactory().get("/")
    request.user = user
    context = {
        "contact": contact,
        "macros": rendered_macros_for_contact(contact_with_thread(contact.pk), user),
    }
    return render_to_string("web/_macro_picker.html", context, request=request)


def test_the_picker_shows_the_u_variant_for_a_formal_customer(
    formal_contact: Contact, agent: User, shared_macro: Macro
) -> None:
    html = _picker(formal_contact, agent)
    assert 'data-variant="u"' in html and 'data-variant="je"' not in html
    assert "Beste Annie Jansen, uw bestelling VT1514680 wordt" in html
    assert "klant schrijft &#x27;kunt u&#x27;" in html
    assert "Invoegen" in html and "gezien/macros.js" in html


def test_the_picker_shows_the_je_variant_for_an_informal_customer_and_what_to_fill_in(
    informal_contact: Contact, informal_customer, agent: User, shared_macro: Macro
) -> None:
    macro_create(actor=agent, title="Klantnummer", body_je="Hoi {naam}, je klantnummer is {klantnummer}.")
    html = _picker(informal_contact, agent)
    assert 'data-variant="je"' in html and 'data-variant="u"' not in html
    assert "Hoi Samira! Je bestelling VT2345678 komt" in html
    assert f"Hoi Samira, je klantnummer is {informal_customer.customer_number}." in html
    assert "Nog invullen" not in html  # every value is known


def test_the_picker_lists_missing_placeholders(
    open_contact: Callable[..., Contact], agent: User, shared_macro: Macro
) -> None:
    contact = open_contact(None, "hoi, waar blijft mijn pakket?")
    html = _picker(contact, agent)
    assert 'data-macro-missing="naam ordernummer"' in html
    assert "Nog invullen: [naam], [ordernummer]" in html
    assert "Hoi [naam]! Je bestelling [ordernummer] komt" in html


def test_the_picker_can_be_searched_on_its_own_page(
    desk: Client, formal_contact: Contact, agent: User, shared_macro: Macro
) -> None:
    macro_create(actor=agent, title="Storing bekend", body_u="Beste {naam}, er is een storing.")
    page = desk.get(f"/desk/contacts/{formal_contact.pk}/macros/?q=storing").content.decode()
    assert "Beste Annie Jansen, er is een storing." in page
    assert "Bevestiging levering" not in page
    assert desk.get("/desk/contacts/987654/macros/").status_code == 404
