"""The erasure screen (/customers/<id>/erase/): what will go, and the request that waits for a second
manager, if any."""

from __future__ import annotations

from typing import TypedDict

from gezien.contacts.models import Attachment, Message
from gezien.customers.models import Customer
from gezien.privacy.erase import customer_erased, erase_pending
from gezien.privacy.models import ErasureRequest
from gezien.privacy.selectors import customer_contacts


class ErasePage(TypedDict):
    customer: Customer
    erased: bool
    pending: ErasureRequest | None
    may_approve: bool  # a pending request someone else asked for
    approvers: int
    contact_count: int
    message_count: int
    file_count: int


def erase_page(customer: Customer, *, viewer_id: int, approvers: int) -> ErasePage:
    contacts = customer_contacts(customer, ambiguous=True)
    pending = erase_pending(customer.pk)
    return {
        "customer": customer,
        "erased": customer_erased(customer),
        "pending": pending,
        "may_approve": pending is not None and pending.requested_by_id != viewer_id,
        "approvers": approvers,
        "contact_count": contacts.count(),
        "message_count": Message.objects.filter(contact__in=contacts).count(),
        "file_count": Attachment.objects.filter(contact__in=contacts).count(),
    }
