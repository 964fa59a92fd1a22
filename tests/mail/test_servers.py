"""A mailbox's server URLs: what the desk can use, what it refuses, and secrets from the environment."""

import pytest

from gezien.core.errors import Invalid
from gezien.mail.servers import server_parse, xoauth2_string


def test_an_imaps_url_gives_host_port_folder_and_credentials() -> None:
    server = server_parse("imaps://klantenservice%40gezien.nl:geheim@mail.example.nl:993/INBOX", kind="imap")
    assert (server.security, server.host, server.port, server.folder) == (
        "ssl",
        "mail.example.nl",
        993,
        "INBOX",
    )
    assert (server.user, server.password, server.auth) == ("klantenservice@gezien.nl", "geheim", "password")
    assert "geheim" not in server.display()


def test_smtp_with_starttls_defaults_to_the_submission_port() -> None:
    server = server_parse("smtp+starttls://user:pw@smtp.example.nl", kind="smtp")
    assert (server.security, server.port) == ("starttls", 587)


def test_the_password_may_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEZIEN_MAIL_SERVICE_DESK_IMAP_PASSWORD", "uit-de-omgeving")
    server = server_parse("imaps://user@mail.example.nl/Klanten", kind="imap", mailbox="service-desk")
    assert (server.password, server.folder) == ("uit-de-omgeving", "Klanten")


def test_xoauth2_takes_a_token_and_builds_the_sasl_string(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEZIEN_MAIL_M365_SMTP_TOKEN", "tok")
    server = server_parse(
        "smtp+starttls://desk@contoso.nl@smtp.office365.com?auth=xoauth2", kind="smtp", mailbox="m365"
    )
    assert (server.auth, server.password) == ("xoauth2", "tok")
    assert xoauth2_string(server.user, server.password) == b"user=desk@contoso.nl\x01auth=Bearer tok\x01\x01"


def test_a_file_url_is_the_local_receiver_for_outgoing_mail() -> None:
    server = server_parse("file:///srv/gezien/mail", kind="smtp")
    assert (server.security, server.folder) == ("file", "/srv/gezien/mail")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://mail.example.nl", "imap"),
        ("imaps://", "imap"),
        ("file://relative", "smtp"),
        ("imaps://h:99999", "imap"),
        ("smtps://u:p@h?auth=cram", "smtp"),
        ("file:///tmp", "imap"),
    ],
)
def test_unusable_urls_are_refused_with_the_field_named(url: str, kind: str) -> None:
    with pytest.raises(Invalid) as refused:
        server_parse(url, kind=kind)  # type: ignore[arg-type]
    assert refused.value.field == f"{kind}_url"
