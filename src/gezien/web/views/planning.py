"""Desk pages for the staffing plan (issue 6): the plan of a day and channel (/planning/) with the
forecast, the team lead's edits, the shifts and the gaps in red; the service-level targets managers
keep (/planning/targets/); the interval history and its import (/planning/history/)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gezien.contacts.models import Channel
from gezien.core.errors import DomainError, Invalid
from gezien.core.period import date_in_range
from gezien.planning.history import parse_history_csv
from gezien.planning.intervals import local_tz, plan_interval_minutes
from gezien.planning.models import Shift
from gezien.planning.selectors import (
    CHANNELS,
    schedulable_people,
    shift_filter_for,
)
from gezien.planning.services import (
    adjustment_add,
    adjustment_delete,
    history_rows_import,
    parse_shifts_csv,
    shift_create,
    shift_delete,
    shift_update,
    shifts_import,
    target_reset,
    target_save,
)
from gezien.web.pages import planning as pages
from gezien.web.pages.errors import invalid_page
from gezien.web.views.common import actor, apply, audited_setting, requires
from gezien.web.views.planning_forms import AdjustmentForm, ShiftForm, TargetForm, UploadForm, read_upload

# --- reading the request ----------------------------------------------------------------------------


def _day(raw: str | None) -> date:
    if not raw:
        return timezone.localdate()
    try:
        value = date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise Invalid(_("Geen geldige datum (JJJJ-MM-DD)."), field="day") from None
    return date_in_range(value, "day")


def _channel(raw: str | None) -> str:
    channel = raw or "phone"
    if channel not in CHANNELS:
        raise Invalid(_("Onbekend kanaal."), field="channel")
    return channel


def _invalid(request: HttpRequest, exc: Invalid) -> HttpResponse:
    return render(request, "web/planning/invalid.html", invalid_page(exc.message), status=422)


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=local_tz())


# --- the plan ---------------------------------------------------------------------------------------


def _plan_page(
    request: HttpRequest,
    day: date,
    channel: str,
    *,
    adjustment_form: AdjustmentForm | None = None,
    shift_form: ShiftForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = pages.plan_page(
        actor(request), day, channel, adjustment_form=adjustment_form, shift_form=shift_form
    )
    return render(request, "web/planning/plan.html", page, status=status)


@requires("planning.view_plan")
@require_GET
def plan_view(request: HttpRequest) -> HttpResponse:
    """The plan of one day and channel: per interval the forecast, the agents and headcount needed, who
    is scheduled and the gap (red, with the number short), with the scale-up alert above it."""
    try:
        day, channel = _day(request.GET.get("day")), _channel(request.GET.get("channel"))
    except Invalid as exc:
        return _invalid(request, exc)
    return _plan_page(request, day, channel)


@requires("planning.edit_forecast")
@require_POST
def adjustment_add_view(request: HttpRequest) -> HttpResponse:
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        end_day = data["end_day"] or data["day"]
        end_at = data["end_time"]
        end = _local(end_day + timedelta(days=1), time(0)) if end_at == time(0) else _local(end_day, end_at)
        done = apply(
            request,
            form,
            lambda: adjustment_add(
                actor=actor(request),
                channel=data["channel"],
                start=_local(data["day"], data["start_time"]),
                end=end,
                kind=data["kind"],
                value=data["value"],
                note=data["note"],
            ),
        )
        if done:
            messages.success(request, _("De prognose is aangepast."))
            return redirect(pages.plan_url(data["day"], data["channel"]))
    day = form.cleaned_data.get("day") if hasattr(form, "cleaned_data") else None
    channel = form.data.get("channel") if form.data.get("channel") in CHANNELS else "phone"
    return _plan_page(request, day or timezone.localdate(), str(channel), adjustment_form=form, status=422)


@requires("planning.edit_forecast")
@require_POST
def adjustment_delete_view(request: HttpRequest, adjustment_id: int) -> HttpResponse:
    try:
        adjustment_delete(actor=actor(request), adjustment_id=adjustment_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    messages.success(request, _("De aanpassing is verwijderd."))
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    try:
        day, channel = _day(request.POST.get("day")), _channel(request.POST.get("channel"))
    except Invalid:
        day, channel = timezone.localdate(), "phone"
    return redirect(pages.plan_url(day, channel))


# --- shifts -----------------------------------------------------------------------------------------


@requires("planning.edit_forecast")
@require_POST
def shift_add_view(request: HttpRequest) -> HttpResponse:
    form = ShiftForm(request.POST, people=schedulable_people(actor(request)))
    channel = request.POST.get("plan_channel") if request.POST.get("plan_channel") in CHANNELS else "phone"
    if form.is_valid():
        data = form.cleaned_data
        done = apply(
            request,
            form,
            lambda: shift_create(actor=actor(request), **_shift_fields(data)),
        )
        if done:
            messages.success(request, _("Dienst ingeroosterd."))
            return redirect(pages.plan_url(data["day"], str(channel)))
    day = form.cleaned_data.get("day") or timezone.localdate()
    return _plan_page(request, day, str(channel), shift_form=form, status=422)


def _shift_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The shift form's answers as the services take them: the day and times as local moments; an end
    before the start is the next morning (a night shift, 22:00 to 06:00)."""
    day, start, end = data["day"], data["start_time"], data["end_time"]
    return {
        "user": data["user"],
        "channels": data["channels"],
        "start": _local(day, start),
        "end": _local(day + timedelta(days=1) if end < start else day, end),
        "note": data["note"],
    }


def _own_shift(request: HttpRequest, shift_id: int) -> Shift:
    shift = Shift.objects.filter(shift_filter_for(actor(request)), pk=shift_id).select_related("user").first()
    if shift is None:
        raise Http404(_("Deze dienst bestaat niet of is van een ander team."))
    return shift


@requires("planning.edit_forecast")
@require_http_methods(["GET", "POST"])
def shift_edit_view(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = _own_shift(request, shift_id)
    people = schedulable_people(actor(request))
    if request.method == "POST":
        form = ShiftForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            done = apply(
                request,
                form,
                lambda: shift_update(actor=actor(request), shift_id=shift.pk, **_shift_fields(data)),
            )
            if done:
                messages.success(request, _("Dienst gewijzigd."))
                return redirect(pages.plan_url(data["day"], shift.channel_list[0]))
        status = 422
    else:
        form = ShiftForm(people=people, initial=pages.shift_initial(shift))
        status = 200
    return render(request, "web/planning/shift_edit.html", pages.shift_edit_page(shift, form), status=status)


@requires("planning.edit_forecast")
@require_POST
def shift_delete_view(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = _own_shift(request, shift_id)
    shift_delete(actor=actor(request), shift_id=shift.pk)
    messages.success(request, _("Dienst verwijderd."))
    return _back(request)


@requires("planning.edit_forecast")
@require_POST
def shifts_import_view(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            created = shifts_import(actor=actor(request), rows=parse_shifts_csv(read_upload(form)))
        except DomainError as exc:
            messages.error(request, exc.message)
            return _back(request)
        messages.success(request, _("%(n)s diensten ingelezen.") % {"n": len(created)})
    else:
        messages.error(request, _("Kies een CSV-bestand."))
    return _back(request)


# --- targets ----------------------------------------------------------------------------------------


def _targets_page(
    request: HttpRequest, errors: dict[str, TargetForm] | None = None, status: int = 200
) -> HttpResponse:
    page = pages.targets_page(
        can_change=request.user.has_perm("planning.manage_targets"),
        refused=dict(errors) if errors else None,
    )
    return render(request, "web/planning/targets.html", page, status=status)


@requires("planning.view_plan")
@require_GET
def targets_view(request: HttpRequest) -> HttpResponse:
    """The service-level target per channel and what staffing it takes (managers change them)."""
    return _targets_page(request)


@requires("planning.manage_targets")
@require_POST
@audited_setting("service_target", "channel")
def target_save_view(request: HttpRequest, channel: str) -> HttpResponse:
    if channel not in CHANNELS:
        raise Http404(_("Onbekend kanaal."))
    if request.POST.get("reset"):
        target_reset(actor=actor(request), channel=channel)
        messages.success(request, _("Servicedoel teruggezet."))
        return redirect("desk:planning_targets")
    form = TargetForm(request.POST, prefix=channel)
    if form.is_valid():
        d = form.cleaned_data

        def share(v: int | None) -> float | None:
            return None if v is None else v / 100

        saved = apply(
            request,
            form,
            lambda: target_save(
                actor=actor(request),
                channel=channel,
                service_level=d["service_level"] / 100,
                target_seconds=d["target_seconds"],
                patience_seconds=d["patience_seconds"],
                max_abandon=share(d["max_abandon"]),
                max_occupancy=share(d["max_occupancy"]),
                shrinkage=d["shrinkage"] / 100,
                concurrency=d["concurrency"],
            ),
        )
        if saved:
            messages.success(request, _("Servicedoel voor %(c)s opgeslagen.") % {"c": Channel(channel).label})
            return redirect("desk:planning_targets")
    return _targets_page(request, errors={channel: form}, status=422)


# --- history ----------------------------------------------------------------------------------------


@requires("planning.view_plan")
@require_http_methods(["GET", "POST"])
def history_view(request: HttpRequest) -> HttpResponse:
    """What the forecast learns from: per day and channel the offered contacts and handling time, from
    the desk's contacts or imported from the telephony platform; upload of an interval export."""
    status = 200
    form = UploadForm()
    if request.method == "POST":
        if not request.user.has_perm("planning.edit_forecast"):
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = parse_history_csv(read_upload(form), default_minutes=plan_interval_minutes())
                written = history_rows_import(actor=actor(request), rows=rows)
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("%(n)s kwartieren ingelezen.") % {"n": written})
                return redirect("desk:planning_history")
        status = 422
    page = pages.history_page(form, can_edit=request.user.has_perm("planning.edit_forecast"))
    return render(request, "web/planning/history.html", page, status=status)


urls: list[URLPattern] = [
    path("planning/", plan_view, name="planning"),
    path("planning/adjustments/", adjustment_add_view, name="planning_adjustment_add"),
    path(
        "planning/adjustments/<id:adjustment_id>/delete/",
        adjustment_delete_view,
        name="planning_adjustment_delete",
    ),
    path("planning/shifts/", shift_add_view, name="planning_shift_add"),
    path("planning/shifts/import/", shifts_import_view, name="planning_shifts_import"),
    path("planning/shifts/<id:shift_id>/", shift_edit_view, name="planning_shift_edit"),
    path("planning/shifts/<id:shift_id>/delete/", shift_delete_view, name="planning_shift_delete"),
    path("planning/targets/", targets_view, name="planning_targets"),
    path("planning/targets/<str:channel>/", target_save_view, name="planning_target_save"),
    path("planning/history/", history_view, name="planning_history"),
]
