"""The Asterisk Manager Interface (AMI) over asyncio TCP, as Asterisk speaks it: a banner line
("Asterisk Call Manager/x.y.z"), then messages of `Key: Value` lines ended by a blank line, each way.
Actions carry an `ActionID` that their `Response` repeats; a list action (CoreShowChannels) answers with
events carrying the same ActionID up to its `...Complete` event. Events arrive whenever they happen.

The secret is only ever written to the socket: `AmiUrl` shows itself without it, and no message here
names it."""

from __future__ import annotations

import asyncio
import itertools
import socket
import ssl
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

Message = dict[str, str]
DEFAULT_PORT = 5038
_ids = itertools.count(1)


class AmiError(Exception):
    """The manager interface refused something, or the connection broke."""


class AmiAuthError(AmiError):
    """The user or secret is wrong (retrying will not help)."""


@dataclass(frozen=True)
class AmiUrl:
    host: str
    port: int
    username: str
    secret: str = field(repr=False)
    tls: bool = False

    def __str__(self) -> str:
        return f"{'tls' if self.tls else 'tcp'}://{self.username}@{self.host}:{self.port}"


def parse_ami_url(raw: str) -> AmiUrl:
    """`tcp://user:secret@host:5038` (or `tls://` for AMI over TLS, usually port 5039)."""
    try:
        parts = urlsplit(raw)
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise AmiError("--ami is geen geldige URL (tcp://gebruiker:wachtwoord@host:5038)") from None
    if parts.scheme not in ("tcp", "tls") or not parts.hostname or not parts.username:
        raise AmiError("--ami heeft de vorm tcp://gebruiker:wachtwoord@host:5038 (of tls://...)")
    return AmiUrl(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username),
        secret=unquote(parts.password or ""),
        tls=parts.scheme == "tls",
    )


def encode(fields: Mapping[str, str]) -> bytes:
    """One message. A value with a line break would start a second action: refused."""
    lines = []
    for key, value in fields.items():
        text = str(value)
        if any(c in text or c in key for c in "\r\n"):
            raise AmiError(f"AMI-veld {key} bevat een regeleinde")
        lines.append(f"{key}: {text}\r\n")
    return ("".join(lines) + "\r\n").encode()


async def read_message(reader: asyncio.StreamReader) -> Message:
    """The next message: its `Key: Value` lines up to a blank line (a repeated key keeps the last;
    a channel variable `ChanVariable: NAME=value` is kept as `ChanVariable(NAME)`)."""
    message: Message = {}
    while True:
        line = await reader.readline()
        if not line:
            raise AmiError("de verbinding met Asterisk is verbroken")
        text = line.decode("utf-8", errors="replace").rstrip("\r\n")
        if not text:
            if message:
                return message
            continue
        key, sep, value = text.partition(":")
        if sep:
            key, value = key.strip(), value.strip()
            if key.endswith("ChanVariable") and "=" in value:  # channelvars: one line per variable
                name, _eq, value = value.partition("=")
                key = f"{key}({name.strip()})"
            message[key] = value


class AmiConnection:
    """One logged-in connection. `action()` sends an action and waits for its response (messages for
    others are kept for `event()`); `event()` gives the events in their order of arrival."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, banner: str) -> None:
        self.reader = reader
        self.writer = writer
        self.banner = banner
        self._pending: deque[Message] = deque()

    @classmethod
    async def open(cls, url: AmiUrl, *, events: bool = True, timeout_s: float = 10.0) -> AmiConnection:
        """Connect, read the banner and log in; `events=False` for a connection that only sends actions."""
        context = ssl.create_default_context() if url.tls else None
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(url.host, url.port, ssl=context), timeout_s
            )
        except (OSError, TimeoutError) as exc:
            raise AmiError(f"geen verbinding met {url}: {exc or 'time-out'}") from None
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        try:
            banner = (await asyncio.wait_for(reader.readline(), timeout_s)).decode(errors="replace").strip()
        except TimeoutError:
            banner = ""
        if not banner.startswith("Asterisk Call Manager"):
            writer.close()
            raise AmiError(f"{url} spreekt geen AMI (begroeting: {banner[:60]!r})")
        connection = cls(reader, writer, banner)
        try:
            answer = await asyncio.wait_for(
                connection.action(
                    "Login", Username=url.username, Secret=url.secret, Events="on" if events else "off"
                ),
                timeout_s,
            )
        except TimeoutError:
            await connection.close()
            raise AmiError(f"{url} gaf geen antwoord op het inloggen") from None
        if answer.get("Response") != "Success":
            await connection.close()
            raise AmiAuthError(
                f"Asterisk weigert het inloggen als {url.username} op {url.host}:{url.port}: "
                f"{answer.get('Message', 'geen reden')}"
            )
        return connection

    async def send(self, fields: Mapping[str, str]) -> None:
        self.writer.write(encode(fields))
        await self.writer.drain()

    async def action(self, name: str, **fields: str) -> Message:
        """Send `name` with `fields`; its response (Response: Success|Error, Message: ...)."""
        action_id = f"gezien-{next(_ids)}"
        await self.send({"Action": name, "ActionID": action_id, **fields})
        while True:
            message = await read_message(self.reader)
            if message.get("ActionID") == action_id and "Response" in message:
                return message
            self._pending.append(message)

    async def action_list(self, name: str, **fields: str) -> list[Message]:
        """A list action: the events it answers with (up to its `...Complete`), in order."""
        action_id = f"gezien-{next(_ids)}"
        await self.send({"Action": name, "ActionID": action_id, **fields})
        found: list[Message] = []
        while True:
            message = await read_message(self.reader)
            if message.get("ActionID") != action_id:
                self._pending.append(message)
            elif message.get("Response") == "Error":
                raise AmiError(f"{name}: {message.get('Message', 'geweigerd')}")
            elif message.get("Event", "").endswith("Complete"):
                return found
            elif "Event" in message:
                found.append(message)

    async def event(self) -> Message:
        """The next message that no action waited for (an event)."""
        if self._pending:
            return self._pending.popleft()
        return await read_message(self.reader)

    async def close(self) -> None:
        try:
            if not self.writer.is_closing():
                self.writer.write(encode({"Action": "Logoff", "ActionID": f"gezien-{next(_ids)}"}))
            self.writer.close()
            await asyncio.wait_for(self.writer.wait_closed(), 2)
        except (OSError, TimeoutError, ssl.SSLError):
            pass
