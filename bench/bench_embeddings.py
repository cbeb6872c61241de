"""Embedding throughput: Mizan's embedder against a bare ``model.encode`` in the same run.

Passages are real: the product's 200-word windows (``search.passages.windows``) of the first
Balochistan High Court judgments in ``../shared/data`` (or of the shipped sample judgments
when the shared data is absent). Three timings on the same passages, alternating so machine
load hits both alike:

* baseline: ``SentenceTransformer.encode`` (same batch size, normalised), nothing else;
* Mizan, cold: ``Embedder.embed`` with an empty content-hash cache (hash, encode, store);
* Mizan, warm: the same call again (every passage found in the cache, no model time).

    python bench/bench_embeddings.py [--passages 256] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from search.embeddings import BATCH_SIZE, Embedder, EmbeddingCache, _load_model  # noqa: E402
from search.passages import windows  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "pakistan" / "bhc_judgments.jsonl"
SAMPLE = ROOT / "library" / "data" / "judgments_sample.jsonl"


def passages(count: int) -> tuple[list[str], str]:
    source = SHARED if SHARED.is_file() else SAMPLE
    out: list[str] = []
    with source.open(encoding="utf-8") as fh:
        for line in fh:
            out.extend(windows(json.loads(line)["text"]))
            if len(out) >= count:
                break
    return out[:count], source.name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    texts, source = passages(args.passages)
    print(
        f"{len(texts)} passages of {source}, batch size {BATCH_SIZE}, load {os.getloadavg()[0]:.1f}"
    )

    model = _load_model()
    model.encode(texts[:BATCH_SIZE], batch_size=BATCH_SIZE)  # warm up both paths' model
    best = {"bare": float("inf"), "cold": float("inf"), "warm": float("inf")}
    for _ in range(args.repeat):
        t = time.perf_counter()
        model.encode(
            texts, batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False
        )
        best["bare"] = min(best["bare"], time.perf_counter() - t)
        with tempfile.TemporaryDirectory() as tmp:
            embedder = Embedder(EmbeddingCache(Path(tmp) / "cache.sqlite3"))
            embedder._model = model  # the same loaded model: time the pipeline, not loading
            t = time.perf_counter()
            embedder.embed(texts)
            best["cold"] = min(best["cold"], time.perf_counter() - t)
            t = time.perf_counter()
            embedder.embed(texts)
            best["warm"] = min(best["warm"], time.perf_counter() - t)
    rate = {k: len(texts) / v for k, v in best.items()}
    print(f"bare model.encode      {rate['bare']:10.1f} passages/s")
    for key, label in (("cold", "Mizan embed (cold)  "), ("warm", "Mizan embed (cached)")):
        print(f"{label}   {rate[key]:10.1f} passages/s   ratio {rate[key] / rate['bare']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
