"""What ranking judgments through the top statutes (search.statute_bridge) costs the finder.

The precedent finder's two rankings, hybrid mode, depth 100, on real text:
AILA 2019 judgments (the first ``--docs``, their first ``--windows`` passages;
vectors from the embedding cache when a previous ``eval-retrieval`` filled it)
and its 197 statutes. Queries are 200 words from the start of other AILA
judgments (facts-like text, not evaluation queries). For each query, alternating:

* baseline: statutes, then judgments by the description alone (as before);
* bridged: statutes, then judgments by the description and through the top
  ``BRIDGE_STATUTES`` statutes' matched passages.

    python bench/bench_statute_bridge.py [--docs 500] [--windows 8] [--queries 20]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from search import hybrid  # noqa: E402
from search.embeddings import shared_embedder  # noqa: E402
from search.evaluation import corpus_passages, default_cache_path  # noqa: E402
from search.indexing import write_passages  # noqa: E402
from search.statute_bridge import bridged_ranking  # noqa: E402
from search.tantivy_index import TantivyIndex  # noqa: E402
from search.vector_index import SqliteVectorIndex  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "aila2019"
DEPTH = 100


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--windows", type=int, default=8, help="passages embedded per judgment")
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    files = sorted((DATA / "Object_casedocs").glob("*.txt"), key=lambda p: int(p.stem[1:]))
    rng = random.Random(args.seed)
    queries = [  # words 25-225: not an indexed passage, so never in the embedding cache
        " ".join(p.read_text(errors="replace").split()[25:225])
        for p in rng.sample(files[args.docs :], args.queries)
    ]
    embedder = shared_embedder(default_cache_path())
    with tempfile.TemporaryDirectory() as tmp:
        index = TantivyIndex(Path(tmp) / "t")
        vectors = SqliteVectorIndex(Path(tmp) / "v.sqlite3")
        judgments = [p for f in files[: args.docs] for p in corpus_passages(f, "judgment")]
        statutes = [
            p for f in sorted((DATA / "Object_statutes").glob("*.txt"))
            for p in corpus_passages(f, "statute")
        ]  # fmt: skip
        write_passages(index, vectors, embedder, judgments + statutes, args.windows)

        def of_kind(q: str, kind: str) -> hybrid.HybridQuery:
            return hybrid.HybridQuery(
                q, mode="hybrid", principals=None, filters={"kind": kind}, limit=DEPTH
            )

        def found_statutes(q: str) -> list[hybrid.Candidate]:
            return hybrid.ranked_documents(index, vectors, embedder, of_kind(q, "statute"))[1]

        def baseline(q: str) -> None:
            found_statutes(q)
            hybrid.ranked_documents(index, vectors, embedder, of_kind(q, "judgment"))

        def bridged(q: str) -> None:
            bridged_ranking(index, vectors, embedder, of_kind(q, "judgment"), found_statutes(q))

        for q in queries[:2]:
            baseline(q), bridged(q)  # warm up (model, readers)
        times: dict[str, list[float]] = {"baseline": [], "bridged": []}
        for q in queries:
            for name, fn in (("baseline", baseline), ("bridged", bridged)):
                t = time.perf_counter()
                fn(q)
                times[name].append(time.perf_counter() - t)
    print(
        f"{args.docs} judgments ({len(judgments)} passages, first {args.windows} embedded), "
        f"{len(statutes)} statute passages, {len(queries)} queries, hybrid, depth {DEPTH}"
    )
    for name, ts in times.items():
        ms = [t * 1000 for t in ts]
        p95 = statistics.quantiles(ms, n=20, method="inclusive")[-1]
        print(f"{name:8}  p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms")
    ratio = statistics.median(times["bridged"]) / statistics.median(times["baseline"])
    print(f"bridged / baseline (p50): {ratio:.2f}")


if __name__ == "__main__":
    main()
