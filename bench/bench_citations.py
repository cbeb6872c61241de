"""Citation extraction: precision/recall against the hand annotation, and speed.

Accuracy: ``tests/data/citations_bhc_annotated.jsonl`` annotates every citation (and some
look-alikes) in 76 paragraphs of Balochistan High Court judgments: 56 annotated before the
extractor was first run and then used to improve it, 20 annotated afterwards and held out;
how they were sampled is in ``tests/data/README.md``. Each paragraph is run through
``find_citations`` on its own; an extracted citation is correct when a gold citation of the
same kind and canonical form overlaps it. Statute figures are given for every act the
annotator saw and for the acts the registry (``legaltext.act_names``) knows, since an unknown
act cannot be recognised by design.

Speed: ``find_citations`` over the first ``--docs`` judgments, against a baseline measured in
the same run: one pass of a single naive "year word page" regex (what a first attempt would
do), so the ratio says what the whitelist, the act-aware statute scan and overlap resolution
cost.

    python -m bench.bench_citations [--docs 300]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from legaltext.act_names import act_codes
from legaltext.law_reports import Citation, find_citations

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "citations_bhc_annotated.jsonl"
BHC = ROOT.parent / "shared" / "data" / "pakistan" / "bhc_judgments.jsonl"
NAIVE = re.compile(r"\b(?:19|20)\d{2}\s+[A-Z][A-Za-z.]{1,8}(?:\s+[A-Z][a-z.]{1,8})?\s+\d{1,4}\b")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: Path = GOLD) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _registered(canonical: str | None) -> bool:
    return bool(canonical) and canonical.rsplit(" ", 1)[-1] in act_codes()


def evaluate(gold: list[dict], texts: dict[str, str]) -> dict[str, object]:
    """Scores per kind ("report", "statute", "statute (registered acts)"), the wrongly read
    citations (right place, wrong canonical form) and the look-alikes that were matched."""
    windows: dict[int, list[dict]] = {}
    for g in gold:
        windows.setdefault(g["window"], []).append(g)
    scores = {k: Score() for k in ("report", "neutral", "statute", "statute (registered acts)")}
    wrong: list[tuple[str, str, str]] = []
    negatives_hit: list[str] = []
    for items in windows.values():
        first = items[0]
        lo, hi = first["window_start"], first["window_end"]
        text = texts[first["doc"]][lo:hi]
        found = [
            Citation(**{**c.__dict__, "start": c.start + lo, "end": c.end + lo})
            for c in find_citations(text)
        ]
        golds = [g for g in items if g["kind"] in ("report", "neutral", "statute")]
        ignored = [g for g in items if g["kind"] == "unresolvable"]
        negatives = [g for g in items if g["kind"] == "negative"]
        used: set[int] = set()
        for g in golds:
            hit = next(
                (
                    i
                    for i, c in enumerate(found)
                    if i not in used
                    and c.kind == g["kind"]
                    and c.canonical == g["canonical"]
                    and c.start < g["end"]
                    and g["start"] < c.end
                ),
                None,
            )
            kinds = [g["kind"]]
            if g["kind"] == "statute" and _registered(g["canonical"]):
                kinds.append("statute (registered acts)")
            for k in kinds:
                if hit is None:
                    scores[k].fn += 1
                else:
                    scores[k].tp += 1
            if hit is not None:
                used.add(hit)
        for i, c in enumerate(found):
            if i in used or any(c.start < g["end"] and g["start"] < c.end for g in ignored):
                continue
            kinds = [c.kind]
            if c.kind == "statute":
                kinds.append("statute (registered acts)")
            for k in kinds:
                scores[k].fp += 1
            near = next((g for g in golds if c.start < g["end"] and g["start"] < c.end), None)
            if near is not None:
                wrong.append((c.raw, c.canonical, str(near["canonical"])))
            if any(c.start < g["end"] and g["start"] < c.end for g in negatives):
                negatives_hit.append(c.raw)
    return {
        "scores": scores,
        "wrong": wrong,
        "negatives_hit": negatives_hit,
        "counts": Counter(g["kind"] for g in gold),
    }


def _report(name: str, result: dict[str, object]) -> None:
    counts = result["counts"]
    print(
        f"== {name}\nGold: {counts['report']} report, {counts['neutral']} neutral, "
        f"{counts['statute']} statute citations; {counts['negative']} look-alikes; "
        f"{counts['unresolvable']} garbled (not scored)"
    )
    print(f"{'kind':<28}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}")
    for kind, s in result["scores"].items():
        if s.tp + s.fp + s.fn == 0:
            continue
        print(
            f"{kind:<28}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>5}{s.fp:>5}{s.fn:>5}"
        )
    for raw, got, want in result["wrong"]:
        print(f"  misread: {raw!r} -> {got!r}, annotated {want!r}")
    print(f"Look-alikes taken as citations: {len(result['negatives_hit'])}")


def load_texts(path: Path = BHC, limit: int | None = None) -> dict[str, str]:
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            out[row["id"]] = row["text"]
            if limit is not None and len(out) >= limit:
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=300, help="judgments for the speed run")
    args = ap.parse_args()

    texts = load_texts()
    gold = load_gold()
    for name, subset in (
        (
            "development (windows 0-55; annotated before the first run, then used for tuning)",
            [g for g in gold if g["set"] == "development"],
        ),
        (
            "held-out (windows 56-75; annotated after tuning, never tuned on)",
            [g for g in gold if g["set"] == "held-out"],
        ),
        ("all", gold),
    ):
        _report(name, evaluate(subset, texts))

    docs = list(texts.values())[: args.docs]
    chars = sum(len(t) for t in docs)
    t0 = time.perf_counter()
    naive = sum(len(NAIVE.findall(t)) for t in docs)
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = sum(len(find_citations(t)) for t in docs)
    ours = time.perf_counter() - t0
    print(
        f"Speed on {len(docs)} judgments ({chars:,} chars): find_citations "
        f"{chars / ours:,.0f} chars/s ({found} citations); naive single regex "
        f"{chars / base:,.0f} chars/s ({naive} matches); ratio {ours / base:.1f}x slower"
    )


if __name__ == "__main__":
    main()
