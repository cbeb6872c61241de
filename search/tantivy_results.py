"""From Tantivy's matching passages to ranked documents, their total and their hits.

Tantivy matches passages; a search lists documents. A document scores as its
best passage, and its next matching passages give its extra snippets.

**Exact document totals up to `EXACT_TOTAL_MAX` matching passages**,
estimated above it (see `_sample_documents`): counting documents means
reading every match into Python, which at a million passages was most of a
common word's search. With facets the bound is higher (`EXACT_FACETS_MAX`):
above it the total and the facet counts both come from the same sample of
documents and the page says "about".
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import NamedTuple

import tantivy

from search.port import Hit
from search.query_syntax import Section, Words
from search.snippets import make_snippets
from search.tantivy_schema import fast_ints, stored, stored_text

__all__ = [
    "EXACT_FACETS_MAX",
    "EXACT_TOTAL_MAX",
    "TOTAL_SAMPLE",
    "Ranking",
    "Sample",
    "more_passages",
    "rank_documents",
    "to_hit",
]

#: Matching passages up to which the document total is counted exactly when no facets are
#: asked for. Counting reads every match into Python (~0.3 µs each): at a million passages
#: a common word matches 100,000 and counting took 20-40 ms, 80% of the search. Above it the
#: total is estimated from a sample (within ~1% measured; `SearchResult.total_exact` False).
EXACT_TOTAL_MAX = 5_000

#: Matching passages up to which a search with facets counts its total and facets exactly
#: (reading every match); above it both are estimated from the sample. At 200,000 passages
#: exact facets cost up to ~170 ms p95 for a common word; the same bound as totals kept
#: the search page under ~25 ms CPU there.
EXACT_FACETS_MAX = EXACT_TOTAL_MAX

#: Matching passages read to estimate a large document total (see _sample_documents).
TOTAL_SAMPLE = 4_000


class Sample(NamedTuple):
    """A uniform random sample of a search's documents, with all their matching passages."""

    documents: int  # documents matching the search, estimated (exact if `cutoff` is None)
    addrs: list[tantivy.DocAddress]  # the sampled documents' matching passages
    keys: list[int]  # their doc_key
    cutoff: int | None  # sampled documents are those with doc_key <= cutoff; None: all

    @property
    def sampled(self) -> int:
        """How many documents the sample holds."""
        return len(set(self.keys))


def _sample_documents(searcher: tantivy.Searcher, q: tantivy.Query) -> Sample:
    """Documents matching `q`, estimated from a sample of documents (exact for a few).

    The matches with the smallest doc_key (a hash of doc_id: a uniform random
    choice of documents) are read with all their matching passages, so the
    sample's documents-per-passage ratio is unbiased; times `passages`.
    Measured at 1,000,000 passages: within 1% of the exact count (a corpus of long
    judgments, many matches each, is harder: up to 4% at 100,000), in 2-5 ms
    where counting exactly took 10-40 ms (Tantivy's HyperLogLog `cardinality`
    was up to 6% off). Rounded to three significant digits: it is an estimate.
    The same sample counts the facets of such a search (`search.tantivy_facets`).
    """
    res = searcher.search(
        q, limit=TOTAL_SAMPLE, count=True, order_by_field="doc_key", order=tantivy.Order.Asc
    )
    keys, passages = [key for key, _ in res.hits], _passages(res)
    addrs = [addr for _, addr in res.hits]
    if len(keys) >= passages or not keys:
        return Sample(len(set(keys)), addrs, keys, None)
    cut = keys[-1]  # that document may be cut short
    kept = [i for i, key in enumerate(keys) if key != cut]
    keys, addrs = [keys[i] for i in kept], [addrs[i] for i in kept]
    if not keys:
        return Sample(passages, addrs, keys, None)
    estimate = passages * len(set(keys)) / len(keys)
    digits = max(0, len(str(int(estimate))) - 3)
    return Sample(int(round(estimate, -digits)), addrs, keys, keys[-1])


def _passages(res: tantivy.SearchResult) -> int:
    """How many passages matched a `count=True` search (tantivy's stub omits `count`)."""
    return res.count  # type: ignore[attr-defined]


class _Total:
    """A document total being estimated on another thread; int() waits for it."""

    def __init__(self, estimate: Future[Sample], seen: int, passages: int) -> None:
        self._estimate, self._seen, self._passages = estimate, seen, passages

    def __int__(self) -> int:  # at least the documents ranked, at most the passages matched
        return min(max(self._estimate.result().documents, self._seen), self._passages)

    def sample(self) -> Sample:
        """The documents the estimate was made from (waits for it)."""
        return self._estimate.result()


class Ranking(NamedTuple):
    """A search's documents, total and matching passages (see `rank_documents`)."""

    ranked: list[tuple[float, tantivy.DocAddress, int]]  # best passage per document
    total: int | _Total
    matches: tuple[list[tantivy.DocAddress], list[int]]  # passages, best or newest first
    complete: bool  # `matches` holds every matching passage, and the total is exact

    def sample(self) -> Sample:
        """The documents an estimated total was made from (waits for the estimate)."""
        if not isinstance(self.total, _Total):
            raise ValueError("an exact total has no sample")
        return self.total.sample()


_POOL: tuple[int, ThreadPoolExecutor] | None = None


def _count_pool() -> ThreadPoolExecutor:
    """Threads for the estimates, per process (a forked worker cannot use its parent's)."""
    global _POOL
    if _POOL is None or _POOL[0] != os.getpid():
        _POOL = (os.getpid(), ThreadPoolExecutor(max_workers=2, thread_name_prefix="mizan-count"))
    return _POOL[1]


def rank_documents(
    searcher: tantivy.Searcher,
    q: tantivy.Query,
    want: int,
    *,
    window: int,
    by_date: bool = False,
    exact_max: int | None = None,
) -> Ranking:
    """Best passage per document, best (or newest) documents first, and the total.

    Fetches the top `window` passages, quadrupling the window until it covers
    `want` distinct documents or all matches. A document's score is its
    best passage's score. If the window did not reach every match, the
    total is counted by reading `doc_key` for all matching passages:
    O(matching passages), about 35 ms per 150,000 matches on 2 cores; or,
    above `exact_max` matching passages, estimated in the engine (then
    `matches` is only the window).
    """
    order_by = "sort_day" if by_date else None  # newest first; None ranks by score
    estimate: Future[Sample] | None = None
    k = window
    while True:
        res = searcher.search(
            q, limit=k, count=True, order_by_field=order_by, order=tantivy.Order.Desc
        )
        passages = _passages(res)
        if estimate is None and exact_max is not None and passages > max(exact_max, k):
            # Only now, when it will be used: handing every search to a thread cost
            # ~0.5 ms of CPU and a second engine pass. It runs on another thread (Tantivy
            # releases the GIL) while this one groups the window and makes snippets.
            estimate = _count_pool().submit(_sample_documents, searcher, q)
        addrs = [addr for _, addr in res.hits]
        keys = fast_ints(searcher, "doc_key", addrs) if addrs else []
        best: dict[int, tuple[float, tantivy.DocAddress, int]] = {}
        for (score, addr), key in zip(res.hits, keys, strict=True):
            best.setdefault(key, (score, addr, key))  # hits come best first
        if len(best) >= want or k >= passages:
            break
        k = min(passages, k * 4)
    ranked = list(best.values())[:want]
    if k >= passages:
        return Ranking(ranked, len(best), (addrs, keys), complete=True)
    if estimate is not None:
        return Ranking(ranked, _Total(estimate, len(best), passages), (addrs, keys), False)
    everything = [
        a
        for _, a in searcher.search(
            q, limit=passages, count=False, order_by_field=order_by, order=tantivy.Order.Desc
        ).hits
    ]
    all_keys = fast_ints(searcher, "doc_key", everything)
    return Ranking(ranked, len(set(all_keys)), (everything, all_keys), complete=True)


def more_passages(
    searcher: tantivy.Searcher,
    page: Sequence[tuple[float, tantivy.DocAddress, int]],
    matches: tuple[list[tantivy.DocAddress], list[int]],
    wanted: int,
) -> dict[int, list[str]]:
    """Texts of up to `wanted` next matching passages of the page's documents, by doc_key.

    Read from `matches` (best or newest first, with their doc_key): every
    match when the total is exact, else the ranking's window (at least ten
    times the page) — no further search, which for a common word cost as
    much again as the ranking. A document whose other matching passages
    all rank below the window shows snippets from its best passage only.
    """
    if wanted <= 0 or not page:
        return {}
    on_page = {key for _, _, key in page}
    shown = {(a.segment_ord, a.doc) for _, a, _ in page}
    out: dict[int, list[str]] = {}
    full = 0
    for addr, key in zip(*matches, strict=True):  # best first: the page's come early
        if key not in on_page or (addr.segment_ord, addr.doc) in shown:
            continue
        texts = out.setdefault(key, [])
        if len(texts) < wanted:
            texts.append(stored_text(searcher.doc(addr), "text"))
            full += len(texts) == wanted
            if full == len(on_page):
                break
    return out


def to_hit(
    doc: tantivy.Document,
    score: float,
    texts: list[str],
    leaves: Sequence[Words | Section],
    *,
    snippets_per_doc: int,
    snippet_chars: int,
) -> Hit:
    """A document's hit from its best passage `doc`, with snippets from `texts`."""
    return Hit(
        doc_id=stored(doc, "doc_id"),
        passage_id=stored(doc, "passage_id"),
        score=float(score),
        title=stored_text(doc, "title"),
        kind=stored(doc, "kind"),
        case_id=doc.get_first("case_id"),
        page=doc.get_first("page"),
        snippets=make_snippets(texts, leaves, snippets_per_doc, snippet_chars),
    )
