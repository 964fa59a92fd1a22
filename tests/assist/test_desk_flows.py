"""The assist in the desk: what an agent sees on a contact and what its buttons do."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gezien.assist.models import HintAction, Incident, WarmTransfer
from gezien.contacts.models import Contact, ContactEvent
from gezien.customers.models import RememberedDetail
from gezien.notifications.models import Notification


def test_the_contact_view_shows_the_hints_with_their_words_and_folds_the_solutions(
    desk, open_contact
) -> None:
    contact = open_contact("Ik ben echt woedend! Dit is de derde keer dat ik bel!!")
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert 'data-hint="listen_first"' in page and "woedend" in page
    assert 'data-testid="solutions-body" hidden' in page


def test_dismissing_a_hint_is_stored_and_it_stays_away(desk, open_contact, agent) -> None:
    contact = open_contact("Ik ben echt woedend!")
    response = desk.post(f"/desk/contacts/{contact.pk}/hints/listen_first/dismissed/", {"note": "al gedaan"})
    assert response.status_code == 302
    stored = HintAction.objects.get(contact=contact)
    assert (stored.hint, stored.action, stored.user, stored.note) == (
        "listen_first",
        "dismissed",
        agent,
        "al gedaan",
    )
    assert 'data-hint="listen_first"' not in desk.get(f"/desk/contacts/{contact.pk}/").content.decode()


def test_unfolding_deliberately_opens_the_solutions(desk, open_contact) -> None:
    contact = open_contact("Ik ben echt woedend!")
    desk.post(f"/desk/contacts/{contact.pk}/unfold/")
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert 'data-testid="solutions-body" hidden' not in page


def test_the_draft_check_answers_a_fragment_with_the_register_warning(desk, open_contact) -> None:
    contact = open_contact(
        "Geachte heer, kunt u mij laten weten waar mijn bestelling blijft? Met vriendelijke groet"
    )
    page = desk.post(
        f"/desk/contacts/{contact.pk}/draft-check/", {"text": "Hoi! Kun je je ordernummer sturen?"}
    )
    assert page.status_code == 200
    assert 'data-finding="register_mismatch"' in page.content.decode()
    bad = desk.post(f"/desk/contacts/{contact.pk}/draft-check/", {"text": "a\x00b"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()


def test_taking_ownership_sets_a_promise_and_takes_the_contact(desk, open_contact, agent) -> None:
    contact = open_contact("Dit is nu de vijfde keer dat ik bel!")
    due = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    desk.post(f"/desk/contacts/{contact.pk}/ownership/", {"text": "Terugbellen over levering", "due_at": due})
    promise = RememberedDetail.objects.get(kind="promise")
    assert promise.text == "Terugbellen over levering" and promise.created_by == agent
    assert Contact.objects.get(pk=contact.pk).assigned_agent == agent
    assert ContactEvent.objects.filter(contact=contact, kind="ownership").exists()


def test_an_agent_reports_an_incident_and_the_team_lead_hears_of_it(desk, open_contact, make_user) -> None:
    lead = make_user("karin", "teamlead")
    contact = open_contact("Rustig gesprek", channel="phone")
    desk.post(f"/desk/contacts/{contact.pk}/incidents/", {"note": "Bedreigde me aan de telefoon"})
    incident = Incident.objects.get(contact=contact)
    assert incident.source == "reported" and incident.note == "Bedreigde me aan de telefoon"
    assert Notification.objects.get(recipient=lead).incident_id == incident.pk
    desk.post(f"/desk/incidents/{incident.pk}/break/")
    incident.refresh_from_db()
    assert incident.break_taken_at is not None
    assert "pauze tot" in desk.get(f"/desk/contacts/{contact.pk}/").content.decode()


def test_a_warm_transfer_waits_for_the_colleague_before_connecting(
    desk, client, open_contact, make_user
) -> None:
    colleague = make_user("pieter", "agent")
    contact = open_contact("", channel="phone")
    desk.post(
        f"/desk/contacts/{contact.pk}/warm-transfer/", {"to_agent": colleague.pk, "note": "Factuurvraag"}
    )
    transfer = WarmTransfer.objects.get(contact=contact)
    desk.post(f"/desk/transfers/{transfer.pk}/connect/")
    transfer.refresh_from_db()
    assert transfer.state == "announced"  # not before the colleague is ready
    from django.test import Client

    other = Client()
    other.force_login(colleague)
    assert "Factuurvraag" in other.get("/desk/notifications/").content.decode()
    other.post(f"/desk/transfers/{transfer.pk}/acknowledge/")
    desk.post(f"/desk/transfers/{transfer.pk}/connect/")
    transfer.refresh_from_db()
    assert transfer.state == "connected"
    assert Contact.objects.get(pk=contact.pk).assigned_agent == colleague
    steps = [e.data["step"] for e in ContactEvent.objects.filter(contact=contact, kind="warm_transfer")]
    assert steps == ["announced", "acknowledged", "connected"]


def test_someone_without_a_role_cannot_use_the_assist(client, open_contact, db) -> None:
    from gezien.accounts.models import User

    contact = open_contact("Hallo")
    client.force_login(User.objects.create_user("gast", password="x" * 12))
    assert client.post(f"/desk/contacts/{contact.pk}/draft-check/", {"text": "hoi"}).status_code == 403
    assert client.get("/desk/notifications/").status_code == 403
