"""The English catalogue is complete and its compiled .mo matches the .po (Dutch is the source)."""

import ast
import gettext
import re
from pathlib import Path

import gezien

LOCALE = Path(gezien.__file__).parent / "locale" / "en" / "LC_MESSAGES"


def _unquote(chunks: str) -> str:
    return "".join(ast.literal_eval(line) for line in chunks.strip().splitlines())


def _po_entries() -> dict[str, str]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries: dict[str, str] = {}
    for block in text.split("\n\n"):
        assert "#, fuzzy" not in block or 'msgid ""\nmsgstr ""\n"Project' in block, block
        if "msgid_plural" in block:
            continue
        context = re.search(r'^msgctxt (".*")$', block, re.M)
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr:
            key = _unquote(msgid.group(1))
            if key:
                # gettext keys a message with a context as "context\x04msgid"
                prefix = ast.literal_eval(context.group(1)) + "\x04" if context else ""
                entries[prefix + key] = _unquote(msgstr.group(1))
    return entries


def test_every_dutch_ui_string_has_an_english_translation() -> None:
    missing = [key for key, value in _po_entries().items() if not value]
    assert missing == []


def test_the_compiled_catalogue_is_up_to_date_with_the_po_file() -> None:
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for key, value in _po_entries().items():
        assert compiled.gettext(key) == value, key
