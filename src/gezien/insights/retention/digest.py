"""The weekly digest per department: the department overview of the past week as a Dutch e-mail (text and
HTML, everything escaped, no external images), sent through Django's configured e-mail backend to the
department's owners and its `digest_email`. `DigestLog` makes sure a week is sent once.

The weekly entry point is `digests_send_week()` (the `digests_send_task` task and `gezien insights
digest`): every department, the week before the current one by default.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from gezien.accounts.models import Department
from gezien.desksettings.store import desk_setting
from gezien.insights.retention import department as overview_of
from gezien.insights.retention.models import DigestLog
from gezien.insights.retention.risk import risks_catch_up
from gezien.insights.rollups import insights_catch_up

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestResult:
    department: Department
    week_start: date
    sent: bool
    recipients: list[str]
    message: str  # what happened, in Dutch (printed by the command)
    subject: str = ""
    text: str = ""
    html: str = ""


def digest_recipients(department: Department) -> list[str]:
    """The owners' addresses (active people with one) and the department's digest address, once each."""
    found: list[str] = []
    for address in [
        *department.owners.filter(is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True),
        department.digest_email,
    ]:
        address = (address or "").strip()
        if address and address.lower() not in {a.lower() for a in found}:
            found.append(address)
    return found


def last_week(now: datetime | None = None) -> date:
    """The Monday of the week before the current one (the week a Monday-morning digest covers)."""
    today = timezone.localtime(now or timezone.now()).date()
    return overview_of.week_of(today) - timedelta(days=7)


def _public(path: str) -> str:
    return str(desk_setting("base_url")) + path


def digest_render(department: Department, week_start: date) -> tuple[str, str, str]:
    """Subject, text and HTML of the digest (the overview read from the rollups as they are now)."""
    overview = overview_of.department_overview(department, week_start)
    with override(settings.LANGUAGE_CODE):
        subject = _("Weekoverzicht klantenservice voor %(name)s: week van %(day)s") % {
            "name": department.name,
            "day": date_format(overview.week_start, "j F Y"),
        }
        context = {
            "overview": overview,
            "subject": subject,
            "organisation": desk_setting("organisation_name"),
            "page_url": _public(reverse("desk:insights_department"))
            + f"?department={department.pk}&week={overview.week_start.isoformat()}",
            "problem_urls": {
                p.id: _public(reverse("desk:insights_problem", args=[p.id])) for p in overview.problems
            },
        }
        text = render_to_string("retention/digest.txt", context)
        html = render_to_string("retention/digest.html", context)
    return subject, text, html


def digest_send(
    department: Department, week_start: date, now: datetime | None = None, *, dry_run: bool = False
) -> DigestResult:
    """Send the digest of the week starting `week_start` (a Monday) to the department, once. A week sent
    before, or a department without addresses, sends nothing and says so. `dry_run` renders only."""
    week_start = overview_of.week_of(week_start)
    now = now or timezone.now()
    recipients = digest_recipients(department)
    earlier = DigestLog.objects.filter(department=department, week_start=week_start).first()
    if earlier is not None:
        when = date_format(timezone.localtime(earlier.sent_at), "j F Y H:i")
        message = _("%(name)s: het weekoverzicht van deze week is al verstuurd (%(when)s).") % {
            "name": department.name,
            "when": when,
        }
        return DigestResult(department, week_start, False, list(earlier.recipients), message)
    if not recipients:
        message = _(
            "%(name)s: geen eigenaar met e-mailadres en geen adres voor het weekoverzicht; niets verstuurd."
        ) % {"name": department.name}
        logger.warning("Digest for department %s not sent: no addresses.", department.code)
        return DigestResult(department, week_start, False, [], message)
    subject, text, html = digest_render(department, week_start)
    if dry_run:
        message = _("%(name)s: proef, niet verstuurd (zou gaan naar %(to)s).") % {
            "name": department.name,
            "to": ", ".join(recipients),
        }
        return DigestResult(department, week_start, False, recipients, message, subject, text, html)
    mail = EmailMultiAlternatives(subject, text, to=recipients)
    mail.attach_alternative(html, "text/html")
    try:
        # The log row is written first and the mail sent inside its transaction: a second sender waits
        # on the unique week and then finds it taken; a failed send leaves no log, so a retry sends.
        with transaction.atomic():
            DigestLog.objects.create(
                department=department,
                week_start=week_start,
                recipients=recipients,
                subject=subject,
                sent_at=now,
            )
            mail.send()
    except IntegrityError:
        message = _("%(name)s: het weekoverzicht van deze week is al verstuurd.") % {"name": department.name}
        return DigestResult(department, week_start, False, recipients, message)
    message = _("%(name)s: weekoverzicht verstuurd naar %(to)s.") % {
        "name": department.name,
        "to": ", ".join(recipients),
    }
    return DigestResult(department, week_start, True, recipients, message, subject, text, html)


def digests_send_week(
    week_start: date | None = None, now: datetime | None = None, *, dry_run: bool = False
) -> list[DigestResult]:
    """The weekly entry point: the digest of `week_start` (default: last week) for every department.
    One department's failing mail server is logged and does not stop the others."""
    insights_catch_up()
    risks_catch_up()
    week = overview_of.week_of(week_start) if week_start else last_week(now)
    results = []
    for department in Department.objects.order_by("name"):
        try:
            results.append(digest_send(department, week, now, dry_run=dry_run))
        except Exception as exc:  # SMTP down for one: the others still go, this one is retried next run
            logger.exception("Digest for department %s failed.", department.code)
            message = _("%(name)s: versturen mislukt (%(error)s).") % {"name": department.name, "error": exc}
            results.append(DigestResult(department, week, False, [], message))
    return results
