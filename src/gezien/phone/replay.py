"""`gezien cti replay FILE` and `gezien cti ring`: play call events as a telephone system would send
them, to a running desk over its API (`--url`, a token with the cti:write scope) or straight into the
database of this process's settings. A file holds one JSON event a line (as POST /api/cti/events takes
it) with an optional "delay": seconds to wait before sending it."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

Sender = Callable[[dict[str, Any]], dict[str, Any]]


class ReplayError(ValueError):
    """A line that is no event, or a refusal from the desk."""


@dataclass(frozen=True)
class Step:
    delay_s: float
    event: dict[str, Any]


def read_steps(lines: Iterable[str]) -> Iterator[Step]:
    """The events of a file, one JSON object a line (blank lines and lines starting with # skipped)."""
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            event = json.loads(text)
        except ValueError as exc:
            raise ReplayError(f"regel {number}: geen JSON ({exc})") from None
        if not isinstance(event, dict):
            raise ReplayError(f"regel {number}: geen JSON-object")
        delay = event.pop("delay", 0)
        if not isinstance(delay, int | float) or delay < 0:
            raise ReplayError(f"regel {number}: delay is een getal van seconden, 0 of meer")
        yield Step(float(delay), event)


def ringing_call(number: str, *, ring_s: float, answer: str = "", talk_s: float = 0) -> list[Step]:
    """A call from `number` that rings `ring_s` seconds, then is answered by `answer` and ends after
    `talk_s` seconds, or (no one to answer) is hung up by the caller: an abandoned call."""
    call_id = f"demo-{uuid.uuid4().hex[:12]}"
    steps = [Step(0, {"event": "newCall", "call_id": call_id, "from": number, "direction": "in"})]
    if answer:
        steps.append(Step(ring_s, {"event": "answer", "call_id": call_id, "user": answer}))
        steps.append(Step(talk_s, {"event": "hangup", "call_id": call_id, "cause": "normalClearing"}))
    else:
        steps.append(Step(ring_s, {"event": "hangup", "call_id": call_id, "cause": "callerHangup"}))
    return steps


def http_sender(url: str, token: str, timeout_s: float = 10) -> Sender:
    """POST each event to `url`/api/cti/events with the bearer token."""
    if not url.startswith(("http://", "https://")):
        raise ReplayError("--url begint met http:// of https://")
    endpoint = url.rstrip("/") + "/api/cti/events"

    def send(event: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(event).encode()
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            endpoint,
            data=body,
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 - an operator's URL
                answer: dict[str, Any] = json.loads(response.read() or b"{}")
                return answer
        except urllib.error.HTTPError as exc:
            raise ReplayError(f"{exc.code}: {exc.read().decode(errors='replace')[:500]}") from None

    return send


def http_get(url: str, token: str, path: str, timeout_s: float = 10) -> Any:
    """GET `url` + `path` of a running desk's API with the bearer token (JSON answer)."""
    if not url.startswith(("http://", "https://")):
        raise ReplayError("--url begint met http:// of https://")
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        url.rstrip("/") + path, headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 - an operator's URL
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        raise ReplayError(f"{exc.code}: {exc.read().decode(errors='replace')[:500]}") from None
    except OSError as exc:
        raise ReplayError(f"{url}: {exc}") from None


def http_attach_recording(
    url: str, token: str, call_id: str, path: Path, agent_channel: str, timeout_s: float = 120
) -> dict[str, Any]:
    """Attach the recording file `path` to the contact of the call `call_id` on a running desk: its
    contact from GET /api/cti/calls/{call_id} (scope cti:read), then the file streamed as multipart
    to POST /api/contacts/{id}/recordings (scope recordings:write). Answers the recording (with
    `created`); `ReplayError` when the desk refuses (an unanswered call has no contact)."""
    call = http_get(url, token, f"/api/cti/calls/{urllib.parse.quote(call_id, safe='')}")
    contact_id = call.get("contact_id") if isinstance(call, dict) else None
    if not contact_id:
        raise ReplayError(f"gesprek {call_id} is niet aangenomen: geen contact voor de opname")
    boundary = uuid.uuid4().hex
    name = "".join(c for c in path.name if c not in '"\\\r\n')
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="agent_channel"\r\n\r\n{agent_channel}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = path.stat().st_size

    def body() -> Iterator[bytes]:
        yield head
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                yield chunk
        yield tail

    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked by http_get above
        url.rstrip("/") + f"/api/contacts/{int(contact_id)}/recordings",
        data=body(),
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + size + len(tail)),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 - an operator's URL
            answer: dict[str, Any] = json.loads(response.read() or b"{}")
            answer["created"] = response.status == 201
            return answer
    except urllib.error.HTTPError as exc:
        raise ReplayError(f"{exc.code}: {exc.read().decode(errors='replace')[:500]}") from None
    except OSError as exc:
        raise ReplayError(f"{url}: {exc}") from None


def play(
    steps: Iterable[Step], send: Sender, *, speed: float = 1.0, sleep: Callable[[float], None] = time.sleep
) -> Iterator[dict[str, Any]]:
    """Send each step after its delay (divided by `speed`); yields what the desk answered."""
    for step in steps:
        if step.delay_s > 0 and speed > 0:
            sleep(step.delay_s / speed)
        yield {
            "sent_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "event": step.event,
            "answer": send(step.event),
        }
