"""/api/tokens: people manage their own API tokens; admins may manage anyone's."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.accounts.models import ApiToken
from gezien.accounts.tokens import token_create, token_revoke
from gezien.api.auth import require_perm
from gezien.api.common import DbId, find_or_404
from gezien.api.input import In

router = Router(tags=["tokens"])


class TokenIn(In):
    name: str = Field(default="", max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str


@router.get("", response=list[TokenOut])
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    require_perm(request, "contacts.view_contact")
    return list(ApiToken.objects.filter(user=current_user(request)))


@router.post("", response={201: TokenCreatedOut})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[Any]:
    """Create a token for yourself; the token is shown in this answer only."""
    require_perm(request, "contacts.view_contact")
    record, token = token_create(user=current_user(request), name=payload.name)
    return Status(201, {**TokenOut.from_orm(record).model_dump(), "token": token})


@router.delete("/{token_id}", response=TokenOut)
def revoke_token(request: HttpRequest, token_id: DbId) -> ApiToken:
    tokens = ApiToken.objects.all()
    if not request.user.has_perm("accounts.manage_users"):
        tokens = tokens.filter(user=current_user(request))
    return token_revoke(token=find_or_404(tokens, token_id, _("Onbekend token.")))
