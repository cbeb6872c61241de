"""Performance report pages and exports at province scale, against a plain store scan.

Builds a temporary data directory with ``--cases`` synthetic cases (default 100,000,
through ``casefiles.scale``), then measures p50/p95 over ``--runs`` runs (after a
warm-up) of ``casefiles.report_queries.build_report`` for every KPI, as the Prosecutor
General (province, by district) and as a district public prosecutor (their district,
by prosecutor), and the XLSX and PDF export of the province's headline report.

The Prosecutor General's province dashboard is timed first, against a scan of every case
document (``bench.bench_cases.Scan``) with its figures checked equal.

Baseline, in the same run: every case and hearing loaded whole from the store, the
KPI's facts computed over all of them and counted in Python (no prefilter, no
scope filter in the store). The ratio is baseline p50 / report p50. Each report's
total row is checked against the baseline's: a fast wrong answer is not a result.

    python bench/bench_reports.py                      # 100,000 cases
    python bench/bench_reports.py --cases 20000 --runs 5
    python bench/bench_reports.py --data /tmp/mizan20k   # reuse a seeded directory
    python bench/bench_reports.py --cases 20000 --profile outcomes
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_cases import Scan, build, check_agrees, open_kernel
from casefiles.assignment import posted_user_ids
from casefiles.hearings import Hearing
from casefiles.holidays import working_calendar
from casefiles.kpis import KPIS, Kpi, Records
from casefiles.models import Case
from casefiles.report_exports import export_report
from casefiles.report_queries import (
    ReportRequest,
    Scope,
    Slicer,
    build_report,
    build_table,
)
from casefiles.reports import dashboard
from casefiles.schedule import default_rules
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.actor import Actor
from mizan.clock import pakistan_today
from mizan.kernel import Kernel

TODAY = pakistan_today()
TARGETS = {"report": 500.0, "dashboard": 300.0, "export": 5000.0}  # ms, from the issue


def measure(fn: Callable[[], Any], runs: int, warmup: int = 1) -> tuple[float, float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1] if runs > 1 else times[0]
    return statistics.median(times), p95


def plain_totals(kernel: Kernel, kpi: Kpi, request: ReportRequest, district: str | None) -> dict:
    """The report's current total row, recomputed from every case and hearing in the store."""
    store = kernel.store
    every = store.find(Case)
    cases = [c for c in every if district is None or c.district == district]
    hearings = [h for h in store.find(Hearing) if district is None or h.district == district]
    by_id = {c.id: c for c in every}
    records = Records(
        cases=cases,
        hearings=hearings,
        cases_by_id=by_id,
        today=TODAY,
        rules=default_rules(),
        calendar=working_calendar(store, TODAY),
        posted=posted_user_ids(kernel),
    )
    scope = Scope(district, None, "")
    period = build_report(kernel, _pg(kernel), request, TODAY, trend=False).period
    variant = next(iter(kpi.variants)) if kpi.variants else None
    table = build_table(kpi, records, period, variant, Slicer(kernel, "district", scope))
    return {k: c.value for k, c in table.total.cells.items()}


def _pg(kernel: Kernel) -> Actor:
    return actor_for(kernel.store.find_one(User, {"username": "pg.sindh"}))


def run(kernel: Kernel, runs: int) -> None:
    pg = _pg(kernel)
    dpp = actor_for(kernel.store.find_one(User, {"username": "dpp.south"}))
    print(f"{'report':<28}{'p50 ms':>9}{'p95 ms':>9}{'plain ms':>10}{'ratio':>8}  ok")
    p50, p95 = measure(lambda: dashboard(kernel, pg, TODAY), runs)
    start = time.perf_counter()
    scan = Scan(kernel).dashboard(None, TODAY, default_rules())
    scan_ms = (time.perf_counter() - start) * 1000
    problems = check_agrees(dashboard(kernel, pg, TODAY), scan)
    print(
        f"{'dashboard PG province':<28}{p50:>9.0f}{p95:>9.0f}{scan_ms:>10.0f}"
        f"{scan_ms / p50:>8.1f}  {'yes' if not problems else 'NO: ' + ', '.join(problems)}"
    )
    dashboard_p95 = p95
    worst = 0.0
    for kpi in KPIS:
        for who, actor, req in (
            ("PG province", pg, ReportRequest(kpi=kpi.id, slice="district")),
            (f"DPP {dpp.district}", dpp, ReportRequest(kpi=kpi.id, slice="prosecutor")),
        ):
            p50, p95 = measure(lambda a=actor, r=req: build_report(kernel, a, r, TODAY), runs)
            district = None if actor is pg else dpp.district
            start = time.perf_counter()
            plain = plain_totals(kernel, kpi, req, district)
            plain_ms = (time.perf_counter() - start) * 1000
            got = build_report(kernel, actor, req, TODAY, trend=False).current.total.cells
            ok = {k: c.value for k, c in got.items()} == plain
            worst = max(worst, p95)
            print(
                f"{kpi.id + ' ' + who:<28}{p50:>9.0f}{p95:>9.0f}{plain_ms:>10.0f}"
                f"{plain_ms / p50:>8.1f}  {'yes' if ok else 'NO: figures differ'}"
            )
    req = ReportRequest(kpi="outcomes", slice="district", period="year")
    for fmt in ("xlsx", "pdf"):
        p50, p95 = measure(
            lambda f=fmt: export_report(kernel, pg, req, TODAY, f), max(runs // 2, 1)
        )
        print(f"{'export ' + fmt + ' PG outcomes':<28}{p50:>9.0f}{p95:>9.0f}")
    print(f"\nslowest report p95: {worst:.0f} ms (target {TARGETS['report']:.0f} ms)")
    print(f"dashboard p95: {dashboard_p95:.0f} ms (target {TARGETS['dashboard']:.0f} ms)")


def profile(kernel: Kernel, kpi: str) -> None:
    pg = _pg(kernel)
    req = ReportRequest(kpi=kpi, slice="district")
    prof = cProfile.Profile()
    prof.enable()
    build_report(kernel, pg, req, TODAY)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, help="reuse (or create) this data directory")
    parser.add_argument("--profile", metavar="KPI", help="cProfile one PG report instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mizan-bench-reports-") as tmp:
        data_dir = args.data or Path(tmp)
        build(data_dir, args.cases, args.seed)
        kernel = open_kernel(data_dir)
        try:
            if args.profile:
                profile(kernel, args.profile)
            else:
                run(kernel, args.runs)
        finally:
            kernel.close()


if __name__ == "__main__":
    main()
