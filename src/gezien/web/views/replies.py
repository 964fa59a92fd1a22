"""Desk pages for macros (standaardantwoorden): the list with search, create, edit, archive, and the
picker a contact view shows next to the reply box."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, re_path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gezien.contacts.models import Contact, ContactReason
from gezien.contacts.selectors import contact_with_thread
from gezien.replies import selectors, services
from gezien.replies.models import Macro
from gezien.replies.services import BODY_CHARS, TITLE_CHARS
from gezien.web.pages import replies as pages
from gezien.web.views.common import actor, apply, requires, submit


def _reason_label(reason: ContactReason) -> str:
    return f"{reason.parent.name} › {reason.name}" if reason.parent else reason.name


class MacroForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"), max_length=TITLE_CHARS, widget=forms.TextInput(attrs={"size": 60})
    )
    body_u = forms.CharField(
        label=_("Tekst met u"),
        required=False,
        strip=False,
        max_length=BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    body_je = forms.CharField(
        label=_("Tekst met je"),
        required=False,
        strip=False,
        max_length=BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    tags = forms.CharField(
        label=_("Labels"), required=False, max_length=500, help_text=_("Gescheiden door komma's")
    )
    reasons = forms.ModelMultipleChoiceField(
        label=_("Contactredenen"),
        queryset=ContactReason.objects.filter(active=True).select_related("parent"),
        to_field_name="code",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Bij contacten met deze reden staat dit antwoord bovenaan."),
    )
    shared = forms.BooleanField(label=_("Gedeeld met iedereen"), required=False)

    def __init__(self, *args: Any, can_share: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reasons = self.fields["reasons"]
        reasons.label_from_instance = _reason_label  # type: ignore[attr-defined]
        if not can_share:
            del self.fields["shared"]

    def tag_list(self) -> list[str]:
        return [tag for tag in self.cleaned_data["tags"].split(",") if tag.strip()]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body_u": data["body_u"],
            "body_je": data["body_je"],
            "tags": self.tag_list(),
            "reasons": [reason.code for reason in data["reasons"]],
            "shared": data.get("shared", False),
        }


def _initial(macro: Macro) -> dict[str, Any]:
    return {
        "title": macro.title,
        "body_u": macro.body_u,
        "body_je": macro.body_je,
        "tags": ", ".join(macro.tags),
        "reasons": [reason.code for reason in macro.reasons.all()],
        "shared": macro.shared,
    }


def _macro(request: HttpRequest, macro_id: str, *, edit: bool) -> Macro:
    macro = Macro.objects.select_related("owner").filter(pk=int(macro_id)).first()
    if macro is None:
        raise Http404(gettext("Dit standaardantwoord bestaat niet."))
    allowed = selectors.can_edit if edit else selectors.can_see
    if not allowed(macro, request.user):
        raise PermissionDenied
    return macro


def _form_page(request: HttpRequest, form: MacroForm, macro: Macro | None, status: int = 200) -> HttpResponse:
    return render(request, "web/macro_form.html", pages.form_page(form, macro), status=status)


@requires("replies.view_macro")
def macro_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    archived = request.GET.get("archived") == "1"
    page = pages.list_page(actor(request), query, archived=archived)
    template = "web/macro_list_rows.html" if request.htmx else "web/macro_list.html"  # type: ignore[attr-defined]
    return render(request, template, page)


@requires("replies.add_macro")
def macro_new(request: HttpRequest) -> HttpResponse:
    can_share = selectors.can_share(request.user)
    if request.method != "POST":
        return _form_page(request, MacroForm(can_share=can_share), None)
    form = MacroForm(request.POST, can_share=can_share)
    return submit(
        request,
        form,
        lambda data: services.macro_create(actor=actor(request), **form.service_fields()),
        done=lambda: redirect("desk:macros"),
        again=lambda f: _form_page(request, f, None, status=422),  # type: ignore[arg-type]
    )


@requires("replies.change_macro")
def macro_edit(request: HttpRequest, macro_id: str) -> HttpResponse:
    macro = _macro(request, macro_id, edit=True)
    can_share = selectors.can_share(request.user)
    if request.method != "POST":
        return _form_page(request, MacroForm(initial=_initial(macro), can_share=can_share), macro)
    form = MacroForm(request.POST, can_share=can_share)
    return submit(
        request,
        form,
        lambda data: services.macro_update(macro=macro, actor=actor(request), **form.service_fields()),
        done=lambda: redirect("desk:macros"),
        again=lambda f: _form_page(request, f, macro, status=422),  # type: ignore[arg-type]
    )


def _set_archived(request: HttpRequest, macro_id: str, archived: bool) -> HttpResponse:
    macro = _macro(request, macro_id, edit=True)
    if apply(
        request, None, lambda: services.macro_archive(macro=macro, actor=actor(request), archived=archived)
    ):
        done = gettext("“%(title)s” staat in het archief.") if archived else gettext("“%(title)s” is terug.")
        messages.success(request, done % {"title": macro.title})
    return redirect("desk:macros")


@requires("replies.change_macro")
@require_POST
def macro_archive(request: HttpRequest, macro_id: str) -> HttpResponse:
    return _set_archived(request, macro_id, True)


@requires("replies.change_macro")
@require_POST
def macro_restore(request: HttpRequest, macro_id: str) -> HttpResponse:
    return _set_archived(request, macro_id, False)


@requires("contacts.handle_contact")
@requires("replies.view_macro")
def macro_picker(request: HttpRequest, contact_id: str) -> HttpResponse:
    """The picker for one contact, searched (`q`): the partial the contact view includes, on its own."""
    try:
        contact: Contact = contact_with_thread(int(contact_id))
    except Contact.DoesNotExist as exc:
        raise Http404(gettext("Dit contact bestaat niet.")) from exc
    page = pages.picker_part(contact, actor(request), request.GET.get("q", ""))
    return render(request, "web/_macro_picker.html", page)


# The digits of a database id, as the desk's `id` converter: with re_path these routes do not depend on
# that converter being registered before this module is imported.
_MACRO = "(?P<macro_id>[0-9]{1,18})"
_CONTACT = "(?P<contact_id>[0-9]{1,18})"

urls: list[URLPattern] = [
    path("desk/macros/", macro_list, name="macros"),
    path("desk/macros/new/", macro_new, name="macro_new"),
    re_path(rf"^desk/macros/{_MACRO}/$", macro_edit, name="macro_edit"),
    re_path(rf"^desk/macros/{_MACRO}/archive/$", macro_archive, name="macro_archive"),
    re_path(rf"^desk/macros/{_MACRO}/restore/$", macro_restore, name="macro_restore"),
    re_path(rf"^desk/contacts/{_CONTACT}/macros/$", macro_picker, name="macro_picker"),
]
