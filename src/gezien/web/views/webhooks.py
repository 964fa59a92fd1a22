"""Webhooks in the desk (admins): the subscriptions, adding and changing one, and its delivery log."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gezien.web.views.common import actor, apply, audited_setting, requires, submit
from gezien.webhooks import selectors, services
from gezien.webhooks.models import EVENTS, WebhookSubscription

SECRET_SHOWN = "webhook_secret_shown"  # noqa: S105 -- the session key under which a new secret waits, shown once


class SubscriptionForm(forms.Form):
    url = forms.CharField(
        label=gettext_lazy("Adres"),
        max_length=1000,
        widget=forms.URLInput(attrs={"size": 60}),
        help_text=gettext_lazy(
            "Waar de gebeurtenissen heen gaan (POST, JSON), bijvoorbeeld https://crm.voorbeeld.nl/hooks/gezien."
        ),
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Gebeurtenissen"),
        choices=[(name, f"{label} ({name})") for name, label in EVENTS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=gettext_lazy("Omschrijving"), max_length=200, required=False)
    secret = forms.CharField(
        label=gettext_lazy("Geheim"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy(
            "Leeg laten: bij een nieuwe webhook maakt Gezien er een, bij wijzigen blijft het oude."
        ),
    )
    active = forms.BooleanField(label=gettext_lazy("Actief"), required=False, initial=True)


def _subscription(subscription_id: int) -> WebhookSubscription:
    found = WebhookSubscription.objects.filter(pk=subscription_id).first()
    if found is None:
        raise Http404(_("Deze webhook bestaat niet."))
    return found


def _form_page(
    request: HttpRequest, form: SubscriptionForm, subscription: WebhookSubscription | None, status: int = 200
) -> HttpResponse:
    context = {"form": form, "subscription": subscription}
    return render(request, "web/webhooks/form.html", context, status=status)


@requires("webhooks.view_webhooksubscription")
def webhook_list(request: HttpRequest) -> HttpResponse:
    shown = request.session.pop(SECRET_SHOWN, None)
    context = {"subscriptions": list(selectors.subscriptions()), "new_secret": shown, "events": EVENTS}
    return render(request, "web/webhooks/list.html", context)


@requires("webhooks.add_webhooksubscription")
@audited_setting("webhook_subscription")
def webhook_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, SubscriptionForm(), None)
    form = SubscriptionForm(request.POST)

    def added() -> HttpResponse:
        request.session[SECRET_SHOWN] = created[0].secret
        return redirect("desk:webhooks")

    created: list[WebhookSubscription] = []
    return submit(
        request,
        form,
        lambda data: created.append(
            services.subscription_add(
                url=data["url"],
                events=data["events"],
                secret=data["secret"] or None,
                active=data["active"],
                description=data["description"],
                actor=actor(request),
            )
        ),
        done=added,
        again=lambda refused: _form_page(request, form, None, status=422),
    )


@requires("webhooks.change_webhooksubscription")
@audited_setting("webhook_subscription", "subscription_id")
def webhook_edit(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = _subscription(subscription_id)
    initial = {
        "url": subscription.url,
        "events": subscription.events,
        "description": subscription.description,
        "active": subscription.active,
    }
    form = SubscriptionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method != "POST":
        return _form_page(request, form, subscription)

    def change(data: dict[str, object]) -> object:
        changes = {k: data[k] for k in ("url", "events", "description", "active")}
        if data["secret"]:
            changes["secret"] = data["secret"]
        return services.subscription_change(subscription=subscription, **changes)

    return submit(
        request,
        form,
        change,
        done=lambda: redirect("desk:webhook_deliveries", subscription_id=subscription.pk),
        again=lambda refused: _form_page(request, form, subscription, status=422),
    )


@requires("webhooks.delete_webhooksubscription")
@require_POST
@audited_setting("webhook_subscription", "subscription_id")
def webhook_remove(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = _subscription(subscription_id)
    if apply(request, None, lambda: services.subscription_remove(subscription=subscription)):
        messages.success(request, _("De webhook is verwijderd."))
    return redirect("desk:webhooks")


@requires("webhooks.view_webhooksubscription")
def webhook_deliveries(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = _subscription(subscription_id)
    page = Paginator(selectors.deliveries_of(subscription), 50).get_page(request.GET.get("page"))
    context = {"subscription": subscription, "page": page, "events": EVENTS}
    return render(request, "web/webhooks/deliveries.html", context)


urls = [
    path("desk/webhooks/", webhook_list, name="webhooks"),
    path("desk/webhooks/new/", webhook_new, name="webhook_new"),
    path("desk/webhooks/<id:subscription_id>/", webhook_deliveries, name="webhook_deliveries"),
    path("desk/webhooks/<id:subscription_id>/edit/", webhook_edit, name="webhook_edit"),
    path("desk/webhooks/<id:subscription_id>/remove/", webhook_remove, name="webhook_remove"),
]
