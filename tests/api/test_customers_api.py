from datetime import timedelta

from django.utils import timezone

from gezien.customers.models import Customer, Identity, RememberedDetail
from tests.conftest import ApiClient


def test_search_and_read_the_card(api: ApiClient, customer: Customer) -> None:
    hits = api.get("/api/customers?q=1234%20AB%2012").json_body
    assert [(h["customer"]["id"], h["matched_on"]) for h in hits] == [(customer.pk, "address")]
    api.post(
        "/api/contacts",
        {"channel": "chat", "identity": {"kind": "phone", "value": "0612345678"}, "text": "Hoi!"},
    )
    card = api.get(f"/api/customers/{customer.pk}").json_body
    assert card["display_name"] == "Annie Jansen"
    assert card["total_contacts"] == 1
    assert card["timeline"][0]["summary"] == "Hoi!"
    assert api.get("/api/customers/987654").status_code == 404


def test_create_customer_with_identities(api: ApiClient, db: None) -> None:
    response = api.post(
        "/api/customers",
        {
            "first_name": "Kees",
            "last_name": "de Boer",
            "identities": [
                {"kind": "phone", "value": "010-1234567"},
                {"kind": "address", "value": "3011 AB 5 a"},
            ],
        },
    )
    assert response.status_code == 201
    kinds = {i["kind"]: i["value"] for i in response.json_body["identities"]}
    assert kinds["phone"] == "+31101234567"
    assert kinds["address"] == "3011AB|5|A"


def test_identity_taken_by_another_customer_is_409(api: ApiClient, customer: Customer) -> None:
    other = api.post("/api/customers", {"first_name": "Piet"}).json_body
    response = api.post(
        f"/api/customers/{other['id']}/identities", {"kind": "email", "value": "a.jansen@ziggo.nl"}
    )
    assert response.status_code == 409
    assert customer.customer_number in response.json_body["detail"][0]["msg"]


def test_remove_identity_only_of_that_customer(api: ApiClient, customer: Customer) -> None:
    other = api.post("/api/customers", {"first_name": "Piet"}).json_body
    email = customer.identities.get(kind="email")
    assert api.delete(f"/api/customers/{other['id']}/identities/{email.pk}").status_code == 404
    assert api.delete(f"/api/customers/{customer.pk}/identities/{email.pk}").status_code == 204
    assert not Identity.objects.filter(pk=email.pk).exists()


def test_remembered_details_lifecycle(api: ApiClient, customer: Customer) -> None:
    due = (timezone.now() + timedelta(days=2)).isoformat()
    created = api.post(
        f"/api/customers/{customer.pk}/details",
        {"kind": "promise", "text": "Terugbellen vóór vrijdag", "due_at": due},
    )
    assert created.status_code == 201
    assert created.json_body["created_by"] == "sanne"
    detail_id = created.json_body["id"]
    done = api.patch(f"/api/customers/{customer.pk}/details/{detail_id}", {"done": True}).json_body
    assert done["done_at"] is not None
    bad = api.post(
        f"/api/customers/{customer.pk}/details", {"kind": "addressing", "text": "Annie", "address_form": ""}
    )
    assert bad.status_code == 422
    assert api.delete(f"/api/customers/{customer.pk}/details/{detail_id}").status_code == 204
    assert not RememberedDetail.objects.filter(pk=detail_id).exists()


def test_tokens_are_shown_once_and_can_be_revoked(api: ApiClient, db: None) -> None:
    created = api.post("/api/tokens", {"name": "mailkoppeling"}).json_body
    assert created["token"].startswith("gz_")
    listed = api.get("/api/tokens").json_body
    assert all("token" not in item for item in listed)
    revoked = api.delete(f"/api/tokens/{created['id']}").json_body
    assert revoked["revoked_at"] is not None
    assert ApiClient(created["token"]).get("/api/reasons").status_code == 401


def test_openapi_schema_and_docs_are_served_to_people_who_are_logged_in(desk, client) -> None:
    schema = desk.get("/api/openapi.json").json()
    assert "/api/contacts" in schema["paths"]
    assert desk.get("/api/docs").status_code == 200
    desk.logout()
    assert desk.get("/api/docs").status_code == 302
