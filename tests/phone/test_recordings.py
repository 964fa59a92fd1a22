"""Call recordings (issue 18): attached through the API, the desk and the service the adapter calls;
checked, stored once, analysed by gezien.voice; listened to only by the roles that may, audited; removed
by the retention period and by erasure; in the customer's export. The calls are made here with
espeak-ng and sox (gezien.voice.synth), with a known interruption and a known silence."""

from __future__ import annotations

import io
import json
import re
import stat
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from django.test import Client
from django.utils import timezone

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.audit.models import AuditEntry
from gezien.coaching.models import ContactRead, StaleRead
from gezien.contacts.handling import contact_assign, contact_set_status
from gezien.contacts.models import Contact, Status
from gezien.contacts.services import contact_open
from gezien.core.errors import Invalid
from gezien.core.tick import tick
from gezien.customers.models import Customer
from gezien.phone import recordings as service
from gezien.phone.models import AnalysisState, Recording, RecordingSource
from gezien.phone.recordings import recording_analyse_task, recording_attach, recordings_analyse_due
from gezien.privacy.audited import Actor
from gezien.privacy.erase import erase_request
from gezien.privacy.exporting import customer_archive
from gezien.privacy.files import files_remove_pending
from gezien.privacy.retention import recordings_retention_tick
from gezien.voice.synth import Line, synth_call, tools_missing

pytestmark = pytest.mark.skipif(
    bool(tools_missing()), reason=f"needs {', '.join(tools_missing())} (apt-get install espeak-ng sox)"
)

# The agent starts over the customer's first long turn; then four seconds of silence; the customer's
# second turn is let finish.
LINES = [
    Line("agent", "Goedemorgen, u spreekt met Sanne van Gezien."),
    Line("customer", "Goedemorgen, ik bel over mijn factuur van vorige maand, die klopt niet.", after_s=0.4),
    Line("agent", "Dat ga ik voor u nakijken.", after_s=-1.0),
    Line("customer", "Dank u wel.", after_s=4.0),
    Line("agent", "Graag gedaan, fijne dag.", after_s=0.5),
]


@pytest.fixture(scope="module")
def calls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("calls")
    made = {}
    for name in ("call.wav", "call.flac", "call.opus"):
        synth_call(LINES, folder / name)
        made[name] = folder / name
    mono, rate = soundfile.read(str(made["call.wav"]))
    soundfile.write(str(folder / "mono.wav"), mono[:, 0], rate)
    made["mono.wav"] = folder / "mono.wav"
    soundfile.write(str(folder / "empty.wav"), np.zeros((0, 2)), rate)
    made["empty.wav"] = folder / "empty.wav"
    return made


@pytest.fixture
def customer(db: None) -> Customer:
    return Customer.objects.create(first_name="Annie", last_name="Jansen", customer_number="K-100")


@pytest.fixture
def call(customer: Customer) -> Contact:
    customer.identities.create(kind="phone", value="+31612345678")
    return contact_open(channel="phone", identities=[("phone", "0612345678")]).contact


def _token_client(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t')[1]}")


def _upload(
    client: Client, contact: Contact, path: Path | None, data: bytes | None = None, **form: str
) -> Any:
    payload = data if data is not None else path.read_bytes() if path else b""
    name = path.name if path else "opname.wav"
    file = io.BytesIO(payload)
    file.name = name
    return client.post(f"/api/contacts/{contact.pk}/recordings", {"file": file, **form})


def _files(location: Path) -> list[Path]:
    return sorted(p for p in location.rglob("*") if p.is_file())


# -- attaching -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["call.wav", "call.flac", "call.opus"])
def test_the_api_keeps_a_recording_once_and_analyses_it(
    calls: dict[str, Path], call: Contact, agent: User, attachment_files: Path, name: str
) -> None:
    client = _token_client(agent)
    first = _upload(client, call, calls[name])
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["format"] == name.rsplit(".", 1)[1] and body["channels"] == 2
    assert body["source"] == "upload" and body["uploaded_by"] == agent.username
    assert body["analysis_state"] == "done"
    analysis = body["analysis"]
    assert abs(analysis["duration_s"] - body["duration_s"]) < 0.1
    [overtalk] = analysis["overtalk"]  # the agent started over the customer, once
    assert overtalk["by"] == "agent" and overtalk["duration_s"] > 0.5
    assert [s["duration_s"] > 3 for s in analysis["silences"]] == [True]
    assert [m["finished"] for m in analysis["let_finish"]] == [False, True]
    [kept] = _files(attachment_files)
    assert kept.read_bytes() == calls[name].read_bytes()
    assert stat.S_IMODE(kept.stat().st_mode) & 0o007 == 0  # no one but the service (and its group) reads it
    # The same file again is the same recording: 200, nothing new stored.
    again = _upload(client, call, calls[name])
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Recording.objects.count() == 1 and len(_files(attachment_files)) == 1
    assert AuditEntry.objects.filter(action="recording.add", object_id=str(body["id"])).count() == 1


@pytest.mark.parametrize(
    ("what", "message"),
    [
        ("garbage", "geen opname"),
        ("mono.wav", "stereo"),
        ("empty.wav", "leeg"),
        ("nothing", "leeg"),
        ("damaged", "beschadigd"),
        ("too big", "te groot"),
        ("channel", "'left' of 'right'"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_kept(
    calls: dict[str, Path], call: Contact, agent: User, attachment_files: Path, settings: Any, what: str,
    message: str,
) -> None:  # fmt: skip
    client = _token_client(agent)
    wav = calls["call.wav"].read_bytes()
    if what == "garbage":
        answer = _upload(client, call, None, b"RIFF\x00\x00garbage, no audio at all" * 20)
    elif what == "nothing":
        answer = _upload(client, call, None, b"")
    elif what == "damaged":  # a good header, then noise where the sound should be
        flac = calls["call.flac"].read_bytes()
        noise = np.random.default_rng(1).integers(0, 256, len(flac), dtype=np.uint8).tobytes()
        answer = _upload(client, call, None, flac[: len(flac) // 3] + noise[len(flac) // 3 :])
    elif what == "too big":
        settings.GEZIEN_RECORDING_MAX_MB = 1
        answer = _upload(client, call, None, wav + b"\x00" * 1_000_000)
    elif what == "channel":
        answer = _upload(client, call, calls["call.wav"], agent_channel="middle")
    else:
        answer = _upload(client, call, calls[what])
    assert answer.status_code == 422, answer.content
    assert message in json.dumps(answer.json(), ensure_ascii=False)
    assert Recording.objects.count() == 0 and _files(attachment_files) == []


def test_only_a_phone_contact_has_recordings(
    calls: dict[str, Path], agent: User, attachment_files: Path
) -> None:
    mail = contact_open(channel="email", identities=[("email", "a@example.nl")], text="Hallo").contact
    answer = _upload(_token_client(agent), mail, calls["call.wav"])
    assert answer.status_code == 422 and Recording.objects.count() == 0 and _files(attachment_files) == []


def test_the_adapter_attaches_with_the_agent_on_the_right(
    calls: dict[str, Path], call: Contact, tmp_path: Path
) -> None:
    swapped = tmp_path / "mixmonitor.wav"
    synth_call(LINES, swapped, agent_channel="right")
    with swapped.open("rb") as data:
        recording = recording_attach(
            contact=call, data=data, filename="../../etc/mixmonitor.wav", agent_channel="right",
            source=RecordingSource.ADAPTER,
        )  # fmt: skip
    assert recording.created_now and recording.filename == "mixmonitor.wav"
    assert recording.source == "adapter" and recording.uploaded_by is None
    assert recording.analysis and recording.analysis["overtalk"][0]["by"] == "agent"
    with pytest.raises(Invalid):
        recording_attach(contact=call, data=io.BytesIO(b"x"), filename="a.wav", source="fax")


def test_a_long_recording_is_analysed_after_the_upload(
    calls: dict[str, Path], call: Contact, monkeypatch: pytest.MonkeyPatch, settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    monkeypatch.setattr(service, "INLINE_SECONDS", 1.0)
    # Where a worker runs, the commit enqueues the analysis.
    settings.GEZIEN_ANALYSIS_INLINE = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    with django_capture_on_commit_callbacks(execute=True), calls["call.flac"].open("rb") as data:
        recording = recording_attach(contact=call, data=data, filename="lang.flac")
    assert recording.analysis_state == AnalysisState.PENDING and recording.analysis is None
    [queued] = [r for r in default_task_backend.results if r.task.name == recording_analyse_task.name]
    assert queued.args == [recording.pk]
    # Where none runs (the embedded default), the tick does it.
    settings.GEZIEN_ANALYSIS_INLINE = True
    assert recordings_analyse_due(timezone.now()) == 1
    recording.refresh_from_db()
    assert recording.analysis_state == AnalysisState.DONE and len(recording.analysis["overtalk"]) == 1
    assert recordings_analyse_due(timezone.now()) == 0


# -- who may listen ------------------------------------------------------------------------------------------


@pytest.fixture
def kept(calls: dict[str, Path], call: Contact, agent: User) -> Recording:
    with calls["call.wav"].open("rb") as data:
        return recording_attach(contact=call, data=data, filename="gesprek.wav", by=agent)


@pytest.mark.parametrize(
    ("role", "listen", "delete"),
    [("agent", 200, 403), ("teamlead", 200, 403), ("manager", 200, 204), ("department", 403, 403)],
)
def test_roles(
    kept: Recording, calls: dict[str, Path], make_user: Callable[..., User], role: str, listen: int,
    delete: int, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    client = _token_client(make_user(f"u-{role}", role))
    listing = client.get(f"/api/contacts/{kept.contact_id}/recordings")
    assert listing.status_code == listen
    detail = client.get(f"/api/recordings/{kept.pk}")
    audio = client.get(f"/api/recordings/{kept.pk}/audio")
    if listen == 200:
        assert [r["id"] for r in listing.json()] == [kept.pk]
        assert detail.status_code == 200 and detail.json()["analysis"]["let_finish"]
        assert audio.status_code == 200 and audio["Content-Type"] == "audio/wav"
        assert b"".join(audio.streaming_content) == calls["call.wav"].read_bytes()
        assert audio["Content-Disposition"].startswith("inline")
        assert AuditEntry.objects.filter(action="recording.listen", object_id=str(kept.pk)).count() == 1
    else:
        assert detail.status_code == 403 and audio.status_code == 403
        assert not AuditEntry.objects.filter(action="recording.listen").exists()
    with django_capture_on_commit_callbacks(execute=True):
        removed = client.delete(f"/api/recordings/{kept.pk}")
    assert removed.status_code == delete
    gone = delete == 204
    assert Recording.objects.filter(pk=kept.pk).exists() is not gone
    assert kept.file.storage.exists(kept.file.name) is not gone


def test_players_seek_with_byte_ranges_and_each_listen_is_audited(
    kept: Recording, calls: dict[str, Path], agent: User, desk: Client, make_user: Callable[..., User]
) -> None:
    whole = calls["call.wav"].read_bytes()
    size = len(whole)
    client = _token_client(agent)
    url = f"/api/recordings/{kept.pk}/audio"

    def listens() -> int:
        return AuditEntry.objects.filter(action="recording.listen", object_id=str(kept.pk)).count()

    full = client.get(url)
    assert full.status_code == 200 and full["Accept-Ranges"] == "bytes"
    assert full["ETag"] == f'"{kept.sha256}"' and int(full["Content-Length"]) == size
    for header, first, last in [
        ("bytes=0-99", 0, 99),  # the start: what a player asks first
        ("bytes=1000-", 1000, size - 1),  # seeking to the middle, open-ended
        ("bytes=-500", size - 500, size - 1),  # the last 500 bytes
        (f"bytes=100-{size + 5000}", 100, size - 1),  # a last byte past the end is clipped
    ]:
        part = client.get(url, HTTP_RANGE=header)
        assert part.status_code == 206, header
        assert part["Content-Range"] == f"bytes {first}-{last}/{size}"
        body = b"".join(part.streaming_content)
        assert body == whole[first : last + 1] and int(part["Content-Length"]) == len(body)
        assert part["Content-Type"] == "audio/wav" and part["Accept-Ranges"] == "bytes"
    assert listens() == 5
    # A range past the end is refused, with the size, and is no listen.
    for header in (f"bytes={size}-", f"bytes={size + 10}-{size + 20}", "bytes=-0"):
        refused = client.get(url, HTTP_RANGE=header)
        assert refused.status_code == 416, header
        assert refused["Content-Range"] == f"bytes */{size}"
        assert refused.json()["detail"][0]["loc"] == ["header", "Range"]
    assert listens() == 5
    # What the server may ignore gets the whole file: several ranges, another unit, nonsense,
    # a stale If-Range.
    for headers in (
        {"HTTP_RANGE": "bytes=0-9,20-29"},
        {"HTTP_RANGE": "lines=1-2"},
        {"HTTP_RANGE": "bytes=abc-"},
        {"HTTP_RANGE": "bytes=9-3"},
        {"HTTP_RANGE": "bytes=0-9", "HTTP_IF_RANGE": '"an-older-version"'},
    ):
        ignored = client.get(url, **headers)
        assert ignored.status_code == 200 and b"".join(ignored.streaming_content) == whole, headers
    matching = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f'"{kept.sha256}"')
    assert matching.status_code == 206 and b"".join(matching.streaming_content) == whole[:10]
    # The desk's player does the same, with the same roles and audit.
    part = desk.get(f"/desk/recordings/{kept.pk}/audio/", HTTP_RANGE="bytes=44-143")
    assert part.status_code == 206 and b"".join(part.streaming_content) == whole[44:144]
    assert part["Content-Range"] == f"bytes 44-143/{size}"
    assert desk.get(f"/desk/recordings/{kept.pk}/audio/", HTTP_RANGE=f"bytes={size}-").status_code == 416
    assert listens() == 5 + 5 + 1 + 1
    owner = Client()
    owner.force_login(make_user("afdeling", "department"))
    assert owner.get(f"/desk/recordings/{kept.pk}/audio/", HTTP_RANGE="bytes=0-9").status_code == 403


def test_a_recording_after_the_call_closed_refreshes_its_coaching_read_off_the_request(
    calls: dict[str, Path],
    call: Contact,
    agent: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The read of a closed call without times cannot say whether the agent let the customer finish;
    the recording that arrives later can. Its arrival marks the read stale; the tick reads it again."""
    with django_capture_on_commit_callbacks(execute=True):
        contact_assign(contact=call, agent=agent)
    with django_capture_on_commit_callbacks(execute=True):
        contact_set_status(contact=call, status=Status.CLOSED, actor=agent)
    read = ContactRead.objects.get(pk=call.pk)
    assert read.uitpraten is None  # no recording, no offsets: unknown
    client = _token_client(agent)
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(client, call, calls["call.wav"]).status_code == 201
    # The request only marked it: the read is as it was.
    assert list(StaleRead.objects.values_list("contact_id", flat=True)) == [call.pk]
    assert ContactRead.objects.get(pk=call.pk).updated_at == read.updated_at
    done = tick()
    assert done["coaching_reads"] == 1 and not StaleRead.objects.exists()
    fresh = ContactRead.objects.get(pk=call.pk)
    assert fresh.uitpraten is not None and fresh.uitpraten < 100  # the agent started over the customer
    habit = next(h for h in fresh.data["habits"] if h["habit"] == "uitpraten")
    assert any(not m["good"] for m in habit["moments"])
    # A long recording is analysed later (by the worker, else the tick): that analysis marks it again,
    # and the same tick that analyses it reads the contact again after.
    monkeypatch.setattr(service, "INLINE_SECONDS", 0.0)
    with calls["call.flac"].open("rb") as data:
        recording_attach(contact=call, data=data, filename="lang.flac", by=agent)
    assert not StaleRead.objects.exists()
    done = tick()
    assert done["recordings_analyse"] == 1 and done["coaching_reads"] == 1
    assert ContactRead.objects.get(pk=call.pk).updated_at > fresh.updated_at
    # Deleting the recordings marks it too: the read forgets what only the audio said.
    Recording.objects.all().delete()
    assert tick()["coaching_reads"] == 1
    assert ContactRead.objects.get(pk=call.pk).uitpraten is None


# -- privacy -------------------------------------------------------------------------------------------------


def test_the_retention_period_removes_old_recordings_and_their_files(
    kept: Recording, calls: dict[str, Path], call: Contact, django_capture_on_commit_callbacks: Any
) -> None:
    with calls["call.opus"].open("rb") as data:
        young = recording_attach(contact=call, data=data, filename="nieuw.opus")
    Recording.objects.filter(pk=kept.pk).update(created_at=timezone.now() - timedelta(days=91))
    with django_capture_on_commit_callbacks(execute=True):
        assert recordings_retention_tick(days=0) == 0  # off
        assert recordings_retention_tick() == 1  # GEZIEN_RECORDING_RETENTION_DAYS, 90 by default
    assert list(Recording.objects.values_list("pk", flat=True)) == [young.pk]
    assert not kept.file.storage.exists(kept.file.name) and young.file.storage.exists(young.file.name)
    assert Contact.objects.filter(pk=call.pk).exists()  # the contact itself stays
    entry = AuditEntry.objects.get(action="recording.expire")
    assert entry.customer_id == call.customer_id and entry.details["call_recordings"] == 1


def test_erasure_removes_the_recordings_and_the_export_holds_them(
    kept: Recording, calls: dict[str, Path], customer: Customer, django_capture_on_commit_callbacks: Any
) -> None:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(customer_archive(customer))))
    [row] = json.loads(archive.read("recordings.json"))
    assert (
        row["id"] == kept.pk and row["analysis"]["let_finish"] and row["file"] == f"recordings/{kept.pk}.wav"
    )
    assert archive.read(row["file"]) == calls["call.wav"].read_bytes()
    with django_capture_on_commit_callbacks():  # the files go on the tick when not at the commit
        erasure = erase_request(customer_id=customer.pk, actor=Actor(None, "cli"))
    assert kept.file.storage.exists(kept.file.name)
    assert files_remove_pending() == 1
    assert erasure.done and erasure.request.counts["call_recordings"] == 1
    assert not Recording.objects.exists() and not kept.file.storage.exists(kept.file.name)


# -- the desk ------------------------------------------------------------------------------------------------


def test_the_contact_page_draws_the_call_and_crosses_the_checklist(
    kept: Recording, desk: Client, make_user: Callable[..., User]
) -> None:
    contact_set_status(contact=kept.contact, status=Status.CLOSED)
    page = desk.get(f"/desk/contacts/{kept.contact_id}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="call-timeline"' in html and html.count('data-testid="timeline-overtalk"') == 1
    assert html.count('data-testid="timeline-silence"') == 1
    # Coordinates with a decimal point even in Dutch (a comma would put every bar at 0).
    assert 'x="' in html and not re.search(r'\b(x|width)="\d+,\d', html)
    for label in ("Medewerker spreekt", "Klant spreekt", "Door elkaar heen", "Stilte langer dan 3 seconden"):
        assert label in html
    # The checklist shows on the closed call now that its recording tells: crossed, with the moment.
    assert 'class="failed" data-step="listen"' in html and "✗ Laat de klant uitpraten" in html
    assert "Over de klant heen begonnen op 0:08" in html  # the customer's turn ended at 7.76 s
    assert f'src="/desk/recordings/{kept.pk}/audio/"' in html
    audio = desk.get(f"/desk/recordings/{kept.pk}/audio/")
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/wav"
    assert AuditEntry.objects.filter(action="recording.listen", object_id=str(kept.pk)).count() == 1
    # A department owner neither sees nor hears it.
    owner = Client()
    owner.force_login(make_user("afdeling", "department"))
    assert owner.get(f"/desk/recordings/{kept.pk}/audio/").status_code == 403


def test_the_checklist_ticks_when_the_agent_let_the_customer_finish(
    tmp_path: Path, call: Contact, desk: Client
) -> None:
    polite = [LINES[0], LINES[1], Line("agent", "Dat ga ik voor u nakijken.", after_s=0.6), *LINES[3:]]
    path = tmp_path / "netjes.wav"
    synth_call(polite, path)
    with path.open("rb") as data:
        recording_attach(contact=call, data=data, filename="netjes.wav")
    html = desk.get(f"/desk/contacts/{call.pk}/").content.decode()
    assert 'class="done" data-step="listen"' in html and "(volgens de opname)" in html
    assert "De klant mocht elke beurt uitpraten (2 beurten)." in html
    assert 'data-testid="timeline-overtalk"' not in html


def test_the_desk_uploads_and_refuses(calls: dict[str, Path], call: Contact, desk: Client) -> None:
    with calls["call.opus"].open("rb") as data:
        done = desk.post(f"/desk/contacts/{call.pk}/recordings/", {"file": data, "agent_channel": "left"})
    assert done.status_code == 302
    [recording] = Recording.objects.all()
    assert recording.source == "desk" and recording.format == "opus"
    page = desk.get(done["Location"]).content.decode()
    assert "De opname is toegevoegd." in page and 'data-testid="call-timeline"' in page
    with calls["mono.wav"].open("rb") as data:
        refused = desk.post(f"/desk/contacts/{call.pk}/recordings/", {"file": data}, follow=True)
    assert "Gezien heeft stereo nodig" in refused.content.decode() and Recording.objects.count() == 1


def test_coaching_reads_a_recorded_call_with_its_voice_analysis(kept: Recording, agent: User) -> None:
    from gezien.coaching.models import ContactRead
    from gezien.coaching.services import reads_refresh

    Contact.objects.filter(pk=kept.contact_id).update(assigned_agent=agent)
    contact_set_status(contact=kept.contact, status=Status.CLOSED, actor=agent)
    reads_refresh([kept.contact_id], force=True)
    read = ContactRead.objects.get(contact_id=kept.contact_id)
    [habit] = [h for h in read.data["habits"] if h["habit"] == "uitpraten"]
    assert habit["applies"] and read.uitpraten is not None and read.uitpraten < 100  # talked over once
    assert habit["moments"], habit
