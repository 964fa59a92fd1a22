"""/api/mailboxes and /api/mail: admins manage mailboxes and the quarantine; agents mark spam."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gezien.contacts.models import Contact, Status
from gezien.mail.intake import ingest
from gezien.mail.models import BlockedSender, InboundMail, Mailbox
from tests.conftest import ApiClient
from tests.mail.conftest import eml


@pytest.mark.parametrize("role", ["agent", "teamlead", "manager"])
def test_only_admins_manage_mailboxes_and_the_quarantine(
    mailbox: Mailbox, api_as: Callable[[str], ApiClient], role: str
) -> None:
    client = api_as(role)
    inbound = ingest(mailbox, b"\x00")
    for method, path, body in [
        ("get", "/api/mailboxes", None),
        ("post", "/api/mailboxes", {"name": "x", "address": "x@voorbeeld.nl"}),
        ("patch", f"/api/mailboxes/{mailbox.pk}", {"active": False}),
        ("get", "/api/mail/inbound?outcome=quarantined", None),
        ("get", f"/api/mail/inbound/{inbound.inbound_id}", None),
        ("get", f"/api/mail/inbound/{inbound.inbound_id}/raw", None),
        ("post", f"/api/mail/inbound/{inbound.inbound_id}/retry", {}),
        ("post", "/api/mail/inbound/retry", {"ids": [inbound.inbound_id]}),
    ]:
        answer = client.call(method, path, body)
        assert answer.status_code == 403, (method, path)
        assert answer.json_body["detail"][0]["type"] == "Forbidden"
    mailbox.refresh_from_db()
    assert mailbox.active and Mailbox.objects.count() == 1


def test_an_admin_adds_and_changes_a_mailbox_and_never_sees_a_password(
    db: None, team: object, api_as: Callable[[str], ApiClient]
) -> None:
    admin = api_as("admin")
    made = admin.post(
        "/api/mailboxes",
        {
            "name": "support",
            "address": "support@voorbeeld.nl",
            "imap_url": "imaps://support:geheim123@imap.voorbeeld.nl/INBOX",
            "smtp_url": "smtps://support:geheim123@smtp.voorbeeld.nl",
            "team": "Team Noord",
        },
    )
    assert made.status_code == 201, made.json_body
    body = made.json_body
    assert body["imap_url"] == "imaps://support@imap.voorbeeld.nl:993/INBOX"
    assert body["smtp_url"] == "smtps://support@smtp.voorbeeld.nl:465"
    assert body["team"] == "Team Noord" and body["quarantined"] == 0
    assert "geheim123" not in admin.get("/api/mailboxes").content.decode()
    # Sending the shown URL back keeps the stored password.
    changed = admin.patch(f"/api/mailboxes/{body['id']}", {"imap_url": body["imap_url"], "team": ""})
    assert changed.status_code == 200 and changed.json_body["team"] is None
    assert "geheim123" in Mailbox.objects.get().imap_url
    bad = admin.patch(f"/api/mailboxes/{body['id']}", {"smtp_url": "ftp://x"})
    assert bad.status_code == 422 and bad.json_body["detail"][0]["loc"] == ["body", "smtp_url"]
    twice = admin.post("/api/mailboxes", {"name": "support", "address": "ander@voorbeeld.nl"})
    assert twice.status_code == 409 and twice.json_body["detail"][0]["loc"] == ["body", "name"]
    assert admin.get("/api/mailboxes/999999").status_code == 404


def test_the_quarantine_lists_downloads_and_retries(
    mailbox: Mailbox, api_as: Callable[[str], ApiClient]
) -> None:
    admin = api_as("admin")
    BlockedSender.objects.create(address="a.jansen@ziggo.nl")
    held = ingest(mailbox, eml())
    ingest(mailbox, eml(sender="kees@example.org", message_id="<k@example.org>"))
    listed = admin.get("/api/mail/inbound?outcome=quarantined")
    assert listed.status_code == 200
    assert [(m["id"], m["reason"]) for m in listed.json_body["items"]] == [(held.inbound_id, "blocked")]
    one = admin.get(f"/api/mail/inbound/{held.inbound_id}").json_body
    assert one["from_address"] == "a.jansen@ziggo.nl" and one["attempts"] == 1
    assert one["reason"] == "blocked" and one["reason_text"] == "De afzender is geblokkeerd"
    raw = admin.get(f"/api/mail/inbound/{held.inbound_id}/raw")
    assert raw.status_code == 200 and raw["Content-Type"] == "message/rfc822"
    assert raw["Content-Disposition"].startswith("attachment;")
    assert raw.content == eml()
    assert admin.post(f"/api/mail/inbound/{held.inbound_id}/retry", {}).json_body["outcome"] == "quarantined"
    released = admin.post(f"/api/mail/inbound/{held.inbound_id}/retry", {"release": True})
    assert released.status_code == 200
    assert released.json_body["outcome"] == "contact" and released.json_body["contact_id"]
    assert admin.get("/api/mail/inbound?outcome=nonsense").status_code == 422


def test_an_agent_marks_an_email_contact_as_spam(mailbox: Mailbox, api: ApiClient) -> None:
    result = ingest(mailbox, eml(sender="spam@junk.example"))
    answer = api.post(f"/api/contacts/{result.contact_id}/spam")
    assert answer.status_code == 200, answer.json_body
    assert answer.json_body == {
        "contact_id": result.contact_id,
        "status": "closed",
        "blocked": "spam@junk.example",
    }
    assert Contact.objects.get(pk=result.contact_id).status == Status.CLOSED
    later = ingest(
        mailbox, eml(sender="spam@junk.example", message_id="<again@junk.example>", subject="Weer")
    )
    assert later.outcome == "quarantined"
    assert InboundMail.objects.get(pk=later.inbound_id).reason == "blocked"
    assert api.post("/api/contacts/999999/spam").status_code == 404


def test_marking_a_phone_contact_as_spam_is_refused(api: ApiClient, customer: object) -> None:
    made = api.post(
        "/api/contacts", {"channel": "phone", "identities": [{"kind": "phone", "value": "0612345678"}]}
    )
    assert made.status_code == 201, made.json_body
    answer = api.post(f"/api/contacts/{made.json_body['id']}/spam")
    assert answer.status_code == 422
    assert not BlockedSender.objects.exists()


def test_an_admin_lists_and_unblocks_blocked_senders(
    mailbox: Mailbox, api: ApiClient, api_as: Callable[[str], ApiClient]
) -> None:
    result = ingest(mailbox, eml(sender="spam@junk.example"))
    api.post(f"/api/contacts/{result.contact_id}/spam")
    assert api.get("/api/mail/blocked").status_code == 403
    admin = api_as("admin")
    listed = admin.get("/api/mail/blocked").json_body["items"]
    assert [(b["address"], b["blocked_by"]) for b in listed] == [("spam@junk.example", "sanne")]
    assert api.delete(f"/api/mail/blocked/{listed[0]['id']}").status_code == 403
    assert admin.delete(f"/api/mail/blocked/{listed[0]['id']}").status_code == 204
    assert admin.delete(f"/api/mail/blocked/{listed[0]['id']}").status_code == 404
    later = ingest(
        mailbox, eml(sender="spam@junk.example", message_id="<again@junk.example>", subject="Weer")
    )
    assert later.outcome == "contact"


def test_an_inbound_mail_says_why_in_words_beside_its_reason_code(
    mailbox: Mailbox, api_as: Callable[[str], ApiClient]
) -> None:
    admin = api_as("admin")
    ingest(mailbox, eml(message_id="<a1@ziggo.nl>", headers={"Auto-Submitted": "auto-replied"}))
    broken = ingest(mailbox, eml(sender="Niemand <>", message_id="<x1@ziggo.nl>"))
    items = admin.get("/api/mail/inbound").json_body["items"]
    shown = {m["reason"]: m["reason_text"] for m in items}
    assert shown["auto_submitted: auto-replied"] == "Automatisch antwoord (afwezigheidsmelding)"
    assert shown["error"] == "Kon niet worden gelezen: De e-mail heeft geen bruikbaar afzenderadres."
    one = admin.get(f"/api/mail/inbound/{broken.inbound_id}").json_body
    assert one["error"].startswith("ValueError: ")  # the admin's detail stays as it was


def test_many_quarantined_mails_are_retried_at_once(
    mailbox: Mailbox, api_as: Callable[[str], ApiClient]
) -> None:
    admin = api_as("admin")
    BlockedSender.objects.create(address="a.jansen@ziggo.nl")
    blocked = [ingest(mailbox, eml(message_id=f"<b{n}@ziggo.nl>", subject=f"Vraag {n}")) for n in range(2)]
    broken = ingest(mailbox, b"\x00\x01")
    kees = ingest(mailbox, eml(sender="kees@example.org", message_id="<k@example.org>"))
    # The ids given: the blocked ones stay held without release; the handled one answers what it was.
    ids = [blocked[0].inbound_id, kees.inbound_id]
    answer = admin.post("/api/mail/inbound/retry", {"ids": ids})
    assert answer.status_code == 200, answer.json_body
    body = answer.json_body
    assert [(r["inbound_id"], r["outcome"]) for r in body["results"]] == [
        (blocked[0].inbound_id, "quarantined"),
        (kees.inbound_id, "contact"),
    ]
    assert (body["handled"], body["quarantined"]) == (1, 3)
    assert InboundMail.objects.get(pk=blocked[0].inbound_id).attempts == 2
    # Released: both blocked mails through, the broken one (an error) left alone by the filter.
    answer = admin.post("/api/mail/inbound/retry", {"reason": "blocked", "release": True})
    assert [r["outcome"] for r in answer.json_body["results"]] == ["contact", "contact"]
    assert answer.json_body["quarantined"] == 1
    assert InboundMail.objects.get(pk=broken.inbound_id).attempts == 1
    # Bad input: a clear error, nothing run.
    missing = admin.post("/api/mail/inbound/retry", {"ids": [broken.inbound_id, 987654]})
    assert missing.status_code == 422 and missing.json_body["detail"][0]["loc"][-1] == "ids"
    assert admin.post("/api/mail/inbound/retry", {"reason": "weet niet"}).status_code == 422
    assert admin.post("/api/mail/inbound/retry", {"ids": []}).status_code == 422
    assert InboundMail.objects.get(pk=broken.inbound_id).attempts == 1
