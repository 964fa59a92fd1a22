"""Every message of the corpus (tests/mailparse/corpus, SOURCES.md) parses without a traceback, gets
the outcome corpus.toml expects, and the sender, subject, text, quote split and attachments it names."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from gezien.mailparse import classify, normalise_subject, parse, split_quote, subject_token

CORPUS = Path(__file__).parent / "corpus"
SPEC = tomllib.loads((CORPUS / "corpus.toml").read_text(encoding="utf-8"))
SETTINGS = SPEC["settings"]
ENTRIES: list[dict[str, Any]] = SPEC["message"]


def test_every_file_of_the_corpus_is_listed_once_and_there_are_enough():
    listed = [entry["file"] for entry in ENTRIES]
    on_disk = sorted(str(path.relative_to(CORPUS)) for path in CORPUS.rglob("*.eml"))
    assert sorted(listed) == on_disk
    assert len(set(listed)) == len(listed)
    assert len(on_disk) >= 60
    outcomes = {entry["outcome"] for entry in ENTRIES}
    assert outcomes == {"mail", "bounce", "auto_reply", "receipt", "complaint", "loop", "spam"}


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry["file"] for entry in ENTRIES])
def test_corpus_message(entry: dict[str, Any]) -> None:
    parsed = parse((CORPUS / entry["file"]).read_bytes())
    found = classify(
        parsed,
        own_domains=frozenset(SETTINGS["own_domains"]),
        own_message_id_suffix=SETTINGS["own_message_id_suffix"],
    )
    split = split_quote(parsed.text)

    assert (found.outcome, found.reason if "reason" in entry else "") == (
        entry["outcome"],
        entry.get("reason", ""),
    )
    if "related" in entry:
        assert list(found.related_message_ids[: len(entry["related"])]) == entry["related"]
    # What holds for every message: clean text, safe HTML, nothing folded into nothing.
    assert "\x00" not in parsed.text
    assert "<script" not in parsed.html.lower()
    assert not parsed.text.strip() or split.body.strip()
    assert all(
        part.filename and "/" not in part.filename and "\\" not in part.filename
        for part in parsed.attachments
    )

    fields = {
        "sender": parsed.from_address,
        "name": parsed.from_name,
        "subject": parsed.subject,
        "in_reply_to": parsed.in_reply_to,
        "references": list(parsed.references),
        "cc": [address for _, address in parsed.cc],
        "reply_to": parsed.reply_to,
        "message_id": parsed.message_id,
        "attachments": [part.filename for part in parsed.attachments],
        "inline": [part.filename for part in parsed.attachments if part.inline],
        "token": subject_token(parsed.subject),
        "normalised": normalise_subject(parsed.subject),
    }
    for key, value in fields.items():
        if key in entry:
            assert value == entry[key], key
    contains = {"text": parsed.text, "html": parsed.html, "body": split.body, "quoted": split.quoted,
                "signature": split.signature}  # fmt: skip
    for key, value in contains.items():
        if key in entry:
            assert entry[key] in value, key
    for phrase in entry.get("body_contains", []):
        assert phrase in split.body
    for key, value in (
        ("text_excludes", parsed.text),
        ("html_excludes", parsed.html),
        ("body_excludes", split.body),
    ):
        for phrase in entry.get(key, []):
            assert phrase not in value, key
    if "defect" in entry:
        assert any(entry["defect"] in defect for defect in parsed.defects), parsed.defects
