"""XOAUTH2 against the test Dovecot, whose oauth2 passdb asks the test's token server whose a token is:
a fixed access token from the environment, and one refreshed from a refresh token (rotated, cached)."""

from __future__ import annotations

import pytest

from gezien.mail.imap import fetch_once
from gezien.mail.models import InboundMail, Mailbox
from tests.mail.dovecot import Account, Dovecot
from tests.mail.test_imap import customer_mail


def oauth_mailbox(account: Account, name: str) -> Mailbox:
    url = f"imap://{account.user}@127.0.0.1:{account.server.port}/INBOX?auth=xoauth2"
    return Mailbox.objects.create(name=name, address=f"{name}@gezien.example", imap_url=url)


def env_name(mailbox: str, what: str) -> str:
    return f"GEZIEN_MAIL_{mailbox.upper().replace('-', '_')}_IMAP_{what}"


def test_an_access_token_from_the_environment_signs_in(
    db: None, dovecot: Dovecot, imap_account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    dovecot.tokens.access["vaste-toegang"] = imap_account.user
    monkeypatch.setenv(env_name("m365-vast", "TOKEN"), "vaste-toegang")
    imap_account.append(customer_mail())
    mailbox = oauth_mailbox(imap_account, "m365-vast")

    report = fetch_once(mailbox)

    assert report.error == "" and len(report.results) == 1
    assert InboundMail.objects.get().mailbox == mailbox


def test_a_refused_token_is_recorded_on_the_mailbox(
    db: None, imap_account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(env_name("m365-verlopen", "TOKEN"), "verlopen-toegang")
    imap_account.append(customer_mail())
    mailbox = oauth_mailbox(imap_account, "m365-verlopen")

    report = fetch_once(mailbox)

    assert "Aanmelden geweigerd" in report.error and report.results == []
    mailbox.refresh_from_db()
    assert "Aanmelden geweigerd" in mailbox.fetch_error
    assert InboundMail.objects.count() == 0


def refresh_environment(
    monkeypatch: pytest.MonkeyPatch, dovecot: Dovecot, account: Account, name: str
) -> None:
    client_id, secret, refresh = dovecot.tokens.client(account.user)
    for what, value in {
        "TOKEN_URL": f"{dovecot.tokens.url}/token",
        "CLIENT_ID": client_id,
        "CLIENT_SECRET": secret,
        "REFRESH_TOKEN": refresh,
    }.items():
        monkeypatch.setenv(env_name(name, what), value)


def test_a_refresh_token_gets_an_access_token_once_until_it_nearly_expires(
    db: None, dovecot: Dovecot, imap_account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    refresh_environment(monkeypatch, dovecot, imap_account, "workspace")
    monkeypatch.setattr(dovecot.tokens, "expires_in", 3600)
    imap_account.append(customer_mail("Eerste"))
    mailbox = oauth_mailbox(imap_account, "workspace")
    issued_before = len(dovecot.tokens.issued)

    assert len(fetch_once(mailbox).results) == 1
    imap_account.append(customer_mail("Tweede"))
    second = fetch_once(mailbox)

    assert second.error == "" and len(second.results) == 1
    assert len(dovecot.tokens.issued) == issued_before + 1  # the second round used the cached token


def test_an_expiring_token_is_refreshed_with_the_rotated_refresh_token(
    db: None, dovecot: Dovecot, imap_account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    refresh_environment(monkeypatch, dovecot, imap_account, "m365-roteert")
    monkeypatch.setattr(
        dovecot.tokens, "expires_in", 30
    )  # within the minute before expiry: refresh each time
    monkeypatch.setattr(dovecot.tokens, "rotate", True)  # and the first refresh token is then no longer valid
    imap_account.append(customer_mail("Eerste"))
    mailbox = oauth_mailbox(imap_account, "m365-roteert")
    issued_before = len(dovecot.tokens.issued)

    assert fetch_once(mailbox).error == ""
    imap_account.append(customer_mail("Tweede"))
    second = fetch_once(mailbox)

    assert second.error == "" and len(second.results) == 1
    assert len(dovecot.tokens.issued) == issued_before + 2


def test_a_refused_refresh_token_is_recorded(
    db: None, dovecot: Dovecot, imap_account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    refresh_environment(monkeypatch, dovecot, imap_account, "m365-ingetrokken")
    monkeypatch.setenv(env_name("m365-ingetrokken", "REFRESH_TOKEN"), "ingetrokken")
    mailbox = oauth_mailbox(imap_account, "m365-ingetrokken")

    report = fetch_once(mailbox)

    assert "token-adres antwoordde 400" in report.error and "invalid_grant" in report.error
    mailbox.refresh_from_db()
    assert "invalid_grant" in mailbox.fetch_error


def test_an_app_only_client_gets_its_token_with_client_credentials(
    db: None, dovecot: Dovecot, imap_account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    client_id, secret, _none = dovecot.tokens.client(imap_account.user, refresh=False)
    name = "m365-app"
    monkeypatch.setenv(env_name(name, "TOKEN_URL"), f"{dovecot.tokens.url}/token")
    monkeypatch.setenv(env_name(name, "CLIENT_ID"), client_id)
    monkeypatch.setenv(env_name(name, "CLIENT_SECRET"), secret)
    monkeypatch.setenv(env_name(name, "SCOPE"), "https://outlook.office365.com/.default")
    imap_account.append(customer_mail())

    report = fetch_once(oauth_mailbox(imap_account, name))

    assert report.error == "" and len(report.results) == 1
