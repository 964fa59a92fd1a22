"""Writes of the root-cause board: problems, their contacts, the departments' answers, spikes, and the
contact reason tree with its owning departments. Keyword-only, atomic, Dutch domain errors."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.accounts.models import Department, Role
from gezien.contacts.models import EVENT_KINDS, Contact, ContactReason
from gezien.contacts.services import clean_text, contact_event_add
from gezien.core.errors import Conflict, Forbidden, Invalid
from gezien.insights.facts import facts_mark_stale
from gezien.insights.rootcause.models import (
    OPEN_STATUSES,
    Problem,
    ProblemContact,
    ProblemStatus,
    ProblemUpdate,
    Spike,
)

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    from gezien.accounts.models import User

PROBLEM_EVENT = EVENT_KINDS.register("problem", gettext_lazy("Aan signaal gekoppeld"))

TITLE_CHARS = 200
TEXT_CHARS = 4000


def _title(title: str) -> str:
    text = clean_text(title, field="title").strip()
    if not text:
        raise Invalid(_("Geef het signaal een titel."), field="title")
    if len(text) > TITLE_CHARS:
        raise Invalid(_("Een titel is maximaal 200 tekens."), field="title")
    return text


def _text(text: str, field: str, *, required: bool = False) -> str:
    value = clean_text(text or "", field=field, allow_empty=True).strip()
    if required and not value:
        raise Invalid(_("Dit veld is verplicht."), field=field)
    if len(value) > TEXT_CHARS:
        raise Invalid(_("Maximaal 4000 tekens."), field=field)
    return value


def _one_line(text: str, field: str, limit: int) -> str:
    """A name: required, one line (no line breaks or other control characters), at most `limit`."""
    value = _text(text, field, required=True)
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value):
        raise Invalid(_("Een naam staat op één regel, zonder regeleinden."), field=field)
    if len(value) > limit:
        raise Invalid(_("Maximaal %(n)d tekens.") % {"n": limit}, field=field)
    return value


def _one_address(text: str, field: str) -> str:
    """One valid e-mail address, or "" for none; a list ("a@x.nl, b@x.nl") is refused."""
    value = clean_text(text or "", field=field, allow_empty=True).strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise Invalid(_("Vul één geldig e-mailadres in."), field=field) from None
    return value


def owning_department(reasons: Iterable[ContactReason]) -> Department | None:
    """The department that owns these reasons (a child without one inherits its parent's)."""
    for reason in reasons:
        if reason.department_id is not None:
            return reason.department
        if reason.parent is not None and reason.parent.department_id is not None:
            return reason.parent.department
    return None


@transaction.atomic
def problem_create(
    *,
    title: str,
    description: str = "",
    reasons: Sequence[ContactReason] = (),
    department: Department | None = None,
    actor: User | None = None,
    spike: Spike | None = None,
    at: datetime | None = None,
) -> Problem:
    """A new problem ("signaal"); the department defaults to the one owning its reasons."""
    problem = Problem.objects.create(
        title=_title(title),
        description=_text(description, "description"),
        department=department or owning_department(reasons),
        status=ProblemStatus.NEW,
        created_by=actor,
        created_at=at or timezone.now(),
        spike=spike,
    )
    if reasons:
        problem.reasons.set(reasons)
    if spike is not None and spike.problem_id is None:
        spike.problem = problem
        spike.save(update_fields=["problem"])
    return problem


@transaction.atomic
def problem_from_spike(*, spike: Spike, actor: User | None = None, title: str = "") -> Problem:
    """ "Maak een signaal" from a spike: a problem about its reason, with the window's contacts linked."""
    if spike.problem_id is not None:
        raise Conflict(_("Van deze piek is al een signaal gemaakt."))
    reason = spike.reason
    problem = problem_create(
        title=title or _("Piek: %(reason)s") % {"reason": reason.name},
        description=spike.explanation,
        reasons=[reason],
        actor=actor,
        spike=spike,
    )
    contacts = Contact.objects.filter(
        reason=reason, opened_at__gte=spike.window_start, opened_at__lt=spike.window_end
    )
    problem_link_contacts(problem=problem, contacts=list(contacts), actor=actor)
    return problem


def _check_open(problem: Problem) -> None:
    if problem.status not in OPEN_STATUSES:
        raise Conflict(
            _("Dit signaal is afgesloten (%(status)s); koppel contacten aan een open signaal.")
            % {"status": problem.get_status_display()}
        )


@transaction.atomic
def problem_link_contacts(
    *, problem: Problem, contacts: Sequence[Contact], actor: User | None = None, at: datetime | None = None
) -> int:
    """Link contacts to a problem (already linked ones are left as they are). Returns how many were new."""
    _check_open(problem)
    at = at or timezone.now()
    known = set(problem.links.filter(contact__in=contacts).values_list("contact_id", flat=True))
    new = [c for c in contacts if c.pk not in known]
    ProblemContact.objects.bulk_create(
        [ProblemContact(problem=problem, contact=c, linked_by=actor, at=at) for c in new]
    )
    for contact in new:
        contact_event_add(contact=contact, kind=PROBLEM_EVENT, actor=actor, problem=problem.pk)
    return len(new)


def problem_link_contact(*, problem: Problem, contact: Contact, actor: User | None = None) -> ProblemContact:
    """One click in the desk: this contact is caused by this problem."""
    problem_link_contacts(problem=problem, contacts=[contact], actor=actor)
    return ProblemContact.objects.get(problem=problem, contact=contact)


@transaction.atomic
def problem_seen_too(
    *, problem: Problem, contact: Contact, note: str, actor: User | None = None
) -> ProblemContact:
    """ "Ik zie dit ook": the agent links the contact and gives an example in their own words."""
    _check_open(problem)
    example = _text(note, "note", required=True)
    link, created = ProblemContact.objects.get_or_create(
        problem=problem,
        contact=contact,
        defaults={
            "linked_by": actor,
            "at": timezone.now(),
            "kind": ProblemContact.Kind.SEEN_TOO,
            "note": example,
        },
    )
    if not created:
        link.kind, link.note = ProblemContact.Kind.SEEN_TOO, example
        link.linked_by = link.linked_by or actor
        link.save(update_fields=["kind", "note", "linked_by"])
    contact_event_add(
        contact=contact, kind=PROBLEM_EVENT, actor=actor, problem=problem.pk, note=example[:200]
    )
    return link


def owned_department_ids(user: AbstractBaseUser | AnonymousUser) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Department.objects.filter(owners__pk=user.pk).values_list("pk", flat=True))


def can_answer(user: Any, problem: Problem) -> bool:
    """Managers answer any problem; a department owner the problems of their own departments."""
    if user.has_perm("rootcause.answer_any_problem"):
        return True
    return (
        user.has_perm("rootcause.answer_problem")
        and problem.department_id is not None
        and problem.department_id in owned_department_ids(user)
    )


@transaction.atomic
def problem_answer(
    *, problem: Problem, actor: User, text: str = "", status: str = "", at: datetime | None = None
) -> ProblemUpdate:
    """The department answers and/or sets the status. Solving stamps `solved_at`; reopening clears it."""
    if not can_answer(actor, problem):
        raise Forbidden(_("Alleen de eigenaar van de afdeling of een manager beantwoordt dit signaal."))
    answer = _text(text, "text")
    if status and status not in ProblemStatus.values:
        raise Invalid(_("Onbekende status."), field="status")
    if status == problem.status:
        status = ""
    if not answer and not status:
        raise Invalid(_("Schrijf een antwoord of kies een nieuwe status."), field="text")
    at = at or timezone.now()
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if status:
        problem.status = status
        problem.solved_at = at if status == ProblemStatus.SOLVED else None
        problem.save(update_fields=["status", "solved_at", "updated_at"])
    else:
        problem.save(update_fields=["updated_at"])
    return ProblemUpdate.objects.create(problem=problem, author=actor, status=status, text=answer, at=at)


@transaction.atomic
def spike_dismiss(*, spike: Spike) -> Spike:
    spike.dismissed = True
    spike.save(update_fields=["dismissed"])
    return spike


# --- the contact reason tree and departments -------------------------------------------------------


def _check_parent(reason: ContactReason | None, parent: ContactReason | None) -> None:
    seen = parent
    while seen is not None:
        if reason is not None and seen.pk == reason.pk:
            raise Invalid(_("Een reden kan niet onder zichzelf hangen."), field="parent")
        seen = seen.parent


@transaction.atomic
def reason_create(
    *, code: str, name: str, parent: ContactReason | None = None, department: Department | None = None
) -> ContactReason:
    code = (code or "").strip()
    if not code or len(code) > 60 or not all(ch.isalnum() or ch in "-_" for ch in code):
        raise Invalid(_("Een code bestaat uit letters, cijfers, - en _ (maximaal 60)."), field="code")
    if ContactReason.objects.filter(code=code).exists():
        raise Conflict(_("Deze code bestaat al."), field="code")
    label = _text(name, "name", required=True)[:120]
    return ContactReason.objects.create(code=code, name=label, parent=parent, department=department)


@transaction.atomic
def reason_update(
    *,
    reason: ContactReason,
    name: str | None = None,
    parent: ContactReason | bool | None = False,
    department: Department | bool | None = False,
    active: bool | None = None,
) -> ContactReason:
    """Rename, move (parent; None = top level), set the department (None = inherit) or (de)activate.
    `False` for parent/department means "leave as it is"."""
    fields = ["updated_at"]
    if name is not None:
        reason.name = _text(name, "name", required=True)[:120]
        fields.append("name")
    if parent is not False:
        new_parent = parent if isinstance(parent, ContactReason) else None
        _check_parent(reason, new_parent)
        reason.parent = new_parent
        fields.append("parent")
    if department is not False:
        reason.department = department if isinstance(department, Department) else None
        fields.append("department")
    if active is not None:
        reason.active = active
        fields.append("active")
    reason.save(update_fields=fields)
    if "parent" in fields or "department" in fields:  # the owning department of its contacts changed
        ids = list(
            Contact.objects.filter(Q(reason=reason) | Q(reason__parent=reason)).values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: facts_mark_stale(ids))
    return reason


@transaction.atomic
def department_save(
    *,
    code: str,
    name: str,
    owners: Sequence[User] | None = None,
    digest_email: str | None = None,
    department: Department | None = None,
) -> Department:
    """Create a department (or change `department`); owners get the department role so they can
    answer their problems."""
    code = (code or "").strip()
    if not code or len(code) > 60 or not all(ch.isalnum() or ch in "-_" for ch in code):
        raise Invalid(_("Een code bestaat uit letters, cijfers, - en _ (maximaal 60)."), field="code")
    clash = Department.objects.filter(code=code)
    if department is not None:
        clash = clash.exclude(pk=department.pk)
    if clash.exists():
        raise Conflict(_("Deze code bestaat al."), field="code")
    department = department or Department(code=code)
    department.code = code
    department.name = _one_line(name, "name", 120)
    if digest_email is not None:
        department.digest_email = _one_address(digest_email, "digest_email")
    department.save()
    if owners is not None:
        department.owners.set(owners)
        group, _created = Group.objects.get_or_create(name=Role.DEPARTMENT)
        for owner in owners:
            owner.groups.add(group)
    return department
