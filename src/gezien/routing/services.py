"""Writes for routing: skills, an agent's skills and experience, "seen in the desk", and routing itself.

Routing runs when a contact's new messages have been analysed (`contacts.analysing.on_new_signals`),
for open contacts nobody holds yet. It reads the desk's one picture of the contact (`contact_situation`),
turns it into needs (`needs.contact_needs`) and, when there are any, gives the contact to the best
available agent with the skills, or leaves it in the normal queue with a flag. Either way the decision
and its why are kept (`RoutingDecision`, and a ROUTED event in the contact's history).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.assist.situation import contact_situation
from gezien.contacts.models import EVENT_KINDS, Channel, Contact
from gezien.contacts.outbox import outbox_rest
from gezien.contacts.selectors import QUEUE_STATUSES, contact_with_signals, customer_card
from gezien.contacts.services import clean_text, contact_assign, contact_event_add
from gezien.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from gezien.routing.models import EXPERIENCE_CODES, Experience, RoutingDecision, RoutingProfile, Skill
from gezien.routing.needs import Needs, contact_needs
from gezien.routing.selectors import Candidate, available, can_manage_skills, maybe_needing, skills_by_code

if TYPE_CHECKING:
    from gezien.accounts.models import User

ROUTED_EVENT = EVENT_KINDS.register("routed", gettext_lazy("Gerouteerd"))

logger = logging.getLogger(__name__)

SKILL_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
SKILL_NAME_CHARS = 120
SEEN_EVERY_SECONDS = 60  # "last seen" is written at most this often per person
MAX_CAPACITY = 20  # contacts of one channel at once


@transaction.atomic
def skill_create(*, code: str, name: str) -> Skill:
    """A new skill ("techniek", "Techniek") that agents can be given."""
    code = clean_text(code, field="code").strip().lower()
    if not SKILL_CODE.fullmatch(code):
        raise Invalid(
            _("Een code bestaat uit kleine letters, cijfers, - en _ (hoogstens 60 tekens)."), field="code"
        )
    name = " ".join(clean_text(name, field="name").split())
    if not name or len(name) > SKILL_NAME_CHARS:
        raise Invalid(_("Een naam heeft 1 tot 120 tekens."), field="name")
    if Skill.objects.filter(code=code).exists():
        raise Conflict(_("De vaardigheid %(code)s bestaat al.") % {"code": code}, field="code")
    try:
        with transaction.atomic():
            return Skill.objects.create(code=code, name=name)
    except IntegrityError as exc:  # created by someone else a moment ago
        raise Conflict(_("De vaardigheid %(code)s bestaat al.") % {"code": code}, field="code") from exc


def experience_level(value: str | int) -> int:
    """The stored level for "junior", "medior" or "senior" (or a level itself)."""
    if isinstance(value, int) and not isinstance(value, bool) and value in Experience.values:
        return value
    if isinstance(value, str) and value in EXPERIENCE_CODES:
        return EXPERIENCE_CODES[value]
    raise Invalid(_("Ervaring is junior, medior of senior."), field="experience")


def capacity_clean(capacity: Mapping[str, object]) -> dict[str, int]:
    """Per-channel capacity as stored: known channels, whole numbers 0..MAX_CAPACITY."""
    if not isinstance(capacity, Mapping):
        raise Invalid(_("Capaciteit is per kanaal een aantal."), field="capacity")
    clean: dict[str, int] = {}
    for channel, value in capacity.items():
        if channel not in Channel.values:
            raise Invalid(_("Onbekend kanaal: %(c)s") % {"c": str(channel)[:20]}, field="capacity")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CAPACITY:
            raise Invalid(
                _("Capaciteit per kanaal is 0 tot %(max)d contacten.") % {"max": MAX_CAPACITY},
                field="capacity",
            )
        clean[channel] = value
    return clean


@transaction.atomic
def agent_skills_set(
    *,
    user: User,
    skills: Iterable[str],
    experience: str | int,
    actor: User,
    capacity: Mapping[str, object] | None = None,
) -> RoutingProfile:
    """Give `user` exactly these skills (codes) and this experience, and (when given) their capacity per
    channel. Team leads may do so for their own team, managers and admins for everyone."""
    if not can_manage_skills(actor, user):
        raise Forbidden(_("U mag de vaardigheden van deze medewerker niet wijzigen."))
    level = experience_level(experience)
    own_capacity = capacity_clean(capacity) if capacity is not None else None
    codes = list(dict.fromkeys(skills))
    found = skills_by_code(codes)
    unknown = [code for code in codes if code not in {s.code for s in found}]
    if unknown:
        shown = str(unknown[0]).replace("\x00", "")[:60]
        raise Invalid(_("Onbekende vaardigheid: %(code)s") % {"code": shown}, field="skills")
    profile, _created = RoutingProfile.objects.select_for_update().get_or_create(user=user)
    if profile.experience != level or (own_capacity is not None and own_capacity != profile.capacity):
        profile.experience = level
        if own_capacity is not None:
            profile.capacity = own_capacity
        profile.save(update_fields=["experience", "capacity", "updated_at"])
    profile.skills.set(found)
    return profile


def seen_in_desk(*, user: User, now: datetime | None = None) -> bool:
    """Note that `user` is at the desk now; written at most once a minute per person (the cache says
    when it was last written). True when it was written."""
    key = f"routing:seen:{user.pk}:{user.date_joined.timestamp()}"
    if cache.get(key):
        return False
    now = now or timezone.now()
    if not RoutingProfile.objects.filter(user=user).update(last_seen_at=now):
        try:
            with transaction.atomic():
                RoutingProfile.objects.get_or_create(user=user, defaults={"last_seen_at": now})
        except IntegrityError:  # a second request of the same person created it a moment ago
            RoutingProfile.objects.filter(user=user).update(last_seen_at=now)
    cache.set(key, True, SEEN_EVERY_SECONDS)
    return True


def _check_routable(contact: Contact) -> None:
    if contact.status not in QUEUE_STATUSES:
        raise Conflict(_("Alleen een open contact kan gerouteerd worden."), field="status")
    if contact.assigned_agent_id is not None:
        raise Conflict(_("Dit contact heeft al een medewerker."), field="assigned_agent")


def contact_needs_now(contact: Contact, now: datetime | None = None) -> Needs:
    """The needs of `contact` (its messages and their signals loaded, see `contact_with_signals`). Their
    flags are the desk's own Dutch labels whoever asks (each is its message id); their reasons are data,
    worded when read."""
    card = customer_card(contact.customer, current=contact) if contact.customer else None
    with translation.override(settings.LANGUAGE_CODE):
        return contact_needs(contact_situation(contact, card, now=now))


def contact_route(
    *, contact: Contact | int, actor: User | None = None, now: datetime | None = None
) -> RoutingDecision | None:
    """Route one open, unassigned contact by its needs. Returns the decision, or None when the contact
    needs nothing special (then nothing is written and it stays in the normal queue)."""
    contact_id = contact if isinstance(contact, int) else contact.pk
    now = now or timezone.now()
    try:
        loaded = contact_with_signals(contact_id)  # what the needs read of a thread, no more
    except Contact.DoesNotExist as exc:
        raise NotFound(_("Dit contact bestaat niet.")) from exc
    _check_routable(loaded)
    needs = contact_needs_now(loaded, now)
    if not needs:
        return None
    # Read before the transaction, which holds SQLite's write lock (requests that open contacts wait for
    # it): the skills' names, and whether anyone could take the contact at all. On a full desk nobody
    # can, and the flag is written without searching again under the lock. With someone, the search is
    # done again inside, their profiles locked, so that two routings cannot both take one person's
    # last place.
    skill_names = [s.name for s in skills_by_code(needs.skills)] or needs.skills
    search = partial(available, skills=needs.skills, experience=needs.experience, now=now, heavy=needs.heavy)
    anyone = bool(search(channel=loaded.channel))
    with transaction.atomic():
        locked = Contact.objects.select_for_update().get(pk=contact_id)
        _check_routable(locked)  # taken by someone while its needs were read
        candidates = search(channel=locked.channel, lock=True) if anyone else []
        chosen = candidates[0] if candidates else None
        routed = _routed(needs, chosen, skill_names)
        if chosen is not None:
            contact_assign(contact=locked, agent=chosen.profile.user, actor=actor, details=routed)
            RoutingProfile.objects.filter(pk=chosen.profile.pk).update(last_routed_at=now)
        return _decide(locked, needs, chosen, routed, actor, now)


def _routed(needs: Needs, chosen: Candidate | None, skill_names: list[str]) -> dict[str, Any]:
    """What the history keeps of a routing: data enough to word it in any language later
    (`reasons.routed_note`), never the sentence itself."""
    return {
        "skill_names": skill_names,
        "experience": needs.experience,
        "agent_name": chosen.profile.user.display_name if chosen else "",
        "flags": needs.flags,
        "needs": [n.as_dict() for n in needs.items],
    }


def _decide(
    contact: Contact,
    needs: Needs,
    chosen: Candidate | None,
    routed: dict[str, Any],
    actor: User | None,
    now: datetime,
) -> RoutingDecision:
    """Keep the decision (one row per contact) and, when it changed, a ROUTED event with its why."""
    values: dict[str, Any] = {
        "outcome": RoutingDecision.Outcome.ASSIGNED if chosen else RoutingDecision.Outcome.FLAGGED,
        "agent_id": chosen.user_id if chosen else None,
        "skills": needs.skills,
        "experience": needs.experience,
        "needs": routed["needs"],
        "flags": needs.flags,
    }
    # One decision per contact: no order to build (this runs holding SQLite's write lock).
    decision = next(iter(RoutingDecision.objects.filter(contact=contact).order_by()[:1]), None)
    changed = decision is None or any(getattr(decision, name) != value for name, value in values.items())
    if decision is None:
        decision = RoutingDecision.objects.create(contact=contact, decided_at=now, **values)
    else:
        for name, value in values.items():
            setattr(decision, name, value)
        decision.decided_at = now
        decision.save()
    if changed:
        contact_event_add(
            contact=contact,
            kind=ROUTED_EVENT,
            actor=actor,
            outcome=values["outcome"],
            agent=chosen.profile.user.get_username() if chosen else None,
            skills=needs.skills,
            **routed,
        )
    return decision


def contacts_route(contact_ids: list[int]) -> None:
    """The listener on new signals: route those of these contacts that are open, unassigned and could
    need a skill. One contact's failure is logged and never stops the others (nor touches their
    messages)."""
    for contact_id in maybe_needing(contact_ids, timezone.now()):
        try:
            contact_route(contact=contact_id)
        except DomainError:
            pass  # taken or closed in the meantime: nothing to route
        except Exception:
            logger.exception("Routing contact %s failed; it stays in the normal queue.", contact_id)
        outbox_rest()  # ~2.5 ms of Python a contact: the requests beside the drain get their turn
