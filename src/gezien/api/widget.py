"""The chat widget's customer API at /widget/api/v1/ (docs/chat.md): a NinjaAPI of its own beside the
staff API, since its callers are website visitors, not desk users.

- No cookies and no CSRF: a session is `Authorization: Bearer TOKEN` (the event stream and file
  downloads also take `?token=`, as EventSource and a link cannot set headers).
- CORS only for the widget's allowed origins (preflight too). A browser's request names its page's
  origin; one the widget does not allow is refused (403), whatever CORS would let the page read.
- Errors have the project's body `{"detail": [{"loc", "msg", "type"}]}`; 429 carries `Retry-After`.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable
from typing import Annotated, Any, Literal

from asgiref.sync import sync_to_async
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import RequestDataTooBig
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver, path, re_path
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import Field

from gezien.api.attachments import upload_single
from gezien.api.common import MAX_ID, DbId
from gezien.api.input import In, StrictParser, refuse_unknown, unknown_error
from gezien.api.main import (
    domain_error,
    http_error,
    not_found,
    not_found_under_api,
    server_error,
    too_big,
    validation_error,
)
from gezien.api.schemas import error_body
from gezien.chat import selectors, services
from gezien.chat.limits import TooBig, TooMany, rate_check
from gezien.chat.models import ChatSession, ChatWidget
from gezien.contacts.attachments import attachment_response, size_human
from gezien.contacts.models import Attachment, MessageKind
from gezien.contacts.models import Status as ContactStatus
from gezien.core.errors import Conflict, DomainError, Forbidden, NotFound
from gezien.core.live import last_event_id_from, live_response
from gezien.insights.surveys.services import chat_survey_url

PREFIX = "widget/api/v1/"
MessageId = Annotated[int, Field(ge=0, le=MAX_ID)]
ALLOWED_HEADERS = "Authorization, Content-Type, Last-Event-ID"
EXPOSED_HEADERS = "Retry-After"


# --- who is asking -----------------------------------------------------------------------------------------


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address (`REMOTE_ADDR`; behind a proxy, have it set the real one), or None."""
    raw = str(request.META.get("REMOTE_ADDR") or "")
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:  # a Unix socket, or nothing
        return None


def _origin(request: HttpRequest) -> str | None:
    return request.headers.get("Origin") or None


def _check_origin(request: HttpRequest, widget: ChatWidget) -> None:
    request.chat_widget = widget  # type: ignore[attr-defined]  # for the CORS answer
    if not selectors.origin_allowed(widget, _origin(request)):
        raise Forbidden(_("Deze website mag deze chat niet gebruiken."), field="Origin")


def _token_of(request: HttpRequest, *, query: bool) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.GET.get("token", "") if query else ""


def _session_of(request: HttpRequest, token: str) -> ChatSession | None:
    session = selectors.session_by_token(token)
    if session is not None:
        _check_origin(request, session.widget)
        request.chat_session = session  # type: ignore[attr-defined]
    return session


class SessionToken(HttpBearer):
    """A chat session's token: `Authorization: Bearer TOKEN` (with `query`, also `?token=`)."""

    def __init__(self, *, query: bool = False) -> None:
        super().__init__()
        self.query = query
        self.query_params = ("token",) if query else ()  # allowed beside the operation's (api.input)

    def __call__(self, request: HttpRequest) -> ChatSession | None:
        token = _token_of(request, query=self.query)
        return _session_of(request, token) if token else None

    def authenticate(self, request: HttpRequest, token: str) -> ChatSession | None:
        return _session_of(request, token)


def _session(request: HttpRequest) -> ChatSession:
    session = request.auth  # type: ignore[attr-defined]
    assert isinstance(session, ChatSession)
    return session


widget_api = NinjaAPI(
    title="Gezien chat widget API",
    version="1",
    description="What the chat widget on a website calls: docs/chat.md.",
    auth=SessionToken(),
    docs_decorator=login_required,
    urls_namespace="widget_api",
    parser=StrictParser(),
)


# --- errors: the staff API's handlers, with this API's own 401 and 429 --------------------------------------

_HANDLERS: tuple[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]], ...] = (
    (DomainError, domain_error),
    (ValidationError, validation_error),
    (RequestDataTooBig, too_big),
    (Http404, not_found),
    (HttpError, http_error),
    (Exception, server_error),
)
for _error_class, _handler in _HANDLERS:
    widget_api.add_exception_handler(_error_class, _handler)


@widget_api.exception_handler(AuthenticationError)
def no_session(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = error_body(_("Geen geldige chatsessie."), loc=["header", "Authorization"], kind="Unauthenticated")
    return widget_api.create_response(request, body, status=401)


@widget_api.exception_handler(TooMany)
def too_many(request: HttpRequest, exc: TooMany) -> HttpResponse:
    response = domain_error(request, exc)
    response["Retry-After"] = str(exc.retry_after)
    return response


# --- shapes ------------------------------------------------------------------------------------------------


class ChatAttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str = Field(description="on the desk's origin; add ?token=TOKEN")


class ChatMessageOut(Schema):
    id: int
    from_: Literal["customer", "agent", "system"] = Field(alias="from")
    name: str
    text: str
    at: str
    attachments: list[ChatAttachmentOut]


class MessageWrapOut(Schema):
    message: ChatMessageOut


class ChatAgentOut(Schema):
    name: str


class ConfigOut(Schema):
    name: str
    greeting: str
    languages: list[str]
    open: bool
    agents_available: bool
    expected_reply: str
    max_message_chars: int
    max_file_bytes: int
    accept: list[str]


class SignedIdentityIn(In):
    user_id: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    hash: str = Field(
        max_length=128, description="hex HMAC-SHA256 of user_id or email with the widget secret"
    )


class SessionIn(In):
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    language: Literal["nl", "en"] = "nl"
    page_url: str | None = Field(default=None, max_length=2000)
    identity: SignedIdentityIn | None = None


class ConversationOut(Schema):
    id: int
    status: str
    survey_url: str | None = None


class SessionOut(Schema):
    token: str
    conversation: ConversationOut | None


class TextIn(In):
    text: str


class MessagesOut(Schema):
    messages: list[ChatMessageOut]
    agent: ChatAgentOut | None
    status: str | None
    read_up_to: int
    survey_url: str | None = None


class ReadIn(In):
    up_to: MessageId


class TranscriptIn(In):
    email: str | None = Field(default=None, max_length=320)


class CloseOut(Schema):
    conversation: ConversationOut | None


def _conversation(session: ChatSession) -> dict[str, Any] | None:
    contact = session.contact
    if contact is None:
        return None
    return {"id": contact.pk, "status": contact.status, "survey_url": _survey_url(contact.pk, contact.status)}


def _survey_url(contact_id: int, status: str | None) -> str | None:
    """A closed chat's survey link (the survey rules decide whether there is one)."""
    return chat_survey_url(contact_id) if status == ContactStatus.CLOSED else None


# --- endpoints ---------------------------------------------------------------------------------------------


def _widget(request: HttpRequest, key: str) -> ChatWidget:
    widget = selectors.widget_by_key(key[:40])
    if widget is None:
        raise NotFound(_("Deze chat bestaat niet."), field="key")
    _check_origin(request, widget)
    return widget


@widget_api.get("/{key}/config", response=ConfigOut, auth=None)
def config(request: HttpRequest, key: str, lang: Literal["nl", "en"] = "nl") -> dict[str, Any]:
    """What the widget shows before a session: name, greeting, open or not and when to expect an answer."""
    widget = _widget(request, key)
    return selectors.widget_config(widget, language=lang)


@widget_api.post("/{key}/sessions", response={201: SessionOut}, auth=None)
def session_start(request: HttpRequest, key: str, body: SessionIn) -> Status[Any]:
    """A new session; its token is shown once. A signed identity with a wrong hash: 403."""
    widget = _widget(request, key)
    address = client_address(request)
    if address:
        rate_check("address", address, widget.address_rate)
    started = services.session_start(
        widget=widget,
        language=body.language,
        name=body.name or "",
        email=body.email or "",
        page_url=body.page_url or "",
        identity=body.identity.model_dump() if body.identity is not None else None,
        client_address=address,
    )
    return Status(201, {"token": started.token, "conversation": _conversation(started.session)})


def _message_out(message: Any, session: ChatSession) -> dict[str, Any]:
    return {"message": selectors.message_out(message, session.name)}


@widget_api.post("/messages", response={201: MessageWrapOut}, by_alias=True)
def message_send(request: HttpRequest, body: TextIn) -> Status[Any]:
    """The customer's message; the first opens the chat contact (waiting in the queue when nobody is
    available). Longer than the widget allows: 413."""
    session = _session(request)
    message = services.message_send(session=session, text=body.text, client_address=client_address(request))
    return Status(201, _message_out(message, session))


def _file_too_big(widget: ChatWidget) -> Callable[[int | None], DomainError]:
    def refuse(size: int | None) -> DomainError:
        limit = size_human(widget.max_file_bytes)
        return TooBig(
            _("Het bestand is te groot; het maximum is %(limit)s.") % {"limit": limit}, field="file"
        )

    return refuse


@widget_api.post(
    "/attachments",
    response={201: MessageWrapOut},
    by_alias=True,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "text": {"type": "string"},
                        },
                        "required": ["file"],
                    }
                }
            },
        }
    },
)
def attachment_send(request: HttpRequest) -> Status[Any]:
    """A file (multipart `file`, optional `text`): a picture, PDF or document up to the widget's limit
    (413 over it; 422 for another kind of file)."""
    session = _session(request)
    upload = upload_single(
        request, limit=session.widget.max_file_bytes, refuse=_file_too_big(session.widget), fields=("text",)
    )
    message = services.attachment_send(
        session=session,
        data=upload.read(),
        filename=upload.name or "",
        content_type=upload.content_type or "",
        text=request.POST.get("text", ""),
        client_address=client_address(request),
    )
    return Status(201, _message_out(message, session))


@widget_api.get("/messages", response=MessagesOut, by_alias=True)
def messages(request: HttpRequest, after: MessageId | None = None) -> dict[str, Any]:
    """The conversation's public messages after `after` (all without), the agent, status and read mark."""
    session = _session(request)
    state = selectors.conversation_state(session)
    survey = _survey_url(session.contact_id or 0, state["status"])
    return {"messages": selectors.messages_after(session, after), **state, "survey_url": survey}


@widget_api.post("/typing", response={204: None})
def typing(request: HttpRequest) -> Status[None]:
    services.typing_tell(session=_session(request), client_address=client_address(request))
    return Status(204, None)


@widget_api.post("/read", response={204: None})
def read(request: HttpRequest, body: ReadIn) -> Status[None]:
    services.read_mark(session=_session(request), up_to=body.up_to)
    return Status(204, None)


@widget_api.post("/transcript", response={202: None})
def transcript(request: HttpRequest, body: TranscriptIn | None = None) -> Status[None]:
    """Mail the conversation (to `email`, else the session's address) through the widget's mailbox."""
    services.transcript_send(
        session=_session(request),
        email=(body.email if body is not None else None) or "",
        client_address=client_address(request),
    )
    return Status(202, None)


@widget_api.post("/close", response=CloseOut)
def close(request: HttpRequest) -> dict[str, Any]:
    """The customer ends the chat: the contact closes (and the survey rules apply)."""
    session = _session(request)
    services.chat_close(session=session)
    return {"conversation": _conversation(session)}


@widget_api.get("/attachments/{attachment_id}", auth=SessionToken(query=True), response={200: None})
def attachment_download(request: HttpRequest, attachment_id: DbId) -> FileResponse:
    """A file of this conversation (its public messages only), always as a download."""
    session = _session(request)
    found = Attachment.objects.filter(
        pk=attachment_id,
        contact_id=session.contact_id or 0,
        message__kind=MessageKind.MESSAGE,
        message__author__in=selectors.PUBLIC_AUTHORS,
    ).first()
    if found is None:
        raise NotFound(_("Deze bijlage bestaat niet."))
    response = attachment_response(found)
    response["Cross-Origin-Resource-Policy"] = "cross-origin"  # the widget runs on the website's origin
    return response


# --- the event stream (an async view: under ASGI an open stream holds no thread) ----------------------


def _json_error(request: HttpRequest, exc: DomainError | None) -> HttpResponse:
    if exc is None:
        return no_session(request, AuthenticationError())
    return domain_error(request, exc)


# What the event stream reads from its query (an EventSource cannot set headers); anything else: 422.
_EVENTS_QUERY = frozenset({"token", "last_event_id"})


async def events(request: HttpRequest) -> HttpResponseBase:
    """`GET /widget/api/v1/events?token=TOKEN`: server-sent events of the conversation (`chat.{id}`:
    message, typing, read, status); a reconnect catches up from `Last-Event-ID`. Before the first
    message there is no conversation yet: 409 (open the stream once `POST /messages` answered)."""
    if request.method == "OPTIONS":
        return await sync_to_async(_preflight)(request, None)
    if request.method != "GET":
        return await sync_to_async(_json_error)(request, NotFound(_("Niet gevonden.")))
    unknown = [unknown_error("query", name) for name in request.GET if name not in _EVENTS_QUERY]
    if unknown:
        answer = await sync_to_async(validation_error)(request, ValidationError(unknown))
        return await sync_to_async(_cors_answer)(request, answer)
    token = _token_of(request, query=True)
    try:
        session = await sync_to_async(_session_of)(request, token) if token else None
    except DomainError as exc:
        return await sync_to_async(_cors_answer)(request, _json_error(request, exc))
    if session is None:
        return await sync_to_async(_cors_answer)(request, _json_error(request, None))
    if session.contact_id is None:
        refusal = Conflict(_("Er is nog geen gesprek; stuur eerst een bericht."), field="token")
        return await sync_to_async(_cors_answer)(request, _json_error(request, refusal))
    response = live_response(
        [f"chat.{session.contact_id}"],
        last_event_id=last_event_id_from(request),
        catch_up=selectors.catch_up_for(session),
    )
    return await sync_to_async(_cors_answer)(request, response)


# --- CORS ---------------------------------------------------------------------------------------------


def _allowed(request: HttpRequest, key: str | None) -> bool:
    origin = _origin(request)
    if origin is None:
        return False
    widget = getattr(request, "chat_widget", None)
    if widget is None and key:
        widget = selectors.widget_by_key(key[:40])
    if widget is not None:
        return selectors.origin_allowed(widget, origin)
    return origin in selectors.origins_all()


def _cors_answer(
    request: HttpRequest, response: HttpResponseBase, key: str | None = None
) -> HttpResponseBase:
    if _allowed(request, key):
        response["Access-Control-Allow-Origin"] = _origin(request) or ""
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    patch_vary_headers(response, ["Origin"])
    return response


def _preflight(request: HttpRequest, key: str | None) -> HttpResponse:
    response = HttpResponse(status=204)
    if _allowed(request, key):
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response["Access-Control-Max-Age"] = "600"
    _cors_answer(request, response, key)
    return response


def _cors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Answer the preflight; give a response the CORS headers its widget's origins allow; keep a wrong
    method's answer in the error body (405)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = kwargs.get("key")
        if request.method == "OPTIONS":
            return _preflight(request, key)
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allow = response.get("Allow", "")
            response = widget_api.create_response(
                request,
                error_body(_("Deze methode kan hier niet."), loc=["method"], kind="MethodNotAllowed"),
                status=405,
            )
            response["Allow"] = allow
        return _cors_answer(request, response, key)

    return login_not_required(wrapped)


def widget_urls() -> list[URLPattern | URLResolver]:
    """The URL patterns under /widget/api/v1/: the event stream, then the API's operations."""
    patterns, app_name, namespace = widget_api.urls
    refuse_unknown(widget_api)
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name not in ("openapi-json", "openapi-view"):
            pattern.callback = _cors(pattern.callback)
    stream = login_not_required(csrf_exempt(events))
    return [
        path(f"{PREFIX}events", stream, name="widget_events"),
        path(PREFIX, (patterns, app_name, namespace)),
        re_path(r"^widget/api/", _cors(csrf_exempt(not_found_under_api))),  # unknown paths: a JSON 404
    ]
