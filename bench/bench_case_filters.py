"""The filtered case list (casefiles.case_lists) at province scale.

Seeds (or reuses) a data directory like ``bench_cases.py`` and times one page of
``case_list`` — the page, its total and every facet count — for the Prosecutor
General and a district public prosecutor, unfiltered and with filters, search and a
next-hearing range. Prints p50/p95 in milliseconds.

Baseline, in the same run: the unfiltered page answered by reading every visible case's
stage and date from the store and counting, sorting and paging in Python (what a list
without the stored facet keys would do). The ratio is baseline p50 / Mizan p50.

    python bench/bench_case_filters.py --cases 100000 --data /tmp/mizan100k
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_cases import actors, build, measure, open_kernel
from casefiles.case_lists import CaseQuery, case_list
from casefiles.models import Case
from casefiles.policy import visible_cases_filter
from mizan.clock import pakistan_today, utc_naive_now


def scan_page(kernel, viewer) -> tuple[int, Counter]:
    """The baseline: total and stage counts of the unfiltered list, and its first page."""
    flt = visible_cases_filter(viewer) or {}
    cases = kernel.store.find_fields(Case, ["state", "created_at"], flt)
    counts = Counter(c.state for c in cases)
    sorted(cases, key=lambda c: c.created_at, reverse=True)[:25]
    return len(cases), counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--data", type=Path, help="seeded data directory to (re)use")
    parser.add_argument("--viewers", default="pg,dpp", help="of pg, dpp (comma-separated)")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="mizan-bench-")
    data_dir = args.data or Path(tmp.name) / "data"
    build(data_dir, args.cases, args.seed)
    kernel = open_kernel(data_dir)
    who = actors(kernel)
    stations = kernel.store.group_count(Case, "fir.police_station", {"district": "KHI-S"})
    station = max(stations, key=lambda s: stations[s])
    today = pakistan_today()
    queries = {
        "no filter": CaseQuery(),
        "stage + ATA": CaseQuery(stage="PROSECUTION_EVIDENCE", ata=True),
        "offence 302 PPC, by stage age": CaseQuery(offence="302 PPC", sort="stage_age"),
        "police station + unassigned": CaseQuery(police_station=station, unassigned=True),
        "search 'muhammad'": CaseQuery(q="muhammad"),
        "next hearing in 30 days": CaseQuery(
            hearing_from=today, hearing_to=today + dt.timedelta(days=30)
        ),
        "page 40, FIR date": CaseQuery(sort="fir_date", page=40),
    }
    now = utc_naive_now()
    print(f"{kernel.store.count(Case):,} cases; ms per page with all counts (runs {args.runs})")
    print(f"{'viewer':6} {'query':32} {'matches':>8} {'p50':>8} {'p95':>8}")
    for name in args.viewers.split(","):
        viewer = who[name]
        unfiltered_total, unfiltered_p50 = 0, 1.0
        for label, query in queries.items():
            result = case_list(kernel, viewer, query, now=now)
            p50, p95 = measure(
                lambda v=viewer, q=query: case_list(kernel, v, q, now=now), args.runs
            )
            print(f"{name:6} {label:32} {result.total:8,} {p50:8.1f} {p95:8.1f}")
            if query == CaseQuery():
                unfiltered_total, unfiltered_p50 = result.total, p50
        total, _counts = scan_page(kernel, viewer)
        b50, b95 = measure(lambda v=viewer: scan_page(kernel, v), max(3, args.runs // 4))
        assert total == unfiltered_total, "the scan and the list disagree on the total"
        m50 = unfiltered_p50
        print(
            f"{name:6} {'baseline: scan + count in Python':32} {total:8,} {b50:8.1f} {b95:8.1f}"
            f"   ratio {b50 / m50:.1f}x"
        )
    kernel.close()


if __name__ == "__main__":
    main()
