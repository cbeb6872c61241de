"""Where `search.hybrid.SIMILARITY_FLOOR` sits among real cosine similarities.

Not a speed benchmark: it prints the similarity distributions the floor was
chosen from (no evaluation queries are used), with the floor's place in each:

* unrelated pairs in the same legal register: every PPC section heading of
  three or more words against random 200-word windows of Balochistan High
  Court judgments (``../shared/data``): mostly unrelated, all legal;
* off-topic queries (weather, cooking, sport) against the same passages.

    python bench/bench_similarity_floor.py [--passages 150] [--headings 60] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from search.embeddings import Embedder  # noqa: E402
from search.hybrid import SIMILARITY_FLOOR  # noqa: E402
from search.passages import windows  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "pakistan"
OFF_TOPIC = (
    "weather forecast for tomorrow",
    "recipe for chicken biryani",
    "football world cup final",
    "how to repair a bicycle puncture",
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--passages", type=int, default=150)
    ap.add_argument("--headings", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with (DATA / "bhc_judgments.jsonl").open(encoding="utf-8") as fh:
        judgments = [json.loads(line) for line in fh]
    passages = []
    for j in rng.sample(judgments, args.passages):
        parts = list(windows(j["text"]))
        if parts:
            passages.append(rng.choice(parts))
    with (DATA / "ppc.md").open(encoding="utf-8") as fh:
        headings = [line.strip("# \n") for line in fh if line.startswith("#")]
    headings = rng.sample([h for h in headings if len(h.split()) >= 3], args.headings)
    embedder = Embedder()
    p = embedder.embed(passages)
    legal = (embedder.embed(headings) @ p.T).ravel()
    off = (embedder.embed(list(OFF_TOPIC)) @ p.T).ravel()
    print(
        f"{len(headings)} PPC headings x {len(passages)} judgment passages;"
        f" floor {SIMILARITY_FLOOR}"
    )
    for name, sims in (("legal, unrelated", legal), ("off-topic", off)):
        pct = np.percentile(sims, [50, 90, 99]).round(3)
        above = float((sims >= SIMILARITY_FLOOR).mean())
        print(
            f"{name:17} median {pct[0]}  p90 {pct[1]}  p99 {pct[2]}  max {sims.max():.3f}"
            f"  share at or above the floor {above:.1%}"
        )


if __name__ == "__main__":
    main()
