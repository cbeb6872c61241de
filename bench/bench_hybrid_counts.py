"""What counting meaning-based matches costs a search page (the facets of semantic-only hits).

Real text and real embeddings: the first windows of Balochistan High Court
judgments (``../shared/data``), queried with PPC section headings (not
evaluation queries). For each query, in the same run and alternating:

* baseline: the page as before (``hybrid.search`` without facets, plus one
  keyword facet search);
* counted: ``hybrid.search(..., facets=True)``: the same page, with the
  total and facets covering the semantic matches above the floor (one
  text-engine search per semantic-only document, and a membership check
  when keyword matches run deeper than the page read).

    python bench/bench_hybrid_counts.py [--docs 200] [--windows 4] [--queries 40]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from search import hybrid  # noqa: E402
from search.embeddings import Embedder  # noqa: E402
from search.passages import windows  # noqa: E402
from search.port import Passage  # noqa: E402
from search.tantivy_index import TantivyIndex  # noqa: E402
from search.vector_index import SqliteVectorIndex  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "pakistan"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--windows", type=int, default=4, help="passages kept per judgment")
    ap.add_argument("--queries", type=int, default=40)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    passages: list[Passage] = []
    with (DATA / "bhc_judgments.jsonl").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n == args.docs:
                break
            row = json.loads(line)
            for i, text in enumerate(list(windows(row["text"]))[: args.windows]):
                passages.append(
                    Passage(id=f"b{n}:{i}", doc_id=f"b{n}", kind="judgment",
                            title=row.get("title") or f"b{n}", text=text, acl=("public",))
                )  # fmt: skip
    with (DATA / "ppc.md").open(encoding="utf-8") as fh:
        headings = [re.sub(r"[^\w\s]", " ", line).strip() for line in fh if line.startswith("#")]
    queries = rng.sample([h for h in headings if len(h.split()) >= 3], args.queries)
    embedder = Embedder()
    with tempfile.TemporaryDirectory() as tmp:
        index = TantivyIndex(Path(tmp) / "t")
        vectors = SqliteVectorIndex(Path(tmp) / "v.sqlite3")
        index.upsert(passages)
        vectors.upsert(passages, embedder.embed([p.text for p in passages]))

        def query(q: str, *, limit: int = 20, facets: bool = False) -> hybrid.HybridQuery:
            return hybrid.HybridQuery(
                q, principals={"public"}, mode="hybrid", limit=limit, facets=facets
            )

        def baseline(q: str) -> int:
            page = hybrid.search(index, vectors, embedder, query(q))
            index.search(q, principals={"public"}, limit=0, facets=True)
            return page.total

        def counted(q: str) -> int:
            return hybrid.search(index, vectors, embedder, query(q, facets=True)).total

        times: dict[str, list[float]] = {"baseline": [], "counted": []}
        totals: dict[str, list[int]] = {"baseline": [], "counted": []}
        for q in queries[:3]:
            baseline(q), counted(q)  # warm up (model, readers)
        for q in queries:
            for name, fn in (("baseline", baseline), ("counted", counted)):
                t = time.perf_counter()
                totals[name].append(fn(q))
                times[name].append(time.perf_counter() - t)
        sem = [
            len(hybrid.matching_documents(index, vectors, embedder,
                                          query(q, limit=20)).semantic_only)
            for q in queries
        ]  # fmt: skip
    print(f"{args.docs} judgments, {len(passages)} passages, {len(queries)} queries (hybrid)")
    for name in ("baseline", "counted"):
        ms = [t * 1000 for t in times[name]]
        p95 = statistics.quantiles(ms, n=20, method="inclusive")[-1]
        print(
            f"{name:8}  p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms"
            f"  mean total {statistics.mean(totals[name]):6.1f}"
        )
    ratio = statistics.median(times["counted"]) / statistics.median(times["baseline"])
    print(f"counted / baseline (p50): {ratio:.2f}; semantic-only matches per query: "
          f"mean {statistics.mean(sem):.1f}, max {max(sem)}")  # fmt: skip


if __name__ == "__main__":
    main()
