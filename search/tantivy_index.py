"""Embedded full-text index on Tantivy: the default `SearchIndex` adapter.

The adapter opens, writes and reads the index; the rest lives beside it:
`search.tantivy_schema` (the fields, a passage as a document),
`search.tantivy_query` (our query language compiled, with permissions and
filters inside the engine query), `search.tantivy_results` (documents from
matching passages, totals, hits) and `search.tantivy_facets`. Our own query
language is parsed in `search.query_syntax`, so errors read well to a clerk
and no Tantivy field syntax leaks to users.

**Concurrency.** Tantivy allows one writer per index across processes. Each
upsert batch takes the writer lock, commits, waits for merges and releases
it; a busy lock is retried until `lock_timeout`. Every search first checks
meta.json and reloads the reader if it changed, so a web process sees a
worker's commits on its next search.

Query language (documented for the help page):

    murder karachi        any of the words, best matches first (OR, BM25)
    "qatl-e-amd"          exact phrase (punctuation inside words is ignored,
                          so 302/34, s.302 and 18.04.2011 search as phrases)
    murder AND karachi    both (AND binds tighter than OR)
    bail OR remand        either
    NOT acquitted         exclude (also -acquitted);  +murder requires a word
    murd*                 words starting with "murd"
    (a OR b) AND c        grouping
    302 PPC, s.302(b)     statute references: the words as a phrase, or any
                          passage about that provision (see search.statute_keys)

Operators must be written in capitals; lowercase and/or/not are words.
Matching is per passage (a few hundred words): AND needs both words in one
passage, and NOT drops passages, not whole documents, so a long judgment can
still match "murder NOT acquitted" through a passage without "acquitted".
As in Lucene, NOT never adds matches: "a OR NOT b" means "a, without b".
"""

from __future__ import annotations

import contextlib
import os
import random
import threading
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path

import tantivy

from search.port import (
    Passage,
    Ranked,
    SearchIndex,
    SearchResult,
    SearchUnavailableError,
    check_page,
    check_passages,
)
from search.query_syntax import parse_query, positive_leaves
from search.stages import stage
from search.tantivy_facets import facet_counts, no_facets, sampled_facet_counts
from search.tantivy_query import restricted, restrictions
from search.tantivy_results import (
    EXACT_FACETS_MAX,
    EXACT_TOTAL_MAX,
    more_passages,
    rank_documents,
    to_hit,
)
from search.tantivy_schema import SCHEMA, TERMS_TOKENIZER, stored, stored_text, to_document
from search.tantivy_whole import WHOLE_SCHEMA, rank_whole, to_whole_document
from search.whole_documents import whole_records

__all__ = ["WHOLE_DIR", "TantivyIndex", "discard_stale_layout"]

#: The whole-document index's directory inside the passage index's.
WHOLE_DIR = "documents"


def discard_stale_layout(path: Path) -> bool:
    """Delete the text index at `path` if it was built with another layout; True if it was.

    For a full rebuild (`mizan reindex`): the store is the source of truth, so an index
    from an older version of Mizan is thrown away rather than refused. Only Tantivy's own
    files go; subdirectories (the vector index lives in `vectors/`) stay. The
    whole-document index (`WHOLE_DIR`) is checked the same way.
    """
    root = Path(path)
    if (root / "meta.json").exists() and not (root / WHOLE_DIR).is_dir():
        # Built before whole documents were indexed: rebuilt, so that both hold every
        # document (otherwise long descriptions would rank by passages alone).
        for entry in root.iterdir():
            if entry.is_file():
                entry.unlink()
        return True
    discarded = False
    for schema, where in ((SCHEMA, root), (WHOLE_SCHEMA, root / WHOLE_DIR)):
        if not where.is_dir():
            continue
        try:
            tantivy.Index(schema, str(where), reuse=True)
        except ValueError as exc:
            if "schema does not match" not in str(exc):
                raise
            for entry in where.iterdir():
                if entry.is_file():
                    entry.unlink()
            discarded = True
    return discarded


class TantivyIndex(SearchIndex):
    """On-disk Tantivy index at `path`; safe to open from several processes."""

    def __init__(
        self,
        path: Path,
        *,
        lock_timeout: float = 10.0,
        writer_heap_bytes: int = 50_000_000,
        snippets_per_doc: int = 3,
        snippet_chars: int = 200,
        passages_per_doc: int = 3,
        exact_total_max: int | None = EXACT_TOTAL_MAX,
        exact_facets_max: int | None = EXACT_FACETS_MAX,
    ) -> None:
        """`exact_total_max`: matching passages up to which a search without facets counts
        its documents exactly; above it the total is estimated (None: always exact). See
        `search.tantivy_results.rank_documents`. `exact_facets_max`: the same for a search
        with facets, whose facet counts are then estimated from the same sample."""
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.writer_heap_bytes = max(writer_heap_bytes, 15_000_000)  # Tantivy's minimum
        self.snippets_per_doc = snippets_per_doc
        self.snippet_chars = snippet_chars
        self.passages_per_doc = passages_per_doc
        self.exact_total_max = exact_total_max
        self.exact_facets_max = exact_facets_max
        self._write_lock = threading.Lock()  # one writer per process; others wait here
        self.path.mkdir(parents=True, exist_ok=True)
        self._index = self._open(SCHEMA, self.path)
        # Whole documents, for ranking a long description (search.whole_documents).
        (self.path / WHOLE_DIR).mkdir(exist_ok=True)
        self._whole = self._open(WHOLE_SCHEMA, self.path / WHOLE_DIR)
        for index in (self._index, self._whole):
            index.register_tokenizer(
                TERMS_TOKENIZER,
                tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build(),
            )
            # We reload before a search ourselves when the index changed; no watcher thread.
            index.config_reader(reload_policy="manual")
        self._cached: dict[Path, tuple[tuple[int, int, int], tantivy.Searcher]] = {}

    @staticmethod
    def _open(schema: tantivy.Schema, path: Path) -> tantivy.Index:
        for attempt in range(3):
            try:
                return tantivy.Index(schema, str(path), reuse=True)
            except ValueError as exc:
                if "schema does not match" in str(exc):
                    raise SearchUnavailableError(
                        f"The search index at {path} was built by another version of "
                        "Mizan. Rebuild it with the reindex command (mizan reindex)."
                    ) from exc
                if attempt == 2:  # another process may be creating it right now
                    raise SearchUnavailableError(f"cannot open search index: {exc}") from exc
                time.sleep(0.05)
        raise AssertionError("unreachable")

    # -- writing -----------------------------------------------------------

    def _acquire_writer(self, index: tantivy.Index) -> tantivy.IndexWriter:
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.02
        while True:
            try:
                return index.writer(heap_size=self.writer_heap_bytes, num_threads=1)
            except ValueError as exc:
                if "LockBusy" not in str(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise SearchUnavailableError(
                        "The search index is busy: another process is writing to it. "
                        "Try again shortly."
                    ) from exc
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.5)

    def _write(
        self,
        change: Callable[[tantivy.IndexWriter], None],
        whole: Callable[[tantivy.IndexWriter], None],
    ) -> None:
        """Apply `change` to the passages and then `whole` to the whole documents, one
        commit each, while holding the passage index's (cross-process) writer lock.

        The two commits are not one transaction: if the second fails, the error
        goes up like any failed write and the retried write repairs both."""
        with self._write_lock:
            writer = self._acquire_writer(self._index)
            try:
                self._commit(writer, change)
                whole_writer = self._acquire_writer(self._whole)
                try:
                    self._commit(whole_writer, whole)
                finally:
                    whole_writer.wait_merging_threads()
            finally:
                # Finishes merges and releases the lock for the next process.
                writer.wait_merging_threads()

    @staticmethod
    def _commit(writer: tantivy.IndexWriter, change: Callable[[tantivy.IndexWriter], None]) -> None:
        try:
            change(writer)
            writer.commit()
        except BaseException:
            with contextlib.suppress(Exception):  # keep the original error
                writer.rollback()
            raise

    def upsert(self, passages: Sequence[Passage]) -> None:
        if not passages:
            return
        check_passages(passages)
        docs = [to_document(p) for p in passages]  # tokenise before taking the lock
        wholes = [to_whole_document(p) for p in whole_records(passages)]
        doc_ids = dict.fromkeys(p.doc_id for p in passages)

        def change(writer: tantivy.IndexWriter) -> None:
            # Deletes only hit documents added before them, so delete-then-add
            # in one commit replaces atomically.
            for doc_id in doc_ids:
                writer.delete_documents_by_term("doc_id", doc_id)
            for p in passages:  # passage ids stay unique even if a passage moved doc
                writer.delete_documents_by_term("passage_id", p.id)
            for doc in docs:
                writer.add_document(doc)

        def change_whole(writer: tantivy.IndexWriter) -> None:
            for doc_id in doc_ids:
                writer.delete_documents_by_term("doc_id", doc_id)
            for doc in wholes:
                writer.add_document(doc)

        self._write(change, change_whole)

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        ids = list(dict.fromkeys(doc_ids))
        if not ids:
            return

        def change(writer: tantivy.IndexWriter) -> None:
            for doc_id in ids:
                writer.delete_documents_by_term("doc_id", doc_id)

        self._write(change, change)

    def clear(self) -> None:
        def everything(writer: tantivy.IndexWriter) -> None:
            writer.delete_all_documents()

        self._write(everything, everything)

    # -- reading -----------------------------------------------------------

    @staticmethod
    def _commit_stamp(path: Path) -> tuple[int, int, int] | None:
        """Changes whenever any process commits: Tantivy replaces meta.json atomically."""
        try:
            st = os.stat(path / "meta.json")
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def _searcher(self, whole: bool = False) -> tantivy.Searcher:
        """A searcher on the latest commit, whichever process made it (`whole`: of the
        whole-document index).

        Reloads only when meta.json changed (a stat, ~2 µs): reloading took
        ~0.3 ms per search at a million passages.
        """
        index, path = (self._whole, self.path / WHOLE_DIR) if whole else (self._index, self.path)
        stamp = self._commit_stamp(path)
        cached = self._cached.get(path)
        if stamp is not None and cached is not None and cached[0] == stamp:
            return cached[1]
        for attempt in range(3):
            try:
                index.reload()
                searcher = index.searcher()
                if stamp is not None:
                    self._cached[path] = (stamp, searcher)
                return searcher
            except ValueError as exc:  # a concurrent commit may remove files mid-reload
                if attempt == 2:
                    raise SearchUnavailableError(f"cannot read search index: {exc}") from exc
                time.sleep(0.02)
        raise AssertionError("unreachable")

    def count(self) -> int:
        return self._searcher().num_docs

    def ping(self) -> tuple[bool, str]:
        try:
            n = self.count()
        except Exception as exc:
            return False, f"tantivy index at {self.path}: {exc}"
        # The stub has no __all__, so to mypy the star import drops __version__ (it is there).
        version = tantivy.__version__  # type: ignore[attr-defined]
        return True, f"tantivy {version}: {n} passages at {self.path}"

    def search(
        self,
        query: str,
        *,
        principals: Collection[str] | None,
        filters: Mapping[str, str] | None = None,
        limit: int = 20,
        offset: int = 0,
        sort: str = "relevance",
        facets: bool = False,
    ) -> SearchResult:
        check_page(limit, offset, sort)
        with stage("query and permission filter"):
            node = parse_query(query)
            where = restrictions(principals, filters)
            if principals is not None and not principals:
                return SearchResult(total=0, hits=(), facets=no_facets() if facets else {})
            q = restricted(node, where)
            searcher = self._searcher()
        # A window wide enough that the page's documents and their next-best passages (for
        # snippets) are nearly always inside it: a second pass over a common word's matches
        # cost as much as the first.
        with stage("engine"):
            ranking = rank_documents(
                searcher, q, offset + limit, window=max((offset + limit) * 10, 100),
                by_date=sort == "date",
                exact_max=self.exact_facets_max if facets else self.exact_total_max,
            )  # fmt: skip
        page = ranking.ranked[offset:]
        with stage("stored fields"):
            best = [searcher.doc(addr) for _, addr, _ in page]
        with stage("snippets"):
            more = more_passages(searcher, page, ranking.matches, self.passages_per_doc - 1)
            leaves = list(positive_leaves(node))
            hits = tuple(
                to_hit(
                    doc,
                    0.0 if sort == "date" else score,
                    [stored_text(doc, "text"), *more.get(key, [])],
                    leaves,
                    snippets_per_doc=self.snippets_per_doc,
                    snippet_chars=self.snippet_chars,
                )
                for (score, _, key), doc in zip(page, best, strict=True)
            )
        with stage("facets"):  # every match is at hand when the count is exact
            counted = (
                {}
                if not facets
                else facet_counts(searcher, q, ranking.matches[0])
                if ranking.complete
                else sampled_facet_counts(searcher, q, ranking.sample())
            )
        with stage("totals"):
            total = int(ranking.total)
        return SearchResult(total=total, hits=hits, facets=counted, total_exact=ranking.complete)

    def rank(
        self,
        query: str,
        *,
        principals: Collection[str] | None,
        filters: Mapping[str, str] | None,
        depth: int,
    ) -> tuple[int, list[Ranked]]:
        with stage("query and permission filter"):
            node = parse_query(query)
            where = restrictions(principals, filters)
            if principals is not None and not principals:
                return 0, []
            q = restricted(node, where)
            searcher = self._searcher()
        with stage("engine"):
            ranking = rank_documents(
                searcher, q, depth, window=max(depth * 3, 30), exact_max=self.exact_total_max
            )
        with stage("stored fields"):
            out = [self._ranked(searcher.doc(addr), float(score), query)
                   for score, addr, _key in ranking.ranked]  # fmt: skip
        with stage("totals"):
            total = int(ranking.total)
        return total, out

    def rank_whole(
        self,
        weighted_terms: Mapping[str, float],
        *,
        principals: Collection[str] | None,
        filters: Mapping[str, str] | None,
        depth: int,
    ) -> list[Ranked]:
        with stage("whole documents"):
            return rank_whole(
                self._searcher(whole=True), weighted_terms, principals=principals,
                filters=filters, depth=depth,
            )  # fmt: skip

    @staticmethod
    def _ranked(doc: tantivy.Document, score: float, query: str) -> Ranked:
        return Ranked(
            doc_id=stored(doc, "doc_id"),
            score=score,
            passage_id=stored(doc, "passage_id"),
            title=stored_text(doc, "title"),
            kind=stored(doc, "kind"),
            case_id=doc.get_first("case_id"),
            page=doc.get_first("page"),
            text=stored_text(doc, "text"),
            query=query,
        )
