"""The demo's chat: a widget for the demo organisation's own website (allowed on the desk itself, so
`/widget/demo/` works on one machine) and a few live chats waiting in the queue, each started as a
visitor's widget would: a customer the website signed in (recognised at once), a visitor who left a
name and e-mail (kept, not trusted), and an English visitor."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from gezien.accounts.models import Team
from gezien.chat.identity import identity_hash
from gezien.chat.models import ChatWidget
from gezien.chat.selectors import DEMO_WIDGET_KEY
from gezien.chat.services import message_send, session_start, widget_create
from gezien.customers.models import Identity
from gezien.desksettings.store import desk_setting
from gezien.mail.models import Mailbox

TEAM = "Team Noord"
MAILBOX = "klantenservice"


def _origins() -> list[str]:
    base = urlsplit(str(desk_setting("base_url")))
    own = f"{base.scheme}://{base.netloc}" if base.scheme and base.netloc else ""
    return list(dict.fromkeys(o for o in (own, "http://127.0.0.1:8000", "http://localhost:8000") if o))


def _signed_in_email() -> str | None:
    """An everyday customer's address (past the showcase stories), for the signed-in visitor."""
    emails = (
        Identity.objects.filter(kind="email").order_by("customer_id", "id").values_list("value", flat=True)
    )
    found = list(emails[40:41]) or list(emails[:1])
    return found[0] if found else None


def load_chat_demo() -> int:
    """The demo widget and its waiting chats; nothing when the widget is there. Returns the chats."""
    if ChatWidget.objects.filter(key=DEMO_WIDGET_KEY).exists():
        return 0
    widget = widget_create(
        name="Voorbeeld Telecom website",
        key=DEMO_WIDGET_KEY,
        allowed_origins=_origins(),
        team=Team.objects.filter(name=TEAM).first(),
        mailbox=Mailbox.objects.filter(name=MAILBOX).first(),
        greeting="Hoi! Waar kunnen we je mee helpen?",
        greeting_en="Hi! How can we help?",
    ).widget
    chats: list[tuple[dict[str, Any], list[str]]] = []
    email = _signed_in_email()
    if email:
        signed = {"email": email, "hash": identity_hash(widget.secret, email)}
        chats.append(
            (
                {"language": "nl", "identity": signed},
                [
                    "Hoi! Mijn nieuwe modem is vanochtend bezorgd, maar het lampje blijft oranje knipperen.",
                    "Moet ik nog iets activeren? Ik heb om twee uur een belangrijke videocall.",
                ],
            )
        )
    chats.append(
        (
            {"language": "nl", "name": "Fatima el Amrani", "email": "fatima.elamrani@voorbeeld.example"},
            ["Goedemiddag, ik verhuis op 1 februari naar Utrecht. Kan ik mijn abonnement meenemen?"],
        )
    )
    chats.append(
        (
            {"language": "en", "name": "James"},
            ["Hi, I just moved to Amsterdam. Do you offer fibre at 1012 AB? I don't speak Dutch yet, sorry!"],
        )
    )
    for start, lines in chats:
        session = session_start(widget=widget, **start).session
        for line in lines:
            message_send(session=session, text=line)
    return len(chats)
