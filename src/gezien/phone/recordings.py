"""Call recordings (issue 18): a stereo recording of a phone contact (agent and customer each on a
channel), kept like attachments and analysed by `gezien.voice`.

`recording_attach` is the one way in, for the API, the desk and the telephone system's adapter (e.g.
Asterisk MixMonitor files). It reads the file once into a temporary file (never whole into memory),
refusing it past GEZIEN_RECORDING_MAX_MB, hashes it, and checks by decoding its header that it is WAV,
FLAC or Ogg/Opus with one or two channels and some sound; a refused file is an `Invalid` (422) and
leaves nothing. The same file on the same contact again is the recording already kept (`created_now`
False). A short recording (up to `INLINE_SECONDS` of audio) is analysed before it is stored; a longer
one after the commit, by the task queue where a worker runs, else by the tick (`recordings_analyse_due`).

Recordings are personal data. Who may listen: the permission `phone.listen_recording` (agents, team
leads, managers, admins; not department owners) on contacts the person may see; deleting one:
`phone.delete_recording` (managers and admins). Every listen is audited by the views that serve it.
Who may listen and how the audio is served (byte ranges for a player's seeking) is `phone.listening`.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from gezien import voice
from gezien.assist.phone import ListenCheck
from gezien.audit.log import audit_record
from gezien.contacts.attachments import (
    file_kept_on_commit,
    filename_safe,
    size_human,
)
from gezien.contacts.models import Channel, Contact
from gezien.core.errors import Invalid, NotFound
from gezien.core.prepared import IdsQuery
from gezien.phone.models import (
    AgentChannel,
    AnalysisState,
    Call,
    Recording,
    RecordingFormat,
    RecordingSource,
)

logger = logging.getLogger(__name__)

LISTEN_PERMISSION = "phone.listen_recording"
DELETE_PERMISSION = "phone.delete_recording"
INLINE_SECONDS = 300.0  # analysed in the request up to five minutes of audio (a few seconds of work)
CHUNK = 1 << 20
LOST_AFTER = timedelta(minutes=30)  # a queued analysis not done by then is done again by the tick
CONTENT_TYPES = {
    RecordingFormat.WAV: "audio/wav",
    RecordingFormat.FLAC: "audio/flac",
    RecordingFormat.OPUS: "audio/ogg",
}
EXTENSIONS = {RecordingFormat.WAV: "wav", RecordingFormat.FLAC: "flac", RecordingFormat.OPUS: "opus"}


# Who hears that a contact's recordings changed (an analysis finished, a recording deleted): called with
# the contact ids inside the transaction that stores the change (coaching marks those reads stale).
RecordingsListener = Callable[[list[int]], None]
_listeners: list[RecordingsListener] = []


def on_recordings_changed(listener: RecordingsListener) -> None:
    """Register `listener(contact_ids)` (an app above, in its ready())."""
    _listeners.append(listener)


def _recordings_changed(contact_ids: list[int]) -> None:
    for listener in _listeners:
        listener(contact_ids)


def max_bytes() -> int:
    return int(settings.GEZIEN_RECORDING_MAX_MB) * 1_000_000


def too_big(size: int | None = None) -> Invalid:
    limit = size_human(max_bytes())
    if size is None:
        return Invalid(_("De opname is te groot; het maximum is %(limit)s.") % {"limit": limit}, field="file")
    return Invalid(
        _("De opname is te groot (%(size)s); het maximum is %(limit)s.")
        % {"size": size_human(size), "limit": limit},
        field="file",
    )


# -- reading the file ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AudioInfo:
    format: str  # RecordingFormat
    duration_s: float
    channels: int
    samplerate: int


def _not_audio() -> Invalid:
    return Invalid(
        _("Dit is geen opname die Gezien kan lezen: stuur WAV, FLAC of Opus (stereo: medewerker en klant)."),
        field="file",
    )


def audio_probe(path: Path) -> AudioInfo:
    """What the file is, from its own header (not its name): `Invalid` unless WAV, FLAC or Ogg/Opus
    with one or two channels and at least some audio."""
    import soundfile  # here, not with the module: libsndfile is ~20 MB in every server process

    try:
        info = soundfile.info(str(path))
    except (RuntimeError, soundfile.LibsndfileError, ValueError, TypeError) as exc:
        raise _not_audio() from exc
    major, subtype = str(info.format), str(info.subtype)
    if major in ("WAV", "WAVEX"):
        kind = RecordingFormat.WAV
    elif major == "FLAC":
        kind = RecordingFormat.FLAC
    elif major == "OGG" and subtype == "OPUS":
        kind = RecordingFormat.OPUS
    else:
        raise _not_audio()
    if info.channels != 2:
        raise Invalid(
            _(
                "De opname heeft %(n)d kanaal/kanalen; Gezien heeft stereo nodig: de medewerker op het ene "
                "kanaal, de klant op het andere."
            )
            % {"n": info.channels},
            field="file",
        )
    if info.frames <= 0 or info.samplerate <= 0:
        raise Invalid(_("De opname is leeg: er staat geen geluid in."), field="file")
    return AudioInfo(kind, round(info.frames / info.samplerate, 3), int(info.channels), int(info.samplerate))


@dataclass
class _Spooled:
    path: Path
    size: int
    sha256: str


@contextmanager
def _spooled(data: IO[bytes]) -> Iterator[_Spooled]:
    """`data` copied to a temporary file (removed afterwards), hashed on the way; `too_big` past the limit."""
    limit = max_bytes()
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(prefix="gezien-recording-", suffix=".audio") as handle:
        while chunk := data.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise too_big()
            digest.update(chunk)
            handle.write(chunk)
        handle.flush()
        if size == 0:
            raise Invalid(_("Het bestand is leeg."), field="file")
        yield _Spooled(Path(handle.name), size, digest.hexdigest())


# -- analysing --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Analysed:
    state: str
    analysis: dict[str, Any] | None
    version: str
    error: str
    damaged: bool = False  # the audio itself could not be read to its end


def _analyse(path: Path, agent_channel: str) -> Analysed:
    try:
        result = dict(voice.analyse(path, agent_channel=agent_channel).to_json())
    except voice.VoiceError as exc:
        return Analysed(AnalysisState.FAILED, None, "", str(exc)[:300], damaged=True)
    except Exception as exc:  # an analysis that fails keeps the recording: it can be listened to
        logger.exception("voice analysis of %s failed", path)
        return Analysed(AnalysisState.FAILED, None, "", str(exc)[:300])
    return Analysed(AnalysisState.DONE, result, str(result.get("version", "")), "")


def _analysed_set(recording: Recording, analysed: Analysed) -> None:
    recording.analysis_state = analysed.state
    recording.analysis = analysed.analysis
    recording.analysis_version = analysed.version[:20]
    recording.analysis_error = analysed.error
    recording.analysed_at = timezone.now()


@contextmanager
def local_path(recording: Recording) -> Iterator[Path]:
    """The recording as a file on this machine: its own path in a file storage, else a temporary copy."""
    storage = recording.file.storage
    try:
        yield Path(storage.path(recording.file.name))
        return
    except NotImplementedError:
        pass
    with (
        tempfile.NamedTemporaryFile(prefix="gezien-recording-") as copy,
        storage.open(recording.file.name) as src,
    ):
        shutil.copyfileobj(src, copy, CHUNK)
        copy.flush()
        yield Path(copy.name)


def recording_analyse(recording_id: int) -> str:
    """Analyse (again) one recording and store the result. Returns the state, or "gone"."""
    recording = Recording.objects.filter(pk=recording_id).first()
    if recording is None:
        return "gone"
    try:
        with local_path(recording) as path:
            analysed = _analyse(path, recording.agent_channel)
    except OSError as exc:
        logger.error("recording %s: its file %s is missing", recording.pk, recording.file.name)
        analysed = Analysed(AnalysisState.FAILED, None, "", str(exc)[:300])
    _analysed_set(recording, analysed)
    with transaction.atomic():
        recording.save(
            update_fields=["analysis_state", "analysis", "analysis_version", "analysis_error", "analysed_at"]
        )
        if recording.analysis_state == AnalysisState.DONE:
            _recordings_changed([recording.contact_id])
    return str(recording.analysis_state)


@task()
def recording_analyse_task(recording_id: int) -> str:
    """Analyse one long recording (run by `gezien worker`); a lost task is made good by the tick."""
    return recording_analyse(recording_id)


def _dispatch(recording_id: int) -> None:
    """After the commit: to the task queue where a worker runs; else the tick does it (no request waits)."""
    if settings.GEZIEN_ANALYSIS_INLINE:
        return
    try:
        recording_analyse_task.enqueue(recording_id)
    except Exception:
        logger.exception("Recording %s waits for the periodic job to be analysed.", recording_id)


def recordings_analyse_due(now: datetime, *, limit: int = 5) -> int:
    """The periodic job: analyse recordings still waiting (where no worker runs: every one; else those
    whose task was lost). Returns how many were done."""
    due = Recording.objects.filter(analysis_state=AnalysisState.PENDING)
    if not settings.GEZIEN_ANALYSIS_INLINE:
        due = due.filter(created_at__lt=now - LOST_AFTER)
    ids = list(due.order_by("created_at", "pk").values_list("pk", flat=True)[:limit])
    for recording_id in ids:
        recording_analyse(recording_id)
    return len(ids)


# -- storing ------------------------------------------------------------------------------------------------


def _agent_channel(value: str) -> str:
    value = str(value or "").strip().lower()
    if value not in AgentChannel.values:
        raise Invalid(_("Kies voor het kanaal van de medewerker 'left' of 'right'."), field="agent_channel")
    return value


def recording_attach(
    *,
    contact: Contact,
    data: IO[bytes],
    filename: str,
    agent_channel: str = "left",
    source: str = RecordingSource.UPLOAD,
    by: Any = None,
) -> Recording:
    """Keep the recording `data` (a binary file object, read to its end) of the phone contact `contact`,
    analysed (now when short, else after the commit). `Invalid` and nothing kept for a contact that is
    no phone call, a wrong agent channel or source, or a file too big, empty, or not stereo WAV, FLAC or
    Opus. The same file on the same contact again returns the recording kept (`created_now` False)."""
    if contact.channel != Channel.PHONE:
        raise Invalid(_("Alleen een telefoongesprek kan een opname hebben."), field="contact")
    agent_channel = _agent_channel(agent_channel)
    if source not in RecordingSource.values:
        raise Invalid(_("Onbekende bron van de opname."), field="source")
    with _spooled(data) as spooled:
        known = Recording.objects.filter(contact=contact, sha256=spooled.sha256).first()
        if known is not None:
            return known
        info = audio_probe(spooled.path)
        safe_name = filename_safe(
            str(filename or ""), content_type=CONTENT_TYPES[RecordingFormat(info.format)]
        )
        recording = Recording(
            contact=contact,
            filename=safe_name,
            sha256=spooled.sha256,
            size=spooled.size,
            format=info.format,
            duration_s=info.duration_s,
            channels=info.channels,
            samplerate=info.samplerate,
            agent_channel=agent_channel,
            source=source,
            uploaded_by=by,
        )
        if info.duration_s <= INLINE_SECONDS:
            analysed = _analyse(spooled.path, agent_channel)
            if analysed.damaged:
                raise Invalid(
                    _("De opname is beschadigd: het geluid kon niet tot het eind gelezen worden."),
                    field="file",
                )
            _analysed_set(recording, analysed)
        ext = EXTENSIONS[RecordingFormat(info.format)]
        with spooled.path.open("rb") as handle:
            recording.file.save(f"{uuid.uuid4().hex}.{ext}", File(handle), save=False)
        storage, name = recording.file.storage, recording.file.name
        try:
            with transaction.atomic():
                recording.save()
                file_kept_on_commit(storage, name)
                if recording.analysis_state == AnalysisState.DONE:
                    _recordings_changed([contact.pk])
                if recording.analysis_state == AnalysisState.PENDING:
                    pk = recording.pk
                    transaction.on_commit(lambda: _dispatch(pk))
        except IntegrityError:  # the same file, stored by another request just now
            storage.delete(name)
            known = Recording.objects.filter(contact=contact, sha256=spooled.sha256).first()
            if known is None:
                raise
            return known
        except BaseException:
            storage.delete(name)
            raise
    recording.created_now = True
    return recording


# -- from the telephone system's own files ------------------------------------------------------------


def recording_path_in(folder: Path, name: str) -> Path:
    """The file `name` (as the telephone system named it: absolute, or relative to `folder`) when it
    lies inside `folder`, symbolic links followed; `Invalid` for any other path (a name in an event
    stream is never trusted to point anywhere else)."""
    root = folder.resolve()
    raw = Path(name)
    if not name or "\x00" in name:
        raise Invalid(_("De opname heeft geen bruikbare bestandsnaam."), field="file")
    candidate = (raw if raw.is_absolute() else root / raw).resolve()
    if candidate == root or not candidate.is_relative_to(root):
        raise Invalid(
            _("De opname %(name)s ligt buiten de map voor opnamen; Gezien leest haar niet.") % {"name": name},
            field="file",
        )
    return candidate


def recording_attach_to_call(*, call_id: str, path: Path, agent_channel: str) -> Recording:
    """The telephone system's recording file `path` (already checked with `recording_path_in`) attached
    to the contact its call `call_id` became, as `recording_attach` does (source "adapter", audited as
    `recording.add` by the adapter). `NotFound` for an unknown call, `Invalid` for a call nobody
    answered (it has no contact) or a file that is no stereo recording."""
    call = Call.objects.select_related("contact").filter(call_id=call_id).first()
    if call is None:
        raise NotFound(_("Dit gesprek bestaat niet."), field="call_id")
    if call.contact is None:
        raise Invalid(
            _("Dit gesprek is niet aangenomen: er is geen contact om de opname bij te zetten."),
            field="call_id",
        )
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise Invalid(_("Het bestand van de opname is er niet."), field="file") from exc
    with handle:
        recording = recording_attach(
            contact=call.contact,
            data=handle,
            filename=path.name,
            agent_channel=agent_channel,
            source=RecordingSource.ADAPTER,
        )
    if recording.created_now:
        audit_record(
            action="recording.add",
            actor_id=None,
            actor_name="",
            source="adapter",
            object_type="recording",
            object_id=recording.pk,
            customer_id=call.contact.customer_id,
            details={"contact_id": call.contact.pk, "call_id": call_id[:100]},
        )
    return recording


# -- deleting -----------------------------------------------------------------------------------------------


def file_remove_after_delete(sender: type[Recording], instance: Recording, **_: Any) -> None:
    """A deleted recording (itself, or with its contact) takes its file along once the delete commits;
    what read its analysis hears of it."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    if instance.analysis_state == AnalysisState.DONE:
        _recordings_changed([instance.contact_id])


# -- what the desk's checklist reads ------------------------------------------------------------------------


def voice_analyses(contact_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The newest analysed recording's analysis of each of these contacts that has one (coaching reads
    a recorded call with it: `coaching.services.voice_from`)."""
    found: dict[int, dict[str, Any]] = {}
    rows = (
        Recording.objects.filter(contact_id__in=contact_ids, analysis_state=AnalysisState.DONE)
        .order_by("contact_id", "created_at", "pk")
        .values_list("contact_id", "analysis")
    )
    for contact_id, analysis in rows:
        if isinstance(analysis, dict):
            found[contact_id] = analysis  # the newest last
    return found


_NEWEST_ANALYSIS = IdsQuery(
    lambda ids: (
        Recording.objects.filter(contact_id__in=ids, analysis_state=AnalysisState.DONE)
        .order_by("-created_at", "-pk")
        .values_list("analysis")[:1]
    )
)
_ANY = IdsQuery(lambda ids: Recording.objects.filter(contact_id__in=ids).values_list("pk")[:1])


def has_recordings(contact_id: int) -> bool:
    """Whether the contact has any recording at all (a prepared look: most contacts have none, and then
    the recordings' own query is not built)."""
    return bool(_ANY.rows([contact_id]))


def listen_verdict(contact_id: int) -> ListenCheck | None:
    """The check "Laat de klant uitpraten" from the contact's newest analysed recording: kept when the
    agent never started over the customer at the end of a customer's turn. None: no analysed recording."""
    found = _NEWEST_ANALYSIS.column([contact_id])  # prepared: every phone contact's page asks
    analysis = found[0] if found else None
    if not isinstance(analysis, dict):
        return None
    moments = [m for m in analysis.get("let_finish") or [] if isinstance(m, dict)]
    interrupted = tuple(float(m.get("at_s", 0.0)) for m in moments if not m.get("finished", True))
    return ListenCheck(finished=not interrupted, turns=len(moments), interrupted_at=interrupted)
