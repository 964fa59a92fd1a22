"""The practice room in the desk (Oefenruimte, issue 19): choose a scenario, talk with the simulated customer
(the reply box posts with htmx and swaps the conversation; without script the page reloads), see the
feedback after each turn, finish for the habits' read and the earlier attempts. Team leads write scenarios,
assign them and follow their team's progress."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gezien.core.errors import DomainError, NotFound
from gezien.practice import selectors, services, spoken
from gezien.practice.models import PracticeSession
from gezien.practice.services import TEXT_CHARS
from gezien.web.pages import practice as pages
from gezien.web.views.common import actor, apply, requires, submit

PRACTISE = "practice.practise"
MANAGE = "practice.manage_practice"


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _words(value: str) -> list[str]:
    return [word.strip() for word in value.split(",") if word.strip()]


def _words_field(label: Any) -> forms.CharField:
    """An optional field of comma-separated words (read with `_words`)."""
    return forms.CharField(
        label=label, required=False, max_length=2000, help_text=_("Gescheiden door komma's")
    )


def _lines_field(label: Any, rows: int = 2) -> forms.CharField:
    """An optional text of one item per line (read with `_lines`)."""
    return forms.CharField(
        label=label, required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": rows})
    )


class ScenarioForm(forms.Form):
    slug = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Bijvoorbeeld: verhuizing"))
    title = forms.CharField(label=_("Titel"), max_length=120, widget=forms.TextInput(attrs={"size": 60}))
    situation = forms.CharField(
        label=_("Situatie"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    opening = forms.CharField(
        label=_("Openingszin van de klant"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    register = forms.ChoiceField(
        label=_("De klant zegt"), choices=[("formal", _("u (formeel)")), ("informal", _("je (informeel)"))]
    )
    start_tension = forms.IntegerField(label=_("Spanning bij de start (0-100)"), min_value=0, max_value=100)
    calms = forms.CharField(label=_("Wat de klant kalmeert"), required=False, max_length=4000)
    angers = forms.CharField(label=_("Wat de klant boos maakt"), required=False, max_length=4000)
    need = forms.CharField(
        label=_("Feedback: wat de klant eerst nodig heeft"), required=False, max_length=500
    )
    hints = _lines_field(_("Tips (één per regel)"), rows=3)
    calm_words = _words_field(_("Woorden die de klant kalmeren"))
    strict = forms.BooleanField(
        label=_("Alleen deze woorden kalmeren (zoals een condoleance)"), required=False
    )
    anger_words = _words_field(_("Woorden die de klant boos maken"))
    help_words = _words_field(_("Woorden die de klant verder helpen"))
    reply_acknowledged = _lines_field(_("Antwoorden als de klant zich gehoord voelt (één per regel)"))
    reply_data_first = _lines_field(_("Antwoorden als eerst om gegevens wordt gevraagd (één per regel)"))
    reply_resolved = _lines_field(_("Antwoorden als de klant geholpen is (één per regel)"))

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "slug": data["slug"],
            "title": data["title"],
            "situation": data["situation"],
            "opening": data["opening"],
            "register": data["register"],
            "start_tension": data["start_tension"],
            "calms": data["calms"],
            "angers": data["angers"],
            "need": data["need"],
            "hints": _lines(data["hints"]),
            "calm_words": _words(data["calm_words"]),
            "strict": data["strict"],
            "anger_words": _words(data["anger_words"]),
            "help_words": _words(data["help_words"]),
            "replies": {
                "acknowledged": _lines(data["reply_acknowledged"]),
                "data_first": _lines(data["reply_data_first"]),
                "resolved": _lines(data["reply_resolved"]),
            },
        }


class AssignForm(forms.Form):
    agent = forms.TypedChoiceField(label=_("Medewerker"), coerce=int)
    scenario = forms.ChoiceField(label=_("Scenario"))
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=500)

    def __init__(self, *args: Any, people: list[Any], scenarios: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = [(p.pk, p.display_name) for p in people]  # type: ignore[attr-defined]
        self.fields["scenario"].choices = [(s.slug, s.title) for s in scenarios]  # type: ignore[attr-defined]


def _session(request: HttpRequest, session_id: int) -> PracticeSession:
    try:
        return selectors.session_for(request.user, session_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@requires(PRACTISE)
def practice_home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/practice/home.html", pages.home_page(actor(request)))


@requires(PRACTISE)
@require_POST
def practice_start(request: HttpRequest) -> HttpResponse:
    try:
        session = services.session_start(actor=actor(request), scenario=request.POST.get("scenario", "")[:40])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("desk:practice")
    return redirect("desk:practice_session", session_id=session.pk)


def _session_response(
    request: HttpRequest, session: PracticeSession, error: str = "", status: int = 200
) -> HttpResponse:
    page = {**pages.session_page(actor(request), session), "error": error, "text_chars": TEXT_CHARS}
    template = "web/practice/_chat.html" if request.htmx else "web/practice/session.html"  # type: ignore[attr-defined]
    return render(request, template, page, status=status)


@requires(PRACTISE)
def practice_session(request: HttpRequest, session_id: int) -> HttpResponse:
    return _session_response(request, _session(request, session_id))


@requires(PRACTISE)
@require_POST
def practice_turn(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    try:
        services.session_turn(actor=actor(request), session_id=session.pk, text=request.POST.get("text", ""))
    except DomainError as exc:
        if not request.htmx:  # type: ignore[attr-defined]
            messages.error(request, exc.message)
            return redirect("desk:practice_session", session_id=session.pk)
        return _session_response(request, _session(request, session_id), exc.message, status=exc.status_code)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("desk:practice_session", session_id=session.pk)
    return _session_response(request, _session(request, session_id))


@requires(PRACTISE)
@require_POST
def practice_spoken(request: HttpRequest, session_id: int) -> JsonResponse:
    """ "Inspreken": the recorded turn (multipart `file`) transcribed, as JSON {"text"} for the reply box,
    where the agent reads and corrects it before "Zeggen" takes it as a typed turn. Errors as JSON
    {"error"} with their status (503 without the `stt` extra, 422 for audio that will not do)."""
    session = _session(request, session_id)
    uploads = request.FILES.getlist("file")
    if len(uploads) != 1:
        return JsonResponse({"error": gettext("Stuur precies één opname.")}, status=422)
    upload = uploads[0]
    try:
        text = spoken.spoken_text(
            actor=actor(request), session_id=session.pk, audio=upload, size=upload.size or 0
        )
    except DomainError as exc:
        return JsonResponse({"error": exc.message}, status=exc.status_code)
    return JsonResponse({"text": text})


@requires(PRACTISE)
@require_POST
def practice_finish(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    apply(request, None, lambda: services.session_finish(actor=actor(request), session_id=session.pk))
    return redirect("desk:practice_session", session_id=session.pk)


@requires(MANAGE)
def practice_scenario_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = ScenarioForm(initial={"register": "formal", "start_tension": 60})
        return render(request, "web/practice/scenario_form.html", {"form": form})
    form = ScenarioForm(request.POST)
    return submit(
        request,
        form,
        lambda data: services.scenario_create(actor=actor(request), **form.service_fields()),
        done=lambda: redirect("desk:practice"),
        again=lambda f: render(request, "web/practice/scenario_form.html", {"form": f}, status=422),
    )


def _assign_form(request: HttpRequest, data: Any = None) -> AssignForm:
    user = actor(request)
    return AssignForm(data, people=list(selectors.team_members(user)), scenarios=selectors.scenarios_all())


@requires(MANAGE)
def practice_team(request: HttpRequest) -> HttpResponse:
    return render(request, "web/practice/team.html", pages.team_page(actor(request), _assign_form(request)))


@requires(MANAGE)
@require_POST
def practice_assign(request: HttpRequest) -> HttpResponse:
    form = _assign_form(request, request.POST)

    def done() -> HttpResponse:
        messages.success(request, gettext("De oefening is toegewezen."))
        return redirect("desk:practice_team")

    return submit(
        request,
        form,
        lambda data: services.assignment_create(
            actor=actor(request), agent_id=data["agent"], scenario=data["scenario"], note=data["note"]
        ),
        done=done,
        again=lambda f: render(
            request, "web/practice/team.html", pages.team_page(actor(request), f), status=422
        ),
    )


urls: list[URLPattern] = [
    path("desk/practice/", practice_home, name="practice"),
    path("desk/practice/start/", practice_start, name="practice_start"),
    path("desk/practice/sessions/<id:session_id>/", practice_session, name="practice_session"),
    path("desk/practice/sessions/<id:session_id>/turn/", practice_turn, name="practice_turn"),
    path("desk/practice/sessions/<id:session_id>/spoken/", practice_spoken, name="practice_spoken"),
    path("desk/practice/sessions/<id:session_id>/finish/", practice_finish, name="practice_finish"),
    path("desk/practice/scenarios/new/", practice_scenario_new, name="practice_scenario_new"),
    path("desk/practice/team/", practice_team, name="practice_team"),
    path("desk/practice/assign/", practice_assign, name="practice_assign"),
]
