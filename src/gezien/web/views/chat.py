"""Chat in the desk: the widgets websites embed (admins): list, add, change, the embed tag and the secret
(shown once)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.accounts.models import Team
from gezien.chat import selectors, services
from gezien.chat.identity import secret_env_name, widget_secret
from gezien.chat.models import ChatWidget
from gezien.desksettings.store import desk_setting
from gezien.mail.models import Mailbox
from gezien.web.views.common import apply, audited_setting, requires, submit


class WidgetForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=100)
    allowed_origins = forms.CharField(
        label=gettext_lazy("Websites"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("Eén per regel, bijvoorbeeld https://www.voorbeeld.nl."),
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"), queryset=Team.objects.order_by("name"), required=False
    )
    mailbox = forms.ModelChoiceField(
        label=gettext_lazy("Mailbox voor transcripten"),
        queryset=Mailbox.objects.filter(active=True).order_by("name"),
        required=False,
    )
    greeting = forms.CharField(label=gettext_lazy("Begroeting"), max_length=300, required=False)
    greeting_en = forms.CharField(label=gettext_lazy("Begroeting (Engels)"), max_length=300, required=False)
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Talen"),
        choices=[("nl", gettext_lazy("Nederlands")), ("en", gettext_lazy("Engels"))],
        widget=forms.CheckboxSelectMultiple,
        initial=["nl", "en"],
    )
    session_rate = forms.IntegerField(
        label=gettext_lazy("Berichten per minuut per bezoeker"), min_value=1, max_value=600, initial=20
    )
    address_rate = forms.IntegerField(
        label=gettext_lazy("Verzoeken per minuut per adres"), min_value=1, max_value=1_000_000, initial=120
    )
    max_message_chars = forms.IntegerField(
        label=gettext_lazy("Maximale berichtlengte (tekens)"), min_value=1, initial=4000
    )
    max_file_bytes = forms.IntegerField(
        label=gettext_lazy("Maximale bestandsgrootte (bytes)"), min_value=1, initial=10_000_000
    )
    active = forms.BooleanField(label=gettext_lazy("Actief"), required=False, initial=True)


def _widget(widget_id: int) -> ChatWidget:
    found = selectors.widgets().filter(pk=widget_id).first()
    if found is None:
        raise Http404(_("Deze chatwidget bestaat niet."))
    return found


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"],
        "allowed_origins": str(data["allowed_origins"] or "").split(),
        "team": data["team"],
        "mailbox": data["mailbox"],
        "greeting": data["greeting"],
        "greeting_en": data["greeting_en"],
        "languages": data["languages"],
        "session_rate": data["session_rate"],
        "address_rate": data["address_rate"],
        "max_message_chars": data["max_message_chars"],
        "max_file_bytes": data["max_file_bytes"],
        "active": data["active"],
    }


def _page(
    request: HttpRequest, form: WidgetForm, widget: ChatWidget | None, *, secret: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "widget": widget,
        "secret": secret,
        "embed": selectors.embed_snippet(widget) if widget is not None else "",
        "secret_env": secret_env_name(widget.key) if widget is not None else "",
        "secret_in_env": widget is not None and widget_secret(widget) != widget.secret,
        "base_url": desk_setting("base_url"),
    }
    return render(request, "web/chat/widget_form.html", context, status=status)


@requires("chat.view_chatwidget")
def widgets(request: HttpRequest) -> HttpResponse:
    rows = [{"widget": w, "embed": selectors.embed_snippet(w)} for w in selectors.widgets()]
    return render(request, "web/chat/widgets.html", {"rows": rows})


@requires("chat.add_chatwidget")
@audited_setting("chat_widget")
def widget_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, WidgetForm(), None)
    form = WidgetForm(request.POST)
    made: list[services.WidgetMade] = []

    def create(data: dict[str, Any]) -> None:
        made.append(services.widget_create(**_fields(data)))

    return submit(
        request,
        form,
        create,
        # The secret is shown this once, on the new widget's own page (after a redirect: a reload of that
        # page never posts the form again).
        done=lambda: _show_secret_once(request, made[0].widget, made[0].secret),
        again=lambda refused: _page(request, form, None, status=422),
    )


_SHOWN_ONCE = "chat_widget_secret"  # the session key of a secret shown once


def _show_secret_once(request: HttpRequest, widget: ChatWidget, secret: str) -> HttpResponse:
    """Keep the new secret in the session for the very next view of the widget's page, and go there."""
    request.session[_SHOWN_ONCE] = {"widget": widget.pk, "secret": secret}
    return redirect("desk:chat_widget_edit", widget_id=widget.pk)


def _secret_shown(request: HttpRequest, widget: ChatWidget) -> str:
    """The secret kept by `_show_secret_once` for this widget, taken out of the session (so shown once)."""
    kept = request.session.get(_SHOWN_ONCE)
    if not isinstance(kept, dict) or kept.get("widget") != widget.pk:
        return ""
    del request.session[_SHOWN_ONCE]
    return str(kept.get("secret", ""))


def _initial(widget: ChatWidget) -> dict[str, Any]:
    return {
        "name": widget.name,
        "allowed_origins": "\n".join(widget.allowed_origins or ()),
        "team": widget.team_id,
        "mailbox": widget.mailbox_id,
        "greeting": widget.greeting,
        "greeting_en": widget.greeting_en,
        "languages": widget.languages,
        "session_rate": widget.session_rate,
        "address_rate": widget.address_rate,
        "max_message_chars": widget.max_message_chars,
        "max_file_bytes": widget.max_file_bytes,
        "active": widget.active,
    }


@requires("chat.change_chatwidget")
@audited_setting("chat_widget", "widget_id")
def widget_edit(request: HttpRequest, widget_id: int) -> HttpResponse:
    widget = _widget(widget_id)
    form = WidgetForm(request.POST if request.method == "POST" else None, initial=_initial(widget))
    if request.method != "POST":
        return _page(request, form, widget, secret=_secret_shown(request, widget))
    if request.POST.get("renew_secret"):
        secret: list[str] = []
        apply(request, form, lambda: secret.append(services.widget_secret_renew(widget=widget)))
        if secret:
            return _show_secret_once(request, widget, secret[0])
        return _page(request, WidgetForm(initial=_initial(widget)), widget)
    return submit(
        request,
        form,
        lambda data: services.widget_update(widget=widget, **_fields(data)),
        done=lambda: redirect("desk:chat_widgets"),
        again=lambda refused: _page(request, form, widget, status=422),
    )


urls = [
    path("desk/chat/widgets/", widgets, name="chat_widgets"),
    path("desk/chat/widgets/new/", widget_new, name="chat_widget_new"),
    path("desk/chat/widgets/<id:widget_id>/", widget_edit, name="chat_widget_edit"),
]
