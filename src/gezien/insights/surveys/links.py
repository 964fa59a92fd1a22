"""Signed, expiring survey links. The token signs the invitation's id and its random nonce with a
salt of its own (`django.core.signing.TimestampSigner`), so a token can be neither guessed from ids nor
altered; whether it still works is decided by the invitation (`expires_at`, answered or not)."""

from __future__ import annotations

from datetime import datetime

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.core.errors import Conflict, DomainError
from gezien.desksettings.store import desk_setting
from gezien.insights.surveys.models import SurveyInvitation

SALT = "gezien.insights.surveys.link"
TOKEN_CHARS = 200  # longer than any token we make; anything longer is refused unread


class LinkTampered(DomainError):
    """The link was changed, cut short or never made by us."""

    status_code = 400


class LinkExpired(DomainError):
    status_code = 410


class AlreadyAnswered(Conflict):
    pass


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT, sep=".")


def survey_token(invitation: SurveyInvitation) -> str:
    return _signer().sign(f"{invitation.pk}.{invitation.nonce}")


def survey_url(token: str) -> str:
    """The public link to the survey page (GEZIEN_BASE_URL + /s/<token>/)."""
    return str(desk_setting("base_url")) + reverse("desk:survey_page", args=[token])


def invitation_for_token(token: str) -> SurveyInvitation:
    """The invitation a token names, or LinkTampered; expiry and answers are not checked here."""
    if not isinstance(token, str) or len(token) > TOKEN_CHARS:
        raise LinkTampered(_("Deze link is ongeldig."), field="token")
    try:
        value = _signer().unsign(token)
    except signing.BadSignature:
        raise LinkTampered(_("Deze link is ongeldig."), field="token") from None
    pk, _sep, nonce = value.partition(".")
    found = SurveyInvitation.objects.filter(pk=int(pk), nonce=nonce).first() if pk.isdigit() else None
    if found is None:  # signed by us, but the invitation is gone (the contact was deleted)
        raise LinkTampered(_("Deze link is ongeldig."), field="token")
    return found


def invitation_check_open(invitation: SurveyInvitation, now: datetime | None = None) -> None:
    """AlreadyAnswered (409) or LinkExpired (410) when the survey can no longer be filled in."""
    if invitation.answered_at is not None:
        raise AlreadyAnswered(_("Deze enquête is al ingevuld."), field="token")
    if (now or timezone.now()) >= invitation.expires_at:
        raise LinkExpired(_("Deze link is verlopen."), field="token")
