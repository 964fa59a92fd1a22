"""Writes for message signals: analyse stored messages with `gezien.analysis` and keep what it found.

Every new message is analysed after the transaction that stores it commits, off the request: the
outbox (`contacts.outbox`) hands its batches' new messages to `messages_analyse_new`, in the server
process's drain thread on SQLite (`GEZIEN_ANALYSIS_INLINE`) or in `gezien worker`. The message never
waits for, or depends on, its analysis: a failure is logged and leaves the message unanalysed, for
`gezien analysis reanalyse` to fill in later.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.constants import OnConflict
from django.utils import timezone

from gezien.analysis import Analysis, AnalysisConfig, Analyzer, ModelUnavailable
from gezien.analysis.model import refitted_heads
from gezien.contacts.models import Author, Message, MessageSignals
from gezien.contacts.vocabulary import THRESHOLD
from gezien.core.prepared import IdsQuery, db_values
from gezien.desksettings.store import desk_setting

logger = logging.getLogger(__name__)

# Whose words a message holds decides how it is read; system messages (transfer notes) are not analysed.
ROLE_OF_AUTHOR: dict[str, Literal["customer", "agent"]] = {
    Author.CUSTOMER: "customer",
    Author.AGENT: "agent",
}
Scope = Literal["missing", "stale", "all"]
_UPDATED = [f.name for f in MessageSignals._meta.concrete_fields if not f.primary_key]

# Called with the ids of the contacts whose new messages were just analysed (not on `reanalyse`): the
# assist's protocols and routing register here, so that contacts never import what builds on them.
NewSignalsListener = Callable[[list[int]], None]
_listeners: list[NewSignalsListener] = []

_lock = threading.Lock()
_analysers: dict[str, Analyzer] = {}
_failures: dict[str, Exception] = {}  # e.g. "on" without the learned layer: until the process restarts


def analyser(mode: str | None = None) -> Analyzer:
    """The process-wide analyser for `mode` (auto|on|off, default `GEZIEN_ANALYSIS_MODEL`), built once:
    loading the lexicons (and the learned layer) takes a moment, analysing a message then ~0.1 ms."""
    mode = mode or settings.GEZIEN_ANALYSIS_MODEL
    with _lock:
        if mode in _failures:  # not again for every message: loading costs a moment each time
            raise _failures[mode]
        found = _analysers.get(mode)
        if found is None:
            try:
                found = _analysers[mode] = _build(mode)
            except Exception as exc:
                _failures[mode] = exc
                raise
        return found


def analysis_warm_up() -> None:
    """Build the analyser and run it once, so that the first stored message does not wait for the
    lexicons and lemma dictionaries to load (~2 s). For server processes that analyse inline."""
    try:
        analyser().analyze_many(["Goedemorgen, ik heb een vraag.", "Good morning, I have a question."])
    except Exception:
        logger.exception("The analyser could not be loaded; messages will be analysed when it can.")


def analysers_forget() -> None:
    """Drop the cached analysers (after `gezien analysis train` wrote new heads, and in tests)."""
    with _lock:
        _analysers.clear()
        _failures.clear()


def _build(mode: str) -> Analyzer:
    if mode == "off":
        return Analyzer(analysis_config(model=False))
    try:
        return _with_model()
    except (ModelUnavailable, ImportError, FileNotFoundError):
        if mode == "on":
            raise
        logger.info("The learned layer is not installed; messages are analysed by the rules alone.")
        return Analyzer(analysis_config(model=False))


def analysis_config(model: bool) -> AnalysisConfig:
    """The analysis library's configuration from the settings: the organisation's lexicons
    (GEZIEN_LEXICON_DIRS), the heads `gezien analysis train` wrote to GEZIEN_MODEL_DIR, if any, and our
    own name and products (GEZIEN_ORGANISATION_NAME, GEZIEN_OWN_PRODUCTS: a switch to them is no churn)."""
    return AnalysisConfig(
        model=model,
        lexicon_dirs=tuple(settings.GEZIEN_LEXICON_DIRS),
        heads_dir=refitted_heads(settings.GEZIEN_MODEL_DIR),
        own_names=own_names(),
    )


def own_names() -> tuple[str, ...]:
    """The organisation's own name and its products and plans, from the settings."""
    return (desk_setting("organisation_name"), *settings.GEZIEN_OWN_PRODUCTS)


def _with_model() -> Analyzer:
    """The analyser with the learned layer: the organisation's refitted heads when there are, else the
    shipped ones."""
    return Analyzer(analysis_config(model=True))


def analyser_version(analysing: Analyzer) -> str:
    """What identifies the analyser's output: its layers and the lexicons' and heads' fingerprints."""
    return analysing.version[:80]


def _row(message: Message, result: Analysis, version: str, at: datetime) -> MessageSignals:
    data = result.to_dict()
    name, score = max(result.emotions.items(), key=lambda item: item[1], default=("", 0.0))
    return MessageSignals(
        message=message,  # also caches the signals on the message, for the caller's answer
        data=data,
        role=result.role,
        lang=result.lang,
        register=result.register,
        top_emotion=name if score >= THRESHOLD else "",
        top_score=_unit(score),
        sentiment=max(-1.0, min(1.0, float(result.sentiment))),
        abuse=_unit(result.abuse),
        churn=_unit(result.churn),
        repeat=_unit(result.repeat),
        life_events=" ".join(sorted(result.life_events))[:200],
        layers="+".join(result.layers)[:60],
        version=version[:80],
        analysed_at=at,
    )


def _unit(score: float) -> float:
    return max(0.0, min(1.0, float(score)))


def messages_analyse(
    messages: Sequence[Message], *, using: Analyzer | None = None, replace: bool = True
) -> int:
    """Analyse `messages` and store their signals, replacing earlier ones (`replace`; new messages
    have none, and a plain insert is cheaper). Returns how many were stored."""
    rows = signal_rows(messages, using=using)
    _store(rows, replace=replace)
    return len(rows)


def signal_rows(messages: Sequence[Message], *, using: Analyzer | None = None) -> list[MessageSignals]:
    """The signals of `messages`, not stored yet. Customer messages are read as the customer's, agent
    messages, notes and transcript turns as the agent's; system messages are skipped. One
    `analyze_many` call per role (batched for the model)."""
    using = using or analyser()
    by_role: dict[Literal["customer", "agent"], list[Message]] = {}
    for message in messages:
        role = ROLE_OF_AUTHOR.get(message.author)
        if role is not None:
            by_role.setdefault(role, []).append(message)
    version, now = analyser_version(using), timezone.now()
    rows = []
    for role, group in by_role.items():
        results = using.analyze_many([m.text for m in group], role=role)
        rows += [_row(m, r, version, now) for m, r in zip(group, results, strict=True)]
    return rows


def _store(rows: list[MessageSignals], *, replace: bool) -> None:
    if rows and replace:
        MessageSignals.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["message"], update_fields=_UPDATED
        )
    elif rows:
        MessageSignals.objects.bulk_create(rows)


def _upsert_sql(rows: list[MessageSignals]) -> list[tuple[str, tuple[Any, ...]]]:
    """`_store(rows, replace=True)` as SQL (an earlier, interrupted drain may have stored some rows
    already), built before the transaction: inside `atomic()` it would hold SQLite's write lock, the
    requests that open contacts waiting for it. Written out here rather than by the ORM's InsertQuery,
    which compiled every value of every row anew (~1.8 ms for a batch of 25 rows, against ~0.3 ms):
    the same INSERT ... ON CONFLICT (message) DO UPDATE, the values prepared by their fields."""
    if not rows:
        return []
    fields, head, row, tail = _upsert_parts()
    size = max(connection.ops.bulk_batch_size(fields, rows), 1)
    statements: list[tuple[str, tuple[Any, ...]]] = []
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        params = tuple(value for obj in chunk for value in db_values(fields, obj, add=True))
        statements.append((head + ", ".join([row] * len(chunk)) + tail, params))
    return statements


_UPSERT_PARTS: dict[str, tuple[list[Any], str, str, str]] = {}  # by database vendor


def _upsert_parts() -> tuple[list[Any], str, str, str]:
    """The fields, the statement's head, one row's placeholders and the ON CONFLICT clause."""
    found = _UPSERT_PARTS.get(connection.vendor)
    if found is None:
        meta, ops = MessageSignals._meta, connection.ops
        fields = [f for f in meta.concrete_fields if not f.generated]  # the key is the message
        columns = ", ".join(ops.quote_name(f.column) for f in fields)
        conflict = ops.on_conflict_suffix_sql(
            fields,
            OnConflict.UPDATE,
            [meta.get_field(name).column for name in _UPDATED],  # type: ignore[union-attr]
            [meta.get_field("message").column],
        )
        head = f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) VALUES "  # noqa: S608 -- names
        found = _UPSERT_PARTS[connection.vendor] = (
            fields,
            head,
            f"({', '.join(['%s'] * len(fields))})",
            f" {conflict}",
        )
    return found


def on_new_signals(listener: NewSignalsListener) -> None:
    """Have `listener(contact_ids)` called after new messages were analysed (once per listener)."""
    if listener not in _listeners:
        _listeners.append(listener)


def new_signals_listeners() -> list[NewSignalsListener]:
    return list(_listeners)


# Prepared (`IdsQuery`): the outbox reads every batch's new messages with it.
_ANALYSED_MESSAGES = IdsQuery(lambda ids: Message.objects.filter(pk__in=ids, author__in=list(ROLE_OF_AUTHOR)))


def messages_analyse_new(message_ids: Sequence[int]) -> list[int]:
    """Analyse these new messages and store their signals (for the outbox: read and analysed outside
    any transaction, stored in one statement); returns the contacts that got signals. A failure is
    logged and leaves the messages unanalysed, for `gezien analysis reanalyse` to fill in later: the
    messages never depend on their analysis."""
    if not message_ids:
        return []
    try:
        messages: list[Message] = _ANALYSED_MESSAGES.objects(message_ids)
        statements = _upsert_sql(signal_rows(messages))
        with transaction.atomic(), connection.cursor() as cursor:  # a savepoint inside a transaction
            for sql, params in statements:
                cursor.execute(sql, params)
    except Exception:
        logger.exception("Analysing messages %s failed; `gezien analysis reanalyse` will retry.", message_ids)
        return []
    return sorted({m.contact_id for m in messages})


def messages_to_analyse(scope: Scope, version: str) -> QuerySet[Message]:
    """Messages that `reanalyse` would analyse: without signals (`missing`), also those written by
    another analyser version (`stale`), or every one (`all`). System messages never."""
    qs = Message.objects.exclude(author=Author.SYSTEM)
    if scope == "missing":
        return qs.filter(signals__isnull=True)
    if scope == "stale":
        return qs.filter(Q(signals__isnull=True) | ~Q(signals__version=version))
    return qs


def messages_reanalyse(
    *,
    scope: Scope = "stale",
    batch: int = 500,
    using: Analyzer | None = None,
    progress: Callable[[int, int], Any] | None = None,
) -> int:
    """Analyse the messages of `scope` in batches of `batch`, each batch in its own transaction, so an
    interrupted run keeps what it did and a second run goes on from there. `progress(done, total)` is
    called after each batch. Returns how many messages were analysed."""
    using = using or analyser()
    todo = messages_to_analyse(scope, analyser_version(using))
    total, done, last = todo.count(), 0, 0
    if progress is not None:
        progress(0, total)
    while True:
        chunk = list(todo.filter(pk__gt=last).order_by("pk").only("pk", "author", "text")[:batch])
        if not chunk:
            return done
        with transaction.atomic():
            done += messages_analyse(chunk, using=using)
        last = chunk[-1].pk
        if progress is not None:
            progress(done, max(total, done))
