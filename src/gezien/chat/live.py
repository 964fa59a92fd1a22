"""What the chat tells as it happens: to the customer's widget (`chat.{id}`: message, typing, read,
status) and to the desk (`contact.{id}` typing from the customer). Every event is sent after its
transaction commits (`gezien.core.live`); messages carry their id, so a widget that reconnects catches
up from the database and shows nothing twice.

Registered in `ChatConfig.ready()`: the sender for channel `chat` (an agent's reply), the desk's typing
and read hooks, and a listener on changed contacts (closed or taken in the desk)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import User
from gezien.chat.models import ChatSession
from gezien.chat.selectors import agent_name, agent_of, message_out
from gezien.contacts.attachments import attachments_link
from gezien.contacts.models import Channel, Contact, Delivery, DeliveryStatus, Message, MessageKind
from gezien.contacts.sending import ReplyExtras
from gezien.core.errors import Invalid
from gezien.core.live import live_publish
from gezien.core.prepared import IdsQuery


def chat_topic(contact_id: int) -> str:
    return f"chat.{contact_id}"


def message_published(message: Message, customer_name: str = "") -> None:
    """A public message reaches the widget (notes never do)."""
    if message.kind != MessageKind.MESSAGE:
        return
    live_publish(
        chat_topic(message.contact_id), "message", message_out(message, customer_name), event_id=message.pk
    )


def status_published(contact: Contact) -> None:
    live_publish(chat_topic(contact.pk), "status", {"status": contact.status, "agent": agent_of(contact)})


def survey_shown_in_chat(contact_id: int, survey_url: str) -> None:
    """A closed chat's survey link reaches the customer's widget."""
    live_publish(chat_topic(contact_id), "status", {"status": "closed", "survey_url": survey_url})


_STATUS_AND_AGENT = IdsQuery(
    lambda ids: Contact.objects.filter(pk__in=ids).values_list("status", "assigned_agent_id")
)


def status_tell(session: ChatSession) -> None:
    """Tell the widget the contact's status and agent when they changed since it was last told. This
    runs with every chat message and they rarely have: a prepared look at the two columns first, and
    the contact with its agent (a query the ORM compiles anew each time, ~1 ms of CPU) only when needed."""
    if session.contact_id is None:
        return
    found = _STATUS_AND_AGENT.rows([session.contact_id])
    if not found or (found[0][0] == session.told_status and found[0][1] == session.told_agent_id):
        return
    contact = Contact.objects.select_related("assigned_agent").filter(pk=session.contact_id).first()
    if contact is not None:
        _status_tell(session, contact)


def _status_tell(session: ChatSession, contact: Contact) -> None:
    """`status_tell` with the session's contact (and its agent) as just read."""
    if contact.status == session.told_status and contact.assigned_agent_id == session.told_agent_id:
        return
    ChatSession.objects.filter(pk=session.pk).update(
        told_status=contact.status, told_agent_id=contact.assigned_agent_id
    )
    session.told_status, session.told_agent_id = contact.status, contact.assigned_agent_id
    status_published(contact)


def customer_typing(contact_id: int) -> None:
    """The desk shows that the customer types."""
    live_publish(f"contact.{contact_id}", "typing", {"from": "customer"})


# --- registered in ChatConfig.ready() -------------------------------------------------------------------


def chat_reply(message: Message, extras: ReplyExtras) -> None:
    """The sender for channel `chat`, inside the reply's transaction: its files go with it, it is
    delivered (stored where the widget reads it; published to the widget once it commits)."""
    if extras.cc:
        raise Invalid(_("Een chatantwoord heeft geen CC."), field="cc")
    if extras.attachments:
        attachments_link(
            contact=message.contact, message=message, attachment_ids=[a.pk for a in extras.attachments]
        )
    now = timezone.now()
    Delivery.objects.create(
        message=message, channel=Channel.CHAT, status=DeliveryStatus.SENT, sent_at=now, attempts=1
    )
    message_published(message)
    session = ChatSession.objects.filter(contact_id=message.contact_id).first()
    if session is not None:
        status_tell(session)


def agent_typing(contact: Contact, agent: User) -> None:
    live_publish(chat_topic(contact.pk), "typing", {"from": "agent", "name": agent_name(agent)})


def agent_read(contact: Contact, up_to_message_id: int) -> None:
    """An agent has read up to this message: kept (never going back) and shown in the widget."""
    updated = ChatSession.objects.filter(contact_id=contact.pk, agent_read_up_to__lt=up_to_message_id).update(
        agent_read_up_to=up_to_message_id
    )
    if updated:
        live_publish(chat_topic(contact.pk), "read", {"up_to": up_to_message_id})


_CHAT_SESSIONS = IdsQuery(
    lambda ids: ChatSession.objects.filter(contact_id__in=ids, contact__channel=Channel.CHAT).values_list(
        "pk"
    )
)


def contacts_told(contact_ids: list[int]) -> None:
    """Listener on changed contacts: a chat closed, reopened, taken or transferred in the desk."""
    found = _CHAT_SESSIONS.column(contact_ids)  # prepared: most batches hold no chat at all
    if not found:
        return
    sessions = ChatSession.objects.filter(pk__in=found).select_related("contact__assigned_agent")
    for session in sessions:  # one query for all: this runs after every message
        assert session.contact is not None
        _status_tell(session, session.contact)
