"""Erasing a customer's personal data on request (GDPR art. 17), with an optional second approver.

`erase_request` carries it out at once, or with GEZIEN_ERASE_APPROVERS=2 records a pending request
that another manager approves with `erase_approve`. The database part is one transaction; the files
go after it commits (`files`). What remains of the customer is a row with an id and the number
"gewist-<id>" (so the contacts the figures count keep pointing at one anonymous customer), and one
audit entry `customer.erase` with counts only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.analysis.pii import MASK
from gezien.chat.models import ChatSession
from gezien.contacts.models import Matter
from gezien.core.errors import Conflict, Forbidden, NotFound
from gezien.customers.models import Customer, IdentityKind
from gezien.insights.retention.models import CustomerRisk, RetentionFollowUp, StaleRisk
from gezien.mail.models import BlockedSender, InboundMail
from gezien.privacy.audited import Actor, audit
from gezien.privacy.files import removal_add
from gezien.privacy.models import ErasureRequest, ErasureState, FileRemoval
from gezien.privacy.scrub import chunks, contacts_scrub, mail_files_naming
from gezien.privacy.selectors import customer_contacts
from gezien.webforms.models import FormSubmission

ERASED_PREFIX = "gewist-"


@dataclass(frozen=True)
class Erasure:
    request: ErasureRequest
    done: bool  # False: it waits for a second manager


def customer_erased(customer: Customer) -> bool:
    return customer.customer_number.startswith(ERASED_PREFIX)


def _erase(customer: Customer) -> Counter[str]:
    """Remove everything personal about `customer` (in the caller's transaction); counts per kind."""
    identities = list(customer.identities.all())
    values = {i.value for i in identities}
    emails = {i.value.lower() for i in identities if i.kind == IdentityKind.EMAIL}
    contact_ids = list(customer_contacts(customer, ambiguous=True).values_list("pk", flat=True))
    for part in chunks(contact_ids):
        senders = InboundMail.objects.filter(contact_id__in=part).exclude(from_address="")
        emails |= {e.lower() for e in senders.values_list("from_address", flat=True).distinct()}
    counts: Counter[str] = Counter()
    # Mails on disk that name the customer, found before their rows (and addresses) are gone.
    for path in mail_files_naming(sorted(emails)):
        removal_add(FileRemoval.Where.PATH, str(path))
        counts["mail_files"] += 1
    contacts_scrub(contact_ids, counts=counts)
    if emails:
        counts["inbound_mails"] += InboundMail.objects.filter(from_address__in=sorted(emails)).delete()[0]
        BlockedSender.objects.filter(address__in=sorted(emails)).delete()
        counts["chat_sessions"] += ChatSession.objects.filter(email__in=sorted(emails)).delete()[0]
        counts["webform_submissions"] += FormSubmission.objects.filter(email__in=sorted(emails)).update(
            name="", email="", phone="", client=""
        )
    if values:
        counts["chat_sessions"] += ChatSession.objects.filter(identity_value__in=sorted(values)).delete()[0]
    counts["identities"] += customer.identities.all().delete()[0]
    counts["details"] += customer.details.all().delete()[0]
    Matter.objects.filter(customer=customer).exclude(title="").update(title="")
    CustomerRisk.objects.filter(customer=customer).delete()
    StaleRisk.objects.filter(customer_id=customer.pk).delete()
    counts["follow_ups"] += RetentionFollowUp.objects.filter(customer=customer).update(note=MASK)
    customer.first_name = customer.last_name = customer.search_name = ""
    customer.customer_number = f"{ERASED_PREFIX}{customer.pk}"
    customer.save(update_fields=["first_name", "last_name", "search_name", "customer_number", "updated_at"])
    return +counts


def _wal_truncate() -> None:
    """On SQLite: copy the write-ahead log into the database now and empty it, so no earlier version
    of an erased page lingers in the log file (deleted content itself is zeroed: `secure_delete`)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _carry_out(request: ErasureRequest, customer: Customer, actor: Actor) -> None:
    counts = _erase(customer)
    request.state, request.done_at, request.counts = ErasureState.DONE, timezone.now(), dict(counts)
    request.approved_by = actor.user
    request.save(update_fields=["state", "done_at", "counts", "approved_by"])
    audit(
        actor,
        action="customer.erase",
        object_type="customer",
        object_id=customer.pk,
        customer_id=customer.pk,
        details={"request": request.pk, "requested_by": request.requested_by_id, **counts},
    )
    transaction.on_commit(_wal_truncate)


def _locked(customer_id: int) -> Customer:
    customer = Customer.objects.select_for_update().filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(_("Deze klant bestaat niet."), field="customer")
    if customer_erased(customer):
        raise Conflict(_("De gegevens van deze klant zijn al gewist."), field="customer")
    return customer


@transaction.atomic
def erase_request(*, customer_id: int, actor: Actor, approvers: int | None = None) -> Erasure:
    """Erase the customer's personal data now, or (with two approvers, from the desk or the API)
    record a request that waits for a second manager. The command line (`actor.user` None) erases at
    once: whoever runs it holds the database already."""
    customer = _locked(customer_id)
    approvers = settings.GEZIEN_ERASE_APPROVERS if approvers is None else approvers
    pending = ErasureRequest.objects.filter(customer_id=customer.pk, state=ErasureState.PENDING).first()
    if approvers >= 2 and actor.user is not None:
        if pending is not None:
            raise Conflict(
                _("Er wacht al een verzoek om deze klant te wissen op een tweede manager."), field="customer"
            )
        request = ErasureRequest.objects.create(
            customer_id=customer.pk, requested_by=actor.user, requested_at=timezone.now()
        )
        audit(
            actor,
            action="customer.erase_requested",
            object_type="customer",
            object_id=customer.pk,
            customer_id=customer.pk,
            details={"request": request.pk},
        )
        return Erasure(request, done=False)
    request = pending or ErasureRequest.objects.create(
        customer_id=customer.pk, requested_by=actor.user, requested_at=timezone.now()
    )
    _carry_out(request, customer, actor)
    return Erasure(request, done=True)


@transaction.atomic
def erase_approve(*, customer_id: int, actor: Actor) -> Erasure:
    """A second manager approves the pending request: the erasure is carried out now."""
    customer = _locked(customer_id)
    request = (
        ErasureRequest.objects.select_for_update()
        .filter(customer_id=customer.pk, state=ErasureState.PENDING)
        .first()
    )
    if request is None:
        raise NotFound(_("Er wacht geen verzoek om deze klant te wissen."), field="customer")
    if actor.user is not None and request.requested_by_id == actor.user.pk:
        raise Forbidden(_("Een andere manager moet het wissen goedkeuren."))
    _carry_out(request, customer, actor)
    return Erasure(request, done=True)


@transaction.atomic
def erase_cancel(*, customer_id: int, actor: Actor) -> ErasureRequest:
    """Withdraw a pending request (its requester or another manager)."""
    request = (
        ErasureRequest.objects.select_for_update()
        .filter(customer_id=customer_id, state=ErasureState.PENDING)
        .first()
    )
    if request is None:
        raise NotFound(_("Er wacht geen verzoek om deze klant te wissen."), field="customer")
    request.state = ErasureState.CANCELLED
    request.save(update_fields=["state"])
    audit(
        actor,
        action="customer.erase_cancelled",
        object_type="customer",
        object_id=customer_id,
        customer_id=customer_id,
        details={"request": request.pk},
    )
    return request


def erase_pending(customer_id: int) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(customer_id=customer_id, state=ErasureState.PENDING).first()
