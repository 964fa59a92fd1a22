"""An example of a hosted VoIP provider's adapter (issue 18): how small a new telephone system is.

The provider here is generic: it POSTs one JSON object per call event to `POST /api/cti/webhook` (with a
Gezien API token of scope cti:write) and takes commands on its own HTTP API (`GEZIEN_CTI_WEBHOOK_URL`).

    {"type": "call.ringing" | "call.answered" | "call.ended" | "call.missed",
     "id": "abc123", "from": "+31612345678", "to": "+31201234567",
     "direction": "inbound" | "outbound", "extension": "201", "queue": "Service", "reason": "busy"}

`events_from` maps it onto the generic events (the agent by their `Extension`); `WebhookAdapter` sends
click-to-call as `POST {url}/calls {"extension", "to", "reference"}` and warm transfer as
`POST {url}/calls/{id}/transfer {"extension", "to_extension", "attended": true}`. A real provider
differs in the names of its fields, not in this shape."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from django.conf import settings

from gezien.phone import adapters
from gezien.phone.adapters import AdapterError
from gezien.phone.models import Direction, EventKind
from gezien.phone.services import EventIn

KINDS = {
    "call.ringing": EventKind.NEW_CALL,
    "call.answered": EventKind.ANSWER,
    "call.ended": EventKind.HANGUP,
    "call.missed": EventKind.HANGUP,
}


def events_from(payload: dict[str, Any], agent_of_extension: Callable[[str], str]) -> list[EventIn]:
    """The provider's event as generic events (none for a type this desk does not use)."""
    kind = KINDS.get(str(payload.get("type", "")))
    if kind is None:
        return []
    agent = agent_of_extension(str(payload.get("extension", "") or ""))
    cause = str(payload.get("reason", "") or ("callerHangup" if payload.get("type") == "call.missed" else ""))
    return [
        EventIn(
            event=kind,
            call_id=str(payload.get("id", "")),
            from_=str(payload.get("from", "") or ""),
            to=str(payload.get("to", "") or ""),
            direction=Direction.OUT if payload.get("direction") == "outbound" else Direction.IN,
            queue=str(payload.get("queue", "") or ""),
            user=agent if kind == EventKind.ANSWER or payload.get("direction") == "outbound" else "",
            cause=cause if kind == EventKind.HANGUP else "",
        )
    ]


class WebhookAdapter:
    name = "webhook"

    def __init__(self, url: str, timeout_s: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.timeout_s = timeout_s

    def originate(self, *, interface: str, extension: str, number: str, call_id: str) -> None:
        self._post("/calls", {"extension": extension, "to": number, "reference": call_id})

    def transfer(self, *, call_id: str, interface: str, to_extension: str) -> None:
        self._post(f"/calls/{call_id}/transfer", {"to_extension": to_extension, "attended": True})

    def _post(self, path: str, body: dict[str, Any]) -> None:
        request = urllib.request.Request(  # noqa: S310 - the operator's https URL, checked below
            self.url + path,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s):  # noqa: S310
                return
        except urllib.error.HTTPError as exc:
            raise AdapterError(f"{exc.code} van de provider") from None
        except OSError as exc:
            raise AdapterError(f"provider niet bereikbaar: {exc}") from None


def configured_adapter() -> WebhookAdapter:
    url: str = settings.GEZIEN_CTI_WEBHOOK_URL
    if not url.startswith(("http://", "https://")):
        raise AdapterError("GEZIEN_CTI_WEBHOOK_URL begint met https:// (of http://)")
    return WebhookAdapter(url)


adapters.register("webhook", configured_adapter)
