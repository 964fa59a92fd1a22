"""Desk pages for calibration and the library of good examples (issue 19): the calibration overview with
the sample to score (/desk/coaching/calibration/), the blind scoring form of one contact
(/desk/coaching/calibration/contacts/<id>/), the library "Zo kan het ook" (/desk/coaching/examples/),
marking a moment from a contact's read, and removing an example."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gezien.audit.log import audit_contact, audit_from_request
from gezien.coaching import calibration, library, selectors
from gezien.coaching.habits import HABITS
from gezien.core.errors import Invalid
from gezien.web.views.coaching import domain_page
from gezien.web.views.common import actor, allowed_when, requires

OWN = "coaching.view_own_reads"
NOT_APPLICABLE = "nvt"
SCORE_STEPS = list(range(0, 101, 10))


@allowed_when(selectors.leads)
@require_GET
@domain_page
def calibration_page(request: HttpRequest) -> HttpResponse:
    """How the team leads' hand scores agree with the read, the disagreements, and the sample to score."""
    user = actor(request)
    overview = calibration.calibration_overview(user)
    sample = calibration.calibration_sample(user)
    return render(
        request,
        "web/coaching/calibration.html",
        {"overview": overview, "sample": sample, "within": calibration.AGREE_WITHIN},
    )


def _score_form(request: HttpRequest, contact_id: int, status: int = 200) -> HttpResponse:
    user = actor(request)
    read = calibration.read_to_score(user, contact_id)
    audit_contact(request, "contact.view", read.contact, part="calibration")
    turns = selectors.conversations([read.pk]).get(read.pk, [])
    done = {c.habit: c.score for c in read.calibrations.filter(lead_id=user.pk)}
    habits = [
        {
            "habit": h,
            "label": selectors.label(h),
            "value": "" if h not in done else (NOT_APPLICABLE if done[h] is None else str(done[h])),
        }
        for h in selectors.SCORED
    ]
    return render(
        request,
        "web/coaching/calibrate.html",
        {"read": read, "turns": turns, "habits": habits, "steps": SCORE_STEPS, "scored": bool(done)},
        status=status,
    )


@allowed_when(selectors.leads)
@require_GET
@domain_page
def calibration_contact(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The conversation and a score per habit (blind: the read is not shown until the scores are saved)."""
    return _score_form(request, contact_id)


def _scores_of(request: HttpRequest) -> dict[str, int | None]:
    scores: dict[str, int | None] = {}
    for habit in selectors.SCORED:
        raw = request.POST.get(habit, "")
        if raw == "":
            continue
        if raw == NOT_APPLICABLE:
            scores[habit] = None
        elif raw.isascii() and raw.isdigit() and len(raw) <= 3:
            scores[habit] = int(raw)
        else:
            raise Invalid(_("Een score is een getal van 0 tot en met 100, of n.v.t."), field=habit)
    return scores


@requires("coaching.view_team_reads")
@require_POST
@domain_page
def calibration_save(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = actor(request)
    try:
        saved = calibration.calibration_save(actor=user, contact_id=contact_id, scores=_scores_of(request))
    except Invalid as exc:
        messages.error(request, exc.message)
        return _score_form(request, contact_id, status=422)
    audit_contact(request, "coaching.calibrate", saved[0].read.contact, habits=len(saved))
    messages.success(
        request,
        _("Uw scores zijn opgeslagen; hieronder ziet u hoe ze met de automatische lezing overeenkomen."),
    )
    return redirect("desk:coaching_calibration")


@requires(OWN)
@require_GET
@domain_page
def examples(request: HttpRequest) -> HttpResponse:
    """The library: by situation and words; every agent may read it."""
    situation = request.GET.get("situation", "")[: library.SITUATION_MAX]
    q = request.GET.get("q", "")[:200]
    found = library.examples_search(actor(request), situation=situation, q=q)
    items = [
        {
            "example": e,
            "situation_label": library.situation_label(e.situation),
            "habit_label": selectors.label(e.habit) if e.habit else "",
            "can_remove": library.may_remove(actor(request), e),
        }
        for e in found.examples
    ]
    return render(
        request,
        "web/coaching/examples.html",
        {"items": items, "situations": found.situations, "situation": situation, "q": q},
    )


@requires(OWN)
@require_POST
@domain_page
def example_mark(request: HttpRequest, contact_id: int) -> HttpResponse:
    """From a contact's read: the agent or their lead marks a turn as exemplary."""
    raw_turn = request.POST.get("turn", "")
    situation = request.POST.get("situation", "")
    if situation == "anders" or not situation:
        situation = request.POST.get("label", "")
    try:
        if not (raw_turn.isascii() and raw_turn.isdigit() and len(raw_turn) <= 6):
            raise Invalid(_("Kies een beurt van de medewerker."), field="turn")
        made = library.example_mark(
            actor=actor(request),
            contact_id=contact_id,
            turn=int(raw_turn),
            situation=situation,
            why=request.POST.get("why", ""),
            habit=request.POST.get("habit", "") if request.POST.get("habit", "") in HABITS else "",
        )
    except Invalid as exc:
        messages.error(request, exc.message)
        return redirect("desk:coaching_contact", contact_id=contact_id)
    audit_from_request(
        request,
        action="coaching.example_create",
        object_type="contact",
        object_id=contact_id,
        details={"example": made.pk},
    )
    messages.success(
        request, _("Het voorbeeld staat in de bibliotheek “Zo kan het ook”, zonder gegevens van de klant.")
    )
    return redirect("desk:coaching_contact", contact_id=contact_id)


@requires(OWN)
@require_POST
@domain_page
def example_remove(request: HttpRequest, example_id: int) -> HttpResponse:
    example = library.example_get(actor(request), example_id)
    if not library.may_remove(actor(request), example):
        raise PermissionDenied(_("Alleen wie het voorbeeld markeerde of een teamleider verwijdert het."))
    library.example_remove(actor=actor(request), example_id=example_id)
    audit_from_request(
        request, action="coaching.example_delete", object_type="coaching_example", object_id=example_id
    )
    messages.success(request, _("Het voorbeeld is verwijderd."))
    return redirect("desk:coaching_examples")


urls: list[URLPattern] = [
    path("desk/coaching/calibration/", calibration_page, name="coaching_calibration"),
    path(
        "desk/coaching/calibration/contacts/<id:contact_id>/",
        calibration_contact,
        name="coaching_calibration_contact",
    ),
    path(
        "desk/coaching/calibration/contacts/<id:contact_id>/save/",
        calibration_save,
        name="coaching_calibration_save",
    ),
    path("desk/coaching/examples/", examples, name="coaching_examples"),
    path("desk/coaching/contacts/<id:contact_id>/examples/", example_mark, name="coaching_example_mark"),
    path("desk/coaching/examples/<id:example_id>/remove/", example_remove, name="coaching_example_remove"),
]
