"""/api/widgets: the chat widgets websites embed (admins): list, add, change, remove, a new secret."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from gezien.api.auth import require_perm
from gezien.api.common import DbId, find_or_404, team_by_name
from gezien.api.input import In
from gezien.audit.log import audit_from_request
from gezien.chat import selectors, services
from gezien.chat.identity import secret_env_name, widget_secret
from gezien.chat.models import ChatWidget
from gezien.core.errors import Invalid
from gezien.mail.models import Mailbox

router = Router(tags=["chat"])

LanguageList = list[str]


class WidgetIn(In):
    name: str = Field(max_length=100)
    allowed_origins: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="websites that may embed it, e.g. https://www.example.nl",
    )
    team: str | None = Field(default=None, max_length=100, description="the team whose queue its chats join")
    mailbox: str | None = Field(default=None, max_length=60, description="the mailbox transcripts leave from")
    greeting: str = Field(default="", max_length=300)
    greeting_en: str = Field(default="", max_length=300)
    languages: LanguageList = Field(default_factory=lambda: ["nl", "en"], description="nl and/or en")
    session_rate: int | None = Field(default=None, description="messages per minute per session")
    address_rate: int | None = Field(default=None, description="requests per minute per client address")
    max_message_chars: int | None = None
    max_file_bytes: int | None = None
    active: bool = True


class WidgetPatchIn(In):
    name: str | None = Field(default=None, max_length=100)
    allowed_origins: list[str] | None = Field(default=None, max_length=50)
    team: str | None = Field(default=None, max_length=100, description='"" for none')
    mailbox: str | None = Field(default=None, max_length=60, description='"" for none')
    greeting: str | None = Field(default=None, max_length=300)
    greeting_en: str | None = Field(default=None, max_length=300)
    languages: LanguageList | None = None
    session_rate: int | None = None
    address_rate: int | None = None
    max_message_chars: int | None = None
    max_file_bytes: int | None = None
    active: bool | None = None


class WidgetOut(Schema):
    id: int
    key: str
    name: str
    allowed_origins: list[str]
    team: str | None
    mailbox: str | None
    greeting: str
    greeting_en: str
    languages: list[str]
    session_rate: int
    address_rate: int
    max_message_chars: int
    max_file_bytes: int
    active: bool
    secret_in_environment: bool = Field(description="the secret is read from GEZIEN_CHAT_SECRET_<KEY>")
    secret_env: str = Field(description="the environment variable that may hold the secret")
    embed: str = Field(description="the tag a website adds")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_team(obj: ChatWidget) -> str | None:
        return obj.team.name if obj.team else None

    @staticmethod
    def resolve_mailbox(obj: ChatWidget) -> str | None:
        return obj.mailbox.name if obj.mailbox else None

    @staticmethod
    def resolve_secret_in_environment(obj: ChatWidget) -> bool:
        return bool(widget_secret(obj)) and widget_secret(obj) != obj.secret

    @staticmethod
    def resolve_secret_env(obj: ChatWidget) -> str:
        return secret_env_name(obj.key)

    @staticmethod
    def resolve_embed(obj: ChatWidget) -> str:
        return selectors.embed_snippet(obj)


class WidgetMadeOut(WidgetOut):
    secret: str = Field(description="shown this once: the website signs identities with it")


class SecretOut(Schema):
    secret: str = Field(description="shown this once")


def _mailbox(name: str | None) -> Mailbox | None:
    if not name:
        return None
    found = Mailbox.objects.filter(name=name).first()
    if found is None:
        raise Invalid(_("Onbekende mailbox: %(m)s") % {"m": name[:60]}, field="mailbox")
    return found


def _widget(widget_id: int) -> ChatWidget:
    return find_or_404(selectors.widgets(), widget_id, _("Deze chatwidget bestaat niet."))


@router.get("/widgets", response=list[WidgetOut])
def list_widgets(request: HttpRequest) -> list[ChatWidget]:
    """Every chat widget, with its embed tag (admins)."""
    require_perm(request, "chat.view_chatwidget")
    return list(selectors.widgets())


@router.post("/widgets", response={201: WidgetMadeOut})
def create_widget(request: HttpRequest, payload: WidgetIn) -> Status[Any]:
    """A new widget; its secret is in this answer only."""
    require_perm(request, "chat.add_chatwidget")
    made = services.widget_create(
        name=payload.name,
        allowed_origins=payload.allowed_origins,
        team=team_by_name(payload.team),
        mailbox=_mailbox(payload.mailbox),
        greeting=payload.greeting,
        greeting_en=payload.greeting_en,
        languages=payload.languages,
        session_rate=payload.session_rate,
        address_rate=payload.address_rate,
        max_message_chars=payload.max_message_chars,
        max_file_bytes=payload.max_file_bytes,
        active=payload.active,
    )
    widget = _widget(made.widget.pk)
    widget.secret = made.secret
    audit_from_request(
        request,
        action="settings.change",
        object_type="chat_widget",
        object_id=widget.pk,
        details={"change": "create"},
    )
    return Status(201, widget)


@router.get("/widgets/{widget_id}", response=WidgetOut)
def read_widget(request: HttpRequest, widget_id: DbId) -> ChatWidget:
    require_perm(request, "chat.view_chatwidget")
    return _widget(widget_id)


@router.patch("/widgets/{widget_id}", response=WidgetOut)
def change_widget(request: HttpRequest, widget_id: DbId, payload: WidgetPatchIn) -> ChatWidget:
    """Change the fields given (`team`/`mailbox` `""`: none)."""
    require_perm(request, "chat.change_chatwidget")
    widget = _widget(widget_id)
    services.widget_update(
        widget=widget,
        name=payload.name,
        allowed_origins=payload.allowed_origins,
        team=False if payload.team is None else team_by_name(payload.team),
        mailbox=False if payload.mailbox is None else _mailbox(payload.mailbox),
        greeting=payload.greeting,
        greeting_en=payload.greeting_en,
        languages=payload.languages,
        session_rate=payload.session_rate,
        address_rate=payload.address_rate,
        max_message_chars=payload.max_message_chars,
        max_file_bytes=payload.max_file_bytes,
        active=payload.active,
    )
    audit_from_request(
        request,
        action="settings.change",
        object_type="chat_widget",
        object_id=widget_id,
        details={"change": "update"},
    )
    return _widget(widget_id)


@router.post("/widgets/{widget_id}/secret", response=SecretOut)
def renew_secret(request: HttpRequest, widget_id: DbId) -> dict[str, str]:
    """A new secret: the old one stops signing identities at once."""
    require_perm(request, "chat.change_chatwidget")
    result = {"secret": services.widget_secret_renew(widget=_widget(widget_id))}
    audit_from_request(
        request,
        action="settings.change",
        object_type="chat_widget",
        object_id=widget_id,
        details={"change": "secret_renew"},
    )
    return result


@router.delete("/widgets/{widget_id}", response={204: None})
def delete_widget(request: HttpRequest, widget_id: DbId) -> Status[None]:
    """Remove a widget: websites embedding it show no chat; its chats stay as contacts."""
    require_perm(request, "chat.delete_chatwidget")
    services.widget_delete(widget=_widget(widget_id))
    audit_from_request(
        request,
        action="settings.change",
        object_type="chat_widget",
        object_id=widget_id,
        details={"change": "delete"},
    )
    return Status(204, None)
