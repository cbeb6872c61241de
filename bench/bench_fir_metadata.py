"""Field accuracy of FIR metadata suggestions on real scanned FIRs (weak labels).

Data: ``../shared/data/fir_india_samples`` — 24 scanned Indian FIR forms (printed form filled
in by hand, 740x1180 JPEG) and ``annotations.json`` with machine-proposed boxes and
transcriptions for four fields: police station (category 0), year (1), statutes (2) and
complainant (3).

Scoring (the labels are weak, so every choice is stated):

* Gold value per image and field: the annotation with the highest ``score`` (duplicates of
  one box are the same proposal and count once). An image without an annotation for a field
  is not scored for that field.
* Texts are compared after folding case and dropping everything but letters and digits
  ("Eco Park " = "ECO PARK").
* ``top``: the first suggestion Mizan makes for the field (what the review screen lists
  first) equals the gold value. ``any``: one of its suggestions for the field does.
* Statutes: the gold "341/325/34 Ipc" is read as the set of section numbers {341, 325, 34};
  the prediction is the set of section numbers over all ``offences`` suggestions. ``top``
  is an exact set match, and the mean F1 of the two sets is reported too.
* Complainant: besides exact match, the mean token F1 (names are often half read).
* Also counted: how many of the forms (all FIRs) the classifier calls an FIR.

The OCR goes through Mizan's pipeline (``ingestion.ocr.ocr_image`` with its enlargement of
small scans, orientation check and deskew); the baseline, in the same run, is the same
reader on Tesseract's output for the image as given (``normalise=False``). The ratio is
pipeline / baseline for each field's ``any`` accuracy.

    OMP_THREAD_LIMIT=1 python bench/bench_fir_metadata.py            # all 24 images
    OMP_THREAD_LIMIT=1 python bench/bench_fir_metadata.py --limit 6
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image

from ingestion.classify import classify_text
from ingestion.metadata import Found, PageInput, find_metadata
from ingestion.ocr import ocr_image

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "fir_india_samples"
CATEGORIES = {0: "police_station", 1: "fir_year", 2: "offences", 3: "complainant"}


def fold(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def sections(text: str) -> set[str]:
    return {m.upper() for m in re.findall(r"\d{1,3}[A-Za-z]?(?![\d])", text)}


def f1(gold: set[str], pred: set[str]) -> float:
    if not gold and not pred:
        return 1.0
    hit = len(gold & pred)
    if not hit:
        return 0.0
    p, r = hit / len(pred), hit / len(gold)
    return 2 * p * r / (p + r)


def gold_labels() -> dict[str, dict[str, str]]:
    annotations = json.loads((DATA / "annotations.json").read_text())
    best: dict[tuple[str, int], tuple[float, str]] = {}
    for a in annotations:
        key = (a["image_name"], a["category_id"])
        if key not in best or a["score"] > best[key][0]:
            best[key] = (a["score"], a["text"].strip())
    gold: dict[str, dict[str, str]] = defaultdict(dict)
    for (image, cat), (_, text) in best.items():
        gold[image][CATEGORIES[cat]] = text
    return gold


def score(field: str, gold: str, found: list[Found]) -> dict[str, float]:
    values = [f.value for f in found if f.field == field]
    if field == "offences":
        pred_sets = [{re.sub(r"\(.*", "", v.split()[0]) for v in val.split("; ")} for val in values]
        union = set().union(*pred_sets) if pred_sets else set()
        g = sections(gold)
        union = {s.upper().replace("-", "") for s in union}
        return {
            "top": float(bool(values) and union == g),
            "any": float(union == g),
            "f1": f1(g, union),
        }
    folded = [fold(v) for v in values]
    out = {
        "top": float(bool(folded) and folded[0] == fold(gold)),
        "any": float(fold(gold) in folded),
    }
    if field == "complainant":
        g = set(gold.casefold().split())
        out["f1"] = max((f1(g, set(v.casefold().split())) for v in values), default=0.0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="score only the first N images")
    args = parser.parse_args()
    gold = gold_labels()
    images = sorted(p.name for p in (DATA / "images").glob("*.jpg"))
    if args.limit:
        images = images[: args.limit]
    runs = {"pipeline": True, "baseline": False}
    results: dict[str, dict[str, list[dict[str, float]]]] = {r: defaultdict(list) for r in runs}
    seconds: dict[str, list[float]] = {r: [] for r in runs}
    flagged: dict[str, int] = {r: 0 for r in runs}
    suggested: dict[str, int] = {r: 0 for r in runs}
    as_fir: dict[str, int] = {r: 0 for r in runs}
    for name in images:
        image = Image.open(DATA / "images" / name)
        for run, normalise in runs.items():
            start = time.perf_counter()
            ocr = ocr_image(image, "eng", normalise=normalise)
            seconds[run].append(time.perf_counter() - start)
            found = find_metadata([PageInput(1, ocr.text, tuple(ocr.words))])
            as_fir[run] += classify_text(ocr.text).doc_type == "fir"
            suggested[run] += len(found)
            flagged[run] += sum(f.flagged for f in found)
            for field, text in gold.get(name, {}).items():
                results[run][field].append(score(field, text, found))
    print(f"FIR metadata on {len(images)} scanned FIR forms (weak labels; see the docstring)")
    print(f"{'field':16} {'n':>3} {'top':>6} {'any':>6} {'F1':>6} | baseline any | ratio")
    for field in CATEGORIES.values():
        rows = results["pipeline"][field]
        base = results["baseline"][field]
        if not rows:
            continue
        top = statistics.mean(r["top"] for r in rows)
        any_ = statistics.mean(r["any"] for r in rows)
        f1s = [r["f1"] for r in rows if "f1" in r]
        base_any = statistics.mean(r["any"] for r in base)
        ratio = f"{any_ / base_any:.2f}" if base_any else "n/a (baseline 0)"
        f1_text = f"{statistics.mean(f1s):6.2f}" if f1s else "     -"
        print(
            f"{field:16} {len(rows):3d} {top:6.2f} {any_:6.2f} {f1_text} | {base_any:12.2f} | "
            f"{ratio}"
        )
    for run in runs:
        print(
            f"{run}: {statistics.mean(seconds[run]):.1f} s/page OCR, {suggested[run]} suggestions, "
            f"{flagged[run]} flagged as low OCR confidence, "
            f"{as_fir[run]}/{len(images)} classified as FIR"
        )


if __name__ == "__main__":
    main()
