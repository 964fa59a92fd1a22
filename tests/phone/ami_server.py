"""A loopback Asterisk manager interface for the tests: it speaks AMI as Asterisk does on 127.0.0.1
(banner, Action: Login with its user and secret checked, events as `Key: Value` blocks ended by a blank
line, responses carrying the action's ActionID, CoreShowChannels as a list of events). It parses on its
own, without gezien.phone.ami, so the client is tested against an independent reading of the protocol.

`script[k]` holds the events sent after the k-th accepted login with events on; every login but the
last script's is then dropped (the client must reconnect), or with `go_silent` kept open without
answering anything (a dead peer the client must notice by its Ping going unanswered).
`actions` records every action received."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

BANNER = b"Asterisk Call Manager/5.0.1\r\n"


def block(fields: dict[str, str]) -> bytes:
    return ("".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n").encode()


class FakeAsterisk:
    def __init__(self, username: str = "gezien", secret: str = "geheim-wachtwoord") -> None:  # noqa: S107 - a test server
        self.username, self.secret = username, secret
        self.script: list[list[dict[str, str]]] = []
        self.channels: list[dict[str, str]] = []  # what CoreShowChannels lists
        self.refuse: dict[str, str] = {}  # action name -> the error message it answers
        self.go_silent = False  # instead of dropping after a script, stay connected and answer nothing
        self.actions: list[dict[str, str]] = []
        self.logins: list[dict[str, str]] = []  # accepted ones
        self.failed_logins = 0
        self.raw = bytearray()  # everything clients sent (the tests look for the secret in logs, not here)
        self._event_logins = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._server: asyncio.base_events.Server | None = None
        self.port = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def url(self, secret: str | None = None) -> str:
        return f"tcp://{self.username}:{self.secret if secret is None else secret}@127.0.0.1:{self.port}"

    def __enter__(self) -> FakeAsterisk:
        self._thread.start()
        self._ready.wait(5)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._server is not None:
            self._loop.call_soon_threadsafe(self._server.close)  # no longer listening
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def wait_for(self, condition: Any, timeout_s: float = 5.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError("the loopback Asterisk waited in vain")
            time.sleep(0.01)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def start() -> None:
            self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
            self.port = self._server.sockets[0].getsockname()[1]

        self._loop.run_until_complete(start())
        self._ready.set()
        self._loop.run_forever()

    async def _read(self, reader: asyncio.StreamReader) -> dict[str, str] | None:
        message: dict[str, str] = {}
        while True:
            line = await reader.readline()
            if not line:
                return None
            self.raw.extend(line)
            text = line.decode().rstrip("\r\n")
            if not text:
                if message:
                    return message
                continue
            key, _sep, value = text.partition(": ")
            message[key] = value

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(BANNER)
        logged_in = False
        try:
            while True:
                action = await self._read(reader)
                if action is None:
                    return
                name, action_id = action.get("Action", ""), action.get("ActionID", "")
                self.actions.append(action)
                answer = {"Response": "Success", "ActionID": action_id}
                if name.lower() == "login":
                    if action.get("Username") != self.username or action.get("Secret") != self.secret:
                        self.failed_logins += 1
                        writer.write(
                            block(
                                {
                                    "Response": "Error",
                                    "ActionID": action_id,
                                    "Message": "Authentication failed",
                                }
                            )
                        )
                        await writer.drain()
                        return
                    logged_in = True
                    self.logins.append(action)
                    writer.write(block({**answer, "Message": "Authentication accepted"}))
                    writer.write(
                        block({"Event": "FullyBooted", "Privilege": "system,all", "Status": "Fully Booted"})
                    )
                    await writer.drain()
                    if action.get("Events", "on").lower() != "off":
                        k = self._event_logins
                        self._event_logins += 1
                        if k < len(self.script):
                            for event in self.script[k]:
                                writer.write(block({"Privilege": "call,all", **event}))
                                await writer.drain()
                            if k < len(self.script) - 1 and self.go_silent:
                                while await self._read(reader) is not None:
                                    pass  # it hears, but answers nothing (not even Ping)
                                return
                            if k < len(self.script) - 1:
                                return  # the connection drops
                    continue
                if not logged_in:
                    writer.write(
                        block({"Response": "Error", "ActionID": action_id, "Message": "Permission denied"})
                    )
                elif name in self.refuse:
                    writer.write(
                        block({"Response": "Error", "ActionID": action_id, "Message": self.refuse[name]})
                    )
                elif name == "Logoff":
                    writer.write(
                        block(
                            {
                                "Response": "Goodbye",
                                "ActionID": action_id,
                                "Message": "Thanks for all the fish.",
                            }
                        )
                    )
                    await writer.drain()
                    return
                elif name == "Originate":
                    writer.write(block({**answer, "Message": "Originate successfully queued"}))
                elif name == "Atxfer":
                    writer.write(block({**answer, "Message": "Atxfer successfully queued"}))
                elif name == "Ping":
                    writer.write(block({**answer, "Ping": "Pong", "Timestamp": f"{time.time():.6f}"}))
                elif name == "CoreShowChannels":
                    writer.write(block({**answer, "EventList": "start", "Message": "Channels will follow"}))
                    for channel in self.channels:
                        writer.write(block({"Event": "CoreShowChannel", "ActionID": action_id, **channel}))
                    writer.write(
                        block(
                            {
                                "Event": "CoreShowChannelsComplete",
                                "ActionID": action_id,
                                "EventList": "Complete",
                                "ListItems": str(len(self.channels)),
                            }
                        )
                    )
                else:
                    writer.write(
                        block(
                            {"Response": "Error", "ActionID": action_id, "Message": "Invalid/unknown command"}
                        )
                    )
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            return
        finally:
            writer.close()
