"""Passwords (issue 17): the policy (Django's validators, at least 12 characters for staff), enforced by
`gezien createuser` too; changing one's own in "Mijn account"; a reset by mail through the SMTP server of
the settings."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gezien.accounts.models import User
from gezien.accounts.services import agent_create
from gezien.audit.selectors import audit_entries
from gezien.cli import main
from gezien.core.errors import Invalid
from tests.accounts.signin_helpers import PASSWORD, post_login
from tests.mail.conftest import SmtpReceiver, smtp_receiver  # noqa: F401 (the SMTP server fixture)

pytestmark = pytest.mark.django_db


def test_createuser_refuses_a_weak_password_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["createuser", "baas", "--role", "admin", "--password", "a"]) == 2
    error = capsys.readouterr().err
    assert "te kort" in error and "12 tekens" in error
    assert not User.objects.filter(username="baas").exists()  # nothing half-made


def test_the_minimum_length_depends_on_the_role(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["createuser", "kees", "--password", "elf-tekens!"]) == 0  # an agent: 10 is enough
    assert main(["createuser", "marit", "--role", "manager", "--password", "elf-tekens!"]) == 2
    assert "12 tekens" in capsys.readouterr().err
    assert main(["createuser", "marit", "--role", "manager", "--password", "twaalf-tekens"]) == 0


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("12345678901234", "alleen cijfers"),
        ("password1234", "te algemeen"),
        ("annie.jansen1", "lijkt te veel"),
    ],
)
def test_common_numeric_and_personal_passwords_are_refused(password: str, reason: str) -> None:
    with pytest.raises(Invalid) as refused:
        agent_create(username="annie.jansen", password=password, first_name="Annie", last_name="Jansen")
    assert reason in refused.value.message
    assert refused.value.field == "password"


def test_changing_ones_own_password(client: Client, agent: User) -> None:
    client.force_login(agent)
    page = client.get("/desk/account/")
    assert page.status_code == 200 and "Wachtwoord wijzigen" in page.content.decode()
    refused = client.post(
        "/desk/account/",
        {"old_password": "fout", "new_password1": "nieuw-en-lang-1", "new_password2": "nieuw-en-lang-1"},
    )
    assert refused.status_code == 422
    too_short = client.post(
        "/desk/account/", {"old_password": PASSWORD, "new_password1": "kort", "new_password2": "kort"}
    )
    assert too_short.status_code == 422 and "te kort" in too_short.content.decode()
    done = client.post(
        "/desk/account/",
        {"old_password": PASSWORD, "new_password1": "nieuw-en-lang-1", "new_password2": "nieuw-en-lang-1"},
    )
    assert done["Location"] == "/desk/account/"
    assert client.get("/desk/").status_code == 200  # this session stays signed in
    agent.refresh_from_db()
    assert agent.check_password("nieuw-en-lang-1")


def test_a_reset_by_mail(
    client: Client,
    make_user: Callable[..., User],
    smtp_receiver: SmtpReceiver,  # noqa: F811 (the fixture imported above)
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_receiver.host
    settings.EMAIL_PORT = smtp_receiver.port
    settings.GEZIEN_BASE_URL = "https://desk.voorbeeld.nl"
    user = make_user("marit", "manager")
    user.email = "marit@voorbeeld.nl"
    user.save()
    assert "Wachtwoord vergeten" in client.get("/login/").content.decode()
    response = client.post("/login/reset/", {"email": "marit@voorbeeld.nl"}, HTTP_HOST="127.0.0.1")
    assert response["Location"] == "/login/reset/sent/"
    # an address that is no account gets the same page, and no mail
    assert client.post("/login/reset/", {"email": "niemand@voorbeeld.nl"})["Location"] == "/login/reset/sent/"
    (mail,) = smtp_receiver.wait_for(1)
    assert mail.rcpt_tos == ("marit@voorbeeld.nl",)
    assert mail.mail["Subject"] == "Nieuw wachtwoord voor Gezien"
    body = mail.mail.get_content()
    assert "Iemand (hopelijk u) vroeg om een nieuw wachtwoord" in body
    link = re.search(r"https://desk\.voorbeeld\.nl(/login/reset/[^/\s]+/[^/\s]+/)", body)
    assert link, body
    form = client.get(link[1], follow=True)
    assert form.status_code == 200 and "Nieuw wachtwoord kiezen" in form.content.decode()
    url = form.redirect_chain[-1][0]
    short = client.post(url, {"new_password1": "elf-tekens!", "new_password2": "elf-tekens!"})
    assert "te kort" in short.content.decode()  # a manager's policy
    done = client.post(
        url, {"new_password1": "een-nieuw-wachtwoord", "new_password2": "een-nieuw-wachtwoord"}
    )
    assert done["Location"] == "/login/reset/done/"
    assert post_login(Client(), "marit", "een-nieuw-wachtwoord").status_code == 302
    assert [e.actor_id for e in audit_entries(action="user.password_reset")] == [user.pk]
    # the link works once
    assert "werkt niet" in client.get(link[1], follow=True).content.decode()


def test_reset_mails_are_limited_per_account_and_per_address(
    make_user: Callable[..., User], settings: Any
) -> None:
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GEZIEN_RESET_MAIL_MAX_PER_HOUR = 5
    user = make_user("marit", "manager")
    user.email = "marit@voorbeeld.nl"
    user.save()

    def ask(email: str, address: str) -> str:
        response = Client().post("/login/reset/", {"email": email}, REMOTE_ADDR=address)
        assert response.status_code == 302
        return str(response["Location"])

    # one account, asked from ever other addresses: five mails, then the same page and no mail
    assert {ask("marit@voorbeeld.nl", f"10.0.0.{n}") for n in range(7)} == {"/login/reset/sent/"}
    assert len(mail.outbox) == 5
    # one address asking for ever other accounts (known or not): five, then no mail for anyone
    mail.outbox.clear()
    for n in range(5):
        ask(f"iemand{n}@voorbeeld.nl", "10.0.1.1")
    sanne = make_user("sanne", "agent")
    sanne.email = "sanne@voorbeeld.nl"
    sanne.save()
    assert ask("sanne@voorbeeld.nl", "10.0.1.1") == "/login/reset/sent/"
    assert mail.outbox == []
    assert ask("sanne@voorbeeld.nl", "10.0.1.2") == "/login/reset/sent/"
    assert [m.to for m in mail.outbox] == [["sanne@voorbeeld.nl"]]
    assert audit_entries(action="user.password_reset_limited").count() == 3
