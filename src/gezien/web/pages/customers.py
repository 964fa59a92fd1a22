"""The customer pages: search (/customers/), a new customer, and one customer with the full timeline
and the forms to change names, identities and remembered details."""

from __future__ import annotations

from typing import TypedDict

from django.core.paginator import Page
from django.forms import Form

from gezien.contacts.models import Contact
from gezien.contacts.selectors import Card, customer_card
from gezien.customers.models import Customer, RememberedDetail
from gezien.customers.selectors import SearchHit, customer_search
from gezien.web.forms import CustomerNameForm, DetailForm, IdentityForm
from gezien.web.pages.shapes import paged

TIMELINE_PAGE = 50


class SearchPage(TypedDict):
    query: str
    hits: list[SearchHit]


class NewCustomerPage(TypedDict):
    form: Form


class CustomerPage(TypedDict):
    customer: Customer
    full_timeline: Page[Contact]
    card: Card
    name_form: Form
    identity_form: Form
    detail_form: Form
    all_details: list[RememberedDetail]


def search_page(query: str) -> SearchPage:
    """The customers matching `query` (none for an empty one)."""
    return {"query": query, "hits": customer_search(query) if query else []}


def new_customer_page(form: Form) -> NewCustomerPage:
    return {"form": form}


def customer_page(
    customer: Customer,
    page_number: str | None,
    *,
    name_form: Form | None = None,
    identity_form: Form | None = None,
    detail_form: Form | None = None,
) -> CustomerPage:
    """One customer: the card, every contact (newest first, 50 a page) and every remembered detail; a
    form given (refused, with its errors) replaces the empty one."""
    history = Contact.objects.filter(customer=customer).select_related("reason", "assigned_agent", "team")
    timeline = paged(history.order_by("-opened_at", "-id"), page_number, TIMELINE_PAGE)
    names = {"first_name": customer.first_name, "last_name": customer.last_name}
    return {
        "customer": customer,
        "full_timeline": timeline,
        "card": customer_card(customer),
        "name_form": name_form or CustomerNameForm(initial=names),
        "identity_form": identity_form or IdentityForm(),
        "detail_form": detail_form or DetailForm(),
        "all_details": list(customer.details.select_related("created_by", "updated_by")),
    }
