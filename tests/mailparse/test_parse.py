"""`parse`: charsets, headers, structure, safe names, and never an exception but MailParseError."""

from __future__ import annotations

import base64
import contextlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gezien.mailparse import MailParseError, html_to_text, parse


def mail(body: bytes, *headers: str) -> bytes:
    head = "\n".join(headers or ("From: Jan <jan@example.nl>", "Subject: Vraag")).encode("utf-8")
    return head + b"\n\n" + body


@pytest.mark.parametrize("raw", [b"", b"   \r\n\t ", b"\x00\x00", b"\n\n\n"])
def test_nothing_that_could_be_a_mail_raises_mail_parse_error(raw):
    with pytest.raises(MailParseError):
        parse(raw)


def test_text_without_headers_is_kept_as_the_text():
    parsed = parse(b"hallo, mijn pakket is niet gekomen")
    assert "mijn pakket is niet gekomen" in parsed.text
    assert parsed.from_address == ""


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise_anything_but_mail_parse_error(raw):
    try:
        parsed = parse(raw)
    except MailParseError:
        return
    assert "\x00" not in parsed.text


mime_line = st.sampled_from([
    b"Content-Type: multipart/mixed; boundary=b", b"Content-Type: text/plain; charset=utf-8",
    b"Content-Type: message/rfc822", b"Content-Transfer-Encoding: base64",
    b"Content-Transfer-Encoding: quoted-printable", b"--b", b"--b--", b"", b"Subject: =?utf-8?B?w6k=?=",
    b"From: \xe9 <a@b.nl>", b"=?x?Q?=ZZ?=", b"Content-Disposition: attachment; filename*=utf-8''%ZZ",
    b"Content-Type: text/html", b"<p>hoi</p><script>x</script>", b"w6k", b"=C3=A9=", b"\x93\x94\x80",
])  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(mime_line, st.binary(max_size=40)), max_size=40))
def test_random_mime_shaped_input_never_raises_anything_but_mail_parse_error(lines):
    with contextlib.suppress(MailParseError):
        parse(b"\n".join(lines))


def test_windows_1252_under_latin1_and_ascii_labels_and_broken_utf8():
    body = "€ 10,– voor het “Premium” pakket, café".encode("cp1252")
    for label in ("iso-8859-1", "us-ascii", "utf-8"):
        parsed = parse(mail(body, "From: a@b.nl", f"Content-Type: text/plain; charset={label}"))
        assert parsed.text == "€ 10,– voor het “Premium” pakket, café"
        assert any("windows-1252" in defect for defect in parsed.defects)


def test_utf8_under_a_latin1_label_is_read_as_utf8():
    parsed = parse(
        mail("Zoë betaalde €5".encode(), "From: a@b.nl", "Content-Type: text/plain; charset=iso-8859-1")
    )
    assert parsed.text == "Zoë betaalde €5"


def test_true_latin1_stays_latin1():
    parsed = parse(
        mail("Zoë René".encode("latin-1"), "From: a@b.nl", "Content-Type: text/plain; charset=iso-8859-1")
    )
    assert parsed.text == "Zoë René"
    assert parsed.defects == ()


def test_headers_with_8bit_bytes_and_encoded_words():
    raw = (
        "From: Zoë de Vries <Zoe@Example.NL>\n".encode()
        + b"Subject: =?iso-8859-1?Q?Caf=E9?= =?utf-8?B?IMOpw6lu?= en \xe9\xe9n\n"
        + b"Cc: =?utf-8?Q?Jansen=2C_Ingrid?= <ingrid@example.nl>,"
        + b' "de Boer, K." <k@example.nl>, los@example.nl\n'
        + b"To: undisclosed-recipients:;\n\nhoi\n"
    )
    parsed = parse(raw)
    assert parsed.from_name == "Zoë de Vries"
    assert parsed.from_address == "zoe@example.nl"
    assert parsed.subject == "Café één en één"
    assert parsed.cc == (
        ("Jansen, Ingrid", "ingrid@example.nl"),
        ("de Boer, K.", "k@example.nl"),
        ("", "los@example.nl"),
    )
    assert parsed.to == ()


def test_an_encoded_word_split_inside_a_character_and_bad_base64():
    encoded = "Vraag over €12".encode()
    first, second = base64.b64encode(encoded[:13]).decode(), base64.b64encode(encoded[13:]).decode()
    parsed = parse(
        mail(b"x", "From: a@b.nl", f"Subject: =?utf-8?B?{first}?=\n =?utf-8?B?{second}?= =?utf-8?B?!!!?=")
    )
    assert parsed.subject.startswith("Vraag over €12")


def test_threading_headers_without_angle_brackets_and_the_date():
    parsed = parse(mail(
        b"x", "From: a@b.nl", "Message-ID: <abc@host>", "In-Reply-To: junk <p1@gezien> more",
        "References: <r1@x>\n\t<r2@x> <r1@x>", "Date: Mon, 3 Feb 2025 09:14:22 +0100",
    ))  # fmt: skip
    assert (parsed.message_id, parsed.in_reply_to, parsed.references) == (
        "abc@host",
        "p1@gezien",
        ("r1@x", "r2@x"),
    )
    assert parsed.date == datetime(2025, 2, 3, 9, 14, 22, tzinfo=timezone(timedelta(hours=1)))
    assert parse(mail(b"x", "From: a@b.nl", "Date: Mon, 3 Feb 2025 09:14:22 -0000")).date.tzinfo == UTC
    assert parse(mail(b"x", "From: a@b.nl", "Date: gisteren")).date is None
    assert parse(mail(b"x", "From: a@b.nl", "Message-ID: bare@id")).message_id == "bare@id"


def test_file_names_are_safe_and_decoded():
    parts = [
        ('attachment; filename="../../etc/passwd"', "passwd"),
        ('attachment; filename="C:\\\\Users\\\\x\\\\bon.jpg"', "bon.jpg"),
        ("attachment; filename*=utf-8''caf%C3%A9.pdf", "café.pdf"),
        ('attachment; filename="=?utf-8?Q?=C3=ABxtra.pdf?="', "ëxtra.pdf"),
        ('attachment; filename="con.txt"', "_con.txt"),
        ('attachment; filename="a\x01b<>.pdf"', "ab_.pdf"),
        ("attachment", "bijlage-7.pdf"),
        ('attachment; filename="' + "x" * 300 + '.pdf"', "x" * 146 + ".pdf"),
    ]
    body = "".join(
        f"--b\nContent-Type: application/pdf\nContent-Disposition: {disposition}\n\nPDF\n"
        for disposition, _ in parts
    )
    parsed = parse(
        mail(body.encode() + b"--b--\n", "From: a@b.nl", 'Content-Type: multipart/mixed; boundary="b"')
    )
    assert [part.filename for part in parsed.attachments] == [name for _, name in parts]
    assert parsed.attachments[0].data == b"PDF"


def test_headers_mapping_holds_what_classification_needs():
    parsed = parse(
        mail(b"x", "From: a@b.nl", "Auto-Submitted: auto-replied", "X-Spam-Flag: NO", "X-Other: y")
    )
    assert parsed.headers["auto-submitted"] == "auto-replied"
    assert parsed.headers["x-spam-flag"] == "NO"
    assert "x-other" not in parsed.headers


def test_html_to_text_drops_scripts_styles_and_pixels_and_writes_links():
    text = html_to_text(
        "<style>p{color:red}</style><p>Zie <a href='https://x.nl/a?b=1&amp;c=2'>de pagina</a>"
        "<img src='https://t.example/p.gif'><script>alert(1)</script></p>"
        "<p>en <a href='mailto:a@b.nl'>a@b.nl</a></p>"
        "<ul><li>een</li><li>twee</li></ul><blockquote>oud</blockquote>"
    )
    assert text == "Zie de pagina (https://x.nl/a?b=1&c=2)\n\nen a@b.nl\n\neen\ntwee\n\n> oud"


def test_html_keeps_inline_images_and_no_remote_ones():
    raw = mail(
        b'<p>foto <img src="cid:x@y"> <img src="https://t.example/open.gif"></p>',
        "From: a@b.nl",
        "Content-Type: text/html; charset=utf-8",
    )
    parsed = parse(raw)
    assert 'src="cid:x@y"' in parsed.html
    assert "t.example" not in parsed.html


def test_plain_text_is_preferred_and_html_kept_beside_it():
    body = (
        b"--a\nContent-Type: text/plain; charset=utf-8\n\nplat\n"
        b"--a\nContent-Type: text/html; charset=utf-8\n\n<p>rijk</p>\n--a--\n"
    )
    parsed = parse(mail(body, "From: a@b.nl", "Content-Type: multipart/alternative; boundary=a"))
    assert parsed.text == "plat"
    assert parsed.html == "<p>rijk</p>"


def test_empty_plain_alternative_falls_back_to_the_html():
    body = (
        b"--a\nContent-Type: text/plain; charset=utf-8\n\n \n"
        b"--a\nContent-Type: text/html; charset=utf-8\n\n<p>rijk</p>\n--a--\n"
    )
    assert parse(mail(body, "From: a@b.nl", "Content-Type: multipart/alternative; boundary=a")).text == "rijk"


def test_deep_nesting_is_cut_off_not_a_crash():
    raw = b"From: a@b.nl\nContent-Type: multipart/mixed; boundary=b0\n\n"
    for depth in range(1, 120):
        raw += f"--b{depth - 1}\nContent-Type: multipart/mixed; boundary=b{depth}\n\n".encode()
    raw += b"--b119\nContent-Type: text/plain\n\ndiep\n"
    parsed = parse(raw)
    assert parsed.from_address == "a@b.nl"
