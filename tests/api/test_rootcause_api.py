"""API of the root-cause board: problems with impact, linking, "ik zie dit ook", department answers
(scoped to the owner's department), affected customers, spikes, the board, reasons and departments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gezien.accounts.models import Department, User
from gezien.accounts.tokens import token_create
from gezien.contacts.models import Contact, ContactReason
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def owners(make_user: Callable[..., User]) -> dict[str, ApiClient]:
    clients = {}
    for code, name in (("logistiek", "Logistiek"), ("facturatie", "Facturatie")):
        user = make_user(code, "department", team=None)
        Department.objects.create(code=code, name=name).owners.add(user)
        clients[code] = ApiClient(token_create(user=user)[1])
    return clients


@pytest.fixture
def late(owners: dict[str, ApiClient]) -> ContactReason:
    department = Department.objects.get(code="logistiek")
    return ContactReason.objects.create(
        code="levering_vertraagd", name="Levering vertraagd", department=department
    )


@pytest.fixture
def contact(customer: Customer, late: ContactReason, django_capture_on_commit_callbacks: Any) -> Contact:
    with django_capture_on_commit_callbacks(execute=True):
        found = contact_open(
            channel="chat", identities=[("phone", "0612345678")], text="Waar is mijn pakket?"
        ).contact
    Contact.objects.filter(pk=found.pk).update(reason=late)
    return found


def _problem(api: ApiClient) -> dict[str, Any]:
    response = api.post(
        "/api/problems", {"title": "Pakketten vast in Tilburg", "reasons": ["levering_vertraagd"]}
    )
    assert response.status_code == 201, response.content
    return response.json_body


def test_an_agent_creates_links_and_sees_too(api: ApiClient, contact: Contact) -> None:
    problem = _problem(api)
    assert problem["department"] == "logistiek" and problem["status"] == "nieuw"
    assert problem["impact"]["contacts"] == 0

    linked = api.post(f"/api/problems/{problem['id']}/contacts", {"contact_id": contact.pk})
    assert linked.status_code == 201 and linked.json_body["kind"] == "link"
    seen = api.post(
        f"/api/problems/{problem['id']}/seen-too",
        {"contact_id": contact.pk, "note": "Ook hier: 5 dagen stil"},
    )
    assert seen.json_body["kind"] == "seen_too" and seen.json_body["note"] == "Ook hier: 5 dagen stil"

    detail = api.get(f"/api/problems/{problem['id']}").json_body
    assert detail["impact"]["contacts"] == 1 and detail["impact"]["customers"] == 1


def test_only_the_owning_department_answers(
    api: ApiClient, owners: dict[str, ApiClient], late: ContactReason
) -> None:
    problem = _problem(api)
    path = f"/api/problems/{problem['id']}/updates"

    assert api.post(path, {"status": "opgelost"}).status_code == 403  # an agent
    assert owners["facturatie"].post(path, {"text": "Niet van ons"}).status_code == 404  # not theirs to see
    answered = owners["logistiek"].post(path, {"text": "Vervoerder gewisseld.", "status": "in_behandeling"})
    assert answered.status_code == 201 and answered.json_body["status"] == "in_behandeling"

    listed = owners["logistiek"].get("/api/problems?status=in_behandeling").json_body
    assert [p["id"] for p in listed] == [problem["id"]] and listed[0][
        "latest_answer"
    ] == "Vervoerder gewisseld."
    assert owners["facturatie"].get("/api/problems").json_body == []


def test_bad_input_gets_clear_errors(api: ApiClient, late: ContactReason) -> None:
    assert api.post("/api/problems", {"title": "X", "reasons": ["bestaat_niet"]}).status_code == 422
    problem = _problem(api)
    assert api.post(f"/api/problems/{problem['id']}/contacts", {"contact_id": 999999}).status_code == 404
    empty = api.post(f"/api/problems/{problem['id']}/seen-too", {"contact_id": 1, "note": ""})
    assert empty.status_code in (404, 422)
    assert api.get("/api/problems?status=kapot").status_code == 422


def test_affected_customers_as_json_and_csv(api_as: Callable[[str], ApiClient], contact: Contact) -> None:
    manager = api_as("manager")
    problem = _problem(manager)
    manager.post(f"/api/problems/{problem['id']}/contacts", {"contact_id": contact.pk})
    manager.post(f"/api/problems/{problem['id']}/updates", {"status": "opgelost", "text": "Opgelost."})
    rows = manager.get(f"/api/problems/{problem['id']}/affected-customers").json_body
    assert [r["contacts"] for r in rows] == [1]
    csv = manager.get(f"/api/problems/{problem['id']}/affected-customers.csv")
    assert csv["Content-Type"].startswith("text/csv") and rows[0]["customer_number"] in csv.content.decode()


def test_the_board_and_spikes_are_scoped(
    api_as: Callable[[str], ApiClient], owners: dict[str, ApiClient], late: ContactReason
) -> None:
    manager = api_as("manager")
    _problem(manager)
    board = manager.get("/api/insights/board").json_body
    assert [p["title"] for p in board["problems"]] == ["Pakketten vast in Tilburg"]
    assert owners["facturatie"].get("/api/insights/board").json_body["problems"] == []
    assert manager.get("/api/spikes").json_body == []
    assert api_as("agent").get("/api/insights/board").status_code == 403


def test_reasons_and_departments_are_managed_by_managers(
    api_as: Callable[[str], ApiClient], owners: dict[str, ApiClient]
) -> None:
    manager = api_as("manager")
    made = manager.post("/api/reasons", {"code": "storing", "name": "Storing", "department": "logistiek"})
    assert made.status_code == 201 and made.json_body["department"] == "logistiek"
    moved = manager.patch("/api/reasons/storing", {"name": "Storingen", "department": "", "active": False})
    assert moved.json_body["name"] == "Storingen" and moved.json_body["department"] is None
    assert moved.json_body["active"] is False
    dept = manager.post("/api/departments", {"code": "it", "name": "IT", "owners": ["logistiek"]})
    assert dept.status_code == 201 and dept.json_body["owners"] == ["logistiek"]
    assert api_as("agent").post("/api/reasons", {"code": "x", "name": "X"}).status_code == 403
    assert manager.post("/api/departments", {"code": "it", "name": "IT"}).status_code == 409


def test_a_reason_is_proposed_with_the_words_behind_it(
    api: ApiClient, customer: Customer, django_capture_on_commit_callbacks: Any
) -> None:
    from gezien.insights.rootcause.proposal import reason_model_reset

    ContactReason.objects.create(code="factuur_dubbel_afgeschreven", name="Dubbel afgeschreven")
    ContactReason.objects.create(code="storing_internet", name="Storing internet")
    reason_model_reset()
    with django_capture_on_commit_callbacks(execute=True):
        contact = contact_open(
            channel="email",
            identities=[("phone", "0612345678")],
            text="Het bedrag is dubbel afgeschreven van mijn rekening!",
        ).contact
    body = api.get(f"/api/contacts/{contact.pk}/reason-proposal").json_body
    reason_model_reset()
    assert body["reason"] == "factuur_dubbel_afgeschreven" and "dubbel" in body["words"]


@pytest.fixture(autouse=True)
def _analyse_inline(settings: Any) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = True  # insights read signals; with DATABASE_URL the default is a task
