"""Warm the embedding model when a process starts, in the background.

Loading all-MiniLM-L6-v2 and its first call take seconds; without this, the
first user to run a meaning (or hybrid, the default) search after a restart
waits for it. A daemon thread does it instead: start-up is not delayed, a
search that arrives first simply waits on the model's lock as it would
have, and a failure is logged, never raised (searches then load the model
as before). Web processes warm in `web.app.create_app`, worker pool
processes through `search.registration` (they embed every indexed passage). Turned off
with ``MIZAN_WARM_MODEL=false`` (and in the test suite's settings).
"""

from __future__ import annotations

import logging
import threading

from mizan.kernel import Kernel
from search.backends import embedder, vector_index

__all__ = ["start_warm_up", "warm_up"]

log = logging.getLogger(__name__)


def warm_up(kernel: Kernel, *, read_vectors: bool = True) -> None:
    """Load and run the model; with `read_vectors`, read the vector index into memory too.

    A web process searches the vectors (the embedded index keeps them in memory);
    a worker only writes them, so it reads none.
    """
    embedder(kernel).warm(for_search=read_vectors)  # a process that searches embeds queries
    if read_vectors:
        vector_index(kernel).prepare()  # at a million passages: ~30 s of reading, plus the graph


def _warm_quietly(kernel: Kernel, read_vectors: bool) -> None:
    try:
        warm_up(kernel, read_vectors=read_vectors)
    except Exception:
        log.exception("Warming the embedding model failed; the first meaning search will load it")


def start_warm_up(kernel: Kernel, *, read_vectors: bool = True) -> threading.Thread | None:
    """Start warming in a daemon thread (None when the setting turns it off)."""
    if not kernel.settings.warm_model:
        return None
    thread = threading.Thread(
        target=_warm_quietly, args=(kernel, read_vectors), name="mizan-warm-model", daemon=True
    )
    thread.start()
    return thread
