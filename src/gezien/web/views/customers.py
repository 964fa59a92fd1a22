"""Customer pages: search, create, view with the full timeline, edit identities and remembered details."""

from __future__ import annotations

from collections.abc import Callable

from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gezien.audit.log import audit_customer, audit_from_request
from gezien.customers import services
from gezien.customers.models import Customer, Identity, RememberedDetail
from gezien.web.forms import CustomerForm, CustomerNameForm, DetailForm, IdentityForm
from gezien.web.pages import customers as pages
from gezien.web.views.common import actor, apply, redirect_next, requires, submit


def _customer(customer_id: int) -> Customer:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise Http404(_("Deze klant bestaat niet."))
    return customer


def _detail_or_404(customer_id: int, detail_id: int) -> RememberedDetail:
    detail = RememberedDetail.objects.filter(pk=detail_id, customer_id=customer_id).first()
    if detail is None:
        raise Http404(_("Dit detail hoort niet bij deze klant."))
    return detail


def _page(customer: Customer) -> HttpResponse:
    return redirect("desk:customer", customer_id=customer.pk)


@requires("customers.view_customer")
def search(request: HttpRequest) -> HttpResponse:
    template = "web/_customer_hits.html" if request.htmx else "web/customers.html"  # type: ignore[attr-defined]
    query = request.GET.get("q", "").strip()
    page = pages.search_page(query)
    if query:  # the hits show names and identities: who searched, how many came back (not what for)
        audit_from_request(
            request,
            action="customer.search",
            object_type="customer",
            object_id="",
            details={"hits": len(page["hits"])},
        )
    return render(request, template, page)


@requires("customers.add_customer")
def create(request: HttpRequest) -> HttpResponse:
    form = CustomerForm(request.POST or None)
    if request.method != "POST":
        return render(request, "web/customer_new.html", pages.new_customer_page(form))
    created: list[Customer] = []
    return submit(
        request,
        form,
        lambda data: created.append(
            services.customer_create(
                first_name=data["first_name"],
                last_name=data["last_name"],
                identities=form.identities(),
                actor=actor(request),
            )
        ),
        done=lambda: _page(created[0]),
        again=lambda f: render(request, "web/customer_new.html", pages.new_customer_page(f), status=422),
        audit=lambda: audit_customer(request, "customer.create", created[0].pk),
    )


def _render_detail(
    request: HttpRequest, customer: Customer, status: int = 200, **forms: Form
) -> HttpResponse:
    page = pages.customer_page(customer, request.GET.get("page"), **forms)
    return render(request, "web/customer.html", page, status=status)


def _again(request: HttpRequest, customer: Customer, name: str) -> Callable[[Form], HttpResponse]:
    """Show the customer page again with the refused form `name` and its errors."""
    return lambda form: _render_detail(request, _customer(customer.pk), status=422, **{name: form})


@requires("customers.view_customer")
def detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _customer(customer_id)
    audit_customer(request, "customer.view", customer.pk)
    return _render_detail(request, customer)


@requires("customers.change_customer")
@require_POST
def edit(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _customer(customer_id)
    return submit(
        request,
        CustomerNameForm(request.POST),
        lambda data: services.customer_update(
            customer=customer,
            first_name=data["first_name"],
            last_name=data["last_name"],
            actor=actor(request),
        ),
        done=lambda: _page(customer),
        again=_again(request, customer, "name_form"),
        audit=lambda: audit_customer(request, "customer.update", customer.pk, field="name"),
    )


@requires("customers.add_identity")
@require_POST
def identity_add(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _customer(customer_id)
    return submit(
        request,
        IdentityForm(request.POST),
        lambda data: services.identity_add(
            customer=customer, kind=data["kind"], value=data["value"], actor=actor(request)
        ),
        done=lambda: _page(customer),
        again=_again(request, customer, "identity_form"),
        audit=lambda: audit_customer(request, "customer.update", customer.pk, field="identity", change="add"),
    )


@requires("customers.delete_identity")
@require_POST
def identity_delete(request: HttpRequest, customer_id: int, identity_id: int) -> HttpResponse:
    identity = (
        Identity.objects.filter(pk=identity_id, customer_id=customer_id).select_related("customer").first()
    )
    if identity is None:
        raise Http404(_("Deze identiteit hoort niet bij deze klant."))
    if apply(request, None, lambda: services.identity_remove(identity=identity, actor=actor(request))):
        audit_customer(request, "customer.update", customer_id, field="identity", change="remove")
    return redirect("desk:customer", customer_id=customer_id)


@requires("customers.add_remembereddetail")
@require_POST
def detail_add(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = _customer(customer_id)
    return submit(
        request,
        DetailForm(request.POST),
        lambda data: services.detail_add(
            customer=customer,
            kind=data["kind"],
            text=data["text"],
            register=data["register"],
            due_at=data["due_at"],
            actor=actor(request),
        ),
        done=lambda: redirect_next(request, reverse("desk:customer", args=[customer.pk])),
        again=_again(request, customer, "detail_form"),
        audit=lambda: audit_customer(request, "customer.update", customer.pk, field="detail", change="add"),
    )


@requires("customers.change_remembereddetail")
@require_POST
def detail_edit(request: HttpRequest, customer_id: int, detail_id: int) -> HttpResponse:
    customer = _customer(customer_id)
    detail = _detail_or_404(customer_id, detail_id)
    return submit(
        request,
        DetailForm(request.POST),
        lambda data: services.detail_update(
            detail=detail,
            text=data["text"],
            register=data["register"] or None,
            due_at=data["due_at"],
            done=data["done"] if detail.kind == "promise" else None,
            actor=actor(request),
        ),
        done=lambda: _page(customer),
        again=_again(request, customer, "detail_form"),
        audit=lambda: audit_customer(
            request, "customer.update", customer.pk, field="detail", change="edit", detail_id=detail.pk
        ),
    )


@requires("customers.delete_remembereddetail")
@require_POST
def detail_delete(request: HttpRequest, customer_id: int, detail_id: int) -> HttpResponse:
    detail = _detail_or_404(customer_id, detail_id)
    services.detail_remove(detail=detail, actor=actor(request))
    audit_customer(
        request, "customer.update", customer_id, field="detail", change="remove", detail_id=detail_id
    )
    return redirect("desk:customer", customer_id=customer_id)
