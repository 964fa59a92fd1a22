"""The root-cause board in the desk: who may answer, impact on a known set, one-click linking and "ik
zie dit ook", the status on the affected customer's gezien-kaart, the board, the reason tree."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gezien.accounts.models import Department, User
from gezien.contacts.models import Contact, ContactReason
from gezien.contacts.services import contact_open
from gezien.core.errors import Forbidden
from gezien.customers.models import Customer
from gezien.customers.services import customer_create
from gezien.insights.models import ContactFact
from gezien.insights.rollups import insights_catch_up
from gezien.insights.rootcause.impact import problems_impact
from gezien.insights.rootcause.models import Problem, ProblemContact
from gezien.insights.rootcause.services import (
    problem_answer,
    problem_create,
    problem_link_contacts,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def logistics(make_user: Callable[..., User]) -> Department:
    department = Department.objects.create(code="logistiek", name="Logistiek")
    department.owners.add(make_user("logistiek", "department", team=None))
    return department


@pytest.fixture
def billing(make_user: Callable[..., User]) -> Department:
    department = Department.objects.create(code="facturatie", name="Facturatie")
    department.owners.add(make_user("facturatie", "department", team=None))
    return department


@pytest.fixture
def late(logistics: Department) -> ContactReason:
    parent = ContactReason.objects.create(code="levering", name="Levering", department=logistics)
    return ContactReason.objects.create(code="levering_vertraagd", name="Levering vertraagd", parent=parent)


@pytest.fixture
def problem(late: ContactReason) -> Problem:
    return problem_create(title="Pakketten vast in magazijn Tilburg", reasons=[late])


def _opened(customer_phone: str, text: str, reason: ContactReason | None, capture: Any) -> Contact:
    with capture(execute=True):
        contact = contact_open(channel="chat", identities=[("phone", customer_phone)], text=text).contact
        if reason is not None:
            Contact.objects.filter(pk=contact.pk).update(reason=reason)
    contact.refresh_from_db()
    return contact


def _login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_the_department_follows_the_reason(problem: Problem, logistics: Department) -> None:
    assert problem.department == logistics and problem.status == "nieuw"


def test_a_department_owner_answers_their_own_problem_but_not_another_departments(
    problem: Problem, billing: Department, client: Client
) -> None:
    owner = User.objects.get(username="logistiek")
    problem_answer(
        problem=problem, actor=owner, text="Vervoerder zit vast; vanaf vrijdag weer normaal.", status="erkend"
    )
    problem.refresh_from_db()
    assert problem.status == "erkend"

    stranger = User.objects.get(username="facturatie")
    with pytest.raises(Forbidden):
        problem_answer(problem=problem, actor=stranger, text="Niet van ons", status="geen_actie")
    # The other department does not even see it.
    assert _login(client, stranger).get(f"/insights/problems/{problem.pk}/").status_code == 404
    assert client.post(f"/insights/problems/{problem.pk}/answer", {"text": "x"}).status_code == 404
    problem.refresh_from_db()
    assert problem.status == "erkend"


def test_an_agent_cannot_set_a_status(problem: Problem, agent: User, desk: Client) -> None:
    with pytest.raises(Forbidden):
        problem_answer(problem=problem, actor=agent, status="opgelost")
    assert desk.post(f"/insights/problems/{problem.pk}/answer", {"status": "opgelost"}).status_code == 403
    problem.refresh_from_db()
    assert problem.status == "nieuw" and problem.solved_at is None


def test_solving_stamps_the_time_and_keeps_the_history(
    problem: Problem, make_user: Callable[..., User]
) -> None:
    manager = make_user("baas", "manager")
    problem_answer(problem=problem, actor=manager, status="in_behandeling", text="We zoeken het uit.")
    problem_answer(problem=problem, actor=manager, status="opgelost", text="Opgelost: nieuwe vervoerder.")
    problem.refresh_from_db()
    assert problem.status == "opgelost" and problem.solved_at is not None
    assert [u.status for u in problem.updates.order_by("at", "id")] == ["in_behandeling", "opgelost"]


def test_impact_on_a_known_set(
    problem: Problem, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.GEZIEN_CONTACT_VALUE_EUR = 7
    customer_create(first_name="An", last_name="Jansen", identities=[("phone", "06-30000001")])
    customer_create(first_name="Bo", last_name="de Wit", identities=[("phone", "06-30000002")])
    texts = ["Waar blijft mijn pakket?", "Nog steeds niets!", "Pakket kwijt"]
    phones = ["06-30000001", "06-30000001", "06-30000002"]
    contacts = [
        _opened(p, t, None, django_capture_on_commit_callbacks) for p, t in zip(phones, texts, strict=True)
    ]
    problem_link_contacts(problem=problem, contacts=contacts)
    insights_catch_up()
    # Known figures per contact: 10, 20 and 30 minutes; the second negative; the third churn.
    for contact, seconds, negative, churn in zip(
        contacts, (600, 1200, 1800), (False, True, False), (0, 0, 0.8), strict=True
    ):
        ContactFact.objects.filter(pk=contact.pk).update(
            handling_seconds=seconds, negative=negative, churn=churn
        )

    impact = problems_impact([problem.pk])[problem.pk]

    assert impact.contacts == 3 and impact.customers == 2
    assert impact.agent_hours == 1.0
    assert impact.negative_share == pytest.approx(1 / 3)
    assert impact.churn_customers == 1
    assert impact.money == 21


def test_money_is_not_shown_without_a_value_per_contact(problem: Problem, settings: Any) -> None:
    settings.GEZIEN_CONTACT_VALUE_EUR = 0
    assert problems_impact([problem.pk])[problem.pk].money is None


def test_one_click_link_and_seen_too_from_the_contact_page(
    problem: Problem,
    late: ContactReason,
    customer: Customer,
    desk: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    contact = _opened(
        "0612345678", "Mijn bestelling is al een week onderweg", late, django_capture_on_commit_callbacks
    )
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert "Pakketten vast in magazijn Tilburg" in page and "Koppel aan signaal" in page

    desk.post(
        f"/insights/problems/{problem.pk}/link",
        {"contact_id": contact.pk, "next": f"/desk/contacts/{contact.pk}/"},
    )
    assert ProblemContact.objects.filter(problem=problem, contact=contact, kind="link").exists()

    desk.post(
        f"/insights/problems/{problem.pk}/link",
        {
            "contact_id": contact.pk,
            "kind": "seen_too",
            "note": "Klant zegt: track & trace staat al 5 dagen stil",
        },
    )
    link = ProblemContact.objects.get(problem=problem, contact=contact)
    assert link.kind == "seen_too" and "track & trace" in link.note
    page = desk.get(f"/insights/problems/{problem.pk}/").content.decode()
    assert "track &amp; trace staat al 5 dagen stil" in page


def test_an_example_is_required_for_seen_too(
    problem: Problem,
    late: ContactReason,
    desk: Client,
    customer: Customer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    contact = _opened("0612345678", "Waar is mijn pakket", late, django_capture_on_commit_callbacks)
    desk.post(
        f"/insights/problems/{problem.pk}/link", {"contact_id": contact.pk, "kind": "seen_too", "note": "  "}
    )
    assert not ProblemContact.objects.filter(problem=problem).exists()


def test_the_status_and_answer_show_on_the_affected_customers_card(
    problem: Problem,
    late: ContactReason,
    customer: Customer,
    desk: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    earlier = _opened("0612345678", "Pakket komt niet", late, django_capture_on_commit_callbacks)
    problem_link_contacts(problem=problem, contacts=[earlier])
    problem_answer(
        problem=problem,
        actor=User.objects.get(username="logistiek"),
        text="Nieuwe vervoerder vanaf maandag.",
        status="in_behandeling",
    )
    now = _opened(
        "0612345678", "Hallo, ik heb een vraag over mijn factuur", None, django_capture_on_commit_callbacks
    )
    page = desk.get(f"/desk/contacts/{now.pk}/").content.decode()
    card = page[page.index('data-testid="card-problems"') :]
    assert "Pakketten vast in magazijn Tilburg" in card and "In behandeling" in card
    assert "Nieuwe vervoerder vanaf maandag." in card


def test_the_board_shows_problems_with_impact_for_the_owner_only_their_own(
    problem: Problem, billing: Department, client: Client, make_user: Callable[..., User]
) -> None:
    other = problem_create(title="Dubbele incasso", department=billing)
    page = _login(client, User.objects.get(username="logistiek")).get("/insights/board/").content.decode()
    assert "Pakketten vast in magazijn Tilburg" in page and other.title not in page
    manager_page = _login(client, make_user("baas", "manager")).get("/insights/board/").content.decode()
    assert other.title in manager_page
    csv = client.get("/insights/board/?format=csv&table=problems")
    assert csv["Content-Type"].startswith("text/csv") and "Dubbele incasso" in csv.content.decode()


def test_similar_new_contacts_are_proposed_and_linked_with_one_click(
    problem: Problem, late: ContactReason, desk: Client, django_capture_on_commit_callbacks: Any
) -> None:
    customer_create(first_name="Cas", last_name="Bos", identities=[("phone", "06-40000001")])
    customer_create(first_name="Dirk", last_name="Smit", identities=[("phone", "06-40000002")])
    linked = _opened(
        "06-40000001",
        "Pakket ligt vast bij de vervoerder in Tilburg",
        late,
        django_capture_on_commit_callbacks,
    )
    problem_link_contacts(problem=problem, contacts=[linked])
    new = _opened("06-40000002", "Mijn pakket ligt vast in Tilburg", late, django_capture_on_commit_callbacks)
    page = desk.get(f"/insights/problems/{problem.pk}/").content.decode()
    section = page[page.index('data-testid="similar"') :]
    assert f"/desk/contacts/{new.pk}/" in section and "tilburg" in section.lower()
    desk.post(f"/insights/problems/{problem.pk}/link", {"contact_id": new.pk})
    assert problem.links.count() == 2


def test_affected_customers_are_listed_when_solved(
    problem: Problem, make_user: Callable[..., User], client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    customer_create(
        first_name="Els", last_name="Kok", identities=[("phone", "06-50000001"), ("email", "els@example.nl")]
    )
    contact = _opened("06-50000001", "Waar blijft het?", None, django_capture_on_commit_callbacks)
    problem_link_contacts(problem=problem, contacts=[contact])
    manager = make_user("baas", "manager")
    problem_answer(problem=problem, actor=manager, status="opgelost", text="Alles is weer op weg.")
    _login(client, manager)
    page = client.get(f"/insights/problems/{problem.pk}/").content.decode()
    assert "Els Kok" in page and "els@example.nl" in page
    csv = client.get(f"/insights/problems/{problem.pk}/affected.csv").content.decode()
    assert "Els Kok" in csv and "els@example.nl" in csv


def test_managers_edit_the_reason_tree_and_departments(
    client: Client, make_user: Callable[..., User], logistics: Department
) -> None:
    _login(client, make_user("baas", "manager"))
    client.post(
        "/insights/reasons/",
        {
            "action": "add",
            "code": "levering_kwijt",
            "name": "Pakket kwijt",
            "parent": "",
            "department": "logistiek",
        },
    )
    reason = ContactReason.objects.get(code="levering_kwijt")
    assert reason.department == logistics
    top = ContactReason.objects.create(code="levering", name="Levering")
    client.post(
        "/insights/reasons/",
        {
            "action": "change",
            "reason": "levering_kwijt",
            "name": "Pakket zoek",
            "parent": "levering",
            "department": "",
        },
    )
    reason.refresh_from_db()
    assert (
        reason.name == "Pakket zoek"
        and reason.parent == top
        and reason.department is None
        and not reason.active
    )
    client.post(
        "/insights/reasons/",
        {
            "action": "change",
            "reason": "levering",
            "name": "Levering",
            "parent": "levering_kwijt",
            "active": "1",
        },
    )
    top.refresh_from_db()
    assert top.parent is None  # a reason cannot hang under its own child
    client.post("/insights/reasons/", {"action": "department", "code": "it", "name": "IT", "owners": "baas"})
    assert Department.objects.get(code="it").owners.filter(username="baas").exists()


def test_agents_cannot_edit_the_reason_tree(desk: Client) -> None:
    assert desk.get("/insights/reasons/").status_code == 403


def test_a_problems_long_list_of_contacts_is_paged(problem: Problem, desk: Client) -> None:
    contacts = [
        contact_open(channel="chat", identities=[], text=f"Waar blijft {n}?", subject=f"Pakket {n}").contact
        for n in range(53)
    ]
    problem_link_contacts(problem=problem, contacts=contacts)
    first = desk.get(f"/insights/problems/{problem.pk}/").content.decode()
    assert "Gekoppelde contacten (53)" in first and "Pagina 1 van 2" in first
    assert ">Pakket 0<" not in first and ">Pakket 52<" in first  # newest first; the oldest on page 2
    second = desk.get(f"/insights/problems/{problem.pk}/?page=2").content.decode()
    assert "Pagina 2 van 2" in second and ">Pakket 0<" in second
