"""Field accuracy of FIR metadata suggestions: real scanned FIRs (weak labels) and generated
typed FIRs in English and Urdu (every field), with precision and recall per field.

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
pipeline / baseline for each field's ``any`` accuracy. Precision per field on the scans: of
Mizan's suggestions for the field, the share equal to the gold value; recall: the share of
labelled images with a suggestion equal to it (sections: over section numbers).

Generated typed FIRs (``bench/typed_firs.py``; ``--typed N`` of each language): every field
has a gold value, times, place, narrative and CNICs included (``cnic`` is scored on the
CNICs attached to person suggestions). A suggestion counts as right when it equals a gold
value after folding case, spaces and punctuation. Read from the text as typed (a
born-digital FIR), and with ``--ocr M`` also from the first M of each language rendered
as a 300-dpi page and read by Mizan's OCR (Tesseract ``eng`` / ``urd``).

    OMP_THREAD_LIMIT=1 python bench/bench_fir_metadata.py            # all 24 images
    OMP_THREAD_LIMIT=1 python bench/bench_fir_metadata.py --limit 6 --typed 50 --ocr 5
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import textwrap
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image

from bench.typed_firs import TypedFir, typed_firs
from ingestion.classify import classify_text
from ingestion.metadata import Found, PageInput, find_metadata
from ingestion.ocr import ocr_image

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "fir_india_samples"
CATEGORIES = {0: "police_station", 1: "fir_year", 2: "offences", 3: "complainant"}
#: Fields the scans' labels do not cover: only how often something was suggested is counted.
NEW_FIELDS = ("registered_at", "occurred_at", "place", "narrative")


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
            "precision": len(g & union) / len(union) if union else float("nan"),
            "recall": len(g & union) / len(g) if g else 0.0,
        }
    # A person's CNIC is part of the suggestion, not of the labelled name.
    folded = [fold(re.sub(r",\s*CNIC .*", "", v)) for v in values]
    out = {
        "top": float(bool(folded) and folded[0] == fold(gold)),
        "any": float(fold(gold) in folded),
        "precision": sum(v == fold(gold) for v in folded) / len(folded) if folded else float("nan"),
    }
    if field == "complainant":
        g = set(gold.casefold().split())
        out["f1"] = max((f1(g, set(v.casefold().split())) for v in values), default=0.0)
    return out


def fold_any(text: str) -> str:
    """Case, spaces and punctuation folded away; letters of any script kept."""
    return re.sub(r"[\W_]", "", text.casefold())


def predicted(found: list[Found], field: str) -> set[str]:
    if field == "cnic":
        return {f.extra["cnic"] for f in found if "cnic" in f.extra}
    return {fold_any(f.value) for f in found if f.field == field}


def render(fir: TypedFir) -> Image.Image:
    """The FIR typed on a 300-dpi page (Urdu right to left, shaped, in Amiri)."""
    from PIL import ImageDraw, ImageFont

    urdu = fir.lang == "urd"
    font = ImageFont.truetype(
        "/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf"
        if urdu
        else "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        size=46 if urdu else 40,
    )
    lines = [
        chunk
        for line in fir.text.splitlines()
        for chunk in (textwrap.wrap(line, 70 if urdu else 85) or [""])
    ]
    width, step = 2480, 80 if urdu else 62
    image = Image.new("L", (width, 200 + step * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        y = 100 + n * step
        if urdu:
            draw.text((width - 150, y), line, font=font, fill=0, anchor="ra", direction="rtl")
        else:
            draw.text((150, y), line, font=font, fill=0)
    return image


def score_typed(firs: list[TypedFir], texts: list[str]) -> dict[str, list[int]]:
    """Per field: [right suggestions, suggestions, gold values found, gold values]."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for fir, text in zip(firs, texts, strict=True):
        found = find_metadata([PageInput(1, text)])
        for field, values in fir.gold.items():
            gold = {v if field == "cnic" else fold_any(v) for v in values}
            pred = predicted(found, field)
            c = counts[field]
            c[0] += len(pred & gold)
            c[1] += len(pred)
            c[2] += len(gold & pred)
            c[3] += len(gold)
    return counts


def print_typed(count: int, ocr: int) -> None:
    for lang in ("eng", "urd"):
        firs = typed_firs(count, lang)
        runs = {"text": score_typed(firs, [f.text for f in firs])}
        if ocr:
            sample = firs[:ocr]
            start = time.perf_counter()
            texts = [ocr_image(render(f), lang).text for f in sample]
            per_page = (time.perf_counter() - start) / len(sample)
            runs["ocr"] = score_typed(sample, texts)
        name = {"eng": "English", "urd": "Urdu"}[lang]
        head = f"Generated typed FIRs, {name}: {count} as text" + (
            f", {ocr} rendered and OCR'd ({per_page:.1f} s/page)" if ocr else ""
        )
        print(f"\n{head}\n{'field':16} " + " ".join(f"{r + ' P':>7} {r + ' R':>7}" for r in runs))
        for field in runs["text"]:
            cells = []
            for counts in runs.values():
                right, suggested, hit, gold = counts[field]
                p = f"{right / suggested:.2f}" if suggested else "-"
                cells.append(f"{p:>7} {hit / gold if gold else 0:7.2f}")
            print(f"{field:16} " + " ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="score only the first N images")
    parser.add_argument("--typed", type=int, default=50, help="generated FIRs per language")
    parser.add_argument("--ocr", type=int, default=5, help="of those, how many to render+OCR")
    parser.add_argument("--no-scans", action="store_true", help="skip the real scanned FIRs")
    args = parser.parse_args()
    if args.typed:
        print_typed(args.typed, min(args.ocr, args.typed))
    if args.no_scans:
        return
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
    new_found: dict[str, int] = dict.fromkeys(NEW_FIELDS, 0)
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
            if run == "pipeline":
                for field in NEW_FIELDS:
                    new_found[field] += any(f.field == field for f in found)
    print(f"FIR metadata on {len(images)} scanned FIR forms (weak labels; see the docstring)")
    print(
        f"{'field':16} {'n':>3} {'top':>6} {'any':>6} {'F1':>6} {'P':>6} {'R':>6} "
        "| baseline any | ratio"
    )
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
        precisions = [r["precision"] for r in rows if r["precision"] == r["precision"]]
        p_text = f"{statistics.mean(precisions):6.2f}" if precisions else "     -"
        recall = statistics.mean(r.get("recall", r["any"]) for r in rows)
        print(
            f"{field:16} {len(rows):3d} {top:6.2f} {any_:6.2f} {f1_text} {p_text} {recall:6.2f} "
            f"| {base_any:12.2f} | {ratio}"
        )
    print(
        "not labelled on the scans; images with a suggestion: "
        + ", ".join(f"{f} {n}/{len(images)}" for f, n in new_found.items())
    )
    for run in runs:
        print(
            f"{run}: {statistics.mean(seconds[run]):.1f} s/page OCR, {suggested[run]} suggestions, "
            f"{flagged[run]} flagged as low OCR confidence, "
            f"{as_fir[run]}/{len(images)} classified as FIR"
        )


if __name__ == "__main__":
    main()
