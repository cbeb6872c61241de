"""Where a search's time goes: named stages timed only while someone is recording.

`bench/bench_search.py` records each query's breakdown (engine, permission
filter, totals, facets, snippets, embedding, assembly) to choose what to make
faster by measurement. Outside a recording `stage` costs one context-variable
read, so the product carries the probes at no measurable cost.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar

__all__ = ["recording", "stage"]

_current: ContextVar[dict[str, list[float]] | None] = ContextVar(
    "mizan_search_stages", default=None
)


@contextlib.contextmanager
def recording() -> Iterator[dict[str, list[float]]]:
    """[wall seconds, this thread's CPU seconds] per stage of everything run inside, summed
    by stage name. Both, because on a loaded machine wall time mostly measures waiting."""
    seconds: dict[str, list[float]] = {}
    token = _current.set(seconds)
    try:
        yield seconds
    finally:
        _current.reset(token)


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the time spent inside to stage `name` of the current recording, if any."""
    seconds = _current.get()
    if seconds is None:
        yield
        return
    start, cpu = time.perf_counter(), time.thread_time()
    try:
        yield
    finally:
        spent = seconds.setdefault(name, [0.0, 0.0])
        spent[0] += time.perf_counter() - start
        spent[1] += time.thread_time() - cpu
