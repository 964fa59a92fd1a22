"""What the desk's views share: permission checks and turning domain errors into form errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from gezien.accounts.http import current_user
from gezien.audit.log import audit_from_request
from gezien.core.errors import DomainError

if TYPE_CHECKING:
    from gezien.accounts.models import User


Check = Callable[[Any], bool]  # a signed-in person (or AnonymousUser) -> may they?
View = Callable[..., HttpResponse]


def view_allows(view: Callable[..., object], user: Any) -> bool:
    """Whether `view` lets `user` in, by the rule its decorators declared (`requires`, `allowed_when`).
    The navigation and the landing page ask this, so that no menu item answers 403."""
    check: Check | None = getattr(view, "allows", None)
    return check is None or check(user)


def allowed_when(check: Check) -> Callable[[View], View]:
    """Declare the rule a view refuses people by (it still refuses them itself, usually with a reason);
    combined with the rules of the decorators below it."""

    def decorate(view: View) -> View:
        inner: Check | None = getattr(view, "allows", None)
        view.allows = check if inner is None else (lambda user: check(user) and inner(user))  # type: ignore[attr-defined]
        return view

    return decorate


def requires(perm: str) -> Callable[[View], View]:
    """Refuse (403) people whose role lacks `perm`; login itself is enforced by middleware."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(perm):
                raise PermissionDenied(_("Uw rol mag dit niet."))
            return view(request, *args, **kwargs)

        # The permissions a view declares, outermost last (tests/test_endpoint_roles.py reads them).
        wrapped.required_perms = (*getattr(view, "required_perms", ()), perm)  # type: ignore[attr-defined]
        return allowed_when(lambda user: user.has_perm(perm))(wrapped)

    return decorate


def apply(request: HttpRequest, form: Form | None, action: Callable[[], object]) -> bool:
    """Run a service call; a domain error lands on the form field (or as a message). True on success."""
    try:
        action()
    except DomainError as exc:
        if form is not None:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
        else:
            messages.error(request, exc.message)
        return False
    return True


def redirect_next(request: HttpRequest, default: str) -> HttpResponse:
    """Go back where the form came from (`next`), but only within this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = default
    return HttpResponseRedirect(target or default)


def actor(request: HttpRequest) -> User:
    """The logged-in person (the middleware and `requires` have made sure there is one)."""
    return current_user(request)


def submit(
    request: HttpRequest,
    form: Form,
    action: Callable[[dict[str, Any]], object],
    *,
    done: Callable[[], HttpResponse],
    again: Callable[[Form], HttpResponse],
    audit: Callable[[], object] | None = None,
) -> HttpResponse:
    """Every desk form post: validate, run one service, then go on (`done`) or show the form `again`.
    `audit`: what to write to the audit log once the service succeeded (`gezien.audit.log.audit_contact`)."""
    if form.is_valid() and apply(request, form, lambda: action(form.cleaned_data)):
        if audit is not None:
            audit()
        return done()
    return again(form)


def audited_setting(object_type: str, key: str | None = None) -> Callable[[View], View]:
    """Record "settings.change" in the audit log when a settings form post succeeded (the desk answers a
    saved form with a redirect, a refused one with the form again): one entry, the object's id from the
    view's keyword `key`, never the values."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if request.method == "POST" and 300 <= response.status_code < 400:
                audit_from_request(
                    request,
                    action="settings.change",
                    object_type=object_type,
                    object_id=str(kwargs.get(key, "")) if key else "",
                    details={"view": view.__name__},
                )
            return response

        return wrapped

    return decorate
