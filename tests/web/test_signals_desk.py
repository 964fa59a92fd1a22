"""The contact view shows each message's signals with the evidence words marked, safely; agents correct
signals from a small menu; the gezien-kaart shows how the customer felt lately."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gezien.accounts.models import User
from gezien.contacts.analysing import messages_analyse, messages_reanalyse
from gezien.contacts.models import Message, MessageSignals, SignalCorrection
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer
from gezien.web.signal_display import highlight

EVIL = "<script>alert('x')</script> Ik ben boos & teleurgesteld"


def _store(message: Message, **data: object) -> MessageSignals:
    """Signals as the analyser would store them, with exactly the evidence a test needs."""
    full = {
        "lang": "nl",
        "role": "customer",
        "register": "unknown",
        "emotions": {"anger": 0.0},
        "sentiment": 0.0,
        "abuse": 0.0,
        "life_events": [],
        "churn": 0.0,
        "repeat": 0.0,
        "acts": [],
        "evidence": [],
        "layers": ["rules"],
        **data,
    }
    return MessageSignals.objects.create(
        message=message,
        data=full,
        role="customer",
        lang="nl",
        register="unknown",
        top_emotion="",
        top_score=0.0,
        sentiment=0.0,
        abuse=0.0,
        churn=0.0,
        repeat=0.0,
        layers="rules",
        version="test",
        analysed_at=timezone.now(),
    )


def _evil_message() -> Message:
    opened = contact_open(channel="chat", text=EVIL)
    assert opened.messages is not None
    return opened.messages[0]


def _at(word: str, signal: str, rule: str) -> list[object]:
    start = EVIL.index(word)
    return [signal, start, start + len(word), word, rule]


def test_customer_script_is_escaped_and_the_evidence_still_marked(desk: Client) -> None:
    message = _evil_message()
    _store(
        message,
        emotions={"anger": 0.9, "disappointment": 0.55, "stress": 0.1},
        churn=0.8,
        life_events=["bereavement"],
        evidence=[
            _at("boos", "anger", "nl/emotions:boos"),
            _at("teleurgesteld", "disappointment", "nl/emotions:teleurgesteld"),
            ["model:anger", 0, len(EVIL), EVIL, "model"],
        ],
    )
    page = desk.get(f"/desk/contacts/{message.contact_id}/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert '<mark class="ev ev-neg" title="anger · nl/emotions:boos">boos</mark> &amp; ' in page
    assert "boos (sterk)" in page and "teleurgesteld (licht)" in page
    assert "wil opzeggen" in page and "overlijden" in page
    assert "niet boos" in page  # the ready-made correction
    assert 'title="model:anger' not in page  # the learned layer's whole-text evidence marks nothing


def test_overlapping_and_crossing_spans_never_break_the_markup() -> None:
    text = "ab<cd>ef"
    html = str(
        highlight(
            text,
            [
                ["anger", 0, 4, "ab<c", "r1"],
                ["stress", 2, 7, "<cd>e", "r2"],
                ["anger", 3, 4, "c", 'r3"><script>'],
                ["stress", 5, 99, "", "out of range"],
                ["stress", 4, 4, "", "empty"],
                "not a span",
            ],
        )
    )
    assert html == (
        '<mark class="ev ev-neg" title="anger · r1">ab</mark>'
        '<mark class="ev ev-neg" title="anger · r1; stress · r2">&lt;</mark>'
        '<mark class="ev ev-neg" title="anger · r1; stress · r2; anger · r3&quot;&gt;&lt;script&gt;">c</mark>'
        '<mark class="ev ev-neg" title="stress · r2">d&gt;e</mark>'
        "f"
    )
    assert html.count("<mark") == html.count("</mark>")


def test_line_breaks_survive_highlighting() -> None:
    assert str(highlight("a\r\nb <i>\nc", [["positive", 0, 1, "a", "r"]])) == (
        '<mark class="ev ev-pos" title="positive · r">a</mark><br>b &lt;i&gt;<br>c'
    )


def test_an_unanalysed_message_says_so(desk: Client) -> None:
    message = _evil_message()
    page = desk.get(f"/desk/contacts/{message.contact_id}/").content.decode()
    assert "nog niet geanalyseerd" in page
    assert "&lt;script&gt;" in page


def _analysed_and_corrected(contact_id: int, count: int) -> None:
    for _ in range(count):
        message = Message.objects.create(
            contact_id=contact_id, author="customer", text="Ik ben boos", sent_at=timezone.now()
        )
        messages_analyse([message])
        SignalCorrection.objects.create(message=message, signal="anger", value=False)


def test_the_contact_view_reads_signals_in_a_fixed_number_of_queries(desk: Client, fake_analyser) -> None:
    contact = contact_open(channel="chat", text="Hallo").contact
    _analysed_and_corrected(contact.pk, 2)
    desk.get(f"/desk/contacts/{contact.pk}/")  # the first page of a visit also notes that the agent is in
    with CaptureQueriesContext(connection) as small:
        desk.get(f"/desk/contacts/{contact.pk}/")
    _analysed_and_corrected(contact.pk, 30)
    with CaptureQueriesContext(connection) as large:
        page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert len(large) == len(small)
    assert page.count("sig-off") == 32  # every "niet boos" shown, struck through


def test_correcting_with_htmx_answers_the_updated_signals(desk: Client, fake_analyser) -> None:
    message = contact_open(channel="chat", text="Ik ben boos").messages[0]
    messages_analyse([message])
    response = desk.post(
        f"/desk/messages/{message.pk}/corrections/",
        {"signal": "anger", "value": "niet", "note": "ironisch bedoeld"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    block = response.content.decode()
    assert block.startswith('<div class="signals" id="signals-')
    assert "sig-off" in block and "ironisch bedoeld" in block
    correction = SignalCorrection.objects.get()
    assert (correction.signal, correction.value, correction.corrected_by.username) == (
        "anger",
        False,
        "sanne",
    )


def test_correcting_without_javascript_goes_back_to_the_message(desk: Client, fake_analyser) -> None:
    message = contact_open(channel="chat", text="Wat jammer").messages[0]
    messages_analyse([message])
    page = desk.get(f"/desk/contacts/{message.contact_id}/").content.decode()
    assert "wel teleurgesteld" in page  # nearly raised (0.3): offered as "wel …"
    response = desk.post(
        f"/desk/messages/{message.pk}/corrections/", {"signal": "disappointment", "value": "wel"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/desk/contacts/{message.contact_id}/#message-{message.pk}"
    page = desk.get(response["Location"]).content.decode()
    assert "Correctie opgeslagen" in page
    assert "teleurgesteld ✎" in page


def test_a_bad_correction_is_explained_and_stores_nothing(desk: Client) -> None:
    message = contact_open(channel="chat", text="Hoi").messages[0]
    url = f"/desk/messages/{message.pk}/corrections/"
    block = desk.post(url, {"signal": "woedend", "value": "niet"}, HTTP_HX_REQUEST="true")
    assert block.status_code == 200 and "errorlist" in block.content.decode()
    assert desk.post(url, {"signal": "anger", "value": "misschien"}).status_code == 302
    assert not SignalCorrection.objects.exists()
    assert (
        desk.post("/desk/messages/999999/corrections/", {"signal": "anger", "value": "niet"}).status_code
        == 404
    )
    assert desk.get(url).status_code == 405


def test_people_without_a_role_cannot_correct(client: Client, db: None) -> None:
    message = contact_open(channel="chat", text="Hoi").messages[0]
    client.force_login(User.objects.create_user("gast", password="x" * 12))
    response = client.post(f"/desk/messages/{message.pk}/corrections/", {"signal": "anger", "value": "niet"})
    assert response.status_code == 403
    assert not SignalCorrection.objects.exists()


@pytest.mark.parametrize("role", ["agent", "teamlead", "manager", "admin"])
def test_agents_and_up_can_correct(client: Client, make_user, role: str) -> None:
    message = contact_open(channel="chat", text="Hoi").messages[0]
    client.force_login(make_user(f"user-{role}", role))
    response = client.post(f"/desk/messages/{message.pk}/corrections/", {"signal": "anger", "value": "niet"})
    assert response.status_code == 302
    assert SignalCorrection.objects.count() == 1


def test_the_card_shows_how_the_customer_felt_with_a_trend(
    desk: Client, customer: Customer, fake_analyser
) -> None:
    start = timezone.now() - timedelta(days=5)
    for i, text in enumerate(["Bedankt!", "Een vraag", "Ik ben boos", "Teleurgesteld en boos"]):
        contact_open(
            channel="chat", identities=[("phone", "0612345678")], text=text, at=start + timedelta(days=i)
        )
    messages_reanalyse(scope="missing")
    current = contact_open(channel="chat", identities=[("phone", "0612345678")], text="Hallo").contact
    page = desk.get(f"/desk/contacts/{current.pk}/").content.decode()
    assert "Hoe de klant zich voelde" in page
    feelings = page[page.index('class="feelings"') : page.index('data-testid="feeling-trend"')]
    assert [word in feelings for word in ("waarderend", "neutraal", "boos")] == [True, True, True]
    assert feelings.index("waarderend") < feelings.index("boos")  # oldest first
    assert "Wordt ontevredener." in page


def test_the_signals_speak_english_too(desk: Client, fake_analyser) -> None:
    message = contact_open(channel="chat", text="Ik ben boos").messages[0]
    messages_analyse([message])
    desk.post("/i18n/setlang/", {"language": "en"})
    page = desk.get(f"/desk/contacts/{message.contact_id}/").content.decode()
    assert "angry (strong)" in page and "not angry" in page
