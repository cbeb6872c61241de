"""The filtered case list (casefiles.case_lists) at province scale.

Seeds (or reuses) a data directory like ``bench_cases.py`` and times one page of
``case_list`` — the page, its total and every facet count — for the Prosecutor
General and a district public prosecutor, unfiltered and with filters, search and a
next-hearing range. Prints p50/p95 in milliseconds.

    python bench/bench_case_filters.py --cases 100000 --data /tmp/mizan100k
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_cases import actors, build, measure, open_kernel
from casefiles.case_lists import CaseQuery, case_list
from casefiles.models import Case
from mizan.clock import pakistan_today, utc_naive_now


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
        for label, query in queries.items():
            result = case_list(kernel, viewer, query, now=now)
            p50, p95 = measure(
                lambda v=viewer, q=query: case_list(kernel, v, q, now=now), args.runs
            )
            print(f"{name:6} {label:32} {result.total:8,} {p50:8.1f} {p95:8.1f}")
    kernel.close()


if __name__ == "__main__":
    main()
