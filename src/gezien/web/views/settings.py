"""The settings area (Meer > Instellingen, admins; issue 20): one form per group of settings, "terug naar
standaard" per setting, the service target per channel, and the latest changes. Every save goes through
`desksettings.services.settings_save` (checked, audited with the old and new value); a refused form is
shown again with the error (422) and nothing saved."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from gezien.audit.log import audit_from_request, request_actor
from gezien.contacts.models import Channel
from gezien.core.calendar import WEEKDAYS
from gezien.core.client import client_address
from gezien.core.errors import Invalid
from gezien.desksettings.registry import CHANNELS, DEFINITIONS, GROUPS, OPTIONAL_DAY_NAMES, WEEKDAY_NAMES
from gezien.desksettings.selectors import settings_values
from gezien.desksettings.services import settings_save
from gezien.planning.selectors import targets_by_channel
from gezien.planning.services import target_save
from gezien.web.pages.settings import settings_page
from gezien.web.views.common import actor, apply, requires

_HOURS = re.compile(r"^\d{1,2}:\d{2}-\d{1,2}:\d{2}(,\d{1,2}:\d{2}-\d{1,2}:\d{2})*$")


def _field(key: str, field: forms.Field) -> forms.Field:
    field.label = DEFINITIONS[key].label  # type: ignore[assignment]  # lazy text, as Django takes it
    field.help_text = DEFINITIONS[key].help  # type: ignore[assignment]
    field.required = False
    return field


def _number() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.NumberInput(attrs={"class": "short"}))


class OrganisationForm(forms.Form):
    organisation_name = _field("organisation_name", forms.CharField(max_length=200))
    base_url = _field("base_url", forms.CharField(max_length=300, widget=forms.URLInput(attrs={"size": 50})))

    def changes(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in ("organisation_name", "base_url")}


class HoursForm(forms.Form):
    holidays_extra = _field(
        "holidays_extra",
        forms.MultipleChoiceField(
            choices=list(OPTIONAL_DAY_NAMES.items()), widget=forms.CheckboxSelectMultiple
        ),
    )
    holidays = _field("holidays", forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 50})))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i, day in enumerate(WEEKDAYS):
            self.fields[f"hours_{day}"] = forms.CharField(
                label=str(WEEKDAY_NAMES[i]).capitalize(),
                required=False,
                max_length=100,
                widget=forms.TextInput(attrs={"placeholder": _("gesloten"), "size": 24}),
            )
        # the weekdays first, as the page reads
        self.order_fields([f"hours_{day}" for day in WEEKDAYS])

    def weekday_fields(self) -> list[forms.BoundField]:
        return [self[f"hours_{day}"] for day in WEEKDAYS]

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "opening_hours": {day: data[f"hours_{day}"] for day in WEEKDAYS},
            "holidays_extra": data["holidays_extra"],
            "holidays": [_holiday_line(line) for line in data["holidays"].splitlines() if line.strip()],
        }


def _holiday_line(line: str) -> dict[str, str]:
    """ "2026-12-24 Kerstavond 08:00-14:00" -> {"date": ..., "name": "Kerstavond", "hours": "08:00-14:00"};
    without times, or ending in "gesloten", the day is closed."""
    words = line.split()
    day, rest = words[0], words[1:]
    hours = ""
    if rest and (_HOURS.match(rest[-1]) or rest[-1].lower() == "gesloten"):
        hours = "" if rest[-1].lower() == "gesloten" else rest[-1]
        rest = rest[:-1]
    return {"date": day, "name": " ".join(rest), "hours": hours}


def _holiday_text(holidays: list[dict[str, str]]) -> str:
    return "\n".join(f"{h['date']} {h['name']} {h['hours'] or _('gesloten')}" for h in holidays)


class CapacityForm(forms.Form):
    routing_capacity = _field("routing_capacity", _number())
    after_contact_seconds = _field("after_contact_seconds", _number())
    break_minutes = _field("break_minutes", _number())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for channel in CHANNELS:
            self.fields[f"capacity_{channel}"] = forms.IntegerField(
                label=Channel(channel).label,
                required=False,
                widget=forms.NumberInput(attrs={"class": "short"}),
            )
        self.order_fields([f"capacity_{channel}" for channel in CHANNELS])

    def channel_fields(self) -> list[forms.BoundField]:
        return [self[f"capacity_{channel}"] for channel in CHANNELS]

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "capacity": {c: data[f"capacity_{c}"] for c in CHANNELS if data[f"capacity_{c}"] is not None},
            **{key: data[key] for key in ("routing_capacity", "after_contact_seconds", "break_minutes")},
        }


class SurveysForm(forms.Form):
    survey_send = _field(
        "survey_send",
        forms.ChoiceField(
            choices=[("email", gettext_lazy("Ja, per e-mail")), ("off", gettext_lazy("Nee"))],
            widget=forms.RadioSelect,
        ),
    )
    survey_kind = _field("survey_kind", forms.CharField(max_length=100))
    survey_quiet_days = _field("survey_quiet_days", _number())
    survey_valid_days = _field("survey_valid_days", _number())

    def changes(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ValueForm(forms.Form):
    contact_value_eur = _field("contact_value_eur", _number())

    def changes(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


FORMS: dict[str, type[forms.Form]] = {
    "organisation": OrganisationForm,
    "hours": HoursForm,
    "capacity": CapacityForm,
    "surveys": SurveysForm,
    "value": ValueForm,
}
assert set(FORMS) == set(GROUPS)


def _initial() -> dict[str, Any]:
    values = settings_values()
    initial = dict(values)
    initial.update({f"hours_{day}": hours for day, hours in values["opening_hours"].items()})
    initial.update({f"capacity_{channel}": n for channel, n in values["capacity"].items()})
    initial["holidays"] = _holiday_text(values["holidays"])
    return initial


class TargetForm(forms.Form):
    percent = forms.IntegerField(
        label=gettext_lazy("% beantwoord"), widget=forms.NumberInput(attrs={"class": "short"})
    )
    seconds = forms.IntegerField(
        label=gettext_lazy("binnen (seconden)"), widget=forms.NumberInput(attrs={"class": "short"})
    )
    patience = forms.IntegerField(
        label=gettext_lazy("geduld (seconden)"),
        required=False,
        min_value=1,
        max_value=86_400,
        help_text=gettext_lazy("hoe lang een klant gemiddeld wacht voor hij ophangt; leeg: niet bekend"),
        widget=forms.NumberInput(attrs={"class": "short"}),
    )
    occupancy = forms.IntegerField(
        label=gettext_lazy("bezetting hoogstens (%)"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=gettext_lazy("leeg: geen grens"),
        widget=forms.NumberInput(attrs={"class": "short"}),
    )


def _page(
    request: HttpRequest,
    refused: dict[str, forms.Form] | None = None,
    refused_target: dict[str, TargetForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    initial = _initial()
    built = {key: form_class(initial=initial) for key, form_class in FORMS.items()}
    built.update(refused or {})
    targets = targets_by_channel()
    target_forms = {
        channel: TargetForm(
            initial={
                "percent": round(t.service_level * 100),
                "seconds": t.target_seconds,
                "patience": t.patience_seconds,
                "occupancy": round(t.max_occupancy * 100) if t.max_occupancy is not None else None,
            },
            prefix=channel,
        )
        for channel, t in targets.items()
    }
    target_forms.update(refused_target or {})
    page = settings_page(built, target_forms)
    return render(
        request,
        "web/settings/settings.html",
        {**page, "can_change": request.user.has_perm("desksettings.change_desksetting")},
        status=status,
    )


@requires("desksettings.view_desksetting")
@require_GET
def settings_view(request: HttpRequest) -> HttpResponse:
    return _page(request)


@requires("desksettings.change_desksetting")
@require_POST
def settings_save_view(request: HttpRequest, group: str) -> HttpResponse:
    form_class = FORMS.get(group)
    if form_class is None:
        raise Http404(_("Onbekende groep instellingen."))
    form = form_class(request.POST)
    actor_id, actor_name = request_actor(request)
    if form.is_valid():
        changes = form.changes()  # type: ignore[attr-defined]
        changed: list[str] = []
        if apply(
            request,
            form,
            lambda: changed.extend(
                settings_save(
                    changes=changes, actor_id=actor_id, actor_name=actor_name, source=client_address(request)
                )
            ),
        ):
            if changed:
                messages.success(request, _("Instellingen opgeslagen."))
            else:
                messages.info(request, _("Er was niets gewijzigd."))
            return redirect("desk:settings")
    return _page(request, refused={group: form}, status=422)


@requires("desksettings.change_desksetting")
@require_POST
def settings_reset_view(request: HttpRequest, key: str) -> HttpResponse:
    if key not in DEFINITIONS:
        raise Http404(_("Onbekende instelling."))
    actor_id, actor_name = request_actor(request)
    settings_save(
        changes={key: None}, actor_id=actor_id, actor_name=actor_name, source=client_address(request)
    )
    messages.success(request, _("Terug naar de standaard: %(label)s.") % {"label": DEFINITIONS[key].label})
    return redirect("desk:settings")


@requires("planning.manage_targets")
@requires("desksettings.change_desksetting")
@require_POST
def settings_target_view(request: HttpRequest, channel: str) -> HttpResponse:
    """A channel's service target: the share answered within the time, the customers' patience and the
    highest occupancy to plan for; its other parts (abandonment, shrinkage, concurrency) stay as they are
    (Planning › Servicedoelen and PUT /api/planning/targets/{channel} edit the same target)."""
    if channel not in CHANNELS:
        raise Http404(_("Onbekend kanaal."))
    form = TargetForm(request.POST, prefix=channel)
    before = targets_by_channel()[channel]
    if form.is_valid():
        percent, seconds = form.cleaned_data["percent"], form.cleaned_data["seconds"]
        # Left out of the post (an older form, a script): as they are; posted empty: none.
        patience = before.patience_seconds
        if f"{channel}-patience" in request.POST:
            patience = form.cleaned_data["patience"]
        occupancy = before.max_occupancy  # a share
        if f"{channel}-occupancy" in request.POST:
            given = form.cleaned_data["occupancy"]
            occupancy = given / 100 if given is not None else None

        def save() -> object:
            if not 1 <= percent <= 99:
                raise Invalid(_("Kies een percentage van 1 tot en met 99."), field="percent")
            return target_save(
                actor=actor(request),
                channel=channel,
                service_level=percent / 100,
                target_seconds=seconds,
                patience_seconds=patience,
                max_abandon=before.max_abandon,
                max_occupancy=occupancy,
                shrinkage=before.shrinkage,
                concurrency=before.concurrency,
            )

        if apply(request, form, save):
            audit_from_request(
                request,
                action="setting.change",
                object_type="service_target",
                object_id=channel,
                details={
                    "old": before.label,
                    "new": f"{percent}/{seconds}",
                    "old_patience_seconds": before.patience_seconds,
                    "new_patience_seconds": patience,
                    "old_max_occupancy_percent": _percent(before.max_occupancy),
                    "new_max_occupancy_percent": _percent(occupancy),
                },
            )
            messages.success(request, _("Servicenorm opgeslagen."))
            return redirect("desk:settings")
    return _page(request, refused_target={channel: form}, status=422)


def _percent(share: float | None) -> int | None:
    return round(share * 100) if share is not None else None


urls = [
    path("desk/settings/", settings_view, name="settings"),
    path("desk/settings/<slug:group>/", settings_save_view, name="settings_save"),
    path("desk/settings/reset/<slug:key>/", settings_reset_view, name="settings_reset"),
    path("desk/settings/target/<slug:channel>/", settings_target_view, name="settings_target"),
]
