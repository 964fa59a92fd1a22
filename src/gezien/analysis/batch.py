"""`gezien analyse FILE|-`: signals for every text of a JSONL or CSV file, as JSONL.

    gezien analyse messages.jsonl > signals.jsonl
    gezien analyse export.csv --text-field body --keep ticket,created
    cat messages.jsonl | gezien analyse - --model

Input: JSONL (one object per line with a text field) or CSV (a header row naming a text column);
`--format` says which, otherwise the file name does (.csv is CSV, anything else and stdin JSONL).
Files are read as UTF-8 (a BOM is allowed; undecodable bytes become U+FFFD), streamed line by line,
and analysed in batches (`--batch-size`), so a file of any length runs in constant memory.

Output: one JSON line per analysed input line, in input order:
`{"line": N, "id": ..., "signals": Analysis.to_dict()}`. `line` is the physical line the record
starts on (the CSV header is line 1); `id` and the fields named with `--keep` are copied when present;
`"html": true` marks a text that was analysed without its markup (below).

Per text: `--lang` forces the language of every text, otherwise a record's own `lang` field ("nl"/"en")
is used, otherwise the language is detected; `--role` likewise, then a record's `role` field, then
"customer".

Odd input never crashes a run:
- lone surrogates (JSON "\\ud800") and NUL become U+FFFD, one character for one, so offsets hold;
- HTML: a text with HTML tags (p, br, div, span, a, b, table, ...) is analysed without its tags,
  comments, scripts and styles, with entities decoded; the evidence offsets and evidence text are
  mapped back to the text as given (`--keep-html` analyses the raw text instead);
- empty texts are analysed (no signals); of a longer text than `--max-chars` (default 100,000
  characters, after removing HTML) the first 100,000 are analysed and the output says
  `"truncated": 100000`: a pasted log or attachment of a megabyte costs the rules seconds, and what a
  customer writes is far shorter (`--max-chars 0` analyses everything).

Malformed records (not JSON, not an object, the text field missing or not a string, a CSV row with the
wrong number of fields) are reported on stderr as "line N: reason" and skipped; with `--strict` the
first one stops the run. A text whose analysis raises is reported and skipped the same way.

Exit status: 0 every record analysed; 1 some records skipped (each reported on stderr); 2 stopped:
`--strict` met a malformed record, the input could not be read, the CSV header lacks the text column,
the arguments are wrong, or `--model` was asked for without the learned layer installed.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import dataclasses
import html
import io
import json
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from gezien.analysis import Analysis, AnalysisConfig, Analyzer, Lang, ModelUnavailable, Role

__all__ = ["StripResult", "main", "sanitize", "strip_html"]

EXIT_OK = 0
EXIT_SKIPPED = 1
EXIT_STOPPED = 2
DEFAULT_BATCH = 64
DEFAULT_MAX_CHARS = 100_000
LANGS = ("nl", "en")
ROLES = ("customer", "agent")

_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")
_SURROGATES = re.compile("[\ud800-\udfff]")

# HTML: a text is treated as HTML when it has a tag of these (common e-mail and web-form markup).
_HTML_TAGS = (
    "a|abbr|b|big|blockquote|body|br|center|code|div|em|font|h[1-6]|head|hr|html|i|img|li|mark|meta|ol|"
    "p|pre|s|small|span|strike|strong|style|sub|sup|table|tbody|td|th|thead|title|tr|u|ul|script|o:p"
)
_HTML_HINT = re.compile(rf"</?(?:{_HTML_TAGS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
_MARKUP = re.compile(
    r"(?P<comment><!--.*?(?:-->|\Z))"
    r"|(?P<tag></?(?P<name>[A-Za-z][A-Za-z0-9]*(?::[A-Za-z0-9]+)?)(?:\s[^<>]*)?/?>)"
    r"|(?P<doctype><![A-Za-z][^<>]*>)"
    r"|(?P<entity>&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)",
    re.DOTALL,
)
_INLINE = frozenset(
    "a abbr b big code em font i mark s small span strike strong sub sup u o:p".split()  # noqa: SIM905
)
_BREAKING = frozenset(
    "br p div li tr h1 h2 h3 h4 h5 h6 blockquote hr table ul ol title pre".split()  # noqa: SIM905
)
_SKIP_CONTENT = ("script", "style")


def sanitize(text: str) -> str:
    """Lone surrogates and NUL become U+FFFD, one character for one (offsets are unchanged)."""
    return _BAD_CHARS.sub("\ufffd", text) if _BAD_CHARS.search(text) else text


@dataclass
class StripResult:
    """A text without its markup, and the map back to the text as given."""

    text: str
    # Segments of `text`: out_starts[k] is where segment k starts in `text`, orig_starts[k] where it came
    # from in the original, orig_ends[k] where that source ends; copied[k] says whether the segment is a
    # verbatim copy (offsets map one to one) or a replacement (an entity, or a tag's separator).
    out_starts: list[int] = field(default_factory=list)
    orig_starts: list[int] = field(default_factory=list)
    orig_ends: list[int] = field(default_factory=list)
    copied: list[bool] = field(default_factory=list)

    def _segment(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.out_starts, position) - 1)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map `text[start:end]` to the span of the original it came from."""
        if not self.out_starts:
            return start, end
        k = self._segment(start)
        o_start = (
            self.orig_starts[k] + (start - self.out_starts[k]) if self.copied[k] else self.orig_starts[k]
        )
        if end <= start:
            return o_start, o_start
        k = self._segment(end - 1)
        o_end = self.orig_starts[k] + (end - self.out_starts[k]) if self.copied[k] else self.orig_ends[k]
        return o_start, max(o_start, o_end)


def strip_html(text: str) -> StripResult | None:
    """`text` without tags, comments, scripts and styles, entities decoded; None when it is not HTML.

    Inline tags (b, i, span, a, ...) vanish, block tags (p, br, div, li, ...) become a newline, other
    markup a space, so words stay apart. Linear in the length of the text.
    """
    if not _HTML_HINT.search(text):
        return None
    result = StripResult("")
    pieces: list[str] = []
    out = 0
    position = 0
    lowered: str | None = None
    no_close_after: dict[str, int] = {}  # closing tag name -> position from which it is known absent

    def emit(piece: str, orig_start: int, orig_end: int, copied: bool) -> None:
        nonlocal out
        if not piece:
            return
        result.out_starts.append(out)
        result.orig_starts.append(orig_start)
        result.orig_ends.append(orig_end)
        result.copied.append(copied)
        pieces.append(piece)
        out += len(piece)

    while position < len(text):
        match = _MARKUP.search(text, position)
        if match is None:
            break
        emit(text[position : match.start()], position, match.start(), True)
        end = match.end()
        if match.group("entity"):
            emit(html.unescape(match.group()), match.start(), end, False)
        elif match.group("tag"):
            name = match.group("name").lower()
            closing = match.group().startswith("</")
            if name in _SKIP_CONTENT and not closing:
                # Drop everything up to the closing tag (when there is one; else just this tag).
                lowered = lowered if lowered is not None else text.lower()
                needle = f"</{name}"
                found = -1
                if no_close_after.get(name, len(text) + 1) > end:
                    found = lowered.find(needle, end)
                    if found < 0:
                        no_close_after[name] = end
                if found >= 0:
                    close = text.find(">", found)
                    end = close + 1 if close >= 0 else len(text)
                emit(" ", match.start(), end, False)
            elif name in _INLINE:
                pass
            elif name in _BREAKING:
                emit("\n", match.start(), end, False)
            else:
                emit(" ", match.start(), end, False)
        else:  # comment, doctype
            emit(" ", match.start(), end, False)
        position = end
    emit(text[position:], position, len(text), True)
    result.text = "".join(pieces)
    return result


def analyzer_for(config: AnalysisConfig, model: bool, lexicon_dirs: Sequence[str | Path]) -> Analyzer:
    """The analyser of `config` plus what the command line asked: the learned layer (`--model`) and
    lexicon folders (`--lexicon-dir`, before the configured ones, which override them). Raises
    ModelUnavailable when the learned layer is asked for but not installed."""
    dirs = (*(Path(d) for d in lexicon_dirs), *config.lexicon_dirs)
    return Analyzer(dataclasses.replace(config, model=config.model or model, lexicon_dirs=dirs))


# --------------------------------------------------------------------------- reading


class Malformed(Exception):
    """A record that cannot be analysed: the reason, for "line N: reason"."""


@dataclass
class Record:
    line: int
    text: str
    keep: dict[str, Any]
    lang: Lang | None
    role: Role | None


class Stop(Exception):
    """The run cannot go on: the message for stderr (exit status 2)."""


def _record(line: int, data: dict[str, Any], text_field: str, keep: Sequence[str]) -> Record:
    if text_field not in data:
        raise Malformed(f"no {text_field!r} field")
    text = data[text_field]
    if not isinstance(text, str):
        raise Malformed(f"field {text_field!r} is {_kind(text)}, not a string")
    kept = {name: data[name] for name in ("id", *keep) if name in data}
    lang, role = data.get("lang"), data.get("role")
    return Record(line, text, kept, _lang(lang), role if role in ("customer", "agent") else None)


def _lang(value: Any) -> Lang | None:
    return "nl" if value == "nl" else "en" if value == "en" else None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", list: "an array", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def read_jsonl(
    stream: TextIO, text_field: str, keep: Sequence[str]
) -> Iterator[tuple[int, Record | Malformed]]:
    """(line, record or the reason it is malformed) for every non-blank line."""
    for number, line in enumerate(stream, 1):
        if number == 1 and line.startswith("\ufeff"):
            line = line[1:]
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, Malformed(f"not JSON ({error.msg} at column {error.colno})")
            continue
        except ValueError as error:  # e.g. an integer of more than 4,300 digits
            yield number, Malformed(f"not JSON ({error})")
            continue
        except RecursionError:
            yield number, Malformed("not JSON (nested too deeply)")
            continue
        if not isinstance(data, dict):
            yield number, Malformed(f"not a JSON object but {_kind(data)}")
            continue
        try:
            yield number, _record(number, data, text_field, keep)
        except Malformed as error:
            yield number, error


def read_csv(
    stream: TextIO, text_field: str, keep: Sequence[str]
) -> Iterator[tuple[int, Record | Malformed]]:
    """(line, record or the reason it is malformed) for every CSV row after the header."""
    _allow_large_fields()
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as error:
        raise Stop(f"line 1: unreadable CSV header ({error})") from error
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    header = [name.strip() for name in header]
    if text_field not in header:
        raise Stop(f"line 1: the CSV header has no {text_field!r} column (columns: {', '.join(header)})")
    previous_end = reader.line_num
    failures_in_a_row = 0
    while True:
        start = previous_end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            failures_in_a_row += 1
            if failures_in_a_row > 100:
                raise Stop(f"line {start}: the CSV reader cannot go on ({error})") from error
            previous_end = max(reader.line_num, start)
            yield start, Malformed(f"bad CSV row ({error})")
            continue
        failures_in_a_row = 0
        previous_end = reader.line_num
        if not row:
            continue  # a blank line
        if len(row) != len(header):
            yield start, Malformed(f"{len(row)} fields where the header has {len(header)}")
            continue
        try:
            yield start, _record(start, dict(zip(header, row, strict=True)), text_field, keep)
        except Malformed as error:
            yield start, error


def _allow_large_fields() -> None:
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2


# --------------------------------------------------------------------------- analysing and writing


@dataclass
class Run:
    analyzer: Analyzer
    stdout: TextIO
    stderr: TextIO
    lang: Lang | None
    role: Role | None
    keep_html: bool
    strict: bool
    batch_size: int
    max_chars: int = 0
    analysed: int = 0
    skipped: int = 0
    pending: list[Record] = field(default_factory=list)

    def report(self, line: int, reason: str) -> None:
        print(f"line {line}: {reason}", file=self.stderr)

    def add(self, record: Record) -> None:
        self.pending.append(record)
        if len(self.pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Analyse the pending records (grouped by language and role) and write them in input order."""
        if not self.pending:
            return
        prepared = []
        for record in self.pending:
            clean = sanitize(record.text)
            stripped = None if self.keep_html else strip_html(clean)
            prepared.append((record, clean, stripped))
        analysed = [_analysed_text(clean, stripped) for _, clean, stripped in prepared]
        truncated = [bool(self.max_chars) and len(text) > self.max_chars for text in analysed]
        if self.max_chars:  # a prefix: every evidence offset stays valid
            analysed = [text[: self.max_chars] for text in analysed]
        results: list[dict[str, Any] | BaseException | None] = [None] * len(prepared)
        groups: dict[tuple[Lang | None, Role], list[int]] = {}
        for index, (record, _, _) in enumerate(prepared):
            who: Role = self.role or record.role or "customer"
            groups.setdefault((self.lang or record.lang, who), []).append(index)
        for (lang, role), indices in groups.items():
            texts = [analysed[i] for i in indices]
            analyses: Sequence[Analysis | Exception]
            try:
                analyses = self.analyzer.analyze_many(texts, lang=lang, role=role)
            except Exception:  # one text broke the batch: find it, keep the others
                one_by_one: list[Analysis | Exception] = []
                for text in texts:
                    try:
                        one_by_one.append(self.analyzer.analyze_many([text], lang=lang, role=role)[0])
                    except Exception as error:
                        one_by_one.append(error)
                analyses = one_by_one
            for i, analysis in zip(indices, analyses, strict=True):
                results[i] = (
                    analysis
                    if isinstance(analysis, BaseException)
                    else self._signals(analysis, prepared[i][1], prepared[i][2])
                )
        self.pending = []
        for (record, _, stripped), result, cut in zip(prepared, results, truncated, strict=True):
            if isinstance(result, BaseException) or result is None:
                self.report(record.line, f"analysis failed ({type(result).__name__}: {result})")
                self.skipped += 1
                if self.strict:
                    raise Stop(f"line {record.line}: stopped (--strict)")
                continue
            out: dict[str, Any] = {"line": record.line, **record.keep}
            if stripped is not None:
                out["html"] = True
            if cut:
                out["truncated"] = self.max_chars
            out["signals"] = result
            self._write(out)
            self.analysed += 1

    @staticmethod
    def _signals(analysis: Any, clean: str, stripped: StripResult | None) -> dict[str, Any]:
        signals: dict[str, Any] = analysis.to_dict()
        if stripped is not None:
            mapped = []
            for item in signals.get("evidence", []):
                start, end = stripped.original_span(int(item[1]), int(item[2]))
                mapped.append([item[0], start, end, clean[start:end], *item[4:]])
            signals["evidence"] = mapped
        return signals

    def _write(self, out: dict[str, Any]) -> None:
        line = json.dumps(out, ensure_ascii=False)
        if _SURROGATES.search(line):  # a kept field with a lone surrogate: escape, never fail to encode
            line = json.dumps(out)
        self.stdout.write(line + "\n")


def _analysed_text(clean: str, stripped: StripResult | None) -> str:
    return clean if stripped is None else stripped.text


# --------------------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gezien analyse",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Signals for every text of a JSONL or CSV file, written as JSONL to stdout.",
        epilog=(
            "Malformed records are reported on stderr as 'line N: reason' and skipped (--strict: the\n"
            "first one stops the run). HTML texts are analysed without their markup (evidence offsets\n"
            "point into the text as given); lone surrogates and NUL become U+FFFD; of a text longer than\n"
            '--max-chars the first --max-chars characters are analysed (the output says "truncated").\n\n'
            "Exit status: 0 every record analysed, 1 some records skipped, 2 stopped (--strict, unreadable\n"
            "input, no text column, bad arguments, --model without the learned layer)."
        ),
    )
    parser.add_argument("file", help="input file, or - for stdin")
    parser.add_argument(
        "--format", choices=["jsonl", "csv"], help="input format (default: from the name; stdin JSONL)"
    )
    parser.add_argument(
        "--text-field", default="text", help="the field or column with the text (default: text)"
    )
    parser.add_argument(
        "--keep", default="", help="more fields to copy to the output, comma-separated (id always is)"
    )
    parser.add_argument(
        "--lang", choices=LANGS, help="language of every text (default: a record's 'lang', else detected)"
    )
    parser.add_argument(
        "--role", choices=ROLES, help="who wrote every text (default: a record's 'role', else customer)"
    )
    parser.add_argument("--model", action="store_true", help="add the learned layer (the 'models' extra)")
    parser.add_argument(
        "--strict", action="store_true", help="stop at the first malformed record (exit status 2)"
    )
    parser.add_argument(
        "--max-chars",
        type=int,
        default=DEFAULT_MAX_CHARS,
        help=f"analyse at most the first N characters of a text (default {DEFAULT_MAX_CHARS:,}; 0: all)",
    )
    parser.add_argument(
        "--lexicon-dir", action="append", default=[], help="an organisation's lexicon folder (repeatable)"
    )
    parser.add_argument(
        "--keep-html", action="store_true", help="analyse HTML texts as they are, markup included"
    )
    parser.add_argument(
        "--batch-size", type=int, default=DEFAULT_BATCH, help=f"texts per batch (default {DEFAULT_BATCH})"
    )
    return parser


def _open_input(name: str, stdin: TextIO, csv_format: bool) -> TextIO:
    newline = "" if csv_format else None
    if name == "-":
        buffer = getattr(stdin, "buffer", None)
        if buffer is not None:  # a real stdin: decode leniently ourselves
            return io.TextIOWrapper(buffer, encoding="utf-8-sig", errors="replace", newline=newline)
        return stdin
    return Path(name).open(encoding="utf-8-sig", errors="replace", newline=newline)


def main(
    argv: Sequence[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    config: AnalysisConfig | None = None,
) -> int:
    """Run `gezien analyse`; returns the exit status (see the module's docstring). `config`: what the
    analyser is built from besides the arguments (`gezien.cli` passes the environment's)."""
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_STOPPED if exit_.code else EXIT_OK
    if args.batch_size < 1:
        print("gezien analyse: --batch-size must be at least 1", file=stderr)
        return EXIT_STOPPED
    csv_format = args.format == "csv" or (args.format is None and args.file.lower().endswith(".csv"))
    keep = [name.strip() for name in args.keep.split(",") if name.strip()]

    try:
        analyzer = analyzer_for(config or AnalysisConfig(), args.model, args.lexicon_dir)
    except (ModelUnavailable, ImportError, OSError) as error:
        print(f"gezien analyse: learned layer not installed: {error}", file=stderr)
        return EXIT_STOPPED
    try:
        stream = _open_input(args.file, stdin, csv_format)
    except OSError as error:
        print(f"gezien analyse: cannot read {args.file}: {error.strerror or error}", file=stderr)
        return EXIT_STOPPED
    reconfigure = getattr(stdout, "reconfigure", None)
    if stdout is sys.stdout and reconfigure and (getattr(stdout, "encoding", "") or "").lower() != "utf-8":
        reconfigure(encoding="utf-8")
    run = Run(
        analyzer,
        stdout,
        stderr,
        args.lang,
        args.role,
        args.keep_html,
        args.strict,
        args.batch_size,
        max(0, args.max_chars),
    )
    reader = read_csv if csv_format else read_jsonl
    try:
        for number, item in reader(stream, args.text_field, keep):
            if isinstance(item, Malformed):
                run.skipped += 1
                if args.strict:
                    run.flush()  # what came before the malformed record is written first
                    run.report(number, str(item))
                    raise Stop(f"line {number}: stopped (--strict)")
                run.report(number, str(item))
                continue
            run.add(item)
        run.flush()
    except Stop as stop:
        print(f"gezien analyse: {stop}", file=stderr)
        return EXIT_STOPPED
    except OSError as error:
        print(f"gezien analyse: cannot read {args.file}: {error.strerror or error}", file=stderr)
        return EXIT_STOPPED
    finally:
        stdout.flush()
        if args.file != "-":
            stream.close()
        elif stream is not stdin and isinstance(stream, io.TextIOWrapper):
            stream.detach()  # leave the process's stdin open
    if run.skipped:
        print(f"gezien analyse: {run.analysed:,} analysed, {run.skipped:,} skipped", file=stderr)
        return EXIT_SKIPPED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
