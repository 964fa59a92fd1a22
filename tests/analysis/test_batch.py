"""`gezien analyse`: JSONL and CSV in, JSONL out, through batch.main() with real streams and files.

Malformed records are reported with their line number and skipped (exit 1) or stop the run (--strict,
exit 2); odd Unicode, HTML, empty and very long texts never crash it."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from gezien.analysis.batch import main, sanitize, strip_html


def run(argv: list[str], stdin: Any = None) -> tuple[int, list[dict[str, Any]], str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=stdin if stdin is not None else io.StringIO(""), stdout=out, stderr=err)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    return code, rows, err.getvalue()


def test_jsonl_from_stdin_gives_one_line_per_record_with_id_line_and_signals() -> None:
    lines = [
        json.dumps({"id": 7, "text": "Ik heb al vijf keer gebeld en ik ben er klaar mee!"}),
        "",  # blank lines are skipped without a word
        json.dumps({"id": "b", "text": "Thanks a lot, great service!", "lang": "en", "role": "agent"}),
        json.dumps({"text": "Goedemorgen", "other": "not copied"}),
    ]
    code, rows, err = run(["-"], io.StringIO("\n".join(lines) + "\n"))
    assert code == 0 and err == ""
    assert [(row.get("id"), row["line"]) for row in rows] == [(7, 1), ("b", 3), (None, 4)]
    assert "other" not in rows[2]
    signals = rows[1]["signals"]
    assert signals["lang"] == "en" and signals["role"] == "agent"  # the record's own lang and role
    assert set(signals) >= {"emotions", "sentiment", "register", "evidence", "acts", "life_events", "churn"}


def test_flags_force_language_and_role_and_keep_copies_fields() -> None:
    record = {"id": 1, "ticket": "T-9", "text": "Thanks!", "lang": "en", "role": "agent"}
    code, rows, _ = run(
        ["-", "--lang", "nl", "--role", "customer", "--keep", "ticket"], io.StringIO(json.dumps(record))
    )
    assert code == 0
    assert rows[0]["ticket"] == "T-9"
    assert rows[0]["signals"]["lang"] == "nl" and rows[0]["signals"]["role"] == "customer"


def test_csv_file_with_a_text_column_and_a_multiline_field(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        '\ufeffid,body,extra\n1,"Hallo, ik wil opzeggen",x\n2,"twee\nregels",y\n3,Bedankt!,z\n',
        encoding="utf-8",
    )
    code, rows, err = run([str(path), "--text-field", "body"])
    assert code == 0, err
    assert [(row["id"], row["line"]) for row in rows] == [("1", 2), ("2", 3), ("3", 5)]


def test_csv_without_the_text_column_stops(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id,body\n1,hallo\n", encoding="utf-8")
    code, rows, err = run([str(path)])
    assert code == 2 and rows == []
    assert "line 1: the CSV header has no 'text' column" in err


MALFORMED = "\n".join(
    [
        json.dumps({"id": 1, "text": "Goedemorgen"}),
        "{not json",
        json.dumps(["an", "array"]),
        json.dumps({"id": 4, "body": "no text field"}),
        json.dumps({"id": 5, "text": None}),
        json.dumps({"id": 6, "text": "Tot ziens"}),
        '{"id": 7, "text": "x", "n": ' + "9" * 5000 + "}",
        "[" * 100_000 + "]" * 100_000,
    ]
)


def test_malformed_lines_are_reported_with_their_number_and_skipped() -> None:
    code, rows, err = run(["-"], io.StringIO(MALFORMED))
    assert code == 1
    assert [row["id"] for row in rows] == [1, 6]
    assert "line 2: not JSON" in err
    assert "line 3: not a JSON object but an array" in err
    assert "line 4: no 'text' field" in err
    assert "line 5: field 'text' is null, not a string" in err
    assert "line 7: not JSON" in err and "line 8: not JSON" in err
    assert "2 analysed, 6 skipped" in err


def test_strict_stops_at_the_first_malformed_line_with_code_2() -> None:
    code, rows, err = run(["-", "--strict"], io.StringIO(MALFORMED))
    assert code == 2
    assert [row["id"] for row in rows] == [1]  # what came before is written
    assert "line 2: not JSON" in err and "stopped (--strict)" in err
    assert "line 3" not in err


def test_csv_row_with_the_wrong_number_of_fields_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,text\n1,hallo\n2,too,many\n3,doei\n", encoding="utf-8")
    code, rows, err = run([str(path)])
    assert code == 1 and [row["id"] for row in rows] == ["1", "3"]
    assert "line 3: 3 fields where the header has 2" in err
    code, rows, err = run([str(path), "--strict"])
    assert code == 2 and [row["id"] for row in rows] == ["1"]


def test_odd_unicode_lone_surrogates_nul_and_empty_text_do_not_crash() -> None:
    texts = [
        '{"id": 1, "text": "lone \\ud800 surrogate and \\udfff too"}',
        '{"id": 2, "text": "nul \\u0000 byte"}',
        json.dumps({"id": 3, "text": ""}),
        json.dumps({"id": 4, "text": "   \n\t  "}),
        json.dumps({"id": 5, "text": "e\u0301\u0301\u200d\u202eﬁ İstanbul 👩‍👩‍👧 \U0010ffff \ufeff مرحبا"}),
        '{"id": "\\udc80", "text": "a lone surrogate in the id"}',
    ]
    code, rows, err = run(["-"], io.StringIO("\n".join(texts)))
    assert code == 0, err
    assert [row["id"] for row in rows] == [1, 2, 3, 4, 5, "\udc80"]
    assert rows[2]["signals"]["evidence"] == []
    assert sanitize("a\ud800b\x00c") == "a\ufffdb\ufffdc"


def test_undecodable_bytes_on_a_real_stdin_become_replacement_characters() -> None:
    raw = b'{"id": 1, "text": "caf\xe9 \xff kapot"}\n{"id": 2, "text": "goed"}\n'
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    code, rows, err = run(["-"], stdin)
    assert code == 0, err
    assert [row["id"] for row in rows] == [1, 2]


def test_html_is_analysed_without_markup_and_evidence_points_into_the_text_as_given(lexicons: Path) -> None:
    text = "<html><style>p {color: red}</style><p>Ik ben <b>ZORBLAX</b>&nbsp;!</p><!-- zorblax --></html>"
    code, rows, _ = run(
        ["-", "--lang", "nl", "--lexicon-dir", str(lexicons)], io.StringIO(json.dumps({"text": text}))
    )
    assert code == 0
    row = rows[0]
    assert row["html"] is True
    anger = [e for e in row["signals"]["evidence"] if e[0] == "anger"]
    assert anger and all(text[start:end] == "ZORBLAX" == quoted for _, start, end, quoted, _ in anger)
    # Without stripping, the comment's word counts too.
    code, rows, _ = run(
        ["-", "--lang", "nl", "--keep-html", "--lexicon-dir", str(lexicons)],
        io.StringIO(json.dumps({"text": text})),
    )
    assert "html" not in rows[0]
    assert {text[e[1] : e[2]] for e in rows[0]["signals"]["evidence"] if e[0] == "anger"} >= {"zorblax"}


def test_strip_html_maps_offsets_and_leaves_plain_text_alone() -> None:
    assert strip_html("Ik ben boos, 3 < 4 en a > b") is None
    source = "<div>Hallo&amp;dag<br>wereld<script>if (a < b) {}</script>!</div>"
    stripped = strip_html(source)
    assert stripped is not None
    assert stripped.text == "\nHallo&dag\nwereld !\n"
    start = stripped.text.index("wereld")
    assert stripped.original_span(start, start + 6) == (source.index("wereld"), source.index("wereld") + 6)
    amp = stripped.text.index("&")
    assert stripped.original_span(amp, amp + 1) == (source.index("&amp;"), source.index("&amp;") + 5)
    # An unclosed <script> drops only its tag, in linear time even when repeated.
    assert strip_html("<p>" + "<script>" * 50_000 + "x") is not None


def test_a_one_megabyte_text_and_large_csv_fields_are_analysed(tmp_path: Path) -> None:
    big = ("Ik ben echt boos, <b>al vijf keer</b> gebeld! \ud800 😡 " * 23_000)[:1_000_000]
    code, rows, err = run(["-"], io.StringIO(json.dumps({"id": "big", "text": big})))
    assert code == 0, err
    assert rows[0]["id"] == "big" and rows[0]["html"] is True
    assert rows[0]["truncated"] == 100_000  # the first 100,000 characters (after the markup) by default
    clean = sanitize(big)  # its lone surrogates become U+FFFD, one for one
    assert len(clean) == len(big)
    assert all(clean[start:end] == text for _, start, end, text, _ in rows[0]["signals"]["evidence"])
    code, rows, err = run(["-", "--max-chars", "20"], io.StringIO(json.dumps({"text": "kort genoeg"})))
    assert code == 0 and "truncated" not in rows[0]
    path = tmp_path / "big.csv"
    path.write_text('id,text\n1,"' + "x " * 100_000 + '"\n', encoding="utf-8")  # above csv's default limit
    code, rows, err = run([str(path)])
    assert code == 0, err


def test_a_missing_file_and_bad_arguments_exit_2(tmp_path: Path) -> None:
    code, _, err = run([str(tmp_path / "nope.jsonl")])
    assert code == 2 and "cannot read" in err
    code, _, _ = run(["-", "--format", "xml"])
    assert code == 2
    code, _, err = run(["-", "--batch-size", "0"])
    assert code == 2 and "--batch-size" in err
