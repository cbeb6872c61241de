"""Upload to suggestions while a bulk import runs: the two-queue layout against one queue.

A clerk uploads a one-page typed FIR scan every ``--every`` seconds while an
administrator's import of ``--judgments`` judgments (queued first, as in the
issue's observation) is worked on. Measured per upload: seconds from the upload
until its classification and case suggestions are stored (``doc_type_auto`` set).

Two runs on fresh data directories, real ``mizan run-worker`` processes:
- **baseline**: one worker with two processes taking every queue (before issue 15);
- **Mizan**: as ``make run`` starts them, one process for interactive work only and
  one for everything.

    python bench/bench_intake_latency.py [--judgments 5000] [--uploads 8] [--every 10]

The judgments come from ``../shared/data/pakistan/bhc_judgments.jsonl`` (repeated with
new ids to reach the count), or are generated when the shared data is missing.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def judgment_lines(count: int) -> bytes:
    from library.seed import shared_data_dir

    data = shared_data_dir()
    source = data / "pakistan" / "bhc_judgments.jsonl" if data else None
    records = []
    if source and source.is_file():
        with source.open(encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh if line.strip()]
    out = []
    for n in range(count):
        if records:
            record = dict(records[n % len(records)])
            record["id"] = f"bench-{n}"
            record["citation"] = f"BENCH {n}"
        else:
            text = "The appellant was convicted under section 302 PPC. " * 200
            record = {"id": f"bench-{n}", "title": f"State v. Accused {n}",
                      "citation": f"BENCH {n}", "court": "High Court", "text": text}  # fmt: skip
        out.append(json.dumps(record))
    return "\n".join(out).encode()


def start_workers(data_dir: Path, broker: str, layout: str) -> list[subprocess.Popen]:
    env = {**os.environ, "MIZAN_DATA_DIR": str(data_dir), "MIZAN_BROKER": broker,
           "OMP_THREAD_LIMIT": "1", "HF_HUB_OFFLINE": "1", "MIZAN_WARM_MODEL": "true"}  # fmt: skip
    commands = (
        [["-c", "2", "-Q", "all"]]
        if layout == "baseline"
        else [["-c", "1", "-Q", "interactive"], ["-c", "1", "-Q", "all"]]
    )
    return [
        subprocess.Popen(
            [sys.executable, "-m", "app.cli", "run-worker", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for args in commands
    ]


def run(layout: str, judgments: int, every: float, scans: list[bytes]) -> list[float]:
    from app.bootstrap import build_kernel
    from app.demo import seed
    from casefiles.models import Case, CaseDocument
    from ingestion.service import upload_document
    from library.uploads import queue_judgments_import
    from mizan.accounts.models import User
    from mizan.accounts.service import actor_for
    from mizan.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        broker = f"sqla+sqlite:///{data_dir / 'broker.sqlite3'}"
        settings = load_settings({"MIZAN_DATA_DIR": str(data_dir), "MIZAN_BROKER": broker,
                                  "MIZAN_WARM_MODEL": "false"}, env_file=None)  # fmt: skip
        kernel = build_kernel(settings)
        seed(kernel)
        admin = actor_for(kernel.store.find_one(User, {"username": "admin"}))
        clerk = actor_for(kernel.store.find_one(User, {"username": "clerk.south"}))
        case = kernel.store.find_one(Case, {"district": "KHI-S"})
        sha, _size = kernel.blobs.put_stream(io.BytesIO(judgment_lines(judgments)))
        queue_judgments_import(kernel, admin, sha, "judgments.jsonl")
        workers = start_workers(data_dir, broker, layout)
        waits: list[float] = []
        try:
            time.sleep(every)  # the import has started
            sent: list[tuple[str, float]] = []
            for n, body in enumerate(scans):
                doc = upload_document(
                    kernel, clerk, case.id, filename=f"fir-{n}.png", stream=io.BytesIO(body)
                )
                sent.append((doc.id, time.monotonic()))
                time.sleep(every)
            for doc_id, started in sent:
                while kernel.store.get(CaseDocument, doc_id).doc_type_auto is None:
                    if time.monotonic() - started > 3600:
                        raise SystemExit(f"{layout}: an upload waited over an hour")
                    time.sleep(0.5)
                waits.append(time.monotonic() - started)
        finally:
            for proc in workers:
                proc.terminate()
            for proc in workers:
                proc.wait(timeout=120)
            kernel.close()
    return waits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--judgments", type=int, default=5000)
    parser.add_argument("--uploads", type=int, default=8)
    parser.add_argument("--every", type=float, default=10.0)
    args = parser.parse_args()
    from tests.conftest import render_scan

    scans = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.uploads):
            path = render_scan(
                "FIRST INFORMATION REPORT\nPolice Station Artillery Maidan, District Karachi "
                f"South\nFIR No. {200 + n}/2026 under section 302/34 PPC\n"
                "Complainant: Muhammad Akram",
                Path(tmp) / f"fir{n}.png",
            )
            scans.append(path.read_bytes())
    results = {}
    for layout in ("baseline", "mizan"):
        waits = run(layout, args.judgments, args.every, scans)
        results[layout] = waits
        p50 = statistics.median(waits)
        p95 = sorted(waits)[max(0, round(0.95 * len(waits)) - 1)]
        print(f"{layout:<9} uploads {len(waits)}  p50 {p50:6.1f} s  p95 {p95:6.1f} s  "
              f"max {max(waits):6.1f} s", flush=True)  # fmt: skip
    ratio = statistics.median(results["baseline"]) / statistics.median(results["mizan"])
    print(f"upload-to-suggestions p50: baseline / Mizan = {ratio:.1f}x "
          f"({args.judgments} judgments importing, one upload every {args.every:g} s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
