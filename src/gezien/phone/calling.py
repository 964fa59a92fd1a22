"""Commands to the telephone system (issue 18): who sits at which phone (`Extension`), click-to-call
(`call_originate`) and warm transfer (`call_transfer`), through the configured adapter
(`phone.adapters.configured`). The desk, the API and `gezien cti call|transfer|extension` call these."""

from __future__ import annotations

import getpass
import re
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gezien.accounts.models import User
from gezien.assist.models import WarmTransfer
from gezien.audit.log import audit_record
from gezien.contacts import handling as contact_handling
from gezien.core.errors import Conflict, Invalid, NotFound, Unavailable
from gezien.phone import adapters
from gezien.phone.models import Call, CallState, Direction, EventKind, Extension
from gezien.phone.services import EventIn, cti_event, phone_number

_EXTENSION = re.compile(r"^[0-9A-Za-z*#+_.-]{1,40}$")
_INTERFACE = re.compile(r"^[A-Za-z][A-Za-z0-9]*/[^\s,;|&]{1,90}$")
DEFAULT_TECH = "PJSIP"


def _audit(
    action: str, actor: User | None, source: str, object_type: str, object_id: str | int, **kw: str
) -> None:
    """One audit entry; a command line's actor is the operating-system account that ran it."""
    customer = kw.pop("customer_id", "")
    if actor is not None:
        name = actor.display_name or actor.get_username()
    else:
        name = getpass.getuser() if source == "cli" else ""
    audit_record(
        action=action,
        actor_id=actor.pk if actor else None,
        actor_name=name,
        source=source,
        object_type=object_type,
        object_id=object_id,
        customer_id=int(customer) if customer else None,
        details=dict(kw),
    )


# --------------------------------------------------------------------------- extensions


def interface_of(channel: str) -> str:
    """The device a channel name belongs to: "PJSIP/201-0000000a" -> "PJSIP/201" (a Local channel
    "Local/201@from-queue-00000001;1" -> "Local/201@from-queue")."""
    base = channel.split(";", 1)[0]
    head, sep, tail = base.rpartition("-")
    return head if sep and "/" in head and re.fullmatch(r"[0-9a-fA-F]+", tail) else base


def _local_extension(interface: str) -> str:
    return interface.split("/", 1)[1].split("@", 1)[0] if interface.lower().startswith("local/") else ""


def channel_owner(channel: str, phones: Iterable[tuple[str, str, str]]) -> str:
    """Whose phone a channel is, among (username, extension, interface) rows ("" when nobody's)."""
    interface = interface_of(channel).lower()
    local = _local_extension(interface)
    for username, extension, own in phones:
        if own.lower() == interface or (local and extension == local):
            return username
    return ""


def extension_of(user: User) -> Extension | None:
    return Extension.objects.filter(user=user).first()


def agent_for_channel(channel: str) -> User | None:
    """The desk person whose phone a channel is (by its interface, or a Local channel's extension)."""
    interface = interface_of(channel)
    if not interface:
        return None
    local = _local_extension(interface)
    found = (
        Extension.objects.select_related("user")
        .filter(Q(interface__iexact=interface) | (Q(extension=local) if local else Q(pk__in=[])))
        .filter(user__is_active=True)
        .first()
    )
    return found.user if found else None


def agent_for_extension(extension: str) -> User | None:
    """The desk person with this extension (a hosted provider's events name it)."""
    if not extension:
        return None
    found = Extension.objects.select_related("user").filter(extension=extension, user__is_active=True).first()
    return found.user if found else None


def username_of(user: User | None) -> str:
    return user.get_username() if user is not None else ""


@transaction.atomic
def extension_set(
    *, user: User, extension: str, interface: str = "", actor: User | None, source: str = ""
) -> Extension:
    """Give `user` the phone `extension` (its interface defaults to "PJSIP/<extension>")."""
    extension = extension.strip()
    interface = interface.strip() or f"{DEFAULT_TECH}/{extension}"
    if not _EXTENSION.match(extension):
        raise Invalid(
            _("Een toestelnummer is 1 tot 40 cijfers of letters (bijvoorbeeld 201)."), field="extension"
        )
    if not _INTERFACE.match(interface):
        raise Invalid(
            _("Een interface heeft de vorm TECHNIEK/naam, bijvoorbeeld PJSIP/201."), field="interface"
        )
    taken = (
        Extension.objects.filter(Q(extension=extension) | Q(interface__iexact=interface))
        .exclude(user=user)
        .select_related("user")
        .first()
    )
    if taken is not None:
        raise Conflict(
            _("Dit toestel is al van %(name)s.")
            % {"name": taken.user.display_name or taken.user.get_username()},
            field="extension",
        )
    found, _created = Extension.objects.update_or_create(
        user=user, defaults={"extension": extension, "interface": interface}
    )
    _audit("extension.update", actor, source, "user", user.pk, extension=extension, interface=interface)
    return found


@transaction.atomic
def extension_remove(*, user: User, actor: User | None, source: str = "") -> bool:
    deleted, _rows = Extension.objects.filter(user=user).delete()
    if deleted:
        _audit("extension.delete", actor, source, "user", user.pk)
    return bool(deleted)


# --------------------------------------------------------------------------- commands


def _adapter() -> adapters.Adapter:
    try:
        adapter = adapters.configured()
    except adapters.AdapterError as exc:
        raise Unavailable(str(exc), field=None) from None
    if adapter is None:
        raise Unavailable(
            _(
                "Er is geen telefooncentrale gekoppeld (GEZIEN_CTI_ADAPTER of GEZIEN_CTI_AMI): bellen en "
                "doorverbinden kan niet."
            ),
            field=None,
        )
    return adapter


def _phone_of(user: User, field: str) -> Extension:
    found = extension_of(user)
    if found is None:
        name = user.display_name or user.get_username()
        raise Conflict(_("%(name)s heeft geen toestel in Gezien.") % {"name": name}, field=field)
    return found


def call_originate(*, agent: User, to: str, actor: User | None, source: str = "") -> Call:
    """Click-to-call: the agent's phone rings and, picked up, dials `to`. The call is in Gezien at once
    (outbound, ringing) under the id the telephone system will use for it; its events complete it."""
    number = phone_number(to.strip())
    if not number:
        raise Invalid(_("Dit is geen telefoonnummer."), field="to")
    phone = _phone_of(agent, "user")
    adapter = _adapter()
    call_id = f"gezien-{uuid.uuid4().hex}"
    try:
        adapter.originate(
            interface=phone.interface, extension=phone.extension, number=number, call_id=call_id
        )
    except adapters.AdapterError as exc:
        raise Unavailable(_("De telefooncentrale belde niet: %(why)s") % {"why": exc}, field=None) from None
    result = cti_event(
        EventIn(
            event=EventKind.NEW_CALL,
            call_id=call_id,
            from_=phone.extension,
            to=number,
            direction=Direction.OUT,
            user=agent.get_username(),
        )
    )
    call = result.call
    _audit(
        "call.originate",
        actor,
        source,
        "call",
        call.call_id,
        customer_id=str(call.customer_id or ""),
        agent=agent.get_username(),
        adapter=adapter.name,
    )
    return call


def call_by_call_id(call_id: str) -> Call:
    call = Call.objects.select_related("agent", "contact").filter(call_id=call_id).first()
    if call is None:
        raise NotFound(_("Dit gesprek bestaat niet."), field=None)
    return call


def _send_transfer(call: Call, agent: User, to_agent: User) -> adapters.Adapter:
    """The telephone system's attended transfer of `call` from `agent`'s phone to `to_agent`'s."""
    mine = _phone_of(agent, "call")
    theirs = _phone_of(to_agent, "to_user")
    adapter = _adapter()
    try:
        adapter.transfer(call_id=call.call_id, interface=mine.interface, to_extension=theirs.extension)
    except adapters.AdapterError as exc:
        raise Unavailable(
            _("De telefooncentrale verbond niet door: %(why)s") % {"why": exc}, field=None
        ) from None
    return adapter


def transfer_connected(transfer: WarmTransfer) -> None:
    """The desk's warm transfer (assist: announced, acknowledged, now connected) of a phone contact whose
    call is going on: the telephone system moves the call too, where one is configured and both have an
    extension (else the contact alone moves, as before)."""
    call = (
        Call.objects.select_related("agent")
        .filter(contact_id=transfer.contact_id, state=CallState.ANSWERED, agent_id=transfer.from_agent_id)
        .first()
    )
    if call is None or call.agent is None or not adapters.configured_name():
        return
    if extension_of(call.agent) is None or extension_of(transfer.to_agent) is None:
        return
    adapter = _send_transfer(call, call.agent, transfer.to_agent)
    _audit(
        "call.transfer",
        call.agent,
        "assist",
        "call",
        call.call_id,
        customer_id=str(call.customer_id or ""),
        to_agent=transfer.to_agent.get_username(),
        adapter=adapter.name,
    )


def call_transfer(
    *, call: Call, to_agent: User, actor: User | None, source: str = "", note: str = ""
) -> Call:
    """Warm transfer: the agent who has the call consults `to_agent` (the telephone system's attended
    transfer) and, once they hang up, the colleague has the caller; the contact goes to the colleague."""
    if call.state != CallState.ANSWERED or call.agent is None:
        raise Conflict(_("Alleen een gesprek dat nu loopt kunt u doorverbinden."), field="call")
    if call.agent_id == to_agent.pk:
        raise Invalid(_("Kies een collega, niet wie het gesprek al heeft."), field="to_user")
    if not to_agent.is_active:
        raise Invalid(_("Deze collega kan niet inloggen."), field="to_user")
    adapter = _send_transfer(call, call.agent, to_agent)
    if call.contact is not None:
        text = note.strip() or _("Warm doorverbonden door %(name)s.") % {
            "name": call.agent.display_name or call.agent.get_username()
        }
        contact_handling.contact_transfer(contact=call.contact, actor=actor, to_agent=to_agent, note=text)
    _audit(
        "call.transfer",
        actor,
        source,
        "call",
        call.call_id,
        customer_id=str(call.customer_id or ""),
        to_agent=to_agent.get_username(),
        adapter=adapter.name,
    )
    return call
