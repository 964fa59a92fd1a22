"""The Asterisk adapter (issue 18) against a loopback server that speaks the real AMI protocol on
127.0.0.1 (tests/phone/ami_server.py): `gezien cti asterisk` turns AMI events into calls; the desk's
click-to-call and warm transfer send Originate and Atxfer. An optional test talks to a real Asterisk."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.audit.models import AuditEntry
from gezien.cli import main
from gezien.contacts.models import Status
from gezien.customers.models import Customer
from gezien.phone.adapters.asterisk import AsteriskMapper
from gezien.phone.calling import agent_for_channel, extension_set, username_of
from gezien.phone.models import AnalysisState, Call, CallState, Direction, Recording, RecordingSource
from gezien.phone.services import cti_event
from gezien.voice.synth import Line, synth_call, tools_missing
from tests.phone.ami_server import FakeAsterisk

CALLER = "1765000000.11"  # the caller's channel's Uniqueid: the call's Linkedid
AGENT_LEG = "1765000000.12"


def ev(event: str, **fields: str) -> dict[str, str]:
    return {"Event": event, "Linkedid": CALLER, **fields}


RING = ev(
    "Newchannel",
    Channel="PJSIP/trunk-0000000b",
    ChannelState="4",
    ChannelStateDesc="Ring",
    CallerIDNum="0612345678",
    CallerIDName="<unknown>",
    Exten="0201234567",
    Context="from-trunk",
    Uniqueid=CALLER,
)
JOIN = ev("QueueCallerJoin", Channel="PJSIP/trunk-0000000b", Queue="service", Position="1", Uniqueid=CALLER)
AGENT_RINGS = ev("Newchannel", Channel="PJSIP/201-0000000c", CallerIDNum="201", Exten="s", Uniqueid=AGENT_LEG)
DIAL = ev("DialBegin", Channel="PJSIP/trunk-0000000b", DestChannel="PJSIP/201-0000000c", Uniqueid=CALLER)
ANSWERED = ev(
    "DialEnd",
    Channel="PJSIP/trunk-0000000b",
    DestChannel="PJSIP/201-0000000c",
    DialStatus="ANSWER",
    Uniqueid=CALLER,
)
BRIDGED = [
    ev("BridgeEnter", Channel="PJSIP/trunk-0000000b", Uniqueid=CALLER, BridgeUniqueid="b1"),
    ev("BridgeEnter", Channel="PJSIP/201-0000000c", Uniqueid=AGENT_LEG, BridgeUniqueid="b1"),
]
AGENT_HANGS_UP = ev("Hangup", Channel="PJSIP/201-0000000c", Uniqueid=AGENT_LEG, Cause="16")
HANGUP = ev(
    "Hangup", Channel="PJSIP/trunk-0000000b", Uniqueid=CALLER, Cause="16", **{"Cause-txt": "Normal Clearing"}
)
ABANDON = ev(
    "QueueCallerAbandon", Channel="PJSIP/trunk-0000000b", Queue="service", HoldTime="21", Uniqueid=CALLER
)


@pytest.fixture
def phone(agent: User) -> User:
    extension_set(user=agent, extension="201", actor=None)
    return agent


@pytest.fixture
def asterisk() -> Iterator[FakeAsterisk]:
    with FakeAsterisk() as server:
        yield server


def bridge(
    server: FakeAsterisk, capsys: pytest.CaptureFixture[str], stop_after: int, *more: str
) -> tuple[int, list[Any], str]:
    status = main(
        ["cti", "asterisk", "--ami", server.url(), "--stop-after", str(stop_after), "--seconds", "20", *more]
    )
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def test_a_ringing_call_appears_is_answered_and_hangs_up_with_its_cause(
    asterisk: FakeAsterisk, phone: User, customer: Customer, capsys: pytest.CaptureFixture[str]
) -> None:
    asterisk.script = [[RING, RING, JOIN, AGENT_RINGS, DIAL, ANSWERED, *BRIDGED, AGENT_HANGS_UP, HANGUP]]
    status, lines, err = bridge(asterisk, capsys, 5)
    assert status == 0, err
    states = [
        (line["event"]["event"], line["answer"]["call"]["state"], line["answer"]["created"]) for line in lines
    ]
    # The repeated Newchannel and the answer told twice (DialEnd, then BridgeEnter) change nothing.
    assert states == [
        ("newCall", "ringing", True),
        ("newCall", "ringing", False),
        ("answer", "answered", True),
        ("answer", "answered", False),
        ("hangup", "ended", True),
    ]
    call = Call.objects.get(call_id=CALLER)
    assert call.direction == Direction.IN and call.number == "+31612345678"
    assert call.customer_id == customer.pk and call.agent_id == phone.pk
    assert call.queue == "service" and call.cause == "normalClearing"
    assert call.contact is not None and call.contact.status == Status.CLOSED
    login = asterisk.logins[0]
    assert login["Username"] == "gezien" and login["Events"] == "on"
    assert asterisk.secret not in err


def test_a_caller_who_hangs_up_in_the_queue_is_an_abandoned_call(
    asterisk: FakeAsterisk, phone: User, capsys: pytest.CaptureFixture[str]
) -> None:
    asterisk.script = [[RING, JOIN, ABANDON, HANGUP]]
    status, lines, _err = bridge(asterisk, capsys, 3)
    assert status == 0
    call = Call.objects.get(call_id=CALLER)
    assert call.state == CallState.ABANDONED and call.cause == "callerHangup" and call.queue == "service"
    assert call.agent is None and call.contact is None
    assert lines[-1]["answer"]["created"] is False  # the Hangup after the abandon: the same hangup


def test_a_dropped_connection_is_made_again(
    asterisk: FakeAsterisk, phone: User, capsys: pytest.CaptureFixture[str]
) -> None:
    asterisk.script = [[RING], [HANGUP]]  # after the ringing, the connection drops
    status, _lines, err = bridge(asterisk, capsys, 2)
    assert status == 0
    assert len(asterisk.logins) == 2 and "opnieuw" in err
    assert Call.objects.get(call_id=CALLER).state == CallState.ABANDONED
    assert asterisk.secret not in err


def test_a_connection_that_goes_silent_is_noticed_by_its_ping_and_made_again(asterisk: FakeAsterisk) -> None:
    import asyncio

    from gezien.phone.adapters.asterisk import listen
    from gezien.phone.ami import parse_ami_url

    asterisk.script, asterisk.go_silent = [[RING], [HANGUP]], True
    seen: list[str] = []
    said: list[str] = []

    async def run() -> None:
        stop = asyncio.Event()

        async def handle(message: dict[str, str]) -> None:
            seen.append(message["Event"])
            if message["Event"] == "Hangup":
                stop.set()

        await asyncio.wait_for(
            listen(
                parse_ami_url(asterisk.url()),
                handle,
                stop=stop,
                idle_s=0.2,
                backoff_s=(0.05,),
                on_state=said.append,
            ),
            10,
        )

    asyncio.run(run())
    assert seen == ["FullyBooted", "Newchannel", "FullyBooted", "Hangup"]
    assert b"Action: Ping" in asterisk.raw and len(asterisk.logins) == 2
    assert any("geen antwoord op Ping" in line for line in said)


def test_a_wrong_password_is_a_clear_error_and_exit_status_3(
    asterisk: FakeAsterisk, db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["cti", "asterisk", "--ami", asterisk.url(secret="verkeerd-geheim"), "--seconds", "10"])
    out, err = capsys.readouterr()
    assert status == 3
    assert "weigert het inloggen als gezien" in err and "Authentication failed" in err
    assert "verkeerd-geheim" not in err + out and asterisk.failed_logins == 1
    assert not Call.objects.exists()


def test_no_asterisk_listening_is_tried_again_until_stopped(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeAsterisk() as server:
        url = server.url()
    status = main(["cti", "asterisk", "--ami", url, "--seconds", "1.5"])
    assert status == 0
    err = capsys.readouterr().err
    assert "geen verbinding met tcp://gezien@127.0.0.1" in err and "geheim" not in err


def test_events_out_of_order_give_the_same_call(phone: User, customer: Customer) -> None:
    events = [RING, JOIN, AGENT_RINGS, DIAL, ANSWERED, *BRIDGED, AGENT_HANGS_UP, HANGUP]
    mapper = AsteriskMapper(agent_of=lambda channel: username_of(agent_for_channel(channel)))
    generic = [g for m in events for g in mapper.events(m)]
    for event in reversed(generic):
        cti_event(event)
    call = Call.objects.get(call_id=CALLER)
    assert call.state == CallState.ENDED and call.agent_id == phone.pk and call.customer_id == customer.pk


def test_a_call_from_an_agent_s_phone_is_outbound() -> None:
    mapper = AsteriskMapper(agent_of=lambda channel: "sanne" if channel.startswith("PJSIP/201-") else "")
    out = "1765000001.1"
    first = mapper.events(
        {
            "Event": "Newchannel",
            "Channel": "PJSIP/201-00000001",
            "CallerIDNum": "201",
            "Exten": "0612345678",
            "Uniqueid": out,
            "Linkedid": out,
        }
    )
    assert [(e.event, e.direction, e.to, e.user) for e in first] == [
        ("newCall", "out", "0612345678", "sanne")
    ]
    answered = mapper.events(
        {
            "Event": "DialEnd",
            "Channel": "PJSIP/201-00000001",
            "DestChannel": "PJSIP/trunk-00000002",
            "DialStatus": "ANSWER",
            "Uniqueid": out,
            "Linkedid": out,
        }
    )
    assert [(e.event, e.user) for e in answered] == [("answer", "sanne")]
    busy = mapper.events(
        {"Event": "Hangup", "Channel": "PJSIP/201-00000001", "Cause": "17", "Uniqueid": out, "Linkedid": out}
    )
    assert [(e.event, e.cause) for e in busy] == [("hangup", "busy")]


# --------------------------------------------------------------------------- commands


@pytest.fixture
def ami_settings(settings: Any, asterisk: FakeAsterisk) -> FakeAsterisk:
    settings.GEZIEN_CTI_AMI = asterisk.url()
    settings.GEZIEN_CTI_AMI_CONTEXT = "from-internal"
    return asterisk


def test_click_to_call_sends_originate_and_the_call_is_in_the_desk(
    ami_settings: FakeAsterisk, phone: User, customer: Customer, api: Any
) -> None:
    response = api.post("/api/cti/calls", {"to": "06-12345678"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["direction"] == "out" and body["state"] == "ringing" and body["customer_id"] == customer.pk
    assert body["agent"] == "sanne" and body["number"] == "+31612345678"
    originate = next(a for a in ami_settings.actions if a["Action"] == "Originate")
    assert originate["Channel"] == "PJSIP/201" and originate["Exten"] == "+31612345678"
    assert originate["Context"] == "from-internal" and originate["Priority"] == "1"
    assert originate["ChannelId"] == body["call_id"] and originate["Async"] == "true"
    assert next(a for a in ami_settings.actions if a["Action"] == "Login")["Events"] == "off"
    from gezien.audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="call.originate")
    assert entry.customer_id == customer.pk and entry.object_id == body["call_id"]
    assert entry.actor_id == phone.pk and "customer_id" not in entry.details


def test_click_to_call_from_the_customer_page(
    ami_settings: FakeAsterisk, phone: User, customer: Customer, desk: Any
) -> None:
    page = desk.get(f"/customers/{customer.pk}/").content.decode()
    assert 'data-testid="call-button"' in page
    response = desk.post(
        "/desk/calls/originate/",
        {"number": "+31612345678", "next": f"/customers/{customer.pk}/"},
        follow=True,
    )
    text = response.content.decode()
    assert "Uw toestel 201 gaat over; neem op en Gezien belt +31612345678." in text
    assert Call.objects.get(direction="out").agent_id == phone.pk
    assert any(a["Action"] == "Originate" for a in ami_settings.actions)


def test_a_refused_originate_is_a_503_and_no_call(ami_settings: FakeAsterisk, phone: User, api: Any) -> None:
    ami_settings.refuse["Originate"] = "Extension does not exist."
    response = api.post("/api/cti/calls", {"to": "0612345678"})
    assert response.status_code == 503
    assert "De telefooncentrale belde niet: Extension does not exist." in response.json()["detail"][0]["msg"]
    assert not Call.objects.exists()


def test_warm_transfer_sends_atxfer_and_the_contact_goes_to_the_colleague(
    ami_settings: FakeAsterisk, phone: User, make_user: Any, customer: Customer, api: Any
) -> None:
    piet = make_user("piet")
    extension_set(user=piet, extension="202", actor=None)
    mapper = AsteriskMapper(agent_of=lambda channel: username_of(agent_for_channel(channel)))
    for message in [RING, AGENT_RINGS, DIAL, ANSWERED]:
        for event in mapper.events(message):
            cti_event(event)
    ami_settings.channels = [
        {"Channel": "PJSIP/trunk-0000000b", "Uniqueid": CALLER, "Linkedid": CALLER},
        {"Channel": "PJSIP/201-0000000c", "Uniqueid": AGENT_LEG, "Linkedid": CALLER},
        {"Channel": "PJSIP/201-00000099", "Uniqueid": "other", "Linkedid": "another-call"},
    ]
    response = api.post(f"/api/cti/calls/{CALLER}/transfer", {"to_user": "piet"})
    assert response.status_code == 200, response.content
    atxfer = next(a for a in ami_settings.actions if a["Action"] == "Atxfer")
    assert atxfer["Channel"] == "PJSIP/201-0000000c" and atxfer["Exten"] == "202"
    call = Call.objects.get(call_id=CALLER)
    assert call.contact is not None and call.contact.assigned_agent_id == piet.pk


def test_the_desk_s_warm_transfer_moves_the_call_too(
    ami_settings: FakeAsterisk, phone: User, make_user: Any, customer: Customer
) -> None:
    from gezien.assist.models import WarmTransfer
    from gezien.assist.services import transfer_acknowledge, transfer_announce, transfer_connect
    from gezien.core.errors import Unavailable

    piet = make_user("piet")
    extension_set(user=piet, extension="202", actor=None)
    mapper = AsteriskMapper(agent_of=lambda channel: username_of(agent_for_channel(channel)))
    for message in [RING, AGENT_RINGS, DIAL, ANSWERED]:
        for event in mapper.events(message):
            cti_event(event)
    contact = Call.objects.get(call_id=CALLER).contact
    assert contact is not None
    ami_settings.channels = [{"Channel": "PJSIP/201-0000000c", "Uniqueid": AGENT_LEG, "Linkedid": CALLER}]
    transfer = transfer_announce(contact=contact, from_agent=phone, to_agent=piet, note="Factuur van maart")
    transfer_acknowledge(transfer=transfer, user=piet)
    ami_settings.refuse["Atxfer"] = "No active channel"
    with pytest.raises(Unavailable, match="No active channel"):
        transfer_connect(transfer=transfer, user=phone)
    assert WarmTransfer.objects.get(pk=transfer.pk).state == WarmTransfer.State.ACKNOWLEDGED
    del ami_settings.refuse["Atxfer"]
    transfer_connect(transfer=transfer, user=phone)
    atxfers = [a for a in ami_settings.actions if a["Action"] == "Atxfer"]
    assert atxfers[-1]["Channel"] == "PJSIP/201-0000000c" and atxfers[-1]["Exten"] == "202"
    contact.refresh_from_db()
    assert contact.assigned_agent_id == piet.pk


def test_a_call_not_going_on_cannot_be_transferred(
    ami_settings: FakeAsterisk, phone: User, make_user: Any, api: Any
) -> None:
    extension_set(user=make_user("piet"), extension="202", actor=None)
    mapper = AsteriskMapper(agent_of=lambda channel: username_of(agent_for_channel(channel)))
    for message in [RING, HANGUP]:
        for event in mapper.events(message):
            cti_event(event)
    response = api.post(f"/api/cti/calls/{CALLER}/transfer", {"to_user": "piet"})
    assert response.status_code == 409
    assert not any(a["Action"] == "Atxfer" for a in ami_settings.actions)


@pytest.mark.skipif(not os.environ.get("GEZIEN_TEST_ASTERISK_AMI"), reason="set GEZIEN_TEST_ASTERISK_AMI")
def test_a_real_asterisk_logs_in_and_lists_its_channels() -> None:
    """Optional: GEZIEN_TEST_ASTERISK_AMI=tcp://user:secret@host:5038 of a real Asterisk (docs/phone.md)."""
    import asyncio

    from gezien.phone.ami import AmiConnection, parse_ami_url

    async def check() -> None:
        connection = await AmiConnection.open(
            parse_ami_url(os.environ["GEZIEN_TEST_ASTERISK_AMI"]), events=False
        )
        try:
            assert connection.banner.startswith("Asterisk Call Manager/")
            assert (await connection.action("Ping"))["Response"] == "Success"
            assert isinstance(await connection.action_list("CoreShowChannels"), list)
        finally:
            await connection.close()

    asyncio.run(check())


@pytest.mark.slow
def test_the_bridge_beside_asterisk_posts_to_a_running_desk(
    asterisk: FakeAsterisk, live_desk: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--url`: the events go over the desk's API and the extensions come from GET /api/cti/extensions."""
    live_desk.gezien("createuser", "sanne", "--password", "lang-genoeg-wachtwoord-1")
    live_desk.gezien("cti", "extension", "set", "sanne", "201")
    token = live_desk.gezien("token", "create", "--user", "sanne").strip()
    asterisk.script = [[RING, AGENT_RINGS, DIAL, ANSWERED, HANGUP]]
    status, lines, err = bridge(asterisk, capsys, 3, "--url", live_desk.base_url, "--token", token)
    assert status == 0, err
    assert [line["answer"]["call"]["state"] for line in lines] == ["ringing", "answered", "ended"]
    auth = {"Authorization": f"Bearer {token}"}
    code, _headers, raw = live_desk.request("GET", f"/api/cti/calls/{CALLER}", None, auth)
    assert (
        code == 200 and json.loads(raw)["agent"] == "sanne" and json.loads(raw)["cause"] == "normalClearing"
    )
    assert token not in err and asterisk.secret not in err


# --------------------------------------------------------------------------- MixMonitor recordings

# The agent starts over the customer's turn: overtalk by the agent, whichever channel the agent is on.
RECORDED = [
    Line("agent", "Goedemorgen, u spreekt met Sanne van Gezien."),
    Line("customer", "Goedemorgen, ik bel over mijn factuur van vorige maand, die klopt niet.", after_s=0.4),
    Line("agent", "Dat ga ik voor u nakijken.", after_s=-1.0),
    Line("customer", "Dank u wel.", after_s=1.0),
]
needs_voice_tools = pytest.mark.skipif(
    bool(tools_missing()), reason=f"needs {', '.join(tools_missing())} (apt-get install espeak-ng sox)"
)


@pytest.fixture(scope="module")
def recorded_call(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stereo call as MixMonitor's D option writes it on the caller's channel: the caller (the
    customer) on the left, what the caller hears (the agent) on the right."""
    path = tmp_path_factory.mktemp("made") / "made.wav"
    synth_call(RECORDED, path, agent_channel="right", rate=8000)
    return path


@pytest.fixture
def monitor(tmp_path: Path) -> Path:
    """MixMonitor's folder of recordings (what `--recordings-dir` names)."""
    folder = tmp_path / "monitor"
    folder.mkdir()
    return folder


def _placed(recorded_call: Path, where: Path) -> Path:
    """The test's call, written where MixMonitor would have left it."""
    where.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(recorded_call, where)
    return where


def _mixmonitor(filename: str, *, by_variable: bool = True, stop: bool = True) -> list[dict[str, str]]:
    """The recording's events on the caller's channel: the file named by VarSet (the AMI user reads
    `dialplan`) or by `channelvars` on the channel's events; ended by MixMonitorStop or the Hangup."""
    chan = {"Channel": "PJSIP/trunk-0000000b", "Uniqueid": CALLER}
    told = {} if by_variable else {"ChanVariable": f"MIXMONITOR_FILENAME={filename}"}
    events = [ev("MixMonitorStart", **chan, **told)]
    if by_variable:
        events.insert(0, ev("VarSet", **chan, Variable="MIXMONITOR_FILENAME", Value=filename))
    if stop:
        events.append(ev("MixMonitorStop", **chan, **told))
    return events


@needs_voice_tools
def test_a_finished_mixmonitor_recording_is_attached_to_the_call_s_contact(
    asterisk: FakeAsterisk,
    phone: User,
    customer: Customer,
    recorded_call: Path,
    monitor: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = monitor
    kept = _placed(recorded_call, folder / f"{CALLER}.wav")
    asterisk.script = [[RING, JOIN, AGENT_RINGS, DIAL, ANSWERED, *_mixmonitor(str(kept)), HANGUP]]
    status, lines, err = bridge(asterisk, capsys, 4, "--recordings-dir", str(folder))
    assert status == 0, err
    assert [line["event"]["event"] for line in lines[:3]] == ["newCall", "answer", "hangup"]
    told = lines[3]
    assert told["ami"] == "MixMonitorStop" and told["recording"]["call_id"] == CALLER
    assert told["recording"]["created"] is True and told["recording"]["agent_channel"] == "right"
    call = Call.objects.get(call_id=CALLER)
    recording = Recording.objects.get()
    assert recording.contact_id == call.contact_id == told["recording"]["contact_id"]
    assert recording.source == RecordingSource.ADAPTER and recording.filename == kept.name
    with recording.file.open("rb") as stored:
        assert stored.read() == kept.read_bytes()  # the file as MixMonitor wrote it
    # The caller's channel was recorded: the agent is on the right, and the analysis says so.
    assert recording.analysis_state == AnalysisState.DONE
    assert [o["by"] for o in recording.analysis["overtalk"]] == ["agent"]
    entry = AuditEntry.objects.get(action="recording.add")
    assert entry.source == "adapter" and entry.customer_id == customer.pk
    assert asterisk.secret not in err


@needs_voice_tools
def test_a_recording_named_by_channelvars_ends_with_the_hangup_and_is_kept_once(
    asterisk: FakeAsterisk,
    phone: User,
    recorded_call: Path,
    monitor: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = monitor
    _placed(recorded_call, folder / "2026" / "gesprek.wav")
    # Relative to the folder, no MixMonitorStop (a hangup ends it), and the stream told twice.
    events = [RING, AGENT_RINGS, ANSWERED, *_mixmonitor("2026/gesprek.wav", by_variable=False, stop=False)]
    hangup = {**HANGUP, "ChanVariable": "MIXMONITOR_FILENAME=2026/gesprek.wav"}
    asterisk.script = [[*events, hangup], [*events, hangup]]
    status, lines, err = bridge(
        asterisk, capsys, 7, "--recordings-dir", str(folder), "--recording-agent-channel", "right"
    )
    assert status == 0, err
    recordings = [line["recording"] for line in lines if "recording" in line]
    assert [r["created"] for r in recordings] == [True]  # the replayed stream names the same file
    assert Recording.objects.get().agent_channel == "right"


@needs_voice_tools
def test_a_recording_outside_the_recordings_dir_is_never_read(
    asterisk: FakeAsterisk,
    phone: User,
    recorded_call: Path,
    tmp_path: Path,
    monitor: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = monitor
    outside = _placed(recorded_call, tmp_path / "elsewhere.wav")
    (folder / "link.wav").symlink_to(outside)  # a link inside that points out
    for name in (str(outside), "../elsewhere.wav", "link.wav", "/etc/passwd"):
        with FakeAsterisk() as server:
            server.script = [[RING, AGENT_RINGS, ANSWERED, *_mixmonitor(name), HANGUP]]
            status, lines, err = bridge(server, capsys, 3, "--recordings-dir", str(folder), "--seconds", "3")
        assert status == 0, err
        assert "buiten de map voor opnamen" in err, name
        assert not any("recording" in line for line in lines)
    assert not Recording.objects.exists()
    # Without --recordings-dir no recording is read at all.
    asterisk.script = [[RING, AGENT_RINGS, ANSWERED, *_mixmonitor(str(outside)), HANGUP]]
    status, _lines, err = bridge(asterisk, capsys, 3)
    assert "overgeslagen: geen --recordings-dir" in err and not Recording.objects.exists()


@needs_voice_tools
def test_a_recording_of_a_call_nobody_answered_is_said_and_not_kept(
    asterisk: FakeAsterisk,
    phone: User,
    recorded_call: Path,
    monitor: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = monitor
    _placed(recorded_call, folder / "queue.wav")
    asterisk.script = [[RING, JOIN, *_mixmonitor("queue.wav"), ABANDON, HANGUP]]
    status, _lines, err = bridge(asterisk, capsys, 9, "--recordings-dir", str(folder), "--seconds", "4")
    assert status == 0
    assert "niet aangenomen" in err and not Recording.objects.exists()


@pytest.mark.slow
@needs_voice_tools
def test_the_bridge_beside_asterisk_attaches_recordings_over_the_desk_s_api(
    asterisk: FakeAsterisk,
    live_desk: Any,
    recorded_call: Path,
    monitor: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--url`: the call's contact from GET /api/cti/calls/{id}, the file streamed to its recordings."""
    live_desk.gezien("createuser", "sanne", "--password", "lang-genoeg-wachtwoord-1")
    live_desk.gezien("cti", "extension", "set", "sanne", "201")
    token = live_desk.gezien("token", "create", "--user", "sanne").strip()
    folder = monitor
    _placed(recorded_call, folder / "call.wav")
    asterisk.script = [[RING, AGENT_RINGS, ANSWERED, *_mixmonitor("call.wav"), HANGUP]]
    status, lines, err = bridge(
        asterisk, capsys, 4, "--url", live_desk.base_url, "--token", token, "--recordings-dir", str(folder)
    )
    assert status == 0, err
    recording = lines[-1]["recording"]
    assert recording["created"] is True and recording["agent_channel"] == "right"
    auth = {"Authorization": f"Bearer {token}"}
    code, _headers, raw = live_desk.request("GET", f"/api/recordings/{recording['id']}", None, auth)
    body = json.loads(raw)
    assert code == 200 and body["source"] == "upload" and body["size"] == recorded_call.stat().st_size
    assert [o["by"] for o in body["analysis"]["overtalk"]] == ["agent"]
    assert token not in err
