"""Import the PPC and the Balochistan High Court judgments through the users' pipeline.

The pipeline is the one ``mizan import-judgments`` and the admin page use: read and
validate JSON lines, parse headers and headnotes, store judgments and citation edges,
resolve the graph, queue index updates (outbox), then drain the outbox into the
search index. Baseline (same run): upserting the same passages straight into a fresh
index, i.e. what indexing alone costs.

    python bench/bench_library_import.py [--limit N]     (default: all 1,938)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from search.backends import search_index

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from library.seed import shared_data_dir  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="Only the first N judgments.")
    args = parser.parse_args()
    data = shared_data_dir()
    if data is None:
        print("No shared data (set MIZAN_SHARED_DATA or put it at ../shared/data); skipped.")
        return 0
    ppc, jsonl = data / "pakistan" / "ppc.md", data / "pakistan" / "bhc_judgments.jsonl"

    from app.bootstrap import build_kernel
    from library.act_import import import_act_text
    from library.importers import import_judgments_jsonl
    from library.indexing import judgment_passages
    from library.models import Judgment
    from library.service import graph_size
    from mizan import outbox
    from mizan.actor import SYSTEM
    from mizan.settings import load_settings
    from search.tantivy_index import TantivyIndex

    with tempfile.TemporaryDirectory() as tmp:
        env = {"MIZAN_DATA_DIR": str(Path(tmp) / "data")}
        kernel = build_kernel(load_settings(env, env_file=None))
        t0 = time.perf_counter()
        act = import_act_text(
            kernel, SYSTEM, ppc.read_text(encoding="utf-8"), code="ppc", title="Pakistan Penal Code"
        )
        outbox.drain(kernel)
        t_act = time.perf_counter() - t0
        section_passages = search_index(kernel).count()

        t0 = time.perf_counter()
        report = import_judgments_jsonl(kernel, SYSTEM, jsonl, limit=args.limit)
        t_store = time.perf_counter() - t0
        t0 = time.perf_counter()
        while outbox.drain(kernel):
            pass
        t_index = time.perf_counter() - t0
        passages = search_index(kernel).count() - section_passages
        total = t_store + t_index
        graph = graph_size(kernel.store)

        # Baseline: the same passages into a fresh index, nothing else.
        built = [p for j in kernel.store.iter_all(Judgment) for p in judgment_passages(j)]
        baseline_index = TantivyIndex(Path(tmp) / "baseline-index")
        t0 = time.perf_counter()
        for start in range(0, len(built), 2000):
            baseline_index.upsert(built[start : start + 2000])
        t_base = time.perf_counter() - t0
        kernel.close()

    print(f"PPC: {act.section_count} sections, {section_passages} passages in {t_act:.2f} s")
    print(
        f"Judgments: {report.added} added, {len(report.errors)} bad lines; "
        f"store + graph {t_store:.1f} s, index (outbox drain) {t_index:.1f} s, "
        f"total {total:.1f} s"
    )
    print(
        f"Passages: {passages:,}; {passages / total:,.0f} passages/s end to end, "
        f"{report.added / total:,.1f} judgments/s"
    )
    print(
        f"Citation graph: {graph.edges:,} edges, {graph.resolved:,} resolved "
        f"({graph.resolved_share:.1%}); to judgments {graph.judgment_edges:,} "
        f"({graph.judgment_resolved:,} resolved), to statute sections {graph.statute_edges:,} "
        f"({graph.statute_resolved:,} resolved to the PPC in the library)"
    )
    print(
        f"Baseline, indexing alone: {len(built):,} passages in {t_base:.1f} s "
        f"({len(built) / t_base:,.0f} passages/s); the full pipeline takes "
        f"{total / t_base:.1f}x as long"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
