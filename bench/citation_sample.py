"""The reproducible sample of BHC paragraphs that tests/data/citations_bhc_annotated.jsonl
annotates by hand (see that file's README). Kept apart from the extractor on purpose: the
sample is chosen by a plain "has a year" test, never by what the extractor finds.

Run ``python -m bench.citation_sample --show N`` to print the first N windows for annotation.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BHC = Path(__file__).resolve().parents[2] / "shared" / "data" / "pakistan" / "bhc_judgments.jsonl"
SEED = 20261129
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# A deliberately broad, case-sensitive hint that a paragraph cites a report: the first letters
# of any reporter, dotted or spaced. Much broader than the extractor, so the windows are not
# chosen by what it finds; within a window every citation is annotated, whatever its spelling.
_REPORTER_HINT = re.compile(
    r"\b(?:P\.?\s?L\.?\s?[DJC]|S\.?\s?C|Y\.?\s?L|M\.?\s?L|C\.?\s?L|P\.?\s?Cr|N\.?\s?L\.?\s?R"
    r"|P\.?\s?T\.?\s?D|LHC|SHC|IHC)"
)
MAX_WINDOW = 2500


@dataclass(frozen=True)
class Window:
    doc: str
    start: int
    end: int
    text: str


def load(path: Path = BHC) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def windows(rows: list[dict], seed: int = SEED) -> Iterator[Window]:
    """Judgments in a seeded random order; from each, one paragraph chosen at random among
    those (after the first 600 characters of the report's header) that contain a year and a
    reporter hint, cut to
    at most MAX_WINDOW characters at a line end."""
    rng = random.Random(seed)
    order = list(range(len(rows)))
    rng.shuffle(order)
    for i in order:
        row = rows[i]
        text = row["text"]
        cands = [
            (a, b)
            for a, b in paragraphs(text)
            if a >= 600 and _YEAR.search(text, a, b) and _REPORTER_HINT.search(text, a, b)
        ]
        if not cands:
            continue
        a, b = rng.choice(cands)
        if b - a > MAX_WINDOW:
            cut = text.rfind("\n", a, a + MAX_WINDOW)
            b = cut if cut > a else a + MAX_WINDOW
        yield Window(row["id"], a, b, text[a:b])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--skip", type=int, default=0)
    args = ap.parse_args()
    for k, w in enumerate(windows(load())):
        if k < args.skip:
            continue
        if k >= args.skip + args.show:
            break
        print(f"===== window {k} doc={w.doc} start={w.start} end={w.end}")
        print(w.text)


if __name__ == "__main__":
    main()
