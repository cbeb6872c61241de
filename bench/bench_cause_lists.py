"""Cause lists read from court PDFs: rows per second and match precision/recall.

Seeds a temporary province (``--cases`` synthetic cases through ``casefiles.scale``), then
writes cause lists in both courts' layouts (``tests/data/make_cause_lists.py``) from cases
that are really before a court, in the mix a court's list has:

* 60 % named by the court's case number, FIR and police station,
* 20 % by the FIR and police station only (the court's number not yet known to Mizan),
* 10 % by the accused's name alone, spelt another way ("Muhammad" as "Mohd."),
* 10 % cases that are not in Mizan at all (made-up numbers and names).

Each list is read (``ingestion.cause_list_pdf``) and staged (``casefiles.cause_list_reviews``:
every row matched, stored for review) as the Prosecutor General, so every district is in
scope. Reported per layout: rows read per second, rows staged (matched and stored) per
second, precision of the sure matches, precision of the likely ones, recall over the rows
whose case is in Mizan (sure or likely and right), and rows lost in reading. The scanned
lists go through OCR, so they are shorter (``--scanned-rows``).

    python bench/bench_cause_lists.py                        # 20,000 cases, 2,000 rows
    python bench/bench_cause_lists.py --cases 100000 --rows 2000 --scanned-rows 200
    python bench/bench_cause_lists.py --data /tmp/clbench --only scanned   # OCR only
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.bootstrap import build_kernel
from app.demo import seed as seed_demo
from casefiles.cause_list_reviews import entries_of, stage_cause_list
from casefiles.models import Case
from casefiles.scale import seed_scale
from casefiles.scale_tables import COURT_STAGES
from ingestion.cause_list_pdf import read_cause_list
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.clock import pakistan_today
from mizan.kernel import Kernel
from mizan.settings import load_settings
from tests.data.make_cause_lists import Listing, atc_list, scanned, shc_bench_list

LAYOUTS = {"shc_bench": shc_bench_list, "atc": atc_list}
INVENTED = ["Zarak Khan Bugti", "Waheed Murad Lashari", "Qadir Bux Jatoi", "Fazal Din Mangi"]


def _respell(name: str) -> str:
    return name.replace("Muhammad", "Mohd.").replace("Hussain", "Husain").replace("Ahmed", "Ahmad")


def _accused(case: Case) -> str:
    return next((p.name for p in case.parties if p.role == "accused"), "")


def _listings(
    kernel: Kernel, rng: random.Random, rows: int
) -> dict[str, list[tuple[Listing, str | None]]]:
    """Listings grouped by court, each with the id of the case it names (None: not in Mizan)."""
    pool = [
        c for c in kernel.store.find(Case, {"state": {"$in": list(COURT_STAGES)}}, limit=20_000)
        if c.court_cases and _accused(c)
    ]  # fmt: skip
    rng.shuffle(pool)
    by_court: dict[str, list[tuple[Listing, str | None]]] = defaultdict(list)
    for n in range(rows):
        case = pool[n % len(pool)]
        court = case.court_cases[0].court
        draw = rng.random()
        number = case.court_cases[0].number
        fir = (case.fir.number, case.fir.year, case.fir.police_station)
        party = f"The State v. {_accused(case)}"
        if draw < 0.6:
            item = Listing(number, party, *fir, purpose="Evidence")
        elif draw < 0.8:
            item = Listing("", party, *fir, purpose="Arguments")
        elif draw < 0.9:
            item = Listing("", f"The State v. {_respell(_accused(case))}", purpose="Charge")
        else:
            made_up = Listing(
                f"Special Case No. {9000 + n} of 2019",
                f"The State v. {rng.choice(INVENTED)}",
                purpose="Bail",
            )
            by_court[court].append((made_up, None))
            continue
        by_court[court].append((item, case.id))
    return by_court


def _text(fields: dict) -> str:
    keys = ("case_number", "parties", "fir_number", "fir_year", "police_station")
    return " ".join(str(fields.get(k) or "") for k in keys).casefold()


def _truth(fields: dict, items: list[tuple[Listing, str | None]]) -> str | None:
    """The case the listing behind a read row names: the listing whose text the row's is
    closest to (OCR may drop or split rows, so position alone would misalign the rest)."""
    read = _text(fields)
    best = max(
        items,
        key=lambda it: difflib.SequenceMatcher(
            None, read, _text({**vars(it[0]), "fir_number": it[0].fir_number or ""})
        ).ratio(),
    )
    return best[1]


def _run(kernel: Kernel, layout: str, lists: dict, scan: bool, folder: Path) -> dict:
    pg = actor_for(kernel.store.find_one(User, {"username": "pg.sindh"}))
    day = pakistan_today() + dt.timedelta(days=3)
    make = LAYOUTS[layout]
    read_s = stage_s = 0.0
    rows = lost = sure = sure_right = likely = likely_right = known = found = 0
    for n, (court, items) in enumerate(lists.items()):
        data = make(court, day, [item for item, _truth in items])
        if scan:
            data = scanned(data, seed=n)
        path = folder / f"{layout}-{n}.pdf"
        path.write_bytes(data)
        started = time.perf_counter()
        reading = read_cause_list(path)
        read_s += time.perf_counter() - started
        started = time.perf_counter()
        record = stage_cause_list(
            kernel, pg, reading.rows, court=reading.court or court, day=day.isoformat(),
            method=reading.method,
        )  # fmt: skip
        stage_s += time.perf_counter() - started
        entries = entries_of(kernel, pg, record.id)
        rows += len(items)
        lost += max(len(items) - len(entries), 0)
        known += sum(truth is not None for _item, truth in items)
        for entry in entries:
            truth = _truth(entry.fields, items)
            if entry.level == "sure":
                sure += 1
                sure_right += entry.case_id == truth
            elif entry.level == "likely":
                likely += 1
                likely_right += entry.case_id == truth
            found += truth is not None and entry.case_id == truth
    return {
        "rows": rows,
        "read rows/s": rows / read_s if read_s else 0.0,
        "staged rows/s": rows / stage_s if stage_s else 0.0,
        "sure": sure,
        "sure precision": sure_right / sure if sure else 0.0,
        "likely": likely,
        "likely precision": likely_right / likely if likely else 0.0,
        "recall": found / known if known else 0.0,
        "rows lost": lost,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=2_000)
    parser.add_argument("--scanned-rows", type=int, default=120)
    parser.add_argument("--data", help="a data directory to reuse (seeded on first use)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--only", choices=("digital", "scanned"), help="measure one kind of list only"
    )
    args = parser.parse_args()
    folder = Path(args.data or tempfile.mkdtemp(prefix="mizan-causelists-"))
    env = {"MIZAN_DATA_DIR": str(folder), "MIZAN_WARM_MODEL": "false"}
    env["MIZAN_BROKER"] = f"sqla+sqlite:///{folder / 'broker.sqlite3'}"
    kernel = build_kernel(load_settings(env, env_file=None))
    try:
        if kernel.store.count(Case) < args.cases:
            started = time.perf_counter()
            seed_demo(kernel)
            seed_scale(kernel, args.cases - kernel.store.count(Case), seed=args.seed)
            took = time.perf_counter() - started
            print(f"seeded {kernel.store.count(Case):,} cases in {took:.0f} s")
        rng = random.Random(args.seed)
        print(f"{'list':<22}{'rows':>6}{'read/s':>9}{'staged/s':>10}{'sure':>6}{'P(sure)':>9}"
              f"{'likely':>8}{'P(likely)':>10}{'recall':>8}{'lost':>6}")  # fmt: skip
        kinds = [(False, args.rows), (True, args.scanned_rows)]
        if args.only:
            kinds = [kinds[args.only == "scanned"]]
        for scan, count in kinds:
            for layout in LAYOUTS:
                lists = _listings(kernel, rng, count)
                r = _run(kernel, layout, lists, scan, folder)
                name = f"{layout}{' (scanned)' if scan else ''}"
                print(
                    f"{name:<22}{r['rows']:>6}{r['read rows/s']:>9.1f}{r['staged rows/s']:>10.1f}"
                    f"{r['sure']:>6}{r['sure precision']:>9.3f}{r['likely']:>8}"
                    f"{r['likely precision']:>10.3f}{r['recall']:>8.3f}{r['rows lost']:>6}",
                    flush=True,
                )
    finally:
        kernel.close()


if __name__ == "__main__":
    main()
