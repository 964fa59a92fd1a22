"""Asterisk over AMI (issue 18): `gezien cti asterisk --ami tcp://user:pass@host:5038` listens to the
manager interface and turns its events into `cti_event` calls; `AsteriskAdapter` sends Originate
(click-to-call) and Atxfer (warm transfer) over a short connection of its own.

A call is Asterisk's `Linkedid`: the Uniqueid of its first channel, shared by every channel it brings in.
- `Newchannel` of that first channel: `newCall`. Outbound when the channel is an agent's phone (an
  `Extension`: the agent called out), else inbound from `CallerIDNum` to `Exten`.
- `QueueCallerJoin`: the queue (sent with the call's later events).
- `DialEnd` with `DialStatus: ANSWER`, or `BridgeEnter` of an agent's phone: `answer` by that agent (an
  outbound call: by the agent who called).
- `QueueCallerAbandon`: `hangup` with cause `callerHangup` (nobody answered: an abandoned call).
- `Hangup` of the first channel: `hangup`, its Q.850 `Cause` as a word (`normalClearing`, `busy`, ...).
Repeats and events out of order give the same call: `cti_event` decides (one event of each kind)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import random
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from gezien.phone import adapters
from gezien.phone.adapters import AdapterError
from gezien.phone.ami import AmiAuthError, AmiConnection, AmiError, AmiUrl, Message, parse_ami_url
from gezien.phone.calling import interface_of
from gezien.phone.models import Direction, EventKind
from gezien.phone.services import EventIn

log = logging.getLogger("gezien.phone.asterisk")

# Q.850 cause codes as Asterisk sends them in Hangup's `Cause`, as the generic CTI's words.
CAUSES = {
    "0": "unknown",
    "1": "notFound",
    "3": "notFound",
    "16": "normalClearing",
    "17": "busy",
    "18": "noAnswer",
    "19": "noAnswer",
    "21": "rejected",
    "27": "outOfOrder",
    "28": "invalidNumber",
    "31": "normalUnspecified",
    "34": "congestion",
    "38": "congestion",
    "41": "temporaryFailure",
    "42": "congestion",
}
BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
STEADY_S = 10.0  # a connection that held this long is made again at once when it drops
IDLE_S = 30.0  # seconds without a message before a Ping
MAX_TRACKED = 10_000  # calls remembered at once (direction, queue) until their hangup


@dataclass
class _Track:
    direction: str = Direction.IN
    agent: str = ""  # the agent who called out (outbound)
    queue: str = ""


@dataclass
class AsteriskMapper:
    """AMI events to generic events. `agent_of(channel)` names the desk person whose phone a channel is
    ("" when none). It remembers a little of each call (direction, queue) until its hangup."""

    agent_of: Callable[[str], str]
    calls: dict[str, _Track] = field(default_factory=dict)

    def events(self, message: Message) -> list[EventIn]:
        kind = message.get("Event", "")
        handler = getattr(self, f"_on_{kind.lower()}", None)
        if handler is None:
            return []
        call_id = message.get("Linkedid") or message.get("Uniqueid") or ""
        if not call_id:
            return []
        result: list[EventIn] = handler(call_id, message)
        return result

    def _track(self, call_id: str) -> _Track:
        if call_id not in self.calls and len(self.calls) >= MAX_TRACKED:
            self.calls.pop(next(iter(self.calls)))  # the oldest: a call whose hangup never came
        return self.calls.setdefault(call_id, _Track())

    def _event(
        self, kind: str, call_id: str, *, from_: str = "", to: str = "", user: str = "", cause: str = ""
    ) -> EventIn:
        track = self._track(call_id)
        return EventIn(
            event=kind,
            call_id=call_id,
            from_=from_,
            to=to,
            direction=track.direction,
            queue=track.queue,
            user=user,
            cause=cause,
        )

    def _on_newchannel(self, call_id: str, m: Message) -> list[EventIn]:
        if m.get("Uniqueid", call_id) != call_id:
            return []  # a second leg of a call we know by its first channel
        agent = self.agent_of(m.get("Channel", ""))
        number, exten = _number(m.get("CallerIDNum", "")), m.get("Exten", "")
        track = self._track(call_id)
        if agent:
            track.direction, track.agent = Direction.OUT, agent
            return [self._event(EventKind.NEW_CALL, call_id, from_=number, to=_number(exten), user=agent)]
        return [self._event(EventKind.NEW_CALL, call_id, from_=number, to=_number(exten))]

    def _on_queuecallerjoin(self, call_id: str, m: Message) -> list[EventIn]:
        self._track(call_id).queue = m.get("Queue", "")[:100]
        return []

    def _answer(self, call_id: str, channel: str) -> list[EventIn]:
        track = self._track(call_id)
        agent = track.agent if track.direction == Direction.OUT else self.agent_of(channel)
        return [self._event(EventKind.ANSWER, call_id, user=agent)] if agent else []

    def _on_dialend(self, call_id: str, m: Message) -> list[EventIn]:
        if m.get("DialStatus") != "ANSWER":
            return []
        return self._answer(call_id, m.get("DestChannel", ""))

    def _on_bridgeenter(self, call_id: str, m: Message) -> list[EventIn]:
        track = self._track(call_id)
        if track.direction == Direction.OUT:
            return [] if m.get("Uniqueid") == call_id else self._answer(call_id, "")
        return self._answer(call_id, m.get("Channel", "")) if m.get("Uniqueid") != call_id else []

    def _on_queuecallerabandon(self, call_id: str, m: Message) -> list[EventIn]:
        return [self._event(EventKind.HANGUP, call_id, cause="callerHangup")]

    def _on_hangup(self, call_id: str, m: Message) -> list[EventIn]:
        if m.get("Uniqueid", call_id) != call_id:
            return []
        cause = CAUSES.get(m.get("Cause", ""), "") or _word(m.get("Cause-txt", "")) or "unknown"
        event = self._event(EventKind.HANGUP, call_id, cause=cause)
        self.calls.pop(call_id, None)
        return [event]


# --------------------------------------------------------------------------- MixMonitor recordings

MIXMONITOR_VARIABLE = "MIXMONITOR_FILENAME"
SETTLE_S = 1.0  # a finished recording's file must keep its size this long before it is read
GIVE_UP_S = 120.0  # a file that never appears (or keeps growing) is given up after this long


@dataclass(frozen=True)
class RecordingDone:
    """A call's MixMonitor recording that has finished: `filename` as Asterisk named it."""

    call_id: str
    filename: str
    channel: str  # the channel MixMonitor ran on
    agent_channel: str  # left or right: the agent's side of the stereo file
    event: str  # the AMI event that ended it (MixMonitorStop or Hangup)


def mixmonitor_filename(message: Message) -> str:
    """The recording's file name an event tells, if any: `VarSet` of MIXMONITOR_FILENAME (the AMI user
    reads `dialplan`), or the channel variable on every channel event where manager.conf has
    `channelvars = MIXMONITOR_FILENAME` (`ChanVariable: MIXMONITOR_FILENAME=/path`)."""
    if message.get("Event") == "VarSet" and message.get("Variable") == MIXMONITOR_VARIABLE:
        return message.get("Value", "").strip()
    return message.get(f"ChanVariable({MIXMONITOR_VARIABLE})", "").strip()


@dataclass
class MixMonitorWatch:
    """Which recording each channel is writing (its MIXMONITOR_FILENAME), and when it is finished:
    `MixMonitorStop` of that channel, or its `Hangup` (Asterisk does not always send the stop when the
    channel hangs up). Each file once. The agent's side: with MixMonitor's `D` option the left channel
    is the audio coming from the recorded channel, the right what goes to it; so "left" when
    MixMonitor ran on an agent's phone, else "right" (`agent_channel` fixes it instead of "auto")."""

    agent_of: Callable[[str], str]
    agent_channel: str = "auto"
    files: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # uniqueid: call, file, channel
    done: dict[tuple[str, str], None] = field(default_factory=dict)

    def seen(self, message: Message) -> list[RecordingDone]:
        uniqueid = message.get("Uniqueid", "")
        call_id = message.get("Linkedid") or uniqueid
        if not uniqueid or not call_id:
            return []
        name = mixmonitor_filename(message)
        if name:
            if uniqueid not in self.files and len(self.files) >= MAX_TRACKED:
                self.files.pop(next(iter(self.files)))
            self.files[uniqueid] = (call_id, name, message.get("Channel", ""))
        kind = message.get("Event", "")
        if kind not in ("MixMonitorStop", "Hangup") or uniqueid not in self.files:
            return []
        call_id, name, channel = self.files.pop(uniqueid)
        if (call_id, name) in self.done:
            return []
        if len(self.done) >= MAX_TRACKED:
            self.done.pop(next(iter(self.done)))
        self.done[(call_id, name)] = None
        side = self.agent_channel
        if side not in ("left", "right"):
            side = "left" if self.agent_of(channel) else "right"
        return [RecordingDone(call_id, name, channel, side, kind)]


@dataclass
class _Waiting:
    done: RecordingDone
    path: Any  # pathlib.Path
    since: float
    seen: tuple[int, int] | None = None  # (size, mtime_ns) when last looked
    steady_since: float = 0.0


@dataclass
class FileSettle:
    """Finished recordings wait here until their file has stopped changing (Asterisk closes it just
    after the event): `ready()` hands out those whose size and time stood still for `settle_s`, and
    those that never became a file within `give_up_s` as given up."""

    settle_s: float = SETTLE_S
    give_up_s: float = GIVE_UP_S
    waiting: list[_Waiting] = field(default_factory=list)

    def add(self, done: RecordingDone, path: Any, now: float) -> None:
        self.waiting.append(_Waiting(done, path, now))

    def ready(self, now: float) -> tuple[list[tuple[RecordingDone, Any]], list[tuple[RecordingDone, Any]]]:
        ready, given_up, still = [], [], []
        for item in self.waiting:
            try:
                stat = item.path.stat()
                now_seen: tuple[int, int] | None = (stat.st_size, stat.st_mtime_ns)
            except OSError:
                now_seen = None
            if now_seen is not None and now_seen == item.seen and now_seen[0] > 0:
                if now - item.steady_since >= self.settle_s:
                    ready.append((item.done, item.path))
                    continue
            elif now_seen != item.seen:
                item.seen, item.steady_since = now_seen, now
            if now - item.since >= self.give_up_s:
                given_up.append((item.done, item.path))
                continue
            still.append(item)
        self.waiting = still
        return ready, given_up


def _number(raw: str) -> str:
    """AMI's empty values are "<unknown>" or "s" (the start extension): no number."""
    return "" if raw in ("<unknown>", "s", "") else raw[:100]


def _word(text: str) -> str:
    words = text.replace("_", " ").split()
    return (words[0].lower() + "".join(w.capitalize() for w in words[1:]))[:100] if words else ""


# --------------------------------------------------------------------------- listening


Handle = Callable[[Message], Awaitable[None]]


async def listen(
    url: AmiUrl,
    handle: Handle,
    *,
    stop: asyncio.Event | None = None,
    backoff_s: tuple[float, ...] = BACKOFF_S,
    on_state: Callable[[str], None] | None = None,
    idle_s: float = IDLE_S,
) -> None:
    """Log in and hand every event to `handle`, for ever (until `stop` is set). A refused connection,
    or one that drops within `STEADY_S` of its login, is tried again after 1, 2, 4 ... 30 s (a little
    jitter); one that ran longer is made again at once. After `idle_s` without a message a Ping is sent;
    without an answer in another `idle_s` the connection counts as dropped. A wrong password ends it
    with `AmiAuthError`. The secret never reaches the log."""
    stop = stop or asyncio.Event()
    tries = 0
    say = on_state or (lambda text: log.info("%s", text))
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        try:
            connection = await AmiConnection.open(url, events=True)
        except AmiAuthError:
            raise
        except AmiError as exc:
            wait = backoff_s[min(tries, len(backoff_s) - 1)] * random.uniform(0.9, 1.1)
            tries += 1
            say(f"{exc}; opnieuw over {wait:.1f} s")
            await _wait(stop, wait)
            continue
        since = loop.time()
        say(f"verbonden met {url} ({connection.banner})")
        try:
            await _events(connection, handle, stop, idle_s)
        except AmiError as exc:
            if loop.time() - since >= STEADY_S:
                tries = 0
            wait = 0.0 if tries == 0 else backoff_s[min(tries, len(backoff_s) - 1)]
            tries += 1
            say(f"{exc}; opnieuw verbinden" + (f" over {wait:.1f} s" if wait else ""))
            await _wait(stop, wait)
        finally:
            await connection.close()


async def _events(connection: AmiConnection, handle: Handle, stop: asyncio.Event, idle_s: float) -> None:
    """Read messages until `stop`; events go to `handle`. Raises AmiError when the connection drops."""
    stopping = asyncio.ensure_future(stop.wait())
    reading: asyncio.Future[Message] | None = None
    pinged = False
    try:
        while True:
            if reading is None:
                reading = asyncio.ensure_future(connection.event())
            waiting: set[asyncio.Future[Any]] = {reading, stopping}
            done, _pending = await asyncio.wait(waiting, timeout=idle_s, return_when=asyncio.FIRST_COMPLETED)
            if stopping in done:
                return
            if reading in done:
                message = reading.result()
                reading, pinged = None, False
                if "Event" in message:
                    await handle(message)
                continue
            if pinged:
                raise AmiError("Asterisk antwoordt niet meer (geen antwoord op Ping)")
            await connection.send({"Action": "Ping", "ActionID": "gezien-keepalive"})
            pinged = True
    finally:
        stopping.cancel()
        if reading is not None:
            reading.cancel()


def serve(
    url: AmiUrl,
    handle: Callable[[Message], bool],
    *,
    seconds: float = 0,
    say: Callable[[str], None] | None = None,
    backoff_s: tuple[float, ...] = BACKOFF_S,
    idle: Callable[[], bool] | None = None,
) -> None:
    """`listen` in a thread of its own, `handle` in the calling thread (it uses the database), one event
    at a time in their order of arrival, until `handle` (or `idle`, called at least every half second
    between events) answers True, `seconds` have passed (0: never) or the caller is interrupted. A wrong
    password raises `AmiAuthError` here."""
    inbox: queue.Queue[Message | BaseException | None] = queue.Queue()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def put(message: Message) -> None:
        inbox.put(message)

    def run() -> None:
        try:
            loop.run_until_complete(listen(url, put, stop=stop, backoff_s=backoff_s, on_state=say))
        except BaseException as exc:  # handed to the calling thread
            inbox.put(exc)
        else:
            inbox.put(None)
        finally:
            loop.close()

    thread = threading.Thread(target=run, name="gezien-ami", daemon=True)
    thread.start()
    deadline = time.monotonic() + seconds if seconds > 0 else None
    try:
        while True:
            wait = 0.5 if deadline is None else deadline - time.monotonic()
            if wait <= 0:
                return
            try:
                item = inbox.get(timeout=min(wait, 0.25 if idle else 0.5))
            except queue.Empty:
                if idle is not None and idle():
                    return
                continue
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            if handle(item) or (idle is not None and idle()):
                return
    finally:
        if thread.is_alive():
            with contextlib.suppress(RuntimeError):  # the loop ended meanwhile
                loop.call_soon_threadsafe(stop.set)
        thread.join(5)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


# --------------------------------------------------------------------------- commands


class AsteriskAdapter:
    """Originate and Atxfer, each over a connection of its own (logged in with events off)."""

    name = "asterisk"

    def __init__(self, url: AmiUrl, context: str, timeout_s: float = 10.0) -> None:
        self.url = url
        self.context = context
        self.timeout_s = timeout_s

    def originate(self, *, interface: str, extension: str, number: str, call_id: str) -> None:
        fields = {
            "Channel": interface,
            "Exten": number,
            "Context": self.context,
            "Priority": "1",
            "CallerID": f"Gezien <{extension}>",
            "ChannelId": call_id,  # the agent's channel's Uniqueid: the call's Linkedid in its events
            "Timeout": "30000",
            "Async": "true",
        }
        self._run(self._one("Originate", fields))

    def transfer(self, *, call_id: str, interface: str, to_extension: str) -> None:
        self._run(self._transfer(call_id, interface, to_extension))

    async def _one(self, action: str, fields: dict[str, str]) -> None:
        connection = await AmiConnection.open(self.url, events=False, timeout_s=self.timeout_s)
        try:
            answer = await asyncio.wait_for(connection.action(action, **fields), self.timeout_s)
        finally:
            await connection.close()
        if answer.get("Response") != "Success":
            raise AdapterError(answer.get("Message", "geweigerd"))

    async def _transfer(self, call_id: str, interface: str, to_extension: str) -> None:
        connection = await AmiConnection.open(self.url, events=False, timeout_s=self.timeout_s)
        try:
            channels = await asyncio.wait_for(connection.action_list("CoreShowChannels"), self.timeout_s)
            mine = [
                c["Channel"]
                for c in channels
                if c.get("Linkedid") == call_id
                and interface_of(c.get("Channel", "")).lower() == interface.lower()
            ]
            if not mine:
                raise AdapterError(f"geen kanaal van {interface} in dit gesprek")
            answer = await asyncio.wait_for(
                connection.action("Atxfer", Channel=mine[0], Exten=to_extension, Context=self.context),
                self.timeout_s,
            )
        finally:
            await connection.close()
        if answer.get("Response") != "Success":
            raise AdapterError(answer.get("Message", "geweigerd"))

    def _run(self, work: Awaitable[None]) -> None:
        try:
            asyncio.run(_awaited(work))
        except AmiError as exc:
            raise AdapterError(str(exc)) from None
        except TimeoutError:
            raise AdapterError(f"{self.url} gaf geen antwoord") from None


async def _awaited(work: Awaitable[None]) -> None:
    await work


def configured_adapter() -> AsteriskAdapter:
    raw = settings.GEZIEN_CTI_AMI
    if not raw:
        raise AdapterError("GEZIEN_CTI_AMI is niet ingesteld")
    try:
        url = parse_ami_url(raw)
    except AmiError as exc:
        raise AdapterError(str(exc)) from None
    return AsteriskAdapter(url, settings.GEZIEN_CTI_AMI_CONTEXT)


adapters.register("asterisk", configured_adapter)
