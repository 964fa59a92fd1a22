"""Surveys after a closed contact: who gets one, the signed link, the mail, the public page, the
answer and what it feeds (facts, the contact page, listeners)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.signing import TimestampSigner
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from gezien.accounts.models import User
from gezien.assist.models import ContactProtocol
from gezien.contacts.handling import contact_set_status
from gezien.contacts.models import Contact
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer
from gezien.customers.services import customer_create, detail_add
from gezien.insights.models import ContactFact
from gezien.insights.rollups import insights_catch_up
from gezien.insights.surveys import signals as survey_signals
from gezien.insights.surveys.links import (
    SALT,
    AlreadyAnswered,
    LinkExpired,
    LinkTampered,
    invitation_for_token,
    survey_token,
)
from gezien.insights.surveys.models import SurveyInvitation, SurveyResponse, SurveySkip
from gezien.insights.surveys.services import survey_answer, survey_kind_for

pytestmark = pytest.mark.django_db

EMAIL = ("email", "a.jansen@ziggo.nl")


@pytest.fixture
def close(django_capture_on_commit_callbacks: Any) -> Any:
    """Open a contact with the customer's words and close it, with every after-commit hook run."""

    def run(text: str, identities: list[tuple[str, str]] | None = None, channel: str = "email") -> Contact:
        with django_capture_on_commit_callbacks(execute=True):
            contact = contact_open(channel=channel, identities=identities or [EMAIL], text=text).contact
        with django_capture_on_commit_callbacks(execute=True):
            contact_set_status(contact=contact, status="closed")
        contact.refresh_from_db()
        return contact

    return run


def _invitation(contact: Contact) -> SurveyInvitation:
    return SurveyInvitation.objects.get(contact=contact)


def test_a_closed_contact_gets_a_survey_by_mail_with_a_working_link(
    customer: Customer, close: Any, mailoutbox: list[Any], client: Client, settings: Any
) -> None:
    settings.GEZIEN_BASE_URL = "https://desk.voorbeeld.nl"  # GEZIEN_BASE_URL, not the server's own address
    contact = close("Mijn internet doet het niet.")
    invitation = _invitation(contact)
    assert invitation.kind == "nps" and invitation.language == "nl" and invitation.sent_via == "email"
    assert invitation.sent_at is not None
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    [mail] = mailoutbox
    assert mail.to == ["a.jansen@ziggo.nl"]
    assert "Hoe hebben wij u geholpen?" in mail.subject
    assert "Beste Annie Jansen," in mail.body
    link = next(line for line in mail.body.splitlines() if "/s/" in line).strip()
    html, mime = mail.alternatives[0]
    assert mime == "text/html" and link in html
    assert link.startswith("https://desk.voorbeeld.nl/s/")
    page = client.get(link.removeprefix("https://desk.voorbeeld.nl"))
    assert page.status_code == 200
    assert "Hoe waarschijnlijk is het dat u Voorbeeld Telecom aanbeveelt" in page.content.decode()


def test_the_link_names_its_invitation_and_no_other(customer: Customer, close: Any) -> None:
    invitation = _invitation(close("Vraag over mijn factuur."))
    assert invitation_for_token(survey_token(invitation)) == invitation
    # Signed by us but with a guessed nonce: refused, so ids alone never make a token.
    forged = TimestampSigner(salt=SALT, sep=".").sign(f"{invitation.pk}.guessed")
    with pytest.raises(LinkTampered):
        invitation_for_token(forged)


@pytest.mark.parametrize("how", ["changed id", "changed signature", "truncated", "garbage"])
def test_a_tampered_link_gets_a_clear_400(customer: Customer, close: Any, client: Client, how: str) -> None:
    invitation = _invitation(close("Vraag over mijn factuur."))
    token = survey_token(invitation)
    pk, rest = token.split(".", 1)
    bad = {
        "changed id": f"{int(pk) + 1}.{rest}",
        "changed signature": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "truncated": token[: len(token) // 2],
        "garbage": "x" * 300,
    }[how]
    with pytest.raises(LinkTampered):
        invitation_for_token(bad)
    page = client.get(f"/s/{bad}/")
    assert page.status_code == 400
    assert "Deze link is ongeldig" in page.content.decode()
    post = client.post(f"/s/{bad}/", {"score": "9"})
    assert post.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_an_expired_link_is_refused_at_its_moment(customer: Customer, close: Any, client: Client) -> None:
    invitation = _invitation(close("Vraag over mijn factuur."))
    token = survey_token(invitation)
    just_before = invitation.expires_at - timedelta(seconds=1)
    with pytest.raises(LinkExpired):
        survey_answer(token=token, score=8, now=invitation.expires_at)
    assert survey_answer(token=token, score=8, now=just_before).score == 8

    customer_create(first_name="Bep", last_name="Bos", identities=[("email", "b@example.nl")])
    other = _invitation(close("Nog een vraag.", identities=[("email", "b@example.nl")]))
    SurveyInvitation.objects.filter(pk=other.pk).update(
        created_at=timezone.now() - timedelta(days=20), expires_at=timezone.now() - timedelta(days=6)
    )
    page = Client().get(f"/s/{survey_token(other)}/")
    assert page.status_code == 410
    assert "Deze link was geldig tot" in page.content.decode()


def test_one_answer_per_link(customer: Customer, close: Any, client: Client) -> None:
    invitation = _invitation(close("Vraag over mijn factuur."))
    token = survey_token(invitation)
    first = client.post(f"/s/{token}/", {"score": "9", "resolved": "ja", "comment": "Top!"})
    assert first.status_code == 302 and first["Location"].startswith(f"/s/{token}/bedankt/")
    thanks = client.get(first["Location"])
    assert "Dank u wel voor uw antwoord" in thanks.content.decode()
    again = client.post(f"/s/{token}/", {"score": "0"})
    assert again.status_code == 409
    assert "al ingevuld" in again.content.decode()
    with pytest.raises(AlreadyAnswered):
        survey_answer(token=token, score=3)
    assert client.get(f"/s/{token}/").status_code == 409
    # The database itself refuses a second answer, whatever the Python above checks.
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(invitation=invitation, kind="nps", score=1, answered_at=timezone.now())
    assert SurveyResponse.objects.get().score == 9


def test_scores_outside_the_scale_are_refused_by_the_service_and_the_database(
    customer: Customer, close: Any, settings: Any, client: Client
) -> None:
    settings.GEZIEN_SURVEY_KIND = "csat"
    invitation = _invitation(close("Vraag over mijn factuur."))
    assert invitation.kind == "csat"
    page = client.post(f"/s/{survey_token(invitation)}/", {"score": "0", "comment": "hm"})
    assert page.status_code == 422
    assert "Kies eerst een score" in page.content.decode()
    assert ">hm</textarea>" in page.content.decode()  # what they typed stays
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(invitation=invitation, kind="csat", score=6, answered_at=timezone.now())


def test_the_kind_can_differ_per_channel(settings: Any) -> None:
    settings.GEZIEN_SURVEY_KIND = "phone=nps, chat=csat, *=csat"
    assert survey_kind_for("phone") == "nps"
    assert survey_kind_for("chat") == "csat"
    assert survey_kind_for("email") == "csat"
    settings.GEZIEN_SURVEY_KIND = "onzin"
    assert survey_kind_for("chat") == "nps"


def test_no_survey_after_a_bereavement(
    customer: Customer, close: Any, mailoutbox: list[Any], desk: Client
) -> None:
    contact = close("Mijn man is vorige maand overleden en ik wil zijn abonnement opzeggen.")
    assert not SurveyInvitation.objects.exists()
    assert SurveySkip.objects.get(contact=contact).reason == "bereavement"
    assert mailoutbox == []
    page = desk.get(f"/desk/contacts/{contact.pk}/")
    assert "Geen enquête: rouwprotocol" in page.content.decode()


def test_no_survey_when_a_death_is_remembered_on_the_card(
    customer: Customer, close: Any, agent: User
) -> None:
    detail_add(customer=customer, kind="life_event", text="Echtgenoot Henk overleden in oktober", actor=agent)
    contact = close("Ik bel over de laatste factuur van het contract.")
    assert SurveySkip.objects.get(contact=contact).reason == "bereavement"


def test_no_survey_after_abuse(customer: Customer, close: Any) -> None:
    contact = close("Jullie zijn een stelletje klootzakken, oplichters zijn jullie!")
    assert SurveySkip.objects.get(contact=contact).reason == "abuse"
    assert ContactProtocol.objects.filter(contact=contact, protocol="abuse").exists()


def test_no_survey_for_an_unidentified_customer(db: None, close: Any) -> None:
    contact = close("Waar blijft mijn pakket?", identities=[("email", "onbekend@example.nl")])
    assert contact.customer_id is None
    assert SurveySkip.objects.get(contact=contact).reason == "unidentified"


def test_once_per_customer_in_the_quiet_period(
    customer: Customer, close: Any, settings: Any, mailoutbox: list[Any]
) -> None:
    first = close("Vraag over mijn factuur.")
    second = close("Nog een vraag over de factuur.")
    assert SurveyInvitation.objects.filter(customer=customer).count() == 1
    assert _invitation(first)
    assert SurveySkip.objects.get(contact=second).reason == "quiet"
    assert len(mailoutbox) == 1
    # After the quiet period the customer is asked again.
    SurveyInvitation.objects.update(created_at=timezone.now() - timedelta(days=31))
    third = close("En nog een vraag.")
    assert _invitation(third)


def test_no_mail_address_no_survey(db: None, close: Any) -> None:
    customer_create(first_name="Piet", last_name="Bakker", identities=[("phone", "0612345679")])
    contact = close("Mijn modem knippert rood.", identities=[("phone", "0612345679")], channel="phone")
    assert SurveySkip.objects.get(contact=contact).reason == "no_email"


def test_sending_off_leaves_it_to_the_organisation(customer: Customer, close: Any, settings: Any) -> None:
    settings.GEZIEN_SURVEY_SEND = "off"
    close("Vraag over mijn factuur.")
    assert not SurveyInvitation.objects.exists() and not SurveySkip.objects.exists()


def test_english_customers_get_english(db: None, close: Any, mailoutbox: list[Any], client: Client) -> None:
    customer_create(first_name="John", last_name="Smith", identities=[("email", "john@example.com")])
    contact = close(
        "Hello, my internet connection has been down since yesterday.", [("email", "john@example.com")]
    )
    invitation = _invitation(contact)
    assert invitation.language == "en"
    assert "How did we help you?" in mailoutbox[0].subject
    assert "Dear John Smith," in mailoutbox[0].body
    page = client.get(f"/s/{survey_token(invitation)}/").content.decode()
    assert '<html lang="en">' in page
    assert "How likely is it that you would recommend Voorbeeld Telecom" in page
    assert "Has your question been fully resolved?" in page
    dutch = client.get(f"/s/{survey_token(invitation)}/?lang=nl").content.decode()
    assert "Is uw vraag helemaal opgelost?" in dutch and '<html lang="nl">' in dutch


def test_the_public_page_is_usable_without_login_and_escapes(
    customer: Customer, close: Any, client: Client, settings: Any
) -> None:
    settings.GEZIEN_ORGANISATION_NAME = "<b>Telecom</b> & Co"
    invitation = _invitation(close("Vraag over mijn factuur."))
    page = client.get(f"/s/{survey_token(invitation)}/")
    html = page.content.decode()
    assert page.status_code == 200  # no redirect to the login page
    assert "&lt;b&gt;Telecom&lt;/b&gt; &amp; Co" in html and "<b>Telecom</b>" not in html
    for n in range(11):
        assert f'<label for="score-{n}">{n}</label>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "<script" not in html
    assert "Language: English" in html


def test_the_form_needs_its_csrf_token(customer: Customer, close: Any) -> None:
    invitation = _invitation(close("Vraag over mijn factuur."))
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/s/{survey_token(invitation)}/", {"score": "9"}).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_an_angry_comment_is_analysed_and_shown_escaped(customer: Customer, close: Any, desk: Client) -> None:
    contact = close("Vraag over mijn factuur.")
    invitation = _invitation(contact)
    comment = "Ik ben woedend, dit is de derde keer dat ik bel! <script>alert(1)</script>"
    response = survey_answer(token=survey_token(invitation), score=2, resolved=False, comment=comment)
    assert response.comment_analysis["emotions"]["anger"] >= 0.5
    html = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert "NPS 2/10" in html
    assert "boos" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


def test_the_comment_is_cleaned_and_bounded(customer: Customer, close: Any) -> None:
    from gezien.core.errors import Invalid

    token = survey_token(_invitation(close("Vraag over mijn factuur.")))
    with pytest.raises(Invalid):
        survey_answer(token=token, score=7, comment="x" * 2001)
    response = survey_answer(token=token, score=7, comment="  Goed\r\ngeholpen\x07  ")
    assert response.comment == "Goed\ngeholpen"


def test_an_answer_feeds_the_facts_and_the_listeners(
    customer: Customer, close: Any, django_capture_on_commit_callbacks: Any
) -> None:
    heard: list[tuple[bool | None, int]] = []
    survey_signals.on_survey_answered(lambda r: heard.append((r.resolved, r.invitation.contact.pk)))
    try:
        contact = close("Vraag over mijn factuur.")
        with django_capture_on_commit_callbacks(execute=True):
            survey_answer(token=survey_token(_invitation(contact)), score=10, resolved=True)
        assert heard == [(True, contact.pk)]
    finally:
        survey_signals._listeners.clear()
    insights_catch_up()
    fact = ContactFact.objects.get(pk=contact.pk)
    assert fact.nps == 10 and fact.csat is None


def test_a_rolled_back_answer_tells_nobody(
    customer: Customer, close: Any, django_capture_on_commit_callbacks: Any
) -> None:
    heard: list[Any] = []
    survey_signals.on_survey_answered(heard.append)
    try:
        token = survey_token(_invitation(close("Vraag over mijn factuur.")))
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            survey_answer(token=token, score=6)
            raise RuntimeError("rolled back")
        assert heard == [] and not SurveyResponse.objects.exists()
    finally:
        survey_signals._listeners.clear()


def test_no_survey_after_a_call_with_no_conversation(customer: Customer, close: Any) -> None:
    """Issue 20: the demo's empty closed calls each got a survey (one to Ronald Kramer, 35 minutes before
    his abusive call). A contact in which nobody said anything asks nothing of the customer."""
    contact = close("", identities=[("phone", "06-12345678")], channel="phone")
    assert contact.customer_id == customer.pk
    assert SurveySkip.objects.get(contact=contact).reason == "empty"
    assert not SurveyInvitation.objects.filter(customer=customer).exists()
    spoken = close("Mijn modem knippert rood.", identities=[("phone", "06-12345678")], channel="phone")
    assert _invitation(spoken).customer_id == customer.pk  # the next real call gets its survey
