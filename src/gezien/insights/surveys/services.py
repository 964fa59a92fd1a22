"""Writes of surveys: offering one when a contact closes (or refusing, with the reason), the invitation
an organisation sends itself (API), sending the e-mail, and storing the customer's answer.

The offer rule (`survey_refusal`): never after a bereavement, illness or abuse contact (a protocol on the
contact, the customer's own words in it, or a death or illness remembered on the card within a year),
never to an unidentified customer, and not more than once per customer per GEZIEN_SURVEY_QUIET_DAYS.
"""

from __future__ import annotations

import logging
import re
import secrets
import unicodedata
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.assist.models import NO_SURVEY_PROTOCOLS, ContactProtocol, Protocol
from gezien.chat.live import survey_shown_in_chat
from gezien.contacts import services as contact_services
from gezien.contacts.analysing import analyser
from gezien.contacts.models import EVENT_KINDS, Author, Channel, Contact, Message, MessageSignals, Status
from gezien.core.errors import Conflict, Invalid
from gezien.core.prepared import IdsQuery
from gezien.customers.models import DetailKind, Identity, IdentityKind, RememberedDetail
from gezien.desksettings.store import desk_setting
from gezien.insights.facts import facts_mark_stale
from gezien.insights.surveys.links import (
    AlreadyAnswered,
    invitation_check_open,
    invitation_for_token,
    survey_token,
    survey_url,
)
from gezien.insights.surveys.models import (
    COMMENT_CHARS,
    SentVia,
    SkipReason,
    SurveyInvitation,
    SurveyKind,
    SurveyResponse,
    SurveySkip,
)
from gezien.insights.surveys.signals import survey_answered
from gezien.insights.surveys.tasks import survey_send_task
from gezien.insights.surveys.texts import texts

SURVEY_EVENT = EVENT_KINDS.register("survey", gettext_lazy("Enquête"))

logger = logging.getLogger(__name__)

ABUSIVE_AT = 0.5  # as the assist's abuse protocol (assist.services.ABUSIVE_AT)
REMEMBERED_FOR_DAYS = 365  # as the assist: a death or illness remembered this recently still asks for care
EVENT_REASONS = {
    "bereavement": SkipReason.BEREAVEMENT,
    "illness": SkipReason.ILLNESS,
    "hospital": SkipReason.ILLNESS,
}
PROTOCOL_REASONS = {
    Protocol.BEREAVEMENT: SkipReason.BEREAVEMENT,
    Protocol.ILLNESS: SkipReason.ILLNESS,
    Protocol.ABUSE: SkipReason.ABUSE,
}
# The order in which reasons are named when several apply: the most serious first.
REASON_ORDER = [SkipReason.BEREAVEMENT, SkipReason.ILLNESS, SkipReason.ABUSE]
_ENGLISH = re.compile(r"\b(engels|engelstalig|english)\b", re.IGNORECASE)
_DUTCH = re.compile(r"\b(nederlands|nederlandstalig|dutch)\b", re.IGNORECASE)


# --- the rule ------------------------------------------------------------------------------------------


def survey_kind_for(channel: str) -> str:
    """NPS or CSAT for a contact on `channel`: GEZIEN_SURVEY_KIND is "nps", "csat", or per channel
    ("phone=nps,chat=csat,*=nps"); anything unreadable means NPS."""
    raw = str(desk_setting("survey_kind")).strip().lower()
    if "=" not in raw:
        return raw if raw in SurveyKind.values else SurveyKind.NPS
    mapping = dict(part.split("=", 1) for part in raw.replace(" ", "").split(",") if "=" in part)
    kind = mapping.get(channel) or mapping.get("*") or SurveyKind.NPS
    return kind if kind in SurveyKind.values else SurveyKind.NPS


def _sensitive_reasons(contact: Contact, now: datetime) -> set[str]:
    protocols = ContactProtocol.objects.filter(contact=contact, protocol__in=NO_SURVEY_PROTOCOLS)
    found: set[str] = {PROTOCOL_REASONS[Protocol(p)] for p in protocols.values_list("protocol", flat=True)}
    rows = MessageSignals.objects.filter(message__contact=contact, role="customer")
    for life_events, abuse in rows.values_list("life_events", "abuse"):
        found |= {EVENT_REASONS[e] for e in life_events.split() if e in EVENT_REASONS}
        if abuse >= ABUSIVE_AT:
            found.add(SkipReason.ABUSE)
    if contact.customer_id is not None:
        found |= _remembered_reasons(contact.customer_id, now)
    return found


def _remembered_reasons(customer_id: int, now: datetime) -> set[str]:
    """A death or illness remembered on the card recently (the widow calling back about her late
    husband's contract need not say it again for the desk to leave her alone)."""
    details = RememberedDetail.objects.filter(
        customer_id=customer_id,
        kind=DetailKind.LIFE_EVENT,
        created_at__gte=now - timedelta(days=REMEMBERED_FOR_DAYS),
    ).values_list("text", flat=True)
    found: set[str] = set()
    for text in details:
        try:
            events = analyser().analyze(text, role="customer").life_events
        except Exception:  # no analyser: a remembered life event is reason enough to stay quiet
            logger.exception("Could not analyse a remembered life event; no survey.")
            events = frozenset({"bereavement"})
        found |= {EVENT_REASONS[e] for e in events if e in EVENT_REASONS}
    return found


def _had_conversation(contact: Contact) -> bool:
    """Someone said something in it: a customer's or an agent's words (a message, a note, a transcript).
    A call that closed with nothing recorded (the caller hung up, a line logged by mistake) is no
    conversation to ask about (issue 20: surveys went out after empty demo calls)."""
    said = Message.objects.filter(contact=contact, author__in=[Author.CUSTOMER, Author.AGENT])
    return said.exclude(text="").exists()


def survey_refusal(contact: Contact, now: datetime | None = None) -> str | None:
    """Why no survey may follow `contact` (a SkipReason), or None when one may."""
    now = now or timezone.now()
    sensitive = _sensitive_reasons(contact, now)
    for reason in REASON_ORDER:
        if reason in sensitive:
            return reason
    if contact.customer_id is None:
        return SkipReason.UNIDENTIFIED
    if not _had_conversation(contact):
        return SkipReason.NO_CONVERSATION
    since = now - timedelta(days=desk_setting("survey_quiet_days"))
    recent = SurveyInvitation.objects.filter(customer_id=contact.customer_id, created_at__gte=since)
    if recent.exclude(contact=contact).exists():
        return SkipReason.QUIET
    return None


def refusal_text(reason: str) -> str:
    """ "Geen enquête: rouwprotocol"."""
    return _("Geen enquête: %(reason)s") % {"reason": SkipReason(reason).label}


def survey_email(customer_id: int) -> str | None:
    """The customer's newest e-mail identity (normalised), if any."""
    found = Identity.objects.filter(customer_id=customer_id, kind=IdentityKind.EMAIL).order_by(
        "-created_at", "-id"
    )
    return found.values_list("value", flat=True).first()


def survey_language(contact: Contact) -> str:
    """English when the card says the customer prefers it, or when they wrote to us in English;
    otherwise Dutch."""
    if contact.customer_id is not None:
        preferences = RememberedDetail.objects.filter(
            customer_id=contact.customer_id, kind=DetailKind.PREFERENCE
        ).values_list("text", flat=True)
        for text in preferences:
            if _ENGLISH.search(text):
                return "en"
            if _DUTCH.search(text):
                return "nl"
    langs = list(
        MessageSignals.objects.filter(message__contact=contact, role="customer").values_list(
            "lang", flat=True
        )
    )
    english = sum(1 for lang in langs if lang == "en")
    return "en" if langs and english * 2 > len(langs) else "nl"


# --- offering and inviting -----------------------------------------------------------------------------


def _event(contact: Contact, note: str, **data: Any) -> None:
    contact_services.contact_event_add(contact=contact, kind=SURVEY_EVENT, actor=None, note=note, **data)


def _skip(contact: Contact, reason: str, now: datetime) -> SurveySkip:
    skip, _created = SurveySkip.objects.update_or_create(
        contact=contact, defaults={"reason": reason, "created_at": now}
    )
    _event(contact, refusal_text(reason), skipped=reason)
    return skip


def _invitation(contact: Contact, sent_via: str, now: datetime) -> SurveyInvitation:
    assert contact.customer_id is not None
    invitation = SurveyInvitation.objects.create(
        contact=contact,
        customer_id=contact.customer_id,
        kind=survey_kind_for(contact.channel),
        language=survey_language(contact),
        nonce=secrets.token_urlsafe(18),
        sent_via=sent_via,
        created_at=now,
        expires_at=now + timedelta(days=max(1, desk_setting("survey_valid_days"))),
    )
    SurveySkip.objects.filter(contact=contact).delete()
    return invitation


def _decided(contact: Contact) -> bool:
    """A survey was made for this contact, or refused since it was last closed."""
    if SurveyInvitation.objects.filter(contact=contact).exists():
        return True
    skip = SurveySkip.objects.filter(contact=contact).first()
    return skip is not None and contact.closed_at is not None and skip.created_at >= contact.closed_at


def survey_offer(
    *, contact: Contact | int, now: datetime | None = None
) -> SurveyInvitation | SurveySkip | None:
    """After a contact closed: make and e-mail a survey, or record why not. Nothing when the contact is
    not closed, sending is off, or it was decided already (a refusal is reconsidered when the contact
    is closed again, e.g. after the agent linked the customer)."""
    if desk_setting("survey_send") != "email":
        return None
    now = now or timezone.now()
    pk = contact if isinstance(contact, int) else contact.pk
    try:
        with transaction.atomic():
            found = Contact.objects.select_for_update().filter(pk=pk).first()
            if found is None or found.status != Status.CLOSED or _decided(found):
                return None
            reason = survey_refusal(found, now)
            in_chat = found.channel == Channel.CHAT  # the widget shows the link: no e-mail address needed
            if reason is None and not in_chat and survey_email(found.customer_id or 0) is None:
                reason = SkipReason.NO_EMAIL
            if reason is not None:
                return _skip(found, reason, now)
            if in_chat:
                return _offer_in_chat(found, now)
            invitation = _invitation(found, SentVia.EMAIL, now)
            _event(found, _("Enquête aangeboden per e-mail"), invitation=invitation.pk)
            transaction.on_commit(lambda: survey_send_later(invitation.pk))
            return invitation
    except IntegrityError:  # offered at the same moment by another process: that one stands
        return None


def _offer_in_chat(contact: Contact, now: datetime) -> SurveyInvitation:
    """A closed chat's survey: the customer's widget shows the link at once (and again on a reload)."""
    invitation = _invitation(contact, SentVia.CHAT, now)
    SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=now)
    invitation.sent_at = now
    _event(contact, _("Enquête aangeboden in de chat"), invitation=invitation.pk)
    url = survey_url(survey_token(invitation))
    transaction.on_commit(lambda: survey_shown_in_chat(contact.pk, url))
    return invitation


def chat_survey_url(contact_id: int) -> str | None:
    """The link a closed chat's widget shows: its survey, while it is open and unanswered."""
    invitation = SurveyInvitation.objects.filter(
        contact_id=contact_id, sent_via=SentVia.CHAT, answered_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    return survey_url(survey_token(invitation)) if invitation is not None else None


# Only a contact that closed this recently is offered a survey when it changes: linking an old contact
# to a matter or a problem months later must not mail the customer about it.
OFFER_WITHIN = timedelta(hours=24)


_CLOSED = IdsQuery(lambda ids: Contact.objects.filter(pk__in=ids, status=Status.CLOSED).values_list("pk")[:1])


def surveys_after_close(contact_ids: list[int]) -> None:
    """Listener on changed contacts: offer a survey for those that just closed and are not yet decided."""
    if desk_setting("survey_send") != "email" or not _CLOSED.rows(contact_ids):  # prepared: most are open
        return
    since = timezone.now() - OFFER_WITHIN
    closed = Contact.objects.filter(pk__in=contact_ids, status=Status.CLOSED, closed_at__gte=since)
    undecided = closed.exclude(survey_invitation__isnull=False).values_list("pk", flat=True)
    for pk in undecided:
        survey_offer(contact=pk)


def survey_invite(*, contact: Contact, now: datetime | None = None) -> SurveyInvitation:
    """An invitation the organisation sends itself (the API): the same rule applies; Conflict (409)
    with the reason in Dutch when no survey may follow this contact."""
    now = now or timezone.now()
    with transaction.atomic():
        found = Contact.objects.select_for_update().get(pk=contact.pk)
        if found.status != Status.CLOSED:
            raise Conflict(_("Een enquête volgt pas op een gesloten contact."), field="contact")
        if SurveyInvitation.objects.filter(contact=found).exists():
            raise Conflict(_("Voor dit contact is al een enquête gemaakt."), field="contact")
        reason = survey_refusal(found, now)
        if reason is None:
            invitation = _invitation(found, SentVia.API, now)
            _event(
                found, _("Enquête aangemaakt voor verzending door de organisatie"), invitation=invitation.pk
            )
            return invitation
        _skip(found, reason, now)
    raise Conflict(refusal_text(reason), field="contact")


# --- sending -------------------------------------------------------------------------------------------


def survey_send_later(invitation_id: int) -> None:
    """Send now when work runs inline (SQLite), else leave it to a worker so closing never waits on SMTP."""
    if settings.GEZIEN_ANALYSIS_INLINE:
        survey_send(invitation_id)
        return

    try:
        survey_send_task.enqueue(invitation_id)
    except Exception:
        logger.exception(
            "Could not enqueue the survey mail for invitation %s; sending it now.", invitation_id
        )
        survey_send(invitation_id)


def _until(moment: datetime, language: str) -> str:
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), "j F Y")


def survey_mail(invitation: SurveyInvitation) -> EmailMultiAlternatives | None:
    """The e-mail (text and HTML) inviting the customer, or None without an e-mail address."""
    address = survey_email(invitation.customer_id)
    if address is None:
        return None
    t = texts(invitation.language)
    org = desk_setting("organisation_name")
    name = invitation.customer.full_name
    context = {
        "language": invitation.language,
        "greeting": t["mail_greeting"].format(name=name) if name else t["mail_greeting_anonymous"],
        "body": t["mail_body"],
        "button": t["mail_button"],
        "valid": t["mail_valid"].format(until=_until(invitation.expires_at, invitation.language)),
        "regards": t["mail_regards"],
        "signature": t["mail_signature"].format(org=org),
        "url": survey_url(survey_token(invitation)),
        "title": t["title"],
    }
    subject = " ".join(t["mail_subject"].format(org=org).split())
    mail = EmailMultiAlternatives(subject, render_to_string("surveys/mail.txt", context), to=[address])
    mail.attach_alternative(render_to_string("surveys/mail.html", context), "text/html")
    return mail


def survey_send(invitation_id: int) -> bool:
    """E-mail the survey (once). A failure is logged; the invitation stays unsent."""
    invitation = SurveyInvitation.objects.select_related("customer").filter(pk=invitation_id).first()
    if invitation is None or invitation.sent_at is not None or invitation.sent_via != SentVia.EMAIL:
        return False
    try:
        mail = survey_mail(invitation)
        if mail is None:
            return False
        mail.send()
    except Exception:
        logger.exception("The survey mail for invitation %s could not be sent.", invitation_id)
        return False
    SurveyInvitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(sent_at=timezone.now())
    return True


# --- answering -----------------------------------------------------------------------------------------


def clean_comment(comment: Any) -> str:
    """The customer's comment: text, no control characters but line breaks, at most 2,000 characters."""
    if comment is None:
        return ""
    if not isinstance(comment, str):
        raise Invalid(_("De toelichting moet tekst zijn."), field="comment")
    text = comment.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()
    if len(text) > COMMENT_CHARS:
        raise Invalid(
            _("De toelichting is te lang: hoogstens %(max)d tekens.") % {"max": COMMENT_CHARS},
            field="comment",
        )
    return text


def check_score(kind: str, score: Any) -> int:
    low, high = (0, 10) if kind == SurveyKind.NPS else (1, 5)
    if isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high:
        raise Invalid(
            _("Kies een score van %(low)d tot en met %(high)d.") % {"low": low, "high": high}, field="score"
        )
    return score


def _analyse(comment: str) -> dict[str, Any] | None:
    if not comment:
        return None

    try:
        return analyser().analyze(comment, role="customer").to_dict()
    except Exception:  # the answer counts without its analysis
        logger.exception("Could not analyse a survey comment.")
        return None


def survey_answer(
    *, token: str, score: Any, resolved: bool | None = None, comment: Any = "", now: datetime | None = None
) -> SurveyResponse:
    """Store the customer's answer to the survey behind `token`: one per link (the database refuses a
    second), LinkTampered (400), LinkExpired (410), AlreadyAnswered (409), Invalid (422)."""
    now = now or timezone.now()
    invitation = invitation_for_token(token)
    invitation_check_open(invitation, now)
    score = check_score(invitation.kind, score)
    if resolved is not None and not isinstance(resolved, bool):
        raise Invalid(_("Kies ja of nee."), field="resolved")
    text = clean_comment(comment)
    analysis = _analyse(text)
    with transaction.atomic():
        locked = SurveyInvitation.objects.select_for_update().select_related("contact").get(pk=invitation.pk)
        invitation_check_open(locked, now)
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(
                    invitation=locked,
                    kind=locked.kind,
                    score=score,
                    resolved=resolved,
                    comment=text,
                    comment_analysis=analysis,
                    answered_at=now,
                )
        except IntegrityError:
            raise AlreadyAnswered(_("Deze enquête is al ingevuld."), field="token") from None
        locked.answered_at = now
        locked.save(update_fields=["answered_at"])
        _event(locked.contact, _("Enquête beantwoord: %(score)d") % {"score": score}, response=response.pk)
        contact_id = locked.contact_id
        transaction.on_commit(lambda: facts_mark_stale([contact_id]))
        survey_answered(response)
    return response
