"""/api/tokens: people manage their own API tokens; admins may revoke anyone's.

A token is made with scopes (`GET /api/tokens/scopes` lists them), an expiry in days (default
`GEZIEN_TOKEN_DAYS`; 0, never, for administrators only) and optionally a rate limit of its own; a token
used to make another may not hand out more than it holds itself."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.accounts.models import ApiToken
from gezien.accounts.tokens import SCOPE_ALL, scope_names, token_create, token_revoke
from gezien.api.auth import require_perm, token_scopes
from gezien.api.common import DbId, find_or_404
from gezien.api.input import In
from gezien.core.client import client_address

router = Router(tags=["tokens"])


class TokenIn(In):
    name: str = Field(default="", max_length=100)
    scopes: list[str] = Field(default=[SCOPE_ALL], max_length=200)
    days: int | None = Field(default=None, description="days it works; none: the default; 0: never expires")
    rate: str = Field(default="", max_length=20, description='its own limit, e.g. "1200/min"')


class TokenOut(Schema):
    id: int
    owner: str = Field(description="the user name of the person the token acts as")
    name: str
    prefix: str
    scopes: list[str]
    rate: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_owner(obj: ApiToken) -> str:
        return obj.user.get_username()


class TokenCreatedOut(TokenOut):
    token: str


class ScopesOut(Schema):
    scopes: list[str]


@router.get("", response=list[TokenOut])
def list_tokens(request: HttpRequest, everyone: bool = False) -> list[ApiToken]:
    """Your own tokens; `everyone=true`: every person's (administrators, as in the desk)."""
    require_perm(request, "contacts.view_contact")
    tokens = ApiToken.objects.select_related("user")
    if everyone:
        require_perm(request, "accounts.manage_users")
    else:
        tokens = tokens.filter(user=current_user(request))
    return list(tokens.order_by("revoked_at", "-created_at")[:1000])


@router.get("/scopes", response=ScopesOut)
def list_scopes(request: HttpRequest) -> dict[str, list[str]]:
    """The scopes a token may carry: "*" (all its owner may) and "<area>:read" / "<area>:write"."""
    return {"scopes": scope_names()}


@router.post("", response={201: TokenCreatedOut})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[Any]:
    """Create a token for yourself; the token is shown in this answer only."""
    require_perm(request, "contacts.view_contact")
    record, token = token_create(
        user=current_user(request),
        name=payload.name,
        scopes=payload.scopes,
        days=payload.days,
        rate=payload.rate,
        within=token_scopes(request),
        by=current_user(request),
        source=client_address(request),
    )
    record.token = token  # type: ignore[attr-defined]  # shown in this answer only, never stored
    return Status(201, record)


@router.delete("/{token_id}", response=TokenOut)
def revoke_token(request: HttpRequest, token_id: DbId) -> ApiToken:
    tokens = ApiToken.objects.all()
    if not request.user.has_perm("accounts.manage_users"):
        tokens = tokens.filter(user=current_user(request))
    found = find_or_404(tokens, token_id, _("Onbekend token."))
    return token_revoke(token=found, by=current_user(request), source=client_address(request))
