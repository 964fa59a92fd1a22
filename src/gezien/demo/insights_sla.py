"""Demo service levels: priorities on a few open contacts of the demo organisation, so the queue shows
every timer state beside the ordinary ones (the demo's open e-mails are 25 minutes to two days old, so
against the 8 opening hours of a normal e-mail some run, some are nearly due and some are over time).

- Ronald Kramer's abusive e-mail: hoog (a team lead wants it handled, not left to fester);
- mevrouw Jansen's callback request (her husband died): hoog;
- Samira Aarab's fifth contact about the same late delivery (open chat): spoed;
- Jeroen de Groot, who says he is leaving: hoog, on whatever he has open.

And one open, unanswered e-mail or web form gets the priority (hoog or spoed) whose target makes it
"bijna over tijd" at the moment of loading, when one does, so that state is on screen too.

Idempotent: a contact that already has its priority is left alone. Expects the demo organisation
(`load_demo`) and the default SLA policies (migration sla 0002).
"""

from __future__ import annotations

from django.utils import timezone

from gezien.contacts.models import Contact, Priority, Status
from gezien.insights.sla.services import contact_set_priority
from gezien.insights.sla.timers import SOON, contact_timers, first_replies, policies_by_key

# (first name, last name, channel or None for any, priority)
PRIORITIES: tuple[tuple[str, str, str | None, str], ...] = (
    ("Ronald", "Kramer", "email", Priority.HIGH),
    ("Johanna", "Jansen", "phone", Priority.HIGH),
    ("Samira", "Aarab", "chat", Priority.URGENT),
    ("Jeroen", "de Groot", None, Priority.HIGH),
)


def load_sla_demo() -> int:
    """Set the demo priorities; returns how many contacts changed."""
    changed = 0
    for first, last, channel, priority in PRIORITIES:
        contacts = Contact.objects.exclude(status=Status.CLOSED).filter(
            customer__first_name=first, customer__last_name=last
        )
        if channel:
            contacts = contacts.filter(channel=channel)
        contact = contacts.order_by("-opened_at", "-pk").first()
        if contact is None or contact.priority == priority:
            continue
        contact_set_priority(contact=contact, priority=priority, actor=None)
        changed += 1
    return changed + _one_nearly_due()


def _one_nearly_due() -> int:
    written = Contact.objects.exclude(status=Status.CLOSED).filter(channel__in=["email", "webform"])
    if written.exclude(priority=Priority.NORMAL).filter(customer__isnull=True).exists():
        return 0  # done on an earlier run
    candidates = list(written.filter(priority=Priority.NORMAL, customer__isnull=True).order_by("pk"))
    answered = first_replies(c.pk for c in candidates)
    policies, now = policies_by_key(), timezone.now()
    for contact in candidates:
        if contact.pk in answered:
            continue
        for priority in (Priority.URGENT, Priority.HIGH):
            timers = contact_timers(contact, policies.get((contact.channel, priority)), None, now)
            if timers.first_response.state == SOON:
                contact_set_priority(contact=contact, priority=priority, actor=None)
                return 1
    return 0
