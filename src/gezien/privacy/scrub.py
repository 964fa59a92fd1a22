"""Removing the personal data of contacts, wherever the desk kept it: shared by the erasure of a
customer (`erase`) and the retention period's anonymisation (`retention`).

What stays is what the figures count: the contact rows (channel, status, times, team, agent, reason),
the message rows with their text replaced (handling and response times, message counts), the signals'
scores without their evidence spans (emotion figures), survey scores without comments, the facts and
daily rollups. Everything that quotes or names the customer is emptied or deleted: message text,
subjects and summaries, the identity a contact arrived with, attachments and recordings (their files
removed after commit, `files`), the raw mails and their files, chat sessions, the web form's name,
address and phone, evidence words of protocols, incidents and signals, notes about the contact,
webhook events (their bodies quote the text) and the notifications about it.

Runs inside the caller's transaction; returns how many rows of each kind it touched (numbers only)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from gezien.analysis.pii import MASK
from gezien.assist.models import ContactProtocol, HintAction, Incident, WarmTransfer
from gezien.chat.models import ChatSession
from gezien.contacts.models import (
    Attachment,
    Contact,
    ContactEvent,
    Delivery,
    Matter,
    Message,
    MessageSignals,
    SignalCorrection,
)
from gezien.insights.rootcause.models import ProblemContact
from gezien.insights.surveys.models import SurveyResponse
from gezien.mail.models import InboundMail, Mailbox, OutgoingMail
from gezien.mail.servers import server_parse
from gezien.mail.transport import sent_file
from gezien.notifications.models import Notification
from gezien.phone.models import Recording
from gezien.privacy.files import removal_add
from gezien.privacy.models import AnonymisedContact, FileRemoval
from gezien.webforms.models import FormSubmission
from gezien.webhooks.models import WebhookEvent

CHUNK = 500
# What a contact event's data may keep: codes, states and ids, never words someone wrote or an address.
EVENT_KEYS_KEPT = frozenset(
    {"previous", "status", "agent", "reason", "priority", "protocol", "skipped", "state", "outcome",
     "kind", "problem", "matter", "team", "from_team", "to_team", "needs", "invitation", "response",
     "score", "signal", "delivery", "attempt", "by"}
)  # fmt: skip


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _event_data(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in EVENT_KEYS_KEPT}


def _mail_folder(mailbox: Mailbox) -> Path | None:
    """The folder a `file://` mailbox writes its outgoing mail to, else None."""
    try:
        server = (
            server_parse(mailbox.smtp_url, kind="smtp", mailbox=mailbox.name) if mailbox.smtp_url else None
        )
    except Exception:  # a mailbox whose URL no longer parses writes nothing
        return None
    return Path(server.folder) if server is not None and server.security == "file" else None


def _messages_scrub(message_ids: Sequence[int], counts: Counter[str]) -> None:
    counts["messages"] += Message.objects.filter(pk__in=message_ids).update(text=MASK, external_id=None)
    signals = list(MessageSignals.objects.filter(message_id__in=message_ids).only("message_id", "data"))
    for row in signals:
        row.data = {**row.data, "evidence": []}
    MessageSignals.objects.bulk_update(signals, ["data"])
    counts["signals"] += len(signals)
    counts["signal_corrections"] += SignalCorrection.objects.filter(message_id__in=message_ids).delete()[0]
    Delivery.objects.filter(message_id__in=message_ids).exclude(last_error="").update(last_error="")
    folders = {box.pk: _mail_folder(box) for box in Mailbox.objects.all()}
    outgoing = OutgoingMail.objects.filter(message_id__in=message_ids).only("pk", "mailbox_id", "header_id")
    for mail in outgoing:
        folder = folders.get(mail.mailbox_id)
        if folder is not None:
            removal_add(FileRemoval.Where.PATH, str(sent_file(folder, mail.header_id)))
    counts["outgoing_mails"] += OutgoingMail.objects.filter(message_id__in=message_ids).delete()[0]


def _attachments_delete(query: Iterable[Attachment], counts: Counter[str]) -> None:
    pks = []
    for attachment in query:
        if attachment.file.name:
            removal_add(FileRemoval.Where.STORAGE, attachment.file.name)
        counts["recordings" if attachment.content_type.startswith("audio/") else "attachments"] += 1
        pks.append(attachment.pk)
    for part in chunks(pks):
        Attachment.objects.filter(pk__in=part).delete()


def recordings_delete(query: Iterable[Recording], counts: Counter[str]) -> None:
    """Delete these call recordings with their analysis; their files go after the commit (`files`)."""
    pks = []
    for recording in query:
        if recording.file.name:
            removal_add(FileRemoval.Where.STORAGE, recording.file.name)
        counts["call_recordings"] += 1
        pks.append(recording.pk)
    for part in chunks(pks):
        Recording.objects.filter(pk__in=part).delete()


def contacts_scrub(contact_ids: Sequence[int], *, counts: Counter[str] | None = None) -> Counter[str]:
    """Remove the personal data of these contacts (see the module's docstring), in the caller's
    transaction; the files they held are removed after commit."""
    counts = Counter() if counts is None else counts
    now = timezone.now()
    for part in chunks(sorted(set(contact_ids))):
        message_ids = list(Message.objects.filter(contact_id__in=part).values_list("pk", flat=True))
        for messages in chunks(message_ids):
            _messages_scrub(messages, counts)
        _attachments_delete(
            Attachment.objects.filter(contact_id__in=part).only("pk", "file", "content_type"), counts
        )
        recordings_delete(Recording.objects.filter(contact_id__in=part).only("pk", "file"), counts)
        counts["inbound_mails"] += InboundMail.objects.filter(contact_id__in=part).delete()[0]
        counts["contacts"] += Contact.objects.filter(pk__in=part).update(
            identity_kind="", identity_value="", identity_raw="", candidate_ids=[], subject="", summary="",
            external_id=None,
        )  # fmt: skip
        events = list(ContactEvent.objects.filter(contact_id__in=part).only("pk", "data"))
        for event in events:
            event.data = _event_data(event.data)
        ContactEvent.objects.bulk_update(events, ["data"])
        Matter.objects.filter(contacts__pk__in=part).exclude(title="").update(title="")
        counts["chat_sessions"] += ChatSession.objects.filter(contact_id__in=part).delete()[0]
        counts["webform_submissions"] += FormSubmission.objects.filter(contact_id__in=part).update(
            name="", email="", phone="", client=""
        )
        counts["survey_comments"] += (
            SurveyResponse.objects.filter(invitation__contact_id__in=part)
            .update(comment="", comment_analysis=None)
        )  # fmt: skip
        ContactProtocol.objects.filter(contact_id__in=part).update(evidence=[])
        Incident.objects.filter(contact_id__in=part).update(evidence=[], note="")
        WarmTransfer.objects.filter(contact_id__in=part).update(note=MASK)
        HintAction.objects.filter(contact_id__in=part).update(shown={}, note="")
        ProblemContact.objects.filter(contact_id__in=part).update(note="")
        counts["webhook_events"] += WebhookEvent.objects.filter(contact_id__in=part).delete()[0]
        counts["notifications"] += Notification.objects.filter(contact_id__in=part).delete()[0]
        AnonymisedContact.objects.bulk_create(
            [AnonymisedContact(contact_id=pk, at=now) for pk in part], ignore_conflicts=True
        )
    return counts


def mail_files_naming(addresses: Iterable[str]) -> list[Path]:
    """Mails written to disk that name one of `addresses`: the `file://` folders of the mailboxes and,
    with Django's file e-mail backend, its folder (surveys, transcripts). Read to find them: these are
    folders of a test or demo set-up, a production desk hands its mail to a server."""
    needles = [a.lower().encode() for a in addresses if a]
    if not needles:
        return []
    folders = {folder for box in Mailbox.objects.all() if (folder := _mail_folder(box)) is not None}
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        folders.add(Path(settings.EMAIL_FILE_PATH))
    found = []
    for folder in sorted(folders):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            try:
                if not path.is_file():
                    continue
                content = path.read_bytes().lower()
            except OSError:
                continue
            if any(needle in content for needle in needles):
                found.append(path)
    return found
