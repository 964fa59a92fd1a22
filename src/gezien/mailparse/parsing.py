"""`parse`: one raw RFC 5322 message into a `ParsedMail`, whatever state it is in.

The standard library's parser (the lenient compat32 policy: fast, and it records what is broken as
defects instead of raising) splits the MIME tree; everything read from it is read defensively: header
values through `headers.header_text`, text parts through `charsets.decode`, file names made safe.
What was broken but survived is named in `ParsedMail.defects`. Only input with nothing in it that could
be a mail raises `MailParseError`; any other failure of the parser falls back to the raw bytes as text.
"""

from __future__ import annotations

import email.utils
import mimetypes
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from email.policy import compat32
from typing import Any

from gezien.mailparse.charsets import decode
from gezien.mailparse.headers import decode_words, header_text, raw_text
from gezien.mailparse.htmltext import sanitise, sanitised_to_text


class MailParseError(ValueError):
    """The input holds nothing that could be a mail (the caller quarantines it)."""


@dataclass(frozen=True, slots=True)
class MailPart:
    """An attachment or inline image: a safe file name, its declared type and its bytes."""

    filename: str
    content_type: str
    data: bytes
    inline: bool = False
    content_id: str = ""


# The headers `classify` reads (lower case); `ParsedMail.headers` holds these when present.
KEPT_HEADERS = frozenset({
    "auto-submitted", "precedence", "x-autoreply", "x-autorespond", "x-auto-response-suppress",
    "x-spam-flag", "x-spam-status", "content-type", "return-path", "list-id", "list-unsubscribe",
    "x-failed-recipients", "x-gezien-mailbox", "x-loop", "x-mailer", "content-class",
    "x-ms-exchange-generated-message-source", "feedback-id", "sender", "x-original-to", "delivered-to",
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class ParsedMail:
    """What Gezien needs of a mail: who, threading, subject, the clean text, safe HTML, attachments."""

    message_id: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    subject: str = ""
    from_name: str = ""
    from_address: str = ""
    to: tuple[str, ...] = ()
    cc: tuple[tuple[str, str], ...] = ()
    reply_to: str = ""
    date: datetime | None = None
    text: str = ""
    html: str = ""
    attachments: tuple[MailPart, ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    defects: tuple[str, ...] = ()


class _Message(Message):
    """compat32's `Message` whose `get` looks a header up in an index of the first of each name, instead of
    lowering every header's name at every call: the parser itself asks each part's Content-Type a dozen
    times, and a mail has twenty headers or more (a sixth of a parse's function calls went to it). The
    index is of one header list at one length: a header added or removed, or the list replaced, makes
    it anew, and so does `replace_header`, the one change that keeps both."""

    _index: tuple[list[tuple[str, Any]], int, dict[str, tuple[str, Any]]] | None = None

    def get(self, name: str, failobj: Any = None) -> Any:
        headers = self._headers  # type: ignore[attr-defined]  # not in typeshed
        index = self._index
        if index is None or index[0] is not headers or index[1] != len(headers):
            first: dict[str, tuple[str, Any]] = {}
            for key, value in headers:
                first.setdefault(key.lower(), (key, value))
            index = self._index = (headers, len(headers), first)
        found = index[2].get(name.lower())
        return failobj if found is None else self.policy.header_fetch_parse(*found)

    def replace_header(self, _name: str, _value: Any) -> None:
        self._index = None
        super().replace_header(_name, _value)


_MAX_DEPTH = 40
_MAX_PARTS = 500
_MSG_ID = re.compile(r"<([^<>\s]{1,990})>")
_BARE_ID = re.compile(r"[^<>\s@]+@[^<>\s@]+")
_MAILBOX = r"[^\s<>@,;:\"()\[\]\\]{1,200}@[\w-]{1,63}(?:\.[\w-]{1,63})+"  # UTF-8 local parts too
_ADDRESS = re.compile(_MAILBOX)
_ANGLED = re.compile(r"<\s*(?:@[^:<>]*:)?(" + _MAILBOX + r")\s*>")
_COMMENT = re.compile(r"^\s*\(([^()]{1,200})\)")
_BOUNDARY_LINE = re.compile(rb"^--([^\s]{1,200}?)(?:--)?[ \t]*\r?$", re.M)
_HEADER_START = re.compile(rb"^[!-9;-~]{1,80}:", re.M)
_SPLIT = re.compile(rb"\r?\n\r?\n")
_NOT_WORD = re.compile(r"\w")
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\/]+')
_RESERVED_NAMES = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
_TEXT_LIMIT = 2_000_000  # characters of body text kept (a bigger text part stays an attachment too)


def parse(raw: bytes) -> ParsedMail:
    """`raw` as a `ParsedMail`; raises `MailParseError` only when nothing in it could be a mail."""
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise MailParseError("not bytes")
    raw = bytes(raw)
    if not raw.replace(b"\x00", b"").strip():
        raise MailParseError("empty message")
    try:
        return _parse(raw)
    except MailParseError:
        raise
    except (Exception, RecursionError) as error:  # the parser's own failure: keep the words as text
        text, _ = decode(raw.replace(b"\x00", b""), "utf-8")
        if not _NOT_WORD.search(text):
            raise MailParseError(f"unreadable: {type(error).__name__}") from error
        return ParsedMail(text=text.strip(), defects=(f"parser failed: {type(error).__name__}",))


def _parse(raw: bytes) -> ParsedMail:
    defects: list[str] = []
    if b"\x00" in raw:
        raw = raw.replace(b"\x00", b"")
        defects.append("nul bytes removed")
    if raw.startswith(b"From ") and b"\n" in raw:  # an mbox "From " line before the headers
        raw = raw.split(b"\n", 1)[1]
    message = message_from_bytes(raw, _class=_Message, policy=compat32)
    message = _repair_boundary(raw, message, defects)
    headers = _Headers(message)
    reader = _Body()
    reader.read(message, 0)
    defects.extend(reader.defects)
    for part in _walk(message):
        defects.extend(_defect_name(defect) for defect in getattr(part, "defects", ()))
    text = reader.text()
    if not headers.any and not text.strip():
        raise MailParseError("no headers and no text")
    if not headers.any:
        defects.append("no headers")
    from_name, from_address = headers.first_address("from")
    if not from_address:
        from_name, from_address = headers.first_address("sender")
    return ParsedMail(
        message_id=headers.message_id("message-id"),
        in_reply_to=headers.message_id("in-reply-to"),
        references=headers.message_ids("references"),
        subject=headers.text("subject"),
        from_name=from_name,
        from_address=from_address,
        to=tuple(address for _, address in headers.addresses("to")),
        cc=tuple(headers.addresses("cc")),
        reply_to=headers.first_address("reply-to")[1],
        date=headers.date(),
        text=text,
        html=reader.html(),
        attachments=tuple(reader.attachments),
        headers=headers.kept(),
        defects=tuple(dict.fromkeys(defects)),
    )


def _defect_name(defect: object) -> str:
    name = type(defect).__name__
    return name[:-6] if name.endswith("Defect") else name


def _walk(message: Message) -> Iterator[Message]:
    stack = [(message, 0)]
    count = 0
    while stack and count < _MAX_PARTS:
        part, depth = stack.pop()
        count += 1
        yield part
        payload = part.get_payload()
        if isinstance(payload, list) and depth < _MAX_DEPTH:
            stack.extend((child, depth + 1) for child in reversed(payload) if isinstance(child, Message))


def _repair_boundary(raw: bytes, message: Message, defects: list[str]) -> Message:
    """A multipart whose boundary is missing or wrong: find the boundary its body uses and parse again."""
    declared = message.get_content_maintype() == "multipart"
    if declared and isinstance(message.get_payload(), list):
        return message
    if not declared and message.get("content-type") is not None:
        return message  # a declared single part is what it says
    split = _SPLIT.search(raw)
    if split is None:
        return message
    head, body = raw[: split.start()], raw[split.end() :]
    if not declared and not re.search(rb"(?im)^mime-version:", head):
        return message
    tried: set[bytes] = set()
    for candidate in _BOUNDARY_LINE.finditer(body[: 200_000 if declared else 4000]):
        if candidate.group(1) in tried:
            continue
        if len(tried) >= 5:
            break
        tried.add(candidate.group(1))
        after = body[candidate.end() : candidate.end() + 400].lstrip(b"\r\n")
        headed = _HEADER_START.match(after) and after[:14].lower().startswith((b"content-", b"mime-"))
        if not headed and body.count(b"\n--" + candidate.group(1)) < 2:
            continue
        boundary = candidate.group(1)
        kind = message.get_content_type() if declared else "multipart/mixed"
        without = re.sub(rb"(?ims)^content-type:.*?(?:\r?\n(?![ \t])|\Z)", b"", head).rstrip(b"\r\n")
        fixed_head = (
            without
            + b"\nContent-Type: "
            + kind.encode("ascii", "replace")
            + b'; boundary="'
            + boundary
            + b'"'
        )
        repaired = message_from_bytes(fixed_head + b"\n\n" + body, _class=_Message, policy=compat32)
        if isinstance(repaired.get_payload(), list):
            defects.append("boundary repaired" if declared else "multipart without content-type repaired")
            return repaired
        break
    if declared:
        defects.append("multipart without parts")
    return message


_HEADER_KEYS: dict[str, str] = {}  # `raw_text(name).lower()` of the header names seen: the same few, always


def _header_key(name: str) -> str:
    key = _HEADER_KEYS.get(name)
    if key is None:
        if len(_HEADER_KEYS) >= 4096:  # a stream of odd names: start over
            _HEADER_KEYS.clear()
        key = _HEADER_KEYS[name] = raw_text(name).lower()
    return key


class _Headers:
    """The top-level headers, read once, decoded on demand."""

    def __init__(self, message: Message) -> None:
        self.values: dict[str, str] = {}
        for name, value in message.raw_items():
            key = _header_key(name)
            if key not in self.values and isinstance(value, str):
                self.values[key] = value
        self.any = bool(self.values)

    def text(self, name: str) -> str:
        value = self.values.get(name)
        return header_text(value)[:2000] if value is not None else ""

    def message_id(self, name: str) -> str:
        ids = self.message_ids(name)
        return ids[0] if ids else ""

    def message_ids(self, name: str) -> tuple[str, ...]:
        value = self.values.get(name)
        if not value:
            return ()
        text = raw_text(value)
        found = _MSG_ID.findall(text) or _BARE_ID.findall(text)
        return tuple(dict.fromkeys(found))[:100]

    def addresses(self, name: str) -> list[tuple[str, str]]:
        value = self.values.get(name)
        if not value:
            return []
        found: dict[str, str] = {}
        for chunk in _address_chunks(raw_text(value)[:20_000]):
            display, address = _address_of(chunk)
            if address and address not in found:
                found[address] = display
        return [(display, address) for address, display in found.items()][:500]

    def first_address(self, name: str) -> tuple[str, str]:
        found = self.addresses(name)
        return found[0] if found else ("", "")

    def date(self) -> datetime | None:
        value = self.values.get("date")
        if not value:
            return None
        try:
            when = email.utils.parsedate_to_datetime(raw_text(value))
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None:
            return None
        return when if when.tzinfo is not None else when.replace(tzinfo=UTC)

    def kept(self) -> dict[str, str]:
        return {name: raw_text(value)[:1000] for name, value in self.values.items() if name in KEPT_HEADERS}


def _address_chunks(text: str) -> Iterator[str]:
    """The addresses of an address list, split at commas outside quotes, angle brackets and comments."""
    start = 0
    quoted = False
    angle = paren = 0
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"' and not paren:
            quoted = not quoted
        elif quoted:
            continue
        elif char == "<":
            angle += 1
        elif char == ">":
            angle = max(angle - 1, 0)
        elif char == "(":
            paren += 1
        elif char == ")":
            paren = max(paren - 1, 0)
        elif char in ",;" and not angle and not paren:
            yield text[start:index]
            start = index + 1
    yield text[start:]


def _address_of(chunk: str) -> tuple[str, str]:
    """(display name, lower-case address) of one mailbox; the name is "" when it is only the address."""
    angled = _ANGLED.search(chunk)
    if angled:
        address = angled.group(1)
        display = chunk[: angled.start()]
    else:
        bare = _ADDRESS.search(chunk)
        if not bare:
            return "", ""
        address = bare.group(0)
        comment = _COMMENT.search(chunk[bare.end() :])
        display = comment.group(1) if comment else ""
    if ":" in display:  # a group ("Klanten: a@b.nl, ...") or a route
        display = display.rsplit(":", 1)[1]
    display = decode_words(display.strip().strip('"').replace('\\"', '"').replace("\\\\", "\\"))
    display = " ".join(display.split()).strip("\"' ")
    address = address.lower()
    if "@" in display or display.lower() == address:
        display = ""
    return display[:200], address[:320]


class _Body:
    """Walks the MIME tree: the text a person reads, the HTML beside it, every other part an attachment."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.htmls: list[str] = []
        self.attachments: list[MailPart] = []
        self.defects: list[str] = []
        self.parts = 0

    def text(self) -> str:
        text = "\n\n".join(t for t in (t.strip("\n") for t in self.texts) if t.strip())
        return text[:_TEXT_LIMIT]

    def html(self) -> str:
        return "\n".join(self.htmls)

    def read(self, part: Message, depth: int) -> None:
        self.parts += 1
        if depth > _MAX_DEPTH or self.parts > _MAX_PARTS:
            self.defects.append("too many or too deeply nested parts")
            return
        kind = part.get_content_type()
        payload = part.get_payload()
        if kind.startswith("multipart/"):
            if not isinstance(payload, list):  # no boundary found: what is there is read as text
                self.texts.append(self._text_of(part))
                return
            children = [child for child in payload if isinstance(child, Message)]
            if kind == "multipart/alternative":
                self._alternative(children, depth)
            else:
                for child in children:
                    self.read(child, depth + 1)
            return
        if self._is_attachment(part, kind):
            self._attach(part, kind)
            return
        if kind == "text/html":
            self._add_html(self._text_of(part))
        elif kind.startswith("text/") or kind == "multipart/mixed" or not part.get("content-type"):
            self.texts.append(self._text_of(part))
        else:
            self._attach(part, kind)

    def _alternative(self, children: list[Message], depth: int) -> None:
        plain = [
            c for c in children if c.get_content_type() == "text/plain" and not self._is_attachment(c, "")
        ]
        html = [c for c in children if c.get_content_type() == "text/html" and not self._is_attachment(c, "")]
        nested = [c for c in children if c.get_content_maintype() == "multipart"]
        texts = [self._text_of(c) for c in plain]
        for child in html[-1:]:
            before = len(self.texts)
            self._add_html(self._text_of(child))
            if any(t.strip() for t in texts):
                del self.texts[before:]  # the plain text is the text; the HTML is kept beside it
        if any(t.strip() for t in texts):
            self.texts.append(texts[-1])
        if not plain and not html:
            for child in nested[-1:]:
                self.read(child, depth + 1)
        elif nested and not any(t.strip() for t in texts):
            # multipart/alternative with text/plain and multipart/related (html + images)
            for child in nested[-1:]:
                self.read(child, depth + 1)
        elif nested:
            for child in nested[-1:]:  # keep the images of the related part, not its text again
                for leaf in _walk(child):
                    if not leaf.is_multipart() and not leaf.get_content_type().startswith("text/"):
                        self._attach(leaf, leaf.get_content_type())
                    elif leaf.get_content_type() == "text/html" and not self.htmls:
                        self.htmls.append(sanitise(self._text_of(leaf)))
        for child in children:
            if child not in plain and child not in html and child not in nested:
                self.read(child, depth + 1)

    def _add_html(self, markup: str) -> None:
        clean = sanitise(markup)
        self.htmls.append(clean)
        self.texts.append(sanitised_to_text(clean))

    def _is_attachment(self, part: Message, kind: str) -> bool:
        disposition = _disposition(part)
        if disposition == "attachment":
            return True
        kind = kind or part.get_content_type()
        if kind in ("text/plain", "text/html"):
            return disposition != "inline" and bool(_param(part, "filename", "content-disposition"))
        return True  # every other part (text/calendar, text/rfc822-headers, images) is a file

    def _text_of(self, part: Message) -> str:
        data = _payload_bytes(part, self.defects)
        charset = _param(part, "charset", "content-type") or None
        text, defect = decode(data, charset)
        if defect:
            self.defects.append(defect)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text.replace("\x00", "")

    def _attach(self, part: Message, kind: str) -> None:
        payload = part.get_payload()
        if isinstance(payload, list):  # message/rfc822, message/delivery-status: the parts as bytes
            data = b"\n".join(_as_bytes(child) for child in payload if isinstance(child, Message))
            if kind == "message/rfc822" and payload and isinstance(payload[0], Message):
                data = _as_bytes(payload[0])
        else:
            data = _payload_bytes(part, self.defects)
        content_id = raw_text(str(part.get("content-id", "") or "")).strip().strip("<>")[:200]
        inline = _disposition(part) == "inline" or (bool(content_id) and _disposition(part) != "attachment")
        self.attachments.append(
            MailPart(
                filename=_safe_filename(part, kind, len(self.attachments) + 1),
                content_type=kind,
                data=data,
                inline=inline,
                content_id=content_id,
            )
        )


def _disposition(part: Message) -> str:
    value = part.get("content-disposition")
    if not isinstance(value, str):
        return ""
    return value.split(";", 1)[0].strip().lower()


def _param(part: Message, name: str, header: str) -> str:
    try:
        value = part.get_param(name, header=header)
    except Exception:  # a parameter list the parser cannot read
        return ""
    if isinstance(value, tuple):  # RFC 2231: (charset, language, value)
        charset, _, text = value
        raw = text.encode("latin-1", "replace") if isinstance(text, str) else b""
        return decode(_percent_bytes(raw), charset or "utf-8")[0]
    return value if isinstance(value, str) else ""


def _percent_bytes(raw: bytes) -> bytes:
    return re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)


def _payload_bytes(part: Message, defects: list[str]) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # a transfer encoding that does not decode: the raw payload
        defects.append("transfer encoding does not decode")
        raw = part.get_payload()
        return raw.encode("ascii", "surrogateescape") if isinstance(raw, str) else b""
    return data if isinstance(data, bytes) else b""


def _as_bytes(message: Message, depth: int = 0) -> bytes:
    """A parsed part back as bytes, headers as they came (the generator refolds them, slowly)."""
    head = "".join(f"{name}: {value}\n" for name, value in message.raw_items() if isinstance(value, str))
    payload = message.get_payload()
    if isinstance(payload, str):
        body = payload.encode("utf-8", "surrogateescape")
    elif isinstance(payload, list) and depth < _MAX_DEPTH:
        children = [_as_bytes(child, depth + 1) for child in payload if isinstance(child, Message)]
        boundary = message.get_boundary() if message.get_content_maintype() == "multipart" else None
        if boundary:
            mark = b"--" + boundary.encode("utf-8", "surrogateescape")
            body = b"".join(mark + b"\n" + child + b"\n" for child in children) + mark + b"--\n"
        else:
            body = b"\n".join(children)
    else:
        body = b""
    return head.encode("utf-8", "surrogateescape") + b"\n" + body


def _safe_filename(part: Message, kind: str, number: int) -> str:
    """A name that is safe on any disk and in a download header: no path, no control character."""
    name = _param(part, "filename", "content-disposition") or _param(part, "name", "content-type")
    name = header_text(name) if name else ""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" ._")
    stem, dot, extension = name.rpartition(".")
    if stem.lower() in _RESERVED_NAMES or name.lower() in _RESERVED_NAMES:
        name = "_" + name
    if len(name) > 150:
        extension = extension[:15] if dot else ""
        name = (stem if dot else name)[: 150 - len(extension) - 1].rstrip(" .") + (
            f".{extension}" if dot else ""
        )
    if not name:
        if kind == "message/rfc822":
            guessed = ".eml"
        elif kind in ("text/plain", "text/rfc822-headers", "message/delivery-status"):
            guessed = ".txt"
        else:
            guessed = mimetypes.guess_extension(kind, strict=False) or ".bin"
        name = f"bijlage-{number}{guessed}"
    return name
