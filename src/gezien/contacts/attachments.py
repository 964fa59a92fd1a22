"""Attachments on every channel: store a file that came with a message or goes with a reply.

`attachment_store` is the one way in. It refuses what is too big (`GEZIEN_ATTACHMENT_MAX_BYTES`), makes
the sender's file name safe to show and to offer as a download, decides the content type from the bytes
(what the sender claimed counts only where the bytes cannot contradict it), and keeps the file through
Django's storage API (`STORAGES["default"]`: files under the data folder, or S3-compatible storage).

The file is written before the row, and removed again when the row does not commit: when the insert
fails, and when the transaction it belongs to rolls back (`_RemoveUnlessCommitted`), so a rolled-back
reply leaves neither an orphan file nor a row without its file.

What the desk and the API serve is decided here too: `served_content_type` gives every type that a
browser could run or render as a page (HTML, SVG, XML, scripts, executables) as
`application/octet-stream`; the download views always send `Content-Disposition: attachment`.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
import uuid
import weakref
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gezien.contacts.filetypes import (
    ACTIVE_CONTENT,
    RISKY_EXTENSIONS,
    THUMBNAIL_TYPES,
    content_type_decide,
    extension_for,
    served_content_type,
)
from gezien.contacts.models import Attachment, Contact, Message
from gezien.contacts.services import rows_insert
from gezien.core.errors import Invalid, NotFound

logger = logging.getLogger(__name__)

FILENAME_CHARS = 150  # what is kept of a sender's file name (the extension is always kept)
ATTACHMENTS_FOLDER = "attachments"  # in the storage; models.attachment_path puts each contact's below it
ORPHAN_AGE = timedelta(hours=1)

_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"com{n}" for n in "0123456789¹²³"}
    | {f"lpt{n}" for n in "0123456789¹²³"}
)
_FORBIDDEN_CHARS = re.compile(r'[<>:"/\\|?*]')


def attachment_max_bytes() -> int:
    return int(getattr(settings, "GEZIEN_ATTACHMENT_MAX_BYTES", 25_000_000))


def too_big(size: int | None = None) -> Invalid:
    """The refusal of a file over `GEZIEN_ATTACHMENT_MAX_BYTES` (its size, when known)."""
    limit = size_human(attachment_max_bytes())
    if size is None:
        message = _("Het bestand is te groot; het maximum is %(limit)s.") % {"limit": limit}
        return Invalid(message, field="file")
    return Invalid(
        _("Het bestand is te groot (%(size)s); het maximum is %(limit)s.")
        % {"size": size_human(size), "limit": limit},
        field="file",
    )


# -- file names ------------------------------------------------------------------------------------------


def filename_safe(filename: str, *, content_type: str = "") -> str:
    """The sender's file name without path parts, control characters, characters Windows refuses or
    a reserved device name (`con.txt` -> `_con.txt`); letters of any language (é, ë, ĳ) and emoji stay.
    Never empty: `bijlage` with the extension of `content_type` when nothing is left."""
    name = unicodedata.normalize("NFC", str(filename))
    name = re.split(r"[/\\]", name)[-1]  # the last part of a path, either separator
    name = "".join(
        " " if ch in "\t\r\n" else ch
        for ch in name
        if ch in "\t\r\n" or not unicodedata.category(ch).startswith("C")
    )
    name = _FORBIDDEN_CHARS.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if len(ext) > 16 or " " in ext:  # not an extension but part of the name
        stem, ext = name, ""
    if stem.split(".")[0].strip().lower() in _WINDOWS_RESERVED:
        stem = "_" + stem
    if not stem.strip(" ._"):
        stem = "bijlage"
    if not ext:
        ext = extension_for(content_type)
    room = FILENAME_CHARS - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip(" .")
    return f"{stem}.{ext}" if ext else stem


def thumbnail_allowed(attachment: Attachment) -> bool:
    return attachment.content_type in THUMBNAIL_TYPES


def active_content(attachment: Attachment) -> bool:
    """A program, script or web page, by what it is or by the name a computer would open it by (a
    text file called `factuur.pdf.vbs` runs when double-clicked): the desk warns before it is opened."""
    ext = attachment.filename.rpartition(".")[2].lower() if "." in attachment.filename else ""
    return attachment.content_type in ACTIVE_CONTENT or ext in RISKY_EXTENSIONS


# -- storing ---------------------------------------------------------------------------------------------


class _RemoveUnlessCommitted:
    """The rollback hook: an on_commit callback that marks the file as committed when it runs. Django
    drops the callbacks of a transaction (or savepoint) that rolls back without running them; when
    this one is dropped unrun, its finaliser removes the file. Nothing else holds a reference to it."""

    __slots__ = ("__weakref__", "state")

    def __init__(self, state: dict[str, bool]) -> None:
        self.state = state

    def __call__(self) -> None:
        self.state["committed"] = True


def _remove_unless_committed(storage: Any, name: str, state: dict[str, bool]) -> None:
    if state["committed"]:
        return
    try:
        storage.delete(name)
    except Exception:  # a file that cannot be removed is logged, never raised from a finaliser
        logger.exception("attachment file %s left behind after a rollback", name)


def file_kept_on_commit(storage: Any, name: str) -> None:
    """Inside a transaction that records the file `name` just written to `storage`: the file goes
    again when that transaction (or savepoint) rolls back; it stays once it commits. Also used by
    `phone.recordings`."""
    state = {"committed": False}
    hook = _RemoveUnlessCommitted(state)
    weakref.finalize(hook, _remove_unless_committed, storage, name, state)
    transaction.on_commit(hook)
    del hook


def attachment_store(
    *,
    contact: Contact,
    data: bytes,
    filename: str,
    content_type: str = "",
    message: Message | None = None,
    inline: bool = False,
    content_id: str = "",
    uploaded_by: Any = None,
) -> Attachment:
    """Keep `data` as an attachment of `contact` (and of `message`, when given): checked, named safely,
    written to the storage and then recorded. Raises `Invalid` when the file is too big or empty, or
    `message` belongs to another contact. The file goes when the row does not commit."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise Invalid(_("Een bijlage moet een bestand zijn."), field="file")
    data = bytes(data)
    if len(data) > attachment_max_bytes():
        raise too_big(len(data))
    if not data:
        raise Invalid(_("Het bestand is leeg."), field="file")
    if message is not None and message.contact_id != contact.pk:
        raise Invalid(_("Dit bericht hoort niet bij dit contact."), field="message")
    kept_type = content_type_decide(data, content_type, str(filename or ""))
    safe_name = filename_safe(str(filename or ""), content_type=kept_type)
    attachment = Attachment(
        contact=contact,
        message=message,
        filename=safe_name,
        content_type=kept_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        inline=bool(inline),
        content_id=str(content_id or "").strip().strip("<>")[:255],
        uploaded_by=uploaded_by,
    )
    # Stored under a name of our own (the sender's name is only shown), keeping a safe extension.
    ext = safe_name.rpartition(".")[2].lower() if "." in safe_name else ""
    ext = ext if re.fullmatch(r"[a-z0-9]{1,10}", ext) else "bin"
    attachment.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
    storage, name = attachment.file.storage, attachment.file.name
    try:  # one prepared INSERT, no savepoint: a failed one fails the caller's transaction with it
        rows_insert([attachment])
        file_kept_on_commit(storage, name)
    except BaseException:
        storage.delete(name)
        raise
    return attachment


@transaction.atomic
def attachments_link(
    *, contact: Contact, message: Message, attachment_ids: Sequence[int]
) -> list[Attachment]:
    """Link files uploaded for a reply (`POST /api/contacts/{id}/attachments`, not linked yet) to the
    reply `message`, in the order given. `Invalid` (and nothing linked) when an id is unknown, of another
    contact, or already sent with a message."""
    ids = list(dict.fromkeys(int(i) for i in attachment_ids))
    if not ids:
        return []
    if message.contact_id != contact.pk:
        raise Invalid(_("Dit bericht hoort niet bij dit contact."), field="message")
    unsent = Attachment.objects.select_for_update().filter(contact=contact, message__isnull=True)
    found = {attachment.pk: attachment for attachment in unsent.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise Invalid(
            _("Deze bijlagen zijn onbekend of al verstuurd: %(ids)s")
            % {"ids": ", ".join(str(i) for i in missing[:10])},
            field="attachment_ids",
        )
    Attachment.objects.filter(pk__in=ids).update(message=message)
    for attachment in found.values():
        attachment.message = message
    return [found[i] for i in ids]


def size_human(size: int) -> str:
    """A size as people read it, in the active language's numbers (decimal units, as the limit is
    set): "512 bytes", "1,4 kB" (nl) or "1.4 kB" (en), "25 MB"."""
    if size < 1000:
        return ngettext("%(n)d byte", "%(n)d bytes", size) % {"n": size}
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            break
    digits = 0 if value >= 100 or value == int(value) else 1
    return f"{number_format(round(value, digits), digits)} {unit}"


# -- who sees them, and how they are served ---------------------------------------------------------------

VIEW_PERMISSION = "contacts.view_contact"  # who may read a contact's thread (the desk's and the API's rule)


def contacts_visible_to(user: Any) -> QuerySet[Contact]:
    """The contacts `user` may see: every contact for a role that reads contacts, none otherwise (a
    department owner, a person without a role, someone not logged in)."""
    if user is None or not user.is_authenticated or not user.has_perm(VIEW_PERMISSION):
        return Contact.objects.none()
    return Contact.objects.all()


def attachments_visible_to(user: Any) -> QuerySet[Attachment]:
    """The attachments of the contacts `user` may see (`contacts_visible_to`)."""
    return Attachment.objects.filter(contact__in=contacts_visible_to(user))


def attachment_for(user: Any, attachment_id: int) -> Attachment:
    """One attachment `user` may see, or `NotFound`: an attachment of a contact they may not see does
    not exist for them."""
    attachment = attachments_visible_to(user).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("Deze bijlage bestaat niet."))
    return attachment


def content_disposition(filename: str) -> str:
    """`attachment` with the name twice (RFC 6266): an ASCII fallback for old clients, and the real
    name as `filename*` in UTF-8."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r"[^A-Za-z0-9 !#$&+,.;=@^_`{}~()\[\]-]", "_", fallback).strip() or "bijlage"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file as a download, streamed from the storage (never read whole into memory): always
    `Content-Disposition: attachment`, a type a browser will not run (`served_content_type`), no
    sniffing, and a sandbox should a browser show it anyway. `NotFound` when the file is gone."""
    try:
        handle = attachment.file.storage.open(attachment.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        logger.error(
            "attachment %s: its file %s is missing from the storage", attachment.pk, attachment.file.name
        )
        raise NotFound(_("Het bestand van deze bijlage ontbreekt.")) from exc
    response = FileResponse(handle, content_type=served_content_type(attachment.content_type))
    if not response.has_header("Content-Length"):
        response["Content-Length"] = str(attachment.size)
    response["Content-Disposition"] = content_disposition(attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


# -- no orphans ------------------------------------------------------------------------------------------


def file_remove_after_delete(sender: type[Attachment], instance: Attachment, **_: Any) -> None:
    """A deleted attachment (itself, or with its message or contact) takes its file along once the
    delete commits; a delete that rolls back keeps it."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def attachments_orphans_remove(*, now: datetime | None = None, older_than: timedelta = ORPHAN_AGE) -> int:
    """Remove files in the storage's attachments folder that no attachment names and that are older
    than `older_than` (a file is written just before its row: a younger one may be committing now).
    They are left by a process that stopped between writing the file and committing. Returns how many."""
    now = now or timezone.now()
    storage = Attachment._meta.get_field("file").storage
    try:
        folders, _files = storage.listdir(ATTACHMENTS_FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    removed = 0
    for folder in folders:
        _sub, names = storage.listdir(f"{ATTACHMENTS_FOLDER}/{folder}")
        paths = [f"{ATTACHMENTS_FOLDER}/{folder}/{name}" for name in names]
        known = set(Attachment.objects.filter(file__in=paths).values_list("file", flat=True))
        for path in paths:
            if path in known or storage.get_modified_time(path) > now - older_than:
                continue
            storage.delete(path)
            removed += 1
            logger.warning("removed %s: a file no attachment names (its transaction never committed)", path)
    return removed


_last_sweep: dict[str, date] = {}


def attachments_orphans_daily(now: datetime) -> int | None:
    """The periodic job: `attachments_orphans_remove` once a day per process (the tick runs every minute)."""
    today = timezone.localdate(now)
    if _last_sweep.get("day") == today:
        return None
    _last_sweep["day"] = today
    return attachments_orphans_remove(now=now)
