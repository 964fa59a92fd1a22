"""`classify` and the subject helpers: what is a customer's mail and what is not, and why."""

from __future__ import annotations

import pytest

from gezien.mailparse import LOOP_HEADER, classify, normalise_subject, parse, subject_token, token_subject


def classified(*headers: str, body: str = "Hallo", **kwargs):
    raw = ("\n".join(("From: Jan <jan@example.nl>", *headers)) + "\n\n" + body).encode()
    return classify(parse(raw), **kwargs)


def test_a_customer_mail_is_mail():
    assert classified("Subject: Vraag over mijn rekening").outcome == "mail"


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Auto-Submitted: auto-replied", "auto_submitted: auto-replied"),
        ("Auto-Submitted: auto-generated; owner-email=x@y", "auto_submitted: auto-generated"),
        ("Precedence: bulk", "precedence: bulk"),
        ("Precedence: list", "precedence: list"),
        ("Precedence: junk", "precedence: junk"),
        ("X-Autoreply: yes", "x_autoreply"),
        ("X-Autorespond: Bedankt", "x_autorespond"),
        ("Subject: Automatisch antwoord: Uw vraag", "subject: out of office"),
        ("Subject: Out of Office: Your question", "subject: out of office"),
        ("Subject: Automatic reply: x", "subject: out of office"),
        ("Subject: Afwezig", "subject: out of office"),
        ("Subject: Afwezig tot 6 januari", "subject: out of office"),
    ],
)
def test_auto_replies(header, reason):
    found = classified(header)
    assert (found.outcome, found.reason) == ("auto_reply", reason)


def test_auto_submitted_no_and_an_ordinary_afwezig_subject_are_mail():
    assert classified("Auto-Submitted: no").outcome == "mail"
    assert classified("Subject: Afwezig tijdens bezorging").outcome == "mail"
    assert classified("Subject: Re: out of stock?").outcome == "mail"


def test_out_of_office_with_x_auto_response_suppress():
    found = classified("Subject: Automatisch antwoord: x", "X-Auto-Response-Suppress: All")
    assert found.reason == "x_auto_response_suppress: out of office"


def test_loops():
    assert classified(f"{LOOP_HEADER}: support").reason == "loop_header: support"
    own = classified("Message-ID: <c1.2@gezien.shop.nl>", own_message_id_suffix="@gezien.shop.nl")
    assert (own.outcome, own.reason) == ("loop", "own_message_id")
    domain = classified("Auto-Submitted: auto-replied", own_domains=frozenset({"example.nl"}))
    assert (domain.outcome, domain.reason) == (
        "loop",
        "own_domain: example.nl (auto_submitted: auto-replied)",
    )
    assert classified(own_domains=frozenset({"example.nl"})).outcome == "mail"  # a colleague writing in
    assert LOOP_HEADER == "X-Gezien-Mailbox"


def test_spam_flags():
    assert classified("X-Spam-Flag: YES").reason == "x_spam_flag: yes"
    assert classified("X-Spam-Status: Yes, score=9.1").reason == "x_spam_status: yes"
    assert classified("X-Spam-Flag: NO", "X-Spam-Status: No, score=0.1").outcome == "mail"


def test_a_nonstandard_bounce_names_the_original_from_the_body():
    found = classify(
        parse(
            b"From: MAILER-DAEMON@mx.example.nl\n"
            b"Subject: Mail delivery failed: returning message to sender\n\n"
            b"550 5.1.1 user unknown\n\n------ This is a copy of the message ------\n\n"
            b"From: support@shop.nl\nMessage-ID: <c9.1@gezien.shop.nl>\n\nhoi\n"
        ),
        own_message_id_suffix="@gezien.shop.nl",
    )
    assert (found.outcome, found.reason, found.related_message_ids) == (
        "bounce",
        "dsn: 5.1.1",
        ("c9.1@gezien.shop.nl",),
    )


def test_a_customer_who_writes_about_an_undelivered_parcel_is_not_a_bounce():
    assert classified("Subject: Undelivered parcel, Mail delivery failed?").outcome == "mail"


def test_read_receipt_by_subject():
    assert classified("Subject: Gelezen: Uw bestelling").outcome == "receipt"
    assert classified("Subject: Read: Your order").outcome == "receipt"


@pytest.mark.parametrize(
    ("subject", "normal"),
    [
        ("Re: RE: Fwd: FW: Antw: Doorst: WG: AW: TR: Mijn  Pakket", "mijn pakket"),
        ("[klanten] Re: [#1234] Re[2]: Vraag", "vraag"),
        ("RE : Factuur", "factuur"),
        ("Reparatie", "reparatie"),
        ("", ""),
    ],
)
def test_normalise_subject(subject, normal):
    assert normalise_subject(subject) == normal


def test_subject_tokens():
    assert subject_token("Re: Uw vraag [#1234]") == 1234
    assert subject_token("Re: Uw vraag [GZ-77]", prefix="GZ-") == 77
    assert subject_token("Bestelling #1234") is None
    assert token_subject("Uw vraag", 1234) == "Uw vraag [#1234]"
    assert token_subject("Re: Uw vraag [#1234]", 1234) == "Re: Uw vraag [#1234]"
    assert token_subject(token_subject("x", 5), 5) == "x [#5]"
