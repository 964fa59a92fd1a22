"""Which contacts are about a customer: theirs, and the unrecognised ones that arrived with one of their
identities (a mail from their address before it was known, a chat that gave their address unverified)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gezien.contacts.models import Contact, Recognition
from gezien.customers.models import Customer


def customer_contacts(customer: Customer, *, ambiguous: bool = False) -> QuerySet[Contact]:
    """The contacts about `customer`. `ambiguous`: also those whose identities pointed at this customer
    and another (an erasure takes them along; an export leaves them out, they may be the other's)."""
    values = sorted({value for value in customer.identities.values_list("value", flat=True)})
    found = Q(customer=customer)
    if values:
        found |= Q(customer__isnull=True, recognition=Recognition.UNIDENTIFIED, identity_value__in=values)
    if ambiguous:
        candidates = Contact.objects.filter(customer__isnull=True, recognition=Recognition.AMBIGUOUS)
        named = [
            c.pk for c in candidates.only("pk", "candidate_ids") if customer.pk in (c.candidate_ids or [])
        ]
        found |= Q(pk__in=named)
    return Contact.objects.filter(found)
