"""Case lists and the dashboard at province scale, against a plain Python scan.

Builds a temporary data directory with ``--cases`` synthetic cases (default
100,000, through ``casefiles.scale``), then measures p50/p95 over ``--runs``
runs (after a warm-up) of:

* the case list as ``casefiles.service.list_cases`` runs it, for a district
  public prosecutor and for a prosecutor, on page 1 and on a deep page;
* the dashboard (``casefiles.reports.dashboard``) for a DPP and for the
  Prosecutor General.

Baseline, in the same run: every case loaded into memory once (as plain
documents), each question answered by a Python scan over them. The ratio is
baseline p50 / store p50. The dashboard's figures are checked against the
scan's: a fast wrong answer is not a result.

``--explain`` prints the slowest SQL statements of each operation with their
query plans.

    python bench/bench_cases.py                      # 100,000 cases
    python bench/bench_cases.py --cases 20000 --runs 50 --explain
    python bench/bench_cases.py --data /tmp/mizan100k   # reuse a seeded directory
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mizan.clock import pakistan_today

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.bootstrap import build_kernel
from casefiles import reports
from casefiles.deadlines import RuleSet
from casefiles.holidays import working_calendar
from casefiles.models import Case
from casefiles.schedule import default_rules
from casefiles.service import list_cases
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.actor import Actor
from mizan.kernel import Kernel
from mizan.settings import load_settings
from mizan.storage import codec

TODAY = pakistan_today()
PER_PAGE = 25
TARGETS = {"list": 100.0, "dashboard": 300.0}  # p95 ms, from the issue


# -- setup --------------------------------------------------------------------------------


def open_kernel(data_dir: Path) -> Kernel:
    env = {
        "MIZAN_DATA_DIR": str(data_dir),
        "MIZAN_BROKER": f"sqla+sqlite:///{data_dir / 'broker.sqlite3'}",
    }
    return build_kernel(load_settings(env, env_file=None))


def build(data_dir: Path, cases: int, seed: int) -> None:
    from app.demo import seed as seed_demo
    from casefiles.scale import seed_scale

    kernel = open_kernel(data_dir)
    existing = kernel.store.count(Case)
    if existing >= cases:
        print(f"Reusing {data_dir}: {existing:,} cases.")
        kernel.close()
        return
    seed_demo(kernel)
    print(f"Seeding {cases:,} cases into {data_dir} ...", flush=True)
    result = seed_scale(
        kernel,
        cases,
        seed=seed,
        progress=lambda done, total: print(f"  {done:,}/{total:,}", end="\r", flush=True),
    )
    print(
        f"Seeded {result.cases:,} cases in {result.seconds:.1f} s "
        f"({result.cases_per_second:,.0f} cases/s; "
        f"{result.prosecutors_created} prosecutors created)."
    )
    kernel.close()


def actors(kernel: Kernel) -> dict[str, Actor]:
    store = kernel.store
    dpp = actor_for(store.find_one(User, {"username": "dpp.south"}))
    pg = actor_for(store.find_one(User, {"username": "pg.sindh"}))
    leads = store.group_count(Case, "lead_prosecutor", {"district": dpp.district})
    busiest = max((k for k in leads if k), key=lambda k: leads[k])
    return {"dpp": dpp, "pg": pg, "pp": actor_for(store.get(User, busiest))}


# -- timing -------------------------------------------------------------------------------


def measure(fn: Callable[[], Any], runs: int, warmup: int = 3) -> tuple[float, float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1] if runs > 1 else times[0]
    return statistics.median(times), p95


def explain(kernel: Kernel, label: str, fn: Callable[[], Any], top: int = 4) -> None:
    """The slowest statements ``fn`` runs, each timed alone, with SQLite's plan."""
    conn = kernel.store.connection()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        fn()
    finally:
        conn.set_trace_callback(None)
    timed = []
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        start = time.perf_counter()
        conn.execute(sql).fetchall()
        timed.append(((time.perf_counter() - start) * 1000, sql))
    print(f"\n-- {label}: {len(timed)} statements, slowest first")
    for ms, sql in sorted(timed, reverse=True)[:top]:
        plan = "; ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        print(f"  {ms:8.1f} ms  {' '.join(sql.split())[:150]}")
        print(f"             plan: {plan[:220]}")


# -- the baseline: everything in memory, answered by scanning ------------------------------


class Scan:
    """All cases as plain documents, loaded once; each question is a loop over them."""

    def __init__(self, kernel: Kernel) -> None:
        conn = kernel.store.connection()
        start = time.perf_counter()
        self.docs = [
            {**codec.loads(doc), "version": version}
            for version, doc in conn.execute("SELECT version, doc FROM c_cases")
        ]
        self.load_seconds = time.perf_counter() - start
        self.calendar = working_calendar(kernel.store, TODAY)

    def list(self, actor: Actor, page: int) -> tuple[list[Case], int]:
        if actor.has_role("prosecutor_general"):
            mine = self.docs
        elif actor.has_role("prosecutor"):
            uid = actor.user_id
            mine = [
                d
                for d in self.docs
                if d.get("lead_prosecutor") == uid or uid in d.get("assisting", ())
            ]
        else:
            mine = [d for d in self.docs if d["district"] == actor.district]
        mine = sorted(mine, key=lambda d: d["_id"])
        mine.sort(key=lambda d: d.get("created_at") or dt.datetime.min, reverse=True)
        start = (page - 1) * PER_PAGE
        return [Case._from_son(d) for d in mine[start : start + PER_PAGE]], len(mine)

    def dashboard(self, district: str | None, today: dt.date, rules: RuleSet) -> dict[str, Any]:
        from casefiles.schedule import _MET_AT  # the case page's own rule, as a cross-check

        docs = [d for d in self.docs if district is None or d["district"] == district]
        pending = [d for d in docs if d.get("state") in reports.PENDING_STATES]
        bounds = []
        for _key, _label, newer, older in reports.AGE_BUCKETS:
            start = _months_ago(today, older) if older is not None else None
            end = _months_ago(today, newer) if newer else None
            bounds.append((start, end))
        age = [0] * len(bounds)
        for d in pending:
            when = d["fir"].get("registered_on") or d.get("created_at")
            for i, (start, end) in enumerate(bounds):
                if when and (start is None or when >= start) and (end is None or when < end):
                    age[i] += 1
        calendar = self.calendar
        overdue: Counter[str] = Counter()
        by_district: Counter[str] = Counter()
        for d in docs:
            registered = d["fir"].get("registered_on")
            if d.get("state") not in reports.INVESTIGATION_STATES or not registered:
                continue
            visited = {d["state"]} | {h["to_state"] for h in d.get("history", [])}
            if visited & _MET_AT["fir_registered"]:
                continue
            facts = {"labels": d.get("labels", []), "outcome": d.get("outcome")}
            for rule in rules.rules:
                if (
                    rule.trigger == "fir_registered"
                    and rule.applies(facts)
                    and today > rule.due(registered.date(), calendar)
                ):
                    overdue[rule.id] += 1
                    by_district[d["district"]] += 1
        lead: Counter[Any] = Counter(d.get("lead_prosecutor") for d in pending)
        assisting: Counter[str] = Counter(a for d in pending for a in set(d.get("assisting", [])))
        decided = [d for d in docs if d.get("state") in reports.DECIDED_STATES]
        outcomes = Counter(d.get("outcome") for d in decided if d.get("outcome"))
        result: dict[str, Any] = {
            "by_state": Counter(d.get("state") for d in docs),
            "age": age,
            "overdue": dict(overdue),
            "lead": lead,
            "assisting": assisting,
            "outcomes": outcomes,
        }
        if district is None:
            result["districts"] = {
                code: (
                    sum(1 for d in pending if d["district"] == code),
                    by_district.get(code, 0),
                    sum(1 for d in decided if d["district"] == code and d.get("outcome")),
                    sum(
                        1
                        for d in decided
                        if d["district"] == code and d.get("outcome") in reports.CONVICTED_OUTCOMES
                    ),
                )
                for code in {d["district"] for d in self.docs}
            }
        return result


def _months_ago(today: dt.date, months: int) -> dt.datetime:
    from casefiles.deadlines import add_months

    day = add_months(today, -months)
    return dt.datetime(day.year, day.month, day.day)


def check_agrees(board: reports.Dashboard, scan: dict[str, Any]) -> list[str]:
    """Differences between the store's dashboard and the scan's (empty when they agree)."""
    problems = []
    stages = {b.key: b.value for b in board.by_stage}
    if any(stages[s] != scan["by_state"].get(s, 0) for s in stages):
        problems.append("stage counts")
    if [b.value for b in board.age] != scan["age"]:
        problems.append(f"age buckets {[b.value for b in board.age]} vs {scan['age']}")
    if {o.rule_id: o.count for o in board.overdue if o.count} != scan["overdue"]:
        problems.append(f"overdue challans {board.overdue} vs {scan['overdue']}")
    for w in board.workload:
        if (w.lead, w.assisting) != (
            scan["lead"].get(w.user_id, 0),
            scan["assisting"].get(w.user_id, 0),
        ):
            problems.append(f"workload of {w.name}")
            break
    if board.unassigned != scan["lead"].get(None, 0):
        problems.append("unassigned")
    if {b.key: b.value for b in board.outcomes if b.value} != dict(scan["outcomes"]):
        problems.append("outcomes")
    if "districts" in scan:
        for row in board.districts:
            expected = scan["districts"].get(row.code, (0, 0, 0, 0))
            if (row.pending, row.overdue_challans, row.decided, row.convicted) != expected:
                problems.append(f"district {row.code}")
    return problems


# -- main ---------------------------------------------------------------------------------


def run_suite(kernel: Kernel, scan: Scan, args: argparse.Namespace, title: str) -> None:
    who = actors(kernel)
    rules = default_rules()
    _, dpp_total = list_cases(kernel, who["dpp"])
    _, pp_total = list_cases(kernel, who["pp"])
    dpp_deep = max(math.ceil(dpp_total / PER_PAGE) // 2, 1)
    pp_deep = max(math.ceil(pp_total / PER_PAGE), 1)

    for district, actor in ((who["dpp"].district, who["dpp"]), (None, who["pg"])):
        board = reports.dashboard(kernel, actor, TODAY)
        problems = check_agrees(board, scan.dashboard(district, TODAY, rules))
        if problems:
            raise SystemExit(f"Dashboard ({actor.username}) disagrees with the scan: {problems}")
    for actor, page in ((who["dpp"], dpp_deep), (who["pp"], pp_deep)):
        got, total = list_cases(kernel, actor, page=page, per_page=PER_PAGE)
        want, want_total = scan.list(actor, page)
        if [c.id for c in got] != [c.id for c in want] or total != want_total:
            raise SystemExit(f"Case list ({actor.username}, page {page}) disagrees with the scan.")

    ops: list[tuple[str, str, Callable[[], Any], Callable[[], Any]]] = [
        (
            f"list DPP ({dpp_total:,} cases) p.1",
            "list",
            lambda: list_cases(kernel, who["dpp"], page=1),
            lambda: scan.list(who["dpp"], 1),
        ),
        (
            f"list DPP p.{dpp_deep}",
            "list",
            lambda: list_cases(kernel, who["dpp"], page=dpp_deep),
            lambda: scan.list(who["dpp"], dpp_deep),
        ),
        (
            f"list prosecutor ({pp_total:,}) p.1",
            "list",
            lambda: list_cases(kernel, who["pp"], page=1),
            lambda: scan.list(who["pp"], 1),
        ),
        (
            f"list prosecutor p.{pp_deep}",
            "list",
            lambda: list_cases(kernel, who["pp"], page=pp_deep),
            lambda: scan.list(who["pp"], pp_deep),
        ),
        (
            f"dashboard DPP {who['dpp'].district}",
            "dashboard",
            lambda: reports.dashboard(kernel, who["dpp"], TODAY),
            lambda: scan.dashboard(who["dpp"].district, TODAY, rules),
        ),
        (
            "dashboard PG (province)",
            "dashboard",
            lambda: reports.dashboard(kernel, who["pg"], TODAY),
            lambda: scan.dashboard(None, TODAY, rules),
        ),
    ]
    queries = reports.dashboard(kernel, who["pg"], TODAY).queries
    print(f"\n{title}  (runs {args.runs}, baseline runs {args.baseline_runs}; ms)")
    header = (
        f"{'operation':34} {'p50':>8} {'p95':>8} {'scan p50':>9} {'scan p95':>9} "
        f"{'ratio':>7}  target p95"
    )
    print(header)
    print("-" * len(header))
    for label, kind, store_fn, scan_fn in ops:
        p50, p95 = measure(store_fn, args.runs)
        b50, b95 = measure(scan_fn, args.baseline_runs, warmup=1)
        target = TARGETS[kind]
        verdict = "ok" if p95 < target else "MISSED"
        print(
            f"{label:34} {p50:8.1f} {p95:8.1f} {b50:9.1f} {b95:9.1f} {b50 / p50:6.1f}x  "
            f"< {target:.0f} {verdict}"
        )
    print(f"(the province dashboard takes {queries} store queries; figures agree with the scan)")
    if args.explain:
        for label, _kind, store_fn, _scan_fn in ops:
            explain(kernel, label, store_fn)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--baseline-runs", type=int, default=20)
    parser.add_argument("--data", type=Path, help="seeded data directory to (re)use")
    parser.add_argument("--explain", action="store_true", help="print the slowest SQL with plans")
    args = parser.parse_args()
    if args.runs < 50:
        print("Note: fewer than 50 runs; p95 is rough.")

    tmp = tempfile.TemporaryDirectory(prefix="mizan-bench-")
    data_dir = args.data or Path(tmp.name) / "data"
    try:
        build(data_dir, args.cases, args.seed)
        kernel = open_kernel(data_dir)
        print(f"SQLite {sqlite3.sqlite_version}; {kernel.store.count(Case):,} cases; today {TODAY}")
        scan = Scan(kernel)
        print(f"Baseline: {len(scan.docs):,} cases loaded into memory in {scan.load_seconds:.1f} s")
        run_suite(kernel, scan, args, "Embedded store (SQLite)")
        kernel.close()
    finally:
        tmp.cleanup()


if __name__ == "__main__":
    main()
