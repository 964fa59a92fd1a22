"""Telephone-system adapters (issue 18): the shape every telephone system fits into Gezien by.

An adapter does two things, each as far as its system allows:
- **events in**: it turns the system's own events (Asterisk's AMI events, a hosted provider's webhooks)
  into the generic `phone.services.cti_event(EventIn)` calls: `newCall`, `answer`, `hangup`. Repeats and
  events out of order are fine; `cti_event` gives the same call whatever comes when.
- **commands out** (`Adapter`): `originate` (click-to-call: the agent's phone rings, then the number is
  dialled) and `transfer` (warm transfer: the agent consults a colleague, then hands the call over).

The desk and the API reach the configured adapter through `configured()`: `GEZIEN_CTI_ADAPTER` names it
("asterisk", "webhook" or the name a module registered with `register`); unset, it is "asterisk" when
`GEZIEN_CTI_AMI` is set, else none (click-to-call and transfer then answer 503). A new system is a small
module: a function from its events to `EventIn`s, and a class with the two commands (see `webhook.py`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from django.conf import settings


class AdapterError(Exception):
    """The telephone system refused a command or could not be reached (the message says which)."""


class Adapter(Protocol):
    name: str

    def originate(self, *, interface: str, extension: str, number: str, call_id: str) -> None:
        """Ring the agent's phone (`interface`, `extension`); when they pick up, dial `number`. The new
        call is known by `call_id` where the system lets us choose it."""

    def transfer(self, *, call_id: str, interface: str, to_extension: str) -> None:
        """Warm transfer: the agent on `interface` consults `to_extension` in call `call_id`; when the agent
        hangs up, the colleague has the caller (Asterisk's attended transfer)."""


_factories: dict[str, Callable[[], Adapter]] = {}


def register(name: str, factory: Callable[[], Adapter]) -> None:
    """Make an adapter available by name (called at import of its module, from `PhoneConfig.ready`)."""
    _factories[name] = factory


def configured_name() -> str:
    name: str = settings.GEZIEN_CTI_ADAPTER
    if not name and settings.GEZIEN_CTI_AMI:
        return "asterisk"
    return name


def configured() -> Adapter | None:
    """The adapter this desk sends commands through, or None when no telephone system is configured."""
    name = configured_name()
    if not name:
        return None
    factory = _factories.get(name)
    if factory is None:
        raise AdapterError(f"GEZIEN_CTI_ADAPTER={name!r}: geen adapter met die naam")
    return factory()
