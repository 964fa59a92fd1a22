"""The library of good examples, "Zo kan het ook": marked by the agent or their team lead, anonymised for
the customer, searchable by situation and words, readable by every agent (issue 19)."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.audit.models import AuditEntry
from gezien.coaching.anonymise import anonymise
from gezien.coaching.models import GoodExample
from gezien.coaching.services import policy_save
from gezien.contacts.models import Contact
from gezien.customers.models import Customer, Identity
from tests.coaching.conftest import ATTENTIVE, Handled
from tests.conftest import ApiClient

# A customer who gives her name, e-mail, phone and address; the agent names her and her feeling.
WITH_DETAILS = [
    (
        "customer",
        "Met Ria Jansen, mijn man is vorige week overleden en ik wil zijn abonnement opzeggen. "
        "Mail me op ria.jansen@example.nl of bel 06-12345678, ik woon Kerkstraat 12, 1234 AB Utrecht.",
        0.0,
        9.0,
    ),
    (
        "agent",
        "Gecondoleerd, mevrouw Jansen, wat verdrietig. Neem gerust de tijd. "
        "Ik stuur de bevestiging naar ria.jansen@example.nl, is dat goed?",
        9.6,
        15.0,
    ),
    ("customer", "Ja, dank u.", 15.5, 16.0),
    ("agent", "Dan zet ik het abonnement voor u stop per vandaag.", 16.5, 19.0),
]


def _api(user: User) -> ApiClient:
    return ApiClient(token_create(user=user, name="t")[1])


def _desk(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _with_customer(contact: Contact) -> Contact:
    customer = Customer.objects.create(customer_number="K-20391", first_name="Ria", last_name="Jansen")
    Identity.objects.create(
        customer=customer, kind="email", value="ria.jansen@example.nl", display="ria.jansen@example.nl"
    )
    Contact.objects.filter(pk=contact.pk).update(customer=customer)
    return contact


def test_anonymise_removes_what_points_at_the_customer() -> None:
    text = (
        "Goedemiddag mevrouw De Wit, ik stuur het naar wit@example.org en bel u op 020 123 4567. "
        "Uw IBAN NL91ABNA0417164300 en postcode 1234AB op de Dorpsweg 3a. Ria, het is 2024 nu."
    )
    done = anonymise(text, known=["Ria"])
    for gone in (
        "De Wit",
        "wit@example.org",
        "020 123 4567",
        "NL91ABNA0417164300",
        "1234AB",
        "Dorpsweg",
        "Ria",
    ):
        assert gone not in done, gone
    assert "mevrouw [naam]" in done and "[e-mail]" in done and "[telefoon]" in done and "[adres]" in done
    assert "2024 nu" in done and "Goedemiddag" in done  # a year and ordinary words stay
    assert anonymise("Mijn nummer is K-20391.", known=["K-20391"]) == "Mijn nummer is [klantnummer]."


def test_the_agent_marks_a_moment_and_colleagues_find_it_anonymised(
    agent: User, colleague: User, lead: User, handled: Handled
) -> None:
    contact = _with_customer(handled(agent, WITH_DETAILS))
    answer = _api(agent).post(
        "/api/coaching/examples",
        {
            "contact_id": contact.pk,
            "turn": 1,
            "situation": "rouw",
            "why": "Eerst condoleren, dan pas de administratie.",
            "habit": "eerst_luisteren",
        },
    )
    assert answer.status_code == 201, answer.json_body
    made = answer.json_body
    assert [t["author"] for t in made["excerpt"]] == ["customer", "agent"]
    stored = " ".join(t["text"] for t in made["excerpt"])
    for gone in ("Ria", "Jansen", "ria.jansen@example.nl", "06-12345678", "Kerkstraat", "1234 AB"):
        assert gone not in stored, gone
    assert "Gecondoleerd, mevrouw [naam], wat verdrietig" in stored
    assert made["situation_label"] == "Rouw of overlijden" and made["agent"]["username"] == "sanne"
    assert AuditEntry.objects.filter(action="coaching.example_create", object_id=str(contact.pk)).exists()

    # A colleague (another agent) reads the library: by situation and by words.
    reader = _api(colleague)
    assert [e["id"] for e in reader.get("/api/coaching/examples?situation=rouw").json_body] == [made["id"]]
    assert reader.get("/api/coaching/examples?situation=boos").json_body == []
    assert [e["id"] for e in reader.get("/api/coaching/examples?q=condoleren%20administratie").json_body] == [
        made["id"]
    ]
    assert reader.get("/api/coaching/examples?q=jansen").json_body == []  # the name is not stored
    page = _desk(colleague).get("/desk/coaching/examples/?situation=rouw")
    assert page.status_code == 200 and "Eerst condoleren" in page.content.decode()
    assert "Jansen" not in page.content.decode()

    # The colleague may not remove it; its author may.
    assert reader.delete(f"/api/coaching/examples/{made['id']}").status_code == 403
    assert reader.get(f"/api/coaching/examples/{made['id']}").json_body["can_remove"] is False
    assert _api(agent).delete(f"/api/coaching/examples/{made['id']}").status_code == 204
    assert not GoodExample.objects.exists()


def test_marking_is_for_the_agent_and_their_lead_and_checks_the_moment(
    agent: User, colleague: User, lead: User, manager: User, handled: Handled
) -> None:
    contact = handled(agent, ATTENTIVE, ago=timedelta(hours=2))
    body = {"contact_id": contact.pk, "turn": 1, "situation": "boos", "why": "Benoemt het gevoel."}
    assert _api(colleague).post("/api/coaching/examples", body).status_code == 403  # not their contact
    assert _api(lead).post("/api/coaching/examples", {**body, "turn": 0}).status_code == 422  # the customer
    assert _api(lead).post("/api/coaching/examples", {**body, "turn": 99}).status_code == 422
    assert _api(lead).post("/api/coaching/examples", {**body, "why": " "}).status_code == 422
    assert not GoodExample.objects.exists()
    made = _api(lead).post("/api/coaching/examples", {**body, "situation": "Klant  met Haast"}).json_body
    assert made["situation"] == "klant met haast"  # a free label, normalised
    # Another team lead removes it (team leads may); the agent could not have.
    assert _api(agent).delete(f"/api/coaching/examples/{made['id']}").status_code == 403
    assert _api(manager).delete(f"/api/coaching/examples/{made['id']}").status_code == 204

    # With per-agent scores off a lead no longer opens the agent's read, so marks nothing; the agent does.
    policy_save(actor=manager, per_agent_scores=False)
    assert _api(lead).post("/api/coaching/examples", body).status_code == 403
    assert _api(agent).post("/api/coaching/examples", body).status_code == 201


def test_desk_marks_from_the_read_and_removes(agent: User, lead: User, handled: Handled) -> None:
    contact = _with_customer(handled(agent, WITH_DETAILS))
    desk = _desk(lead)
    read = desk.get(f"/desk/coaching/contacts/{contact.pk}/").content.decode()
    assert 'data-testid="example-form"' in read
    done = desk.post(
        f"/desk/coaching/contacts/{contact.pk}/examples/",
        {"turn": "1", "situation": "anders", "label": "weduwe", "why": "Warm en rustig.", "habit": ""},
    )
    assert done.status_code == 302
    example = GoodExample.objects.get()
    assert example.situation == "weduwe" and example.author == lead and "Jansen" not in str(example.excerpt)
    refused = desk.post(f"/desk/coaching/contacts/{contact.pk}/examples/", {"turn": "x", "why": "a"})
    assert refused.status_code == 302 and GoodExample.objects.count() == 1
    library = desk.get("/desk/coaching/examples/?q=warm").content.decode()
    assert "Warm en rustig." in library and f"/desk/coaching/examples/{example.pk}/remove/" in library
    assert desk.post(f"/desk/coaching/examples/{example.pk}/remove/").status_code == 302
    assert not GoodExample.objects.exists()
