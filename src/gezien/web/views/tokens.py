"""API tokens in the desk: one's own tokens (an administrator sees everyone's), a new one with scopes,
an expiry and a limit (the token is shown once), and revoking one. The API is /api/tokens."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gezien.accounts.models import ApiToken
from gezien.accounts.tokens import MAX_DAYS, SCOPE_ALL, scope_names, token_create, token_revoke
from gezien.core.client import client_address
from gezien.web.views.common import actor, apply, requires, submit

TOKEN_SHOWN = "api_token_shown"  # noqa: S105 -- the session key under which a new token waits, shown once
MANAGE = "accounts.manage_users"


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=100, required=False)
    scopes = forms.MultipleChoiceField(label=gettext_lazy("Scopes"), choices=[])
    days = forms.IntegerField(
        label=gettext_lazy("Geldig (dagen)"),
        min_value=0,
        max_value=MAX_DAYS,
        help_text=gettext_lazy("0: verloopt nooit (alleen voor beheerders)."),
    )
    rate = forms.CharField(
        label=gettext_lazy("Eigen limiet"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Bijvoorbeeld 1200/min; leeg: de standaard (%(rate)s).")
        % {"rate": settings.GEZIEN_TOKEN_RATE},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["scopes"].choices = [(name, name) for name in scope_names()]  # type: ignore[attr-defined]


def _areas() -> list[str]:
    return sorted({name.split(":")[0] for name in scope_names() if name != SCOPE_ALL})


def _tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    """The tokens this person may see and revoke: their own; an administrator's, everyone's."""
    tokens = ApiToken.objects.select_related("user").order_by("revoked_at", "-created_at")
    return tokens if request.user.has_perm(MANAGE) else tokens.filter(user=actor(request))


def _page(request: HttpRequest, form: TokenForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "tokens": list(_tokens(request)[:500]),
        "areas": _areas(),
        "chosen": set(form["scopes"].value() or []),
        "new_token": request.session.pop(TOKEN_SHOWN, None),
        "everyone": request.user.has_perm(MANAGE),
    }
    return render(request, "web/tokens.html", context, status=status)


@requires("contacts.view_contact")
def token_list(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, TokenForm(initial={"days": settings.GEZIEN_TOKEN_DAYS, "scopes": [SCOPE_ALL]}))
    form = TokenForm(request.POST)
    made: list[str] = []

    def done() -> HttpResponse:
        request.session[TOKEN_SHOWN] = made[0]
        return redirect("desk:tokens")

    def create(data: dict[str, object]) -> None:
        _record, token = token_create(
            user=actor(request),
            name=str(data["name"]),
            scopes=data["scopes"],  # type: ignore[arg-type]
            days=int(data["days"]),  # type: ignore[call-overload]
            rate=str(data["rate"]),
            by=actor(request),
            source=client_address(request),
        )
        made.append(token)

    return submit(request, form, create, done=done, again=lambda refused: _page(request, form, status=422))


@requires("contacts.view_contact")
@require_POST
def token_remove(request: HttpRequest, token_id: int) -> HttpResponse:
    found = _tokens(request).filter(pk=token_id).first()
    if found is None:
        raise Http404(_("Dit token bestaat niet."))
    if apply(
        request, None, lambda: token_revoke(token=found, by=actor(request), source=client_address(request))
    ):
        messages.success(request, _("Het token %(p)s… is ingetrokken.") % {"p": found.prefix})
    return redirect("desk:tokens")


urls = [
    path("desk/tokens/", token_list, name="tokens"),
    path("desk/tokens/<id:token_id>/revoke/", token_remove, name="token_revoke"),
]
