"""Template tags of retention: the churn risk on the gezien-kaart (one query, whatever the history), and
its reasons in the reader's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gezien.contacts.vocabulary import EMOTION_LABELS
from gezien.core.prepared import IdsQuery
from gezien.customers.models import Customer
from gezien.insights.retention.models import CustomerRisk, RetentionFollowUp
from gezien.insights.rootcause.models import ProblemStatus

register = template.Library()


@register.simple_tag
def churn_risk(customer: Customer | None) -> CustomerRisk | None:
    """The customer's stored risk (as last computed), or None."""
    if customer is None or customer.pk is None:
        return None
    found = _RISK.objects([customer.pk])  # prepared: every contact page with a customer asks
    return found[0] if found else None


_RISK = IdsQuery(lambda ids: CustomerRisk.objects.filter(customer_id__in=ids))


@register.simple_tag
def retention_follow_up(customer: Customer | None) -> RetentionFollowUp | None:
    """The customer's newest retention follow-up (a team lead's call, "Samira gebeld: excuses ..."): the
    agent who has the customer next sees what was done (issue 20: it showed on no contact). A prepared
    look, and one query when there is one."""
    if customer is None or customer.pk is None:
        return None
    if not _ANY_FOLLOW_UP.rows([customer.pk]):  # prepared: most customers have none
        return None
    newest = RetentionFollowUp.objects.filter(customer_id=customer.pk).select_related("by")
    return newest.order_by("-at", "-id").first()


_ANY_FOLLOW_UP = IdsQuery(
    lambda ids: RetentionFollowUp.objects.filter(customer_id__in=ids).values_list("pk")[:1]
)


def _day(iso: str) -> str:
    return date_format(timezone.localtime(datetime.fromisoformat(iso)), "j b")


@register.filter
def risk_reason(reason: dict[str, Any]) -> str:
    """One reason of a churn risk in the reader's language, from what it says as data; a reason stored
    before it carried its data reads as it was stored."""
    says = reason.get("says") or {}
    what = says.get("what")
    if what in ("said", "said_again"):
        words = f"'{says['words']}'" if says.get("words") else _("(zonder aanhaalbare woorden)")
        if what == "said":
            return _("Zei op %(day)s: %(words)s") % {"day": _day(says["at"]), "words": words}
        return _("Zei op %(day)s dat het niet de eerste keer is: %(words)s") % {
            "day": _day(says["at"]),
            "words": words,
        }
    if what in ("streak", "negatives"):
        emotion = says.get("emotion")
        mood = str(EMOTION_LABELS[emotion]) if emotion in EMOTION_LABELS else _("negatief")
        if what == "streak":
            return _("Laatste %(n)s contacten vooral %(mood)s") % {"n": says["n"], "mood": mood}
        return _("%(n)s van de laatste %(of)s contacten %(mood)s, het laatst op %(day)s") % {
            "n": says["n"],
            "of": says["of"],
            "mood": mood,
            "day": _day(says["at"]),
        }
    if what == "matter":
        return _("%(n)s contacten over dezelfde kwestie (%(what)s), nog niet opgelost") % {
            "n": says["n"],
            "what": says.get("about") or _("zonder reden"),
        }
    if what == "problem":
        label = str(ProblemStatus(says["status"]).label).lower()
        return _("Geraakt door signaal '%(title)s' (%(status)s)") % {"title": says["title"], "status": label}
    return str(reason.get("text", ""))
