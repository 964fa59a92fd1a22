"""Template tags of retention: the churn risk on the gezien-kaart (one query, whatever the history)."""

from __future__ import annotations

from django import template

from gezien.customers.models import Customer
from gezien.insights.retention.models import CustomerRisk

register = template.Library()


@register.simple_tag
def churn_risk(customer: Customer | None) -> CustomerRisk | None:
    """The customer's stored risk (as last computed), or None."""
    if customer is None or customer.pk is None:
        return None
    return CustomerRisk.objects.filter(customer_id=customer.pk).first()
