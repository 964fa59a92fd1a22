"""`{{ inbound|mail_reason }}`: why an inbound mail got its outcome, in the reader's language."""

from __future__ import annotations

from django import template

from gezien.mail.models import InboundMail
from gezien.mail.reasons import reason_text

register = template.Library()


@register.filter
def mail_reason(inbound: InboundMail) -> str:
    return reason_text(inbound.outcome, inbound.reason, inbound.error)
