"""The public contact form: a post becomes a webform contact recognised like any other, with its files;
bad input gets a clear Dutch error and leaves nothing behind; a honeypot and a limit per address keep
robots out; the embeddable variant may be framed by the configured sites only; POST /api/webform."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gezien.contacts.models import Attachment, Contact, Message
from gezien.customers.models import Customer
from gezien.customers.services import customer_create
from gezien.webforms.models import FormSubmission
from tests.attachment_data import PNG
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Annie Jansen",
    "email": "A.Jansen@Ziggo.nl",
    "phone": "",
    "subject": "Mijn router knippert rood",
    "message": "Sinds gisteren knippert mijn router rood.\nWat kan ik doen?",
}


def _post(data: dict[str, Any], path: str = "/contact/", **extra: Any) -> Any:
    return Client().post(path, data, **extra)


def _nothing_stored() -> None:
    assert (Contact.objects.count(), Message.objects.count(), Attachment.objects.count()) == (0, 0, 0)
    assert not FormSubmission.objects.filter(caught=False).exists()


def test_the_form_page_speaks_dutch_and_english(client: Client) -> None:
    page = Client().get("/contact/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="nl">' in html and "Neem contact met ons op" in html and 'name="website"' in html
    assert page["Content-Security-Policy"].endswith("; frame-ancestors 'none'")
    assert page["X-Frame-Options"] == "DENY"
    english = Client().get("/contact/?lang=en").content.decode()
    assert '<html lang="en">' in english and "Contact us" in english and "Send" in english


def test_a_post_becomes_a_webform_contact_recognised_from_the_e_mail(customer: Customer) -> None:
    response = _post({**FORM, "attachments": [SimpleUploadedFile("foto.png", PNG, "image/png")]})
    assert response.status_code == 302 and response["Location"] == "/contact/thanks/?lang=nl"
    contact = Contact.objects.get()
    assert (contact.channel, contact.recognition, contact.customer) == ("webform", "recognised", customer)
    assert contact.subject == "Mijn router knippert rood"
    [message] = contact.messages.all()
    assert message.author == "customer" and message.text == FORM["message"]
    [attachment] = contact.attachments.all()
    assert (attachment.message, attachment.filename, attachment.content_type) == (
        message,
        "foto.png",
        "image/png",
    )
    submission = contact.form_submission
    assert (submission.name, submission.email, submission.via) == (
        "Annie Jansen",
        "A.Jansen@Ziggo.nl",
        "form",
    )
    assert submission.client and "127.0.0.1" not in submission.client  # a keyed hash, not the address
    thanks = Client().get(response["Location"]).content.decode()
    assert "Bedankt voor uw bericht" in thanks


def test_one_customers_phone_and_anothers_e_mail_make_it_ambiguous(customer: Customer) -> None:
    other = customer_create(first_name="Bert", last_name="Smit", identities=[("phone", "0687654321")])
    _post({**FORM, "phone": "06-87654321"})
    contact = Contact.objects.get()
    assert contact.recognition == "ambiguous"
    assert sorted(contact.candidate_ids) == sorted([customer.pk, other.pk])


def test_a_phone_number_alone_will_do(db: None) -> None:
    assert _post({**FORM, "email": "", "phone": "020 123 4567"}).status_code == 302
    contact = Contact.objects.get()
    assert (contact.identity_kind, contact.identity_value) == ("phone", "+31201234567")
    assert contact.identity_raw == "Annie Jansen <020 123 4567>"


def test_the_agent_sees_who_an_unknown_sender_said_they_are(db: None, make_user: Any) -> None:
    _post(FORM)
    contact = Contact.objects.get()
    assert contact.recognition == "unidentified"
    agent = Client()
    agent.force_login(make_user("sanne", role="agent"))
    page = agent.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert "Binnengekomen als" in page and "Annie Jansen &lt;A.Jansen@Ziggo.nl&gt;" in page


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"name": ""}, "name", "Vul uw naam in."),
        ({"email": "", "phone": ""}, "email", "Vul uw e-mailadres of uw telefoonnummer in"),
        ({"email": "annie@"}, "email", "Dit e-mailadres klopt niet"),
        ({"phone": "bel me"}, "phone", "Dit telefoonnummer klopt niet"),
        ({"subject": "   "}, "subject", "Vul een onderwerp in."),
        ({"message": " \n "}, "message", "Schrijf ons uw vraag of opmerking."),
        ({"message": "x" * 1_000_000}, "message", "Uw bericht is te lang: 1000000 tekens, hoogstens 20000."),
        ({"name": "A" * 101}, "name", "Een naam is hoogstens 100 tekens."),
        ({"subject": "\x00\u202e\x07"}, "subject", "Vul een onderwerp in."),
    ],
)
def test_bad_input_gets_a_dutch_error_keeps_what_was_typed_and_stores_nothing(
    changes: dict[str, str], field: str, error: str, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 3_000_000
    response = _post({**FORM, **changes})
    assert response.status_code == 422
    html = response.content.decode()
    assert error in html
    assert f'id="wf-{field}" value' in html or f'id="wf-{field}"' in html
    assert 'aria-invalid="true"' in html
    if "message" not in changes:
        assert "Sinds gisteren knippert mijn router rood." in html  # the message typed is not lost
    _nothing_stored()


def test_html_and_odd_unicode_are_kept_as_text_and_never_run(db: None, make_user: Any) -> None:
    message = "<script>alert('x')</script> <b>vet</b> café ＡＢＣ 👍🏽 \u202eomgekeerd\x0b"
    _post({**FORM, "name": "Zoë <img src=x onerror=alert(1)>", "message": message})
    contact = Contact.objects.get()
    text = contact.messages.get().text
    assert "<script>alert('x')</script>" in text and "👍🏽" in text and "café" in text
    assert "\x0b" not in text and "\u202e" not in text and "omgekeerd" in text  # invisible controls go
    desk = Client()
    desk.force_login(make_user("sanne", "agent"))
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_a_program_as_attachment_is_refused_and_nothing_is_stored(db: None) -> None:
    exe = SimpleUploadedFile("factuur.pdf.exe", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    response = _post({**FORM, "attachments": [exe]})
    assert response.status_code == 422
    assert "is een programma of webpagina" in response.content.decode()
    _nothing_stored()


def test_too_many_or_too_large_files_are_refused(db: None, settings: Any) -> None:
    settings.GEZIEN_ATTACHMENT_MAX_BYTES = 1000
    big = SimpleUploadedFile("groot.png", PNG + b"\x00" * 2000, "image/png")
    response = _post({**FORM, "attachments": [big]})
    assert response.status_code == 422 and "te groot" in response.content.decode()
    files = [SimpleUploadedFile(f"f{n}.png", PNG, "image/png") for n in range(6)]
    response = _post({**FORM, "attachments": files})
    assert response.status_code == 422 and "hoogstens 5 bestanden" in response.content.decode()
    _nothing_stored()


def test_a_robot_filling_in_the_honeypot_is_thanked_and_nothing_is_opened(db: None) -> None:
    response = _post({**FORM, "website": "https://spam.example"})
    assert response.status_code == 302 and response["Location"].startswith("/contact/thanks/")
    assert Contact.objects.count() == 0
    assert FormSubmission.objects.get().caught


def test_one_address_may_post_only_so_often(db: None, settings: Any) -> None:
    settings.GEZIEN_WEBFORM_MAX_PER_HOUR = 3
    for n in range(3):
        assert _post({**FORM, "subject": f"Vraag {n}"}).status_code == 302
    refused = _post({**FORM, "subject": "Nog een"})
    assert refused.status_code == 429
    assert "Probeer het later nog eens" in refused.content.decode()
    assert Contact.objects.count() == 3
    other = _post({**FORM, "subject": "Van elders"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302 and Contact.objects.count() == 4


def test_the_page_has_csrf_and_the_embed_does_not_need_it(db: None, settings: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/contact/", FORM).status_code == 403
    assert Contact.objects.count() == 0
    settings.GEZIEN_WEBFORM_FRAME_ANCESTORS = (
        "https://www.voorbeeld.nl https://shop.voorbeeld.nl javascript:x"
    )
    embed = strict.get("/contact/embed/")
    assert embed.status_code == 200 and "X-Frame-Options" not in embed
    assert embed["Content-Security-Policy"].endswith(
        "; frame-ancestors 'self' https://www.voorbeeld.nl https://shop.voorbeeld.nl"
    )
    posted = strict.post("/contact/embed/?lang=en", {**FORM, "lang": "en"})
    assert posted.status_code == 302 and posted["Location"] == "/contact/embed/thanks/?lang=en"
    assert Contact.objects.get().form_submission.via == "embed"
    thanks = strict.get(posted["Location"])
    assert "Thank you for your message" in thanks.content.decode() and "X-Frame-Options" not in thanks


# --- POST /api/webform ---------------------------------------------------------------------------------


def test_a_site_posts_the_form_from_its_server(api: ApiClient, customer: Customer) -> None:
    body = {
        "name": "Annie Jansen",
        "email": "a.jansen@ziggo.nl",
        "subject": "Factuur",
        "message": "Ik ben dubbel gefactureerd.",
        "attachments": [
            {"filename": "scan.png", "content_type": "image/png", "data": base64.b64encode(PNG).decode()}
        ],
        "client_address": "198.51.100.4",
    }
    response = api.post("/api/webform", body)
    assert response.status_code == 201, response.content
    assert response.json_body == {
        "contact_id": Contact.objects.get().pk,
        "recognition": "recognised",
        "customer_id": customer.pk,
        "confirmation_sent": False,  # no mailbox here
    }
    contact = Contact.objects.get()
    assert contact.channel == "webform" and contact.attachments.get().filename == "scan.png"
    assert contact.form_submission.via == "api"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({**FORM, "message": 12}, 422),
        ({**FORM, "name": ["a"]}, 422),
        ({k: v for k, v in FORM.items() if k != "subject"}, 422),
        ({**FORM, "email": "", "phone": ""}, 422),
        ({**FORM, "message": "x" * 1_000_000}, 422),
        ({**FORM, "language": "de"}, 422),
        ({**FORM, "attachments": [{"filename": "a.png", "data": "niet base64!"}]}, 422),
        (
            {**FORM, "attachments": [{"filename": "run.exe", "data": base64.b64encode(b"MZ\x90").decode()}]},
            422,
        ),
    ],
)
def test_bad_api_posts_are_refused_and_store_nothing(
    api: ApiClient, body: dict[str, Any], status: int, db: None
) -> None:
    response = api.post("/api/webform", body)
    assert response.status_code == status, response.content
    assert response.json_body["detail"][0]["msg"]
    _nothing_stored()


def test_the_api_wants_a_token_with_the_right(api_as: Any, db: None) -> None:
    assert ApiClient(None).post("/api/webform", FORM).status_code == 401
    assert api_as("department").post("/api/webform", FORM).status_code == 403
    _nothing_stored()
