from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from gezien.core.errors import Conflict, Invalid
from gezien.customers.models import Customer, Identity, RememberedDetail
from gezien.customers.services import (
    customer_create,
    detail_add,
    detail_update,
    identity_add,
    identity_remove,
)


def test_a_new_customer_gets_a_customer_number_that_is_also_an_identity(customer: Customer) -> None:
    assert customer.customer_number.startswith("K")
    kinds = set(customer.identities.values_list("kind", flat=True))
    assert kinds == {"phone", "email", "address", "customer_number"}


def test_an_identity_belongs_to_one_customer(customer: Customer) -> None:
    other = customer_create(first_name="Piet", last_name="Bakker")
    with pytest.raises(Conflict) as exc:
        identity_add(customer=other, kind="phone", value="+31 6 12345678")
    assert customer.customer_number in exc.value.message


def test_the_database_itself_refuses_a_second_owner(customer: Customer) -> None:
    other = customer_create(first_name="Piet", last_name="Bakker")
    with pytest.raises(IntegrityError), transaction.atomic():
        Identity.objects.create(customer=other, kind="phone", value="+31612345678", display="x")


def test_a_failed_create_leaves_no_half_written_customer(customer: Customer) -> None:
    before = (Customer.objects.count(), Identity.objects.count())
    with pytest.raises(Conflict):
        customer_create(
            first_name="Kees", identities=[("email", "kees@voorbeeld.nl"), ("phone", "0612345678")]
        )
    assert (Customer.objects.count(), Identity.objects.count()) == before


def test_adding_the_same_identity_twice_to_the_same_customer_is_harmless(customer: Customer) -> None:
    again = identity_add(customer=customer, kind="email", value="a.jansen@ziggo.nl")
    assert customer.identities.filter(kind="email").count() == 1
    assert again.value == "a.jansen@ziggo.nl"


def test_the_customer_number_identity_cannot_be_removed(customer: Customer) -> None:
    identity = customer.identities.get(kind="customer_number")
    with pytest.raises(Invalid):
        identity_remove(identity=identity)


def test_details_keep_who_wrote_and_changed_them(customer: Customer, agent, make_user) -> None:
    detail = detail_add(customer=customer, kind="preference", text="Bel liever na 17:00", actor=agent)
    colleague = make_user("mark")
    detail_update(detail=detail, text="Bel liever na 17:30", actor=colleague)
    detail.refresh_from_db()
    assert (detail.created_by, detail.updated_by, detail.text) == (agent, colleague, "Bel liever na 17:30")


def test_a_promise_needs_a_due_date_and_can_be_kept(customer: Customer, agent) -> None:
    with pytest.raises(Invalid):
        detail_add(customer=customer, kind="promise", text="Terugbellen", actor=agent)
    due = timezone.now() + timedelta(days=2)
    promise = detail_add(
        customer=customer, kind="promise", text="Terugbellen vóór vrijdag", due_at=due, actor=agent
    )
    detail_update(detail=promise, done=True, actor=agent)
    assert RememberedDetail.objects.get(pk=promise.pk).done_at is not None


def test_addressing_needs_u_or_je(customer: Customer) -> None:
    with pytest.raises(Invalid):
        detail_add(customer=customer, kind="addressing", text="Mevrouw Jansen", register="jij")
    saved = detail_add(customer=customer, kind="addressing", text="Mevrouw Jansen", register="u")
    assert saved.register == "u"


def test_names_with_control_characters_are_refused(db: None) -> None:
    with pytest.raises(Invalid):
        customer_create(first_name="Ann\x07ie", last_name="Jansen")
