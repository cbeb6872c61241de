"""Retrieval evaluation: trec_eval's measures and a harness that runs the product's search.

Measures follow trec_eval 9 (relevance level 1: a qrels grade >= 1 is
relevant, 0 is judged non-relevant, a document absent from the qrels is
unjudged):

* the run is ordered by score descending, ties by document id descending
  (trec_eval's order, whatever the file's rank column says);
* AP: sum of precision at each relevant retrieved document, divided by
  the number of relevant documents in the qrels (retrieved or not);
* P@10: relevant among the first 10, divided by 10 (also when fewer were
  retrieved);
* recip_rank: 1 / rank of the first relevant document, 0 if none;
* bpref: for each relevant retrieved document, 1 - min(n, R) / min(N, R),
  where n is the number of judged non-relevant documents ranked above it,
  R the relevant and N the judged non-relevant documents of the query
  (unjudged documents are skipped); summed and divided by R;
* the mean runs over the queries that have at least one relevant document;
  a query the system returned nothing for counts as 0 (like trec_eval -c).
"""

from __future__ import annotations

import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from search.passages import whole_text, windows
from search.plain_bm25 import plain_bm25_run
from search.port import PUBLIC, Passage

if TYPE_CHECKING:  # imported where used: they load Tantivy, SQLite and the model
    from search.embeddings import Embedder
    from search.tantivy_index import TantivyIndex
    from search.vector_index import SqliteVectorIndex

__all__ = [
    "EvalReport",
    "Qrels",
    "average_precision",
    "bpref",
    "evaluate",
    "precision_at",
    "read_qrels",
    "read_queries",
    "reciprocal_rank",
    "run_corpus",
    "trec_order",
]

#: qid -> docid -> relevance grade
Qrels = dict[str, dict[str, int]]
#: qid -> [(docid, score)], any order
Run = dict[str, list[tuple[str, float]]]

MEASURES = ("map", "P_10", "bpref", "recip_rank")


class EvalInputError(ValueError):
    """A queries or qrels file is malformed; the message names the file and line."""


def read_queries(path: Path) -> list[tuple[str, str]]:
    """`ID||text` per line (blank lines skipped)."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        qid, sep, text = line.partition("||")
        qid = qid.strip()
        if not sep or not qid or not text.strip():
            raise EvalInputError(f"{path}:{n}: expected 'ID||query text'")
        if qid in seen:
            raise EvalInputError(f"{path}:{n}: query {qid} appears twice")
        seen.add(qid)
        out.append((qid, text.strip()))
    if not out:
        raise EvalInputError(f"{path}: no queries")
    return out


def read_qrels(path: Path) -> Qrels:
    """TREC qrels: `qid iter docid rel` per line."""
    qrels: Qrels = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4:
            raise EvalInputError(f"{path}:{n}: expected 'qid 0 docid relevance'")
        try:
            rel = int(parts[3])
        except ValueError:
            raise EvalInputError(f"{path}:{n}: relevance {parts[3]!r} is not a number") from None
        qrels.setdefault(parts[0], {})[parts[2]] = rel
    return qrels


def trec_order(ranking: Sequence[tuple[str, float]]) -> list[str]:
    """Document ids as trec_eval ranks them: score descending, ties by docid descending."""
    ordered = sorted(ranking, key=lambda t: t[0], reverse=True)
    ordered.sort(key=lambda t: t[1], reverse=True)  # stable: equal scores keep docid desc
    return [doc for doc, _ in ordered]


def average_precision(ranked: Sequence[str], judged: Mapping[str, int]) -> float:
    relevant = sum(1 for g in judged.values() if g > 0)
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for i, doc in enumerate(ranked, start=1):
        if judged.get(doc, 0) > 0:
            hits += 1
            total += hits / i
    return total / relevant


def precision_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    return sum(1 for doc in ranked[:k] if judged.get(doc, 0) > 0) / k


def reciprocal_rank(ranked: Sequence[str], judged: Mapping[str, int]) -> float:
    for i, doc in enumerate(ranked, start=1):
        if judged.get(doc, 0) > 0:
            return 1.0 / i
    return 0.0


def bpref(ranked: Sequence[str], judged: Mapping[str, int]) -> float:
    relevant = sum(1 for g in judged.values() if g > 0)
    nonrelevant = sum(1 for g in judged.values() if g <= 0)
    if not relevant:
        return 0.0
    nonrel_above, total = 0, 0.0
    for doc in ranked:
        if doc not in judged:
            continue  # unjudged: neither preferred nor penalised
        if judged[doc] > 0:
            if nonrel_above:
                total += 1.0 - min(nonrel_above, relevant) / min(nonrelevant, relevant)
            else:
                total += 1.0
        else:
            nonrel_above += 1
    return total / relevant


@dataclass
class EvalReport:
    mode: str
    queries: int
    measures: dict[str, float]
    per_query: dict[str, dict[str, float]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    documents: int = 0
    passages: int = 0
    embedded: int = 0  # passages run through the model (cache misses)
    #: Documents left out of the index, with the reason (empty, unreadable, no text).
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: Documents judged relevant in the qrels that are not in the collection.
    missing_judged: list[str] = field(default_factory=list)
    #: The same measures for plain whole-document BM25 (`search.plain_bm25`), same run.
    baseline: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "mode": self.mode,
            "queries": self.queries,
            **{k: round(v, 4) for k, v in self.measures.items()},
            "baseline": {k: round(v, 4) for k, v in self.baseline.items()},
            "documents": self.documents,
            "passages": self.passages,
            "embedded_now": self.embedded,
            "skipped": [{"file": name, "reason": why} for name, why in self.skipped],
            "missing_judged": self.missing_judged,
            "seconds": {k: round(v, 1) for k, v in self.seconds.items()},
            "per_query": {
                q: {k: round(v, 4) for k, v in m.items()} for q, m in self.per_query.items()
            },
        }


def evaluate(run: Run, qrels: Qrels, query_ids: Sequence[str]) -> tuple[dict, dict]:
    """Mean and per-query measures over the queries with at least one relevant document."""
    per_query: dict[str, dict[str, float]] = {}
    for qid in query_ids:
        judged = qrels.get(qid, {})
        if not any(g > 0 for g in judged.values()):
            continue
        ranked = trec_order(run.get(qid, []))
        per_query[qid] = {
            "map": average_precision(ranked, judged),
            "P_10": precision_at(ranked, judged, 10),
            "bpref": bpref(ranked, judged),
            "recip_rank": reciprocal_rank(ranked, judged),
        }
    means = {
        m: statistics.fmean(q[m] for q in per_query.values()) if per_query else 0.0
        for m in MEASURES
    }
    return means, per_query


def write_run(run: Run, query_ids: Sequence[str], out: Path, tag: str) -> None:
    """TREC run format, `qid Q0 docid rank score tag`, in trec_eval's order."""
    with Path(out).open("w", encoding="utf-8") as f:
        for qid in query_ids:
            scores = dict(run.get(qid, []))
            for rank, doc in enumerate(trec_order(run.get(qid, [])), start=1):
                f.write(f"{qid} Q0 {doc} {rank} {scores[doc]:.6f} {tag}\n")


# ---------------------------------------------------------------------------
# The harness: a fresh index built and searched by the product's own code
# ---------------------------------------------------------------------------


def corpus_passages(path: Path, kind: str = "judgment") -> list[Passage]:
    """A `<docid>.txt` file as the product would index it: extracted, split into passages.

    The first non-empty line is the title (a judgment's case name, a
    statute's `Title:` line); the document is public.
    """
    from ingestion.extract import extract_file

    doc_id = path.stem
    extraction = extract_file(path, path.name)
    first = next((ln.strip() for ln in extraction.text.splitlines() if ln.strip()), doc_id)
    title = first[:200]
    return [
        Passage(
            id=f"{doc_id}:{page.number}:{n}",
            doc_id=doc_id,
            kind=kind,
            title=title,
            text=text,
            acl=(PUBLIC,),
            page=page.number,
        )
        for page in extraction.pages
        for n, text in enumerate(windows(page.text))
    ]


def default_cache_path() -> Path:
    import os

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "mizan" / "embeddings.sqlite3"


@contextlib.contextmanager
def _fresh_indexes(
    cache: Path,
) -> Iterator[tuple[TantivyIndex, SqliteVectorIndex, Embedder]]:
    from search.embeddings import shared_embedder
    from search.tantivy_index import TantivyIndex
    from search.vector_index import SqliteVectorIndex

    with tempfile.TemporaryDirectory(prefix="mizan-eval-") as tmp:
        index = TantivyIndex(Path(tmp) / "index")
        vectors = SqliteVectorIndex(Path(tmp) / "index" / "vectors" / "vectors.sqlite3")
        yield index, vectors, shared_embedder(cache)


def run_corpus(
    corpus: Path,
    queries: Sequence[tuple[str, str]],
    qrels: Qrels,
    *,
    modes: Sequence[str],
    depth: int = 1000,
    embed_per_document: int | None = None,
    cache: Path | None = None,
    run_out: Path | None = None,
    progress: Callable[[str], None] | None = None,
    statutes: Path | None = None,
    exclude_own: bool = False,
) -> list[EvalReport]:
    """Index every `<docid>.txt` of `corpus` into a fresh index once, run the queries in
    each of `modes`, score them: one report per mode.

    Indexing goes through `search.indexing.write_passages` and ranking
    through `search.hybrid.ranked_documents`, the functions the product uses.
    With `statutes` (a folder of statute `<docid>.txt` files, indexed as
    kind "statute" beside the corpus's judgments), the corpus is ranked as
    the precedent finder ranks judgments: through the statutes each query
    concerns as well (`search.statute_bridge`); only the corpus is scored.
    Embeddings are cached by content hash in `cache` (default
    ~/.cache/mizan/embeddings.sqlite3), so a second run embeds nothing.
    `exclude_own`: a query whose id is a document id (a judgment's facts
    searched for the judgments it cites) never ranks that document.
    Each report's `baseline` scores plain whole-document BM25 on the same
    corpus documents and queries (`search.plain_bm25`). `run_out` (one mode
    only) receives the ranking in TREC run format.
    """
    from ingestion.pages import ExtractionError
    from ingestion.sniff import UnsupportedFile
    from search import hybrid
    from search.indexing import EMBED_PASSAGES_PER_DOCUMENT, write_passages
    from search.statute_bridge import precedent_rankings

    if not modes:
        raise EvalInputError("no search mode to measure")
    for mode in modes:
        hybrid.check_mode(mode)
    files = sorted(Path(corpus).glob("*.txt"))
    if not files:
        raise EvalInputError(f"{corpus}: no <docid>.txt files")
    statute_files = sorted(Path(statutes).glob("*.txt")) if statutes is not None else []
    if statutes is not None and not statute_files:
        raise EvalInputError(f"{statutes}: no <docid>.txt files")
    if {p.stem for p in statute_files} & {p.stem for p in files}:
        raise EvalInputError(f"{statutes}: document ids also used in {corpus}")
    kinds = [(path, "judgment") for path in files] + [(path, "statute") for path in statute_files]
    per_doc = EMBED_PASSAGES_PER_DOCUMENT if embed_per_document is None else embed_per_document
    # A keyword-only run embeds nothing: the text index is all it reads.
    per_doc = 0 if set(modes) == {"keyword"} else per_doc
    common = EvalReport(mode="", queries=0, measures={})
    say = progress or (lambda _msg: None)
    ids = [qid for qid, _ in queries]
    runs: dict[str, Run] = {}
    with _fresh_indexes(cache or default_cache_path()) as (index, vectors, embedder):
        started = time.perf_counter()
        before = embedder.encoded
        batch: list[Passage] = []
        texts: dict[str, str] = {}  # the corpus's documents, whole, for the baseline
        for i, (path, kind) in enumerate(kinds, start=1):
            try:
                passages = corpus_passages(path, kind)
            except (UnsupportedFile, ExtractionError) as exc:
                passages, reason = [], str(exc)
            else:
                reason = "No text in this file." if not passages else ""
            if reason:  # a real collection has a few empty files: skip them, say so
                common.skipped.append((path.name, reason))
            else:
                batch.extend(passages)
                common.documents += 1
                if kind == "judgment":
                    texts[path.stem] = whole_text((p.page, p.text) for p in passages)
            if len(batch) >= 512 or i == len(kinds):
                write_passages(index, vectors, embedder, batch, per_doc)
                common.passages += len(batch)
                batch = []
                say(f"indexed {i}/{len(kinds)} documents")
        common.embedded = embedder.encoded - before
        common.seconds["index"] = time.perf_counter() - started
        for mode in modes:
            started = time.perf_counter()
            run: Run = {}
            for qid, text in queries:
                # The search page's ranking (`hybrid.search` pages this list), without
                # rendering snippets for a thousand documents nobody reads.
                q = hybrid.HybridQuery(text, mode=mode, principals=None, limit=depth)
                if statute_files:  # the precedent finder's ranking of judgments
                    _, ranked = precedent_rankings(index, vectors, embedder, q)
                else:
                    _, ranked = hybrid.ranked_documents(index, vectors, embedder, q)
                run[qid] = [
                    (c.doc_id, c.score) for c in ranked if not (exclude_own and c.doc_id == qid)
                ]
            runs[mode] = run
            common.seconds[f"search {mode}"] = time.perf_counter() - started
            say(f"searched in mode {mode}")
    started = time.perf_counter()
    baseline = plain_bm25_run(texts, queries, depth + 1)
    baseline = {
        qid: [(d, s) for d, s in ranked if not (exclude_own and d == qid)][:depth]
        for qid, ranked in baseline.items()
    }
    common.seconds["baseline"] = time.perf_counter() - started
    present = {path.stem for path in files} - {name.rsplit(".", 1)[0] for name, _ in common.skipped}
    common.missing_judged = sorted(
        {doc for qid in ids for doc, grade in qrels.get(qid, {}).items() if grade > 0} - present
    )
    common.baseline, _ = evaluate(baseline, qrels, ids)
    reports = []
    for mode in modes:
        report = replace(common, mode=mode, seconds=dict(common.seconds))
        report.measures, report.per_query = evaluate(runs[mode], qrels, ids)
        report.queries = len(report.per_query)
        reports.append(report)
    if run_out is not None and len(modes) == 1:
        write_run(runs[modes[0]], ids, run_out, f"mizan-{modes[0]}")
    return reports
