"""Many people on one Mizan at once: p50/p95 per page under load, errors, and capacity.

Starts Mizan as ``make run`` does (gunicorn with 2 workers × 4 threads, one Celery
worker taking every queue) on a fresh data directory with the demo province
(``mizan seed-demo --province``: 2,000 cases and the demo library) plus
``--cases`` synthetic cases (``mizan seed-scale``), then runs locust headless
(``bench/load/users.py``: prosecutors searching and opening cases, clerks uploading
one-page scans that the worker OCRs meanwhile, supervisors opening the dashboard and
reports, a police system sending FIRs) at each user count of ``--users``.

Baseline, measured in the same run: the same mix with one user. Each step prints its
p95 beside it (ratio), and the capacity is the first user count at which the p95 of the
slowest page passes one second.

    python bench/bench_load.py [--cases 100000] [--users 1,10,25,50] [--duration 60]

Two-step sign-in is switched off for the run (the demo DPP would need a code).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.demo import DEMO_PASSWORD  # noqa: E402

BIN = Path(sys.executable).parent
USERS_FILE = ROOT / "bench" / "load" / "users.py"
#: Requests that are not page views (their own rows, left out of the page p95).
NOT_PAGES = ("/login [POST]", "/api/v1/firs [POST]", "/cases/<id>/documents [POST]")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mizan(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "mizan"), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"mizan {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def prepare(env: dict) -> dict[str, str]:
    """Integration token and case ids for the users (read in a child: its own kernel)."""
    code = """
from app.bootstrap import build_kernel
from casefiles.models import Case
from mizan.accounts.integrations import create_integration
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.settings import load_settings
k = build_kernel(load_settings())
admin = actor_for(k.store.find_one(User, {"username": "admin"}))
_, token = create_integration(k, admin, name="Load police", kind="police", districts=["KHI-S"])
rahim = k.store.find_one(User, {"username": "pp.rahim"})
cases = k.store.find(Case, {"lead_prosecutor": rahim.id}, limit=50)
print(token)
print(",".join(c.id for c in cases))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    return {"LOAD_TOKEN": out[0], "LOAD_CASES": out[1], "LOAD_UPLOAD_CASE": out[1].split(",")[0]}


def wait_up(url: str, seconds: float = 120) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(1)
    sys.exit("The web server did not start.")


def step(url: str, env: dict, users: int, duration: int, out: Path) -> dict[str, dict]:
    prefix = out / f"u{users}"
    subprocess.run(
        [
            str(BIN / "locust"), "-f", str(USERS_FILE), "--headless", "--only-summary",
            "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{duration}s",
            "--host", url, "--csv", str(prefix), "--loglevel", "ERROR",
        ],
        env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    rows: dict[str, dict] = {}
    with open(f"{prefix}_failures.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            print(f"  {users} users: {row['Occurrences']}× {row['Name']}: {row['Error'][:120]}")
    with open(f"{prefix}_stats.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            rows[row["Name"]] = {
                "n": int(row["Request Count"]),
                "failed": int(row["Failure Count"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
            }
    return rows


def page_p95(rows: dict[str, dict]) -> float:
    """The slowest page's p95 (page views only): the figure a person feels."""
    return max(
        (r["p95"] for name, r in rows.items() if name not in NOT_PAGES and name != "Aggregated"),
        default=0.0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=0, help="extra synthetic cases")
    parser.add_argument("--users", default="1,10,25,50", help="user counts, 1 first")
    parser.add_argument("--duration", type=int, default=60, help="seconds per step")
    args = parser.parse_args()
    counts = [int(x) for x in args.users.split(",")]
    if counts[0] != 1:
        counts = [1, *counts]

    work = Path(tempfile.mkdtemp(prefix="mizan-load-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "MIZAN_DATA_DIR": str(work / "data"),
        "MIZAN_BIND": f"127.0.0.1:{port}",
        "MIZAN_TWO_FACTOR_ROLES": "none",
        "OMP_THREAD_LIMIT": "1",
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": str(ROOT),
    }
    procs: list[subprocess.Popen] = []
    try:
        started = time.monotonic()
        mizan(env, "init")
        mizan(env, "seed-demo", "--province")
        env["LOAD_PASSWORD"] = DEMO_PASSWORD
        if args.cases:
            mizan(env, "seed-scale", "--cases", str(args.cases))
        env.update(prepare(env))
        print(f"Seeded in {time.monotonic() - started:.0f} s (province + {args.cases:,} cases)")
        procs.append(subprocess.Popen(
            [str(BIN / "mizan"), "run-worker", "-Q", "all", "-c", "1"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        ))  # fmt: skip
        procs.append(subprocess.Popen(
            [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--threads", "4", "--timeout", "120", "app.wsgi:app"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        ))  # fmt: skip
        wait_up(url)

        # Warm-up, not recorded: each gunicorn worker loads its models and caches.
        step(url, env, 4, min(30, args.duration), work)
        results = {}
        for users in counts:
            results[users] = step(url, env, users, args.duration, work)
        base = page_p95(results[1]) or 1.0
        names = sorted({n for r in results.values() for n in r if n != "Aggregated"})
        print(f"\n{'endpoint':34}" + "".join(f"{f'{u} users p50/p95':>22}" for u in counts))
        for name in names:
            cells = []
            for users in counts:
                row = results[users].get(name)
                cells.append(f"{row['p50']:>9.0f}/{row['p95']:<6.0f}ms" if row else "—")
            print(f"{name:34}" + "".join(f"{c:>22}" for c in cells))
        print("\nusers  requests  errors  slowest page p95 ms  ratio to 1 user")
        capacity = None
        for users in counts:
            agg = results[users].get("Aggregated", {"n": 0, "failed": 0})
            p95 = page_p95(results[users])
            figures = f"{agg['n']:>8}  {agg['failed']:>6}  {p95:>19.0f}  {p95 / base:>15.1f}"
            print(f"{users:>5}  {figures}")
            if capacity is None and p95 > 1000:
                capacity = users
        print(
            f"\nCapacity: page-view p95 passes 1 s at {capacity} users"
            if capacity
            else f"\nCapacity: page-view p95 stayed under 1 s up to {counts[-1]} users"
        )
    finally:
        for proc in procs:
            try:
                os.killpg(proc.pid, 15)
                proc.wait(timeout=60)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, 9)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
