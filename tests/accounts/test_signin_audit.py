"""What sign-in writes to the audit log (issue 17, docs/security.md "Sign-in"): user.login,
user.login_failed, user.locked, user.unlocked, user.password_change, user.password_reset,
user.2fa_enabled and user.2fa_disabled, with the client address and no typed username or password."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from gezien.accounts.models import User
from gezien.accounts.twofactor import current_step, factor_begin, totp_at
from gezien.audit.selectors import audit_entries, audit_verify
from gezien.cli import main
from tests.accounts.signin_helpers import PASSWORD, post_login

pytestmark = pytest.mark.django_db


def _actions() -> list[tuple[str, int | None, str, str, dict[str, object]]]:
    return [
        (e.action, e.actor_id, e.source, e.object_id, e.details)
        for e in audit_entries(action="user.").order_by("id")
        if e.action != "user.create"
    ]


def test_failures_the_lock_the_unlock_and_the_sign_in(
    client: Client, agent: User, make_user: Callable[..., User]
) -> None:
    post_login(client, "geen-account-maar-misschien-een-wachtwoord", "x", REMOTE_ADDR="10.1.1.1")
    for _ in range(10):
        post_login(client, "sanne", "fout", REMOTE_ADDR="10.1.1.2")
    admin = make_user("beheer", "admin")
    other = Client()
    other.force_login(admin)
    other.post(f"/desk/users/{agent.pk}/unlock/", REMOTE_ADDR="10.1.1.3")
    post_login(client, "sanne", PASSWORD, REMOTE_ADDR="10.1.1.2")
    found = _actions()
    unknown = found[0]
    assert unknown == (
        "user.login_failed",
        None,
        "10.1.1.1",
        "",
        {"step": "password", "known_account": False},
    )
    failed = [entry for entry in found if entry[0] == "user.login_failed"][1:]
    assert len(failed) == 10
    assert all(
        entry[1:] == (None, "10.1.1.2", str(agent.pk), {"step": "password", "known_account": True})
        for entry in failed
    )
    assert ("user.locked", None, "10.1.1.2", str(agent.pk), {"by": "account"}) in found
    assert ("user.unlocked", admin.pk, "10.1.1.3", str(agent.pk), {"was_locked": True}) in found
    assert found[-1] == ("user.login", agent.pk, "10.1.1.2", str(agent.pk), {"method": "password"})
    text = str(list(audit_entries().values()))
    assert "geen-account-maar" not in text and "fout" not in text
    assert audit_verify() == (True, None)


def test_two_factor_and_passwords(client: Client, agent: User, capsys: pytest.CaptureFixture[str]) -> None:
    client.force_login(agent)
    factor = factor_begin(user=agent)
    client.get("/desk/account/2fa/")
    client.post("/desk/account/2fa/", {"code": totp_at(factor.secret, current_step())})
    client.post(
        "/desk/account/",
        {"old_password": PASSWORD, "new_password1": "nieuw-en-lang-1", "new_password2": "nieuw-en-lang-1"},
    )
    assert main(["reset-2fa", "sanne"]) == 0
    found = [(action, actor, source) for action, actor, source, _id, _details in _actions()]
    assert found == [
        ("user.2fa_enabled", agent.pk, "127.0.0.1"),
        ("user.password_change", agent.pk, "127.0.0.1"),
        ("user.2fa_disabled", None, "cli"),
    ]
