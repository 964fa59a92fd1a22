"""The retention alert: when a customer's churn risk rises to hoog, the team leads of the team that
handled their latest contact hear about it through the desk's notifications (once per rise)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.accounts.models import Role, User
from gezien.customers.models import Customer
from gezien.notifications.kinds import kind_register
from gezien.notifications.models import Notification

RETENTION_KIND = kind_register("retention", gettext_lazy("Klantbehoud"))

Risen = tuple[int, tuple[int | None, int | None, int] | None, Sequence[Any]]


def _team_of(
    latest: tuple[int | None, int | None, int] | None, agent_teams: Mapping[int, int | None]
) -> int | None:
    if latest is None:
        return None
    team_id, agent_id, _contact = latest
    if team_id is None and agent_id is not None:
        team_id = agent_teams.get(agent_id)
    return team_id


def risks_alert(risen: Sequence[Risen]) -> int:
    """Notify team leads about customers that just became hoog (a fixed number of queries for the whole
    batch). Without a team, every team lead hears it. Returns the number of notifications."""
    if not risen:
        return 0
    agents = {latest[1] for _cid, latest, _r in risen if latest is not None and latest[1] is not None}
    agent_teams = dict(User.objects.filter(pk__in=agents).values_list("pk", "team_id"))
    leads = list(
        User.objects.filter(is_active=True, groups__name=Role.TEAMLEAD)
        .values_list("pk", "team_id")
        .distinct()
    )
    names = {c.pk: c.full_name for c in Customer.objects.filter(pk__in=[cid for cid, _l, _r in risen])}
    notes = []
    for customer_id, latest, reasons in risen:
        team_id = _team_of(latest, agent_teams)
        recipients = [pk for pk, team in leads if team_id is not None and team == team_id]
        if not recipients:
            recipients = [pk for pk, _team in leads]
        why = reasons[0].text if reasons else ""
        text = _("Opzegrisico hoog: %(name)s. %(why)s") % {"name": names.get(customer_id, "?"), "why": why}
        contact_id = latest[2] if latest is not None else None
        notes += [
            Notification(recipient_id=pk, kind=RETENTION_KIND, text=text[:300], contact_id=contact_id)
            for pk in recipients
        ]
    Notification.objects.bulk_create(notes)
    return len(notes)
