"""Turning a mail's bytes into text, whatever its label says.

Mail lies about its charset: windows-1252 text labelled iso-8859-1 or us-ascii (the 0x80-0x9f bytes are
curly quotes and the euro sign there, control characters in latin-1), UTF-8 labelled latin-1, and text
labelled UTF-8 that is windows-1252. `decode` reads bytes under a label and says, as a defect, when it
had to guess otherwise. It never raises.
"""

from __future__ import annotations

import codecs
import re

# Labels mailers use that Python does not know, or knows as a narrower charset than the text uses.
_ALIASES = {
    "us-ascii": "ascii",
    "ascii": "ascii",
    "iso-8859-1": "latin-1",
    "iso8859-1": "latin-1",
    "iso_8859-1": "latin-1",
    "latin1": "latin-1",
    "latin-1": "latin-1",
    "l1": "latin-1",
    "windows-1252": "cp1252",
    "cp1252": "cp1252",
    "x-cp1252": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "windows-874": "cp874",
    "x-mac-roman": "mac-roman",
    "macintosh": "mac-roman",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "x-unknown": "",
    "unknown-8bit": "",
    "unknown": "",
    "x-user-defined": "",
    "default": "",
    "charset": "",
}
# Labels under which text is decoded as WHATWG does: windows-1252 (a superset of latin-1 for text), or
# UTF-8 when the bytes are valid UTF-8 (latin-1 text is almost never valid UTF-8 by accident).
_WESTERN = {"", "ascii", "latin-1", "cp1252"}
_HIGH = re.compile(rb"[\x80-\xff]")
_C1 = re.compile(rb"[\x80-\x9f]")


def codec_for(label: str | None) -> str:
    """The Python codec for a charset label; "" when the label is missing or unknown."""
    name = (label or "").strip().strip("\"'").lower()
    if "*" in name:  # RFC 2231 language: utf-8*nl
        name = name.split("*", 1)[0]
    if name in _ALIASES:
        return _ALIASES[name]
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return ""


def decode(data: bytes, label: str | None = None) -> tuple[str, str]:
    """Text of `data` read under `label`, and a defect ("" when the label told the truth)."""
    if not _HIGH.search(data):
        return data.decode("ascii"), ""
    codec = codec_for(label)
    # Bytes that are valid UTF-8 (with non-ASCII in them) are UTF-8 whatever the label says: text in
    # another charset is almost never valid UTF-8 by accident, and mailers often label UTF-8 wrongly.
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text, "" if codec in ("utf-8", "") else f"charset: utf-8 labelled {label}"
    if codec in _WESTERN or codec == "utf-8":
        if codec == "utf-8":
            return _utf8_or_cp1252(data, label)
        text = data.decode("cp1252", "replace")
        if codec == "cp1252" or (codec == "latin-1" and not _C1.search(data)):
            return text, ""
        return text, f"charset: windows-1252 labelled {label or 'nothing'}"
    if not codec:
        text, defect = _utf8_or_cp1252(data, label)
        return text, defect or f"charset: unknown label {label}"
    try:
        return data.decode(codec), ""
    except UnicodeDecodeError:
        return data.decode(codec, "replace"), f"charset: {label} does not decode"
    except (LookupError, ValueError, TypeError):
        return _utf8_or_cp1252(data, label)


def _utf8_or_cp1252(data: bytes, label: str | None) -> tuple[str, str]:
    """UTF-8 that does not decode: mostly UTF-8 with a bad byte, or windows-1252 under the wrong label."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if good > bad:
        return text, f"charset: invalid utf-8 bytes replaced (labelled {label or 'nothing'})"
    return data.decode("cp1252", "replace"), f"charset: windows-1252 labelled {label or 'nothing'}"
