"""Emotion per contact (R13): start, peak, end and gain from the customer's own words."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum

from gezien.contacts.services import contact_open, message_add
from gezien.insights.cx import distress, gain_reading
from gezien.insights.models import ContactFact, DailyRollup
from gezien.insights.rollups import insights_catch_up

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
AT = datetime(2026, 11, 10, 10, 0, tzinfo=AMS)


def _angry_then_thankful(agent):
    contact = contact_open(
        channel="chat", text="Ik ben echt boos, mijn pakket is weer niet gekomen!", at=AT
    ).contact
    message_add(
        contact=contact,
        author="agent",
        agent=agent,
        text="Wat vervelend, ik zoek het uit.",
        at=AT + timedelta(minutes=1),
    )
    message_add(
        contact=contact,
        author="customer",
        text="Ik ben teleurgesteld dat dit weer gebeurt.",
        at=AT + timedelta(minutes=2),
    )
    message_add(
        contact=contact,
        author="customer",
        text="Oké, bedankt voor het uitzoeken!",
        at=AT + timedelta(minutes=3),
    )
    return contact


def test_an_angry_start_that_ends_thankful_has_a_positive_gain(
    fake_analyser, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = _angry_then_thankful(agent)
    insights_catch_up()
    fact = ContactFact.objects.get(pk=contact.pk)
    assert fact.customer_messages == 3  # the agent's reply does not count
    assert fact.emotion_start == pytest.approx(0.9)
    assert fact.emotion_peak == pytest.approx(0.9)
    assert fact.emotion_end == pytest.approx(0.0)
    assert fact.emotion_gain == pytest.approx(0.9)
    assert fact.negative is True


def test_a_customer_who_gets_more_upset_has_a_negative_gain(
    fake_analyser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = contact_open(channel="email", text="Het is jammer dat de levering laat is.", at=AT).contact
        message_add(
            contact=contact, author="customer", text="Nu ben ik echt boos.", at=AT + timedelta(hours=1)
        )
    insights_catch_up()
    fact = ContactFact.objects.get(pk=contact.pk)
    assert fact.emotion_start == pytest.approx(0.3)
    assert fact.emotion_end == pytest.approx(0.9)
    assert fact.emotion_gain == pytest.approx(-0.6)


def test_a_contact_without_customer_words_has_no_emotion_figures(
    fake_analyser, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = contact_open(channel="phone", at=AT).contact
        message_add(
            contact=contact, author="agent", kind="note", agent=agent, text="Klant boos gebeld.", at=AT
        )
    insights_catch_up()
    fact = ContactFact.objects.get(pk=contact.pk)
    assert fact.customer_messages == 0
    assert fact.emotion_start is None and fact.emotion_gain is None and fact.negative is False


def test_distress_is_the_strongest_negative_emotion_only():
    assert distress({"anger": 0.2, "sadness": 0.6, "appreciation": 0.95}) == pytest.approx(0.6)
    assert distress({"appreciation": 0.9}) == 0.0
    assert distress(None) == 0.0


def test_the_contact_page_shows_the_emotion_arc(
    fake_analyser, agent, desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = _angry_then_thankful(agent)
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert 'data-testid="contact-emotion"' in page
    assert "begin sterk onrustig → piek sterk onrustig → eind rustig" in page  # words, not "0,90"
    assert "rustiger vertrokken" in page
    assert 'class="chart sparkline"' in page


def test_the_emotion_api_gives_the_series_per_message(
    fake_analyser, agent, api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = _angry_then_thankful(agent)
    answer = api.get(f"/api/contacts/{contact.pk}/emotion")
    assert answer.status_code == 200
    body = answer.json_body
    assert [round(p["distress"], 2) for p in body["series"]] == [0.9, 0.7, 0.0]
    assert body["start"] == pytest.approx(0.9) and body["end"] == 0.0 and body["gain"] == pytest.approx(0.9)
    assert body["reading"] == "rustiger vertrokken"
    assert api.get("/api/contacts/999999/emotion").status_code == 404


@pytest.mark.parametrize(
    "last",
    [
        "Ik ben nog steeds teleurgesteld, dit had nooit mogen gebeuren.",  # still upset, if less than before
        "Jullie zijn gewoon oplichters.",  # abusive
        "Stelletje klootzakken, ik ben er klaar mee.",  # swearing at the agent
    ],
)
def test_the_arc_ends_with_the_customers_last_message(
    last, agent, api, desk, django_capture_on_commit_callbacks
):
    """However upset the customer came, a contact whose last customer message is still angry or abusive
    never reads, nor counts, as "rustiger vertrokken" (the real rules analyse these messages)."""
    with django_capture_on_commit_callbacks(execute=True):
        contact = contact_open(
            channel="chat", text="Ik ben woedend!!! Dit is al de vijfde keer dat ik bel, belachelijk!", at=AT
        ).contact
        message_add(
            contact=contact, author="agent", agent=agent, text="Wat vervelend.", at=AT + timedelta(minutes=1)
        )
        message_add(contact=contact, author="customer", text=last, at=AT + timedelta(minutes=2))
    insights_catch_up()
    fact = ContactFact.objects.get(pk=contact.pk)
    assert fact.emotion_end is not None and fact.emotion_end >= 0.5, fact.emotion_end
    body = api.get(f"/api/contacts/{contact.pk}/emotion").json_body
    assert body["reading"] != "rustiger vertrokken"
    assert "rustiger vertrokken" not in desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert DailyRollup.objects.aggregate(n=Sum("calmer"))["n"] in (0, None)


def test_a_calmer_end_still_reads_calmer():
    assert gain_reading(0.6, 0.1) == "rustiger vertrokken"
    assert gain_reading(0.3, 0.6) == "nog van streek vertrokken"
    assert gain_reading(-0.4, 0.9) == "onrustiger vertrokken"
    assert gain_reading(0.0, 0.0) == "even rustig vertrokken"
