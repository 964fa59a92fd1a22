"""What a file is, from its bytes: the content type of an attachment (signatures of the common types,
or its text), what the sender's claim may add where the bytes cannot tell, and which types a browser
only shows (served as themselves) and which it could run or render as a page (served as
`application/octet-stream`, always as a download). No Django: `contacts.attachments` stores and serves."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

OCTET_STREAM = "application/octet-stream"

# Types a browser shows as what they are, never runs: served with their own type (still as a download).
SAFE_TO_SERVE = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/heic",
        "image/heif",
        "image/bmp",
        "image/tiff",
        "text/plain",
        "text/csv",
        "text/calendar",
        "text/vcard",
        "message/rfc822",
        "application/zip",
        "application/gzip",
        "application/x-7z-compressed",
        "application/vnd.rar",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.ms-outlook",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "audio/mpeg",
        "audio/wav",
        "audio/ogg",
        "audio/mp4",
        "video/mp4",
        "video/quicktime",
    }
)
# What could run or act as a web page once opened: the desk warns before the download.
ACTIVE_CONTENT = frozenset(
    {
        "application/x-msdownload",
        "application/x-executable",
        "application/x-mach-binary",
        "text/x-shellscript",
        "text/html",
        "image/svg+xml",
        "application/xml",
    }
)
RISKY_EXTENSIONS = frozenset(
    [
        "exe",
        "com",
        "bat",
        "cmd",
        "scr",
        "pif",
        "msi",
        "msp",
        "cpl",
        "lnk",
        "hta",
        "jar",
        "vb",
        "vbs",
        "vbe",
        "js",
        "jse",
        "wsf",
        "wsh",
        "ps1",
        "psm1",
        "reg",
        "sh",
        "command",
        "app",
        "html",
        "htm",
        "xhtml",
        "shtml",
        "svg",
        "svgz",
        "mht",
        "mhtml",
    ]
)
# Raster images the desk may show as a thumbnail (never SVG: it can carry script).
THUMBNAIL_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})

# Text a sender may label more precisely than "text/plain" (the bytes cannot tell them apart).
_TEXT_REFINEMENTS = frozenset(
    {"text/csv", "text/calendar", "text/vcard", "text/markdown", "application/json"}
)
# Binary types without a signature we check, kept as declared when the bytes are not something else.
_DECLARED_BINARY = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "msg": "application/vnd.ms-outlook",
}

_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]")
_MAIL_HEADERS = (b"from:", b"received:", b"message-id:", b"subject:", b"date:", b"to:", b"mime-version:")
_HTML_STARTS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<div",
    b"<table",
    b"<a ",
    b"<meta",
    b"<style",
    b"<title",
    b"<p>",
    b"<br",
    b"<img",
    b"<!--",
)


def extension_for(content_type: str) -> str:
    return {
        "application/pdf": "pdf",
        "image/png": "png",
        "image/jpeg": "jpg",
        "image/gif": "gif",
        "image/webp": "webp",
        "image/heic": "heic",
        "text/plain": "txt",
        "message/rfc822": "eml",
        "audio/mpeg": "mp3",
        "audio/wav": "wav",
    }.get(content_type, "")


@dataclass(frozen=True)
class Sniffed:
    """What the bytes are: `certain` when a signature says so (the sender's claim does not count)."""

    content_type: str
    certain: bool


def sniff(data: bytes) -> Sniffed:
    """The content type of `data` from its first bytes (signatures of the common types), or from its
    text (HTML, SVG, XML, an e-mail, plain text); `application/octet-stream` when unknown."""
    head = data[:64]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 text (Windows Notepad's "Unicode")
        try:
            text = data[:4096].decode("utf-16", errors="strict" if len(data) <= 4096 else "ignore")
        except UnicodeDecodeError:
            return Sniffed(OCTET_STREAM, False)
        kind = _text_kind(text.encode("utf-8"))
        return Sniffed(kind, kind != "text/plain") if kind else Sniffed(OCTET_STREAM, False)
    if head[:2] == b"MZ" and b"\x00" in head:  # a Windows program (a text may start with "MZ" too)
        return Sniffed("application/x-msdownload", True)
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return Sniffed(content_type, True)
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return Sniffed(
            {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}[head[8:12]], True
        )
    if head[4:8] == b"ftyp":
        return Sniffed(_iso_media(head[8:12]), True)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return Sniffed(_zip_kind(data), True)
    if len(head) >= 3 and head[0] == 0xFF and head[1] in _MPEG_SYNC and head[2] >> 4 not in (0, 15):
        return Sniffed("audio/mpeg", True)  # an MPEG audio frame (layer III) without an ID3 tag
    text = _text_kind(data)
    if text:
        return Sniffed(text, text != "text/plain")
    return Sniffed(OCTET_STREAM, False)


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"ID3", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
    (b"fLaC", "audio/flac"),
    (b"\x1f\x8b", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),  # old Office, Outlook .msg
    (b"\x7fELF", "application/x-executable"),
    (b"\xcf\xfa\xed\xfe", "application/x-mach-binary"),
    (b"\xce\xfa\xed\xfe", "application/x-mach-binary"),
    (b"\xca\xfe\xba\xbe", "application/x-mach-binary"),
    (b"#!", "text/x-shellscript"),
)


_MPEG_SYNC = frozenset({0xFB, 0xFA, 0xF3, 0xF2, 0xE3, 0xE2})  # MPEG 1, 2 and 2.5, layer III


def _iso_media(brand: bytes) -> str:
    if brand in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"):
        return "image/heic"
    if brand in (b"mif1", b"msf1", b"avif"):
        return "image/avif" if brand == b"avif" else "image/heif"
    if brand in (b"M4A ", b"M4B "):
        return "audio/mp4"
    if brand == b"qt  ":
        return "video/quicktime"
    return "video/mp4"


def _zip_kind(data: bytes) -> str:
    """A zip file, or the office document it is (docx, xlsx, pptx, OpenDocument)."""
    if data[30:38] == b"mimetype":  # OpenDocument: the first entry, stored, names the type
        declared = data[38:120].split(b"PK", 1)[0].decode("ascii", "replace").strip()
        if declared.startswith("application/vnd.oasis.opendocument."):
            return declared
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return "application/zip"
    prefixes = {name.split("/", 1)[0] for name in names}
    if "[Content_Types].xml" in names:
        for folder, content_type in (
            ("word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("xl", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("ppt", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ):
            if folder in prefixes:
                return content_type
    return "application/zip"


def _text_kind(data: bytes) -> str:
    """For text: HTML, SVG, XML, an e-mail (RFC 5322 headers first), or plain text; "" for binary."""
    sample = data[:4096]
    if b"\x00" in sample:
        return ""
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 3:  # not just a character cut off at the sample's end
            try:
                sample.decode("cp1252")
            except UnicodeDecodeError:
                return ""
    control = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13, 27))
    if control > len(sample) // 100 + 1:
        return ""
    lowered = sample.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(_HTML_STARTS) or re.search(rb"<(html|script|body|iframe)[\s>]", lowered):
        return "text/html"
    if b"<svg" in lowered and (
        lowered.startswith((b"<svg", b"<?xml", b"<!doctype svg")) or b"<svg " in lowered
    ):
        return "image/svg+xml"
    if lowered.startswith(b"<?xml"):
        return "application/xml"
    lines = sample.lstrip(b"\r\n").split(b"\n", 12)[:12]
    headers = [line for line in lines if _HEADER_LINE.match(line)]
    mail_like = any(line.lower().startswith(_MAIL_HEADERS[:2]) for line in headers)
    if len(headers) >= 2 and mail_like and _HEADER_LINE.match(lines[0]):
        return "message/rfc822"
    return "text/plain"


def content_type_decide(data: bytes, declared: str = "", filename: str = "") -> str:
    """The content type kept for `data`: what the bytes are when a signature or the text says so
    (a PNG declared as text/html is image/png); the declared type only where the bytes cannot
    contradict it (text/csv for plain text; an old Office file by its extension)."""
    declared = declared.split(";", 1)[0].strip().lower()
    if not _CONTENT_TYPE.match(declared):
        declared = ""
    found = sniff(data)
    if found.content_type == "application/x-ole-storage":
        ext = filename.rpartition(".")[2].lower()
        if declared in _DECLARED_BINARY.values():
            return declared
        return _DECLARED_BINARY.get(ext, found.content_type)
    if found.certain:
        return found.content_type
    if found.content_type == "text/plain":
        return declared if declared in _TEXT_REFINEMENTS else "text/plain"
    # Unknown bytes: a declared binary type we cannot check is kept unless it is one we would have
    # recognised (or text, which these bytes are not).
    if (
        declared
        and not declared.startswith("text/")
        and declared not in _RECOGNISED
        and declared != OCTET_STREAM
    ):
        return declared
    return OCTET_STREAM


_RECOGNISED = frozenset(content_type for _sig, content_type in _SIGNATURES) | {
    "application/x-msdownload",
    "image/webp",
    "audio/wav",
    "image/heic",
    "image/heif",
    "application/zip",
    "image/svg+xml",
    "application/xml",
    "message/rfc822",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def served_content_type(content_type: str) -> str:
    """The type a download is sent with: its own for types a browser only shows; everything a browser
    could run or render as a page (HTML, SVG, XML, scripts, executables, unknown) as octet-stream."""
    return content_type if content_type in SAFE_TO_SERVE else OCTET_STREAM
