"""Query embedding: torch (sentence-transformers) against the ONNX Runtime export, fp32 and int8.

Decides which query encoder Mizan uses (`search.query_encoder`): only one that gives
**the same top 10** as torch on the search benchmark's queries may replace it. The
corpus is real: ``--passages`` windows of the Balochistan High Court judgments
(`bench.bench_embeddings.passages`), embedded once with torch, as the worker does; the
queries are `bench.bench_search.make_queries` over them (words, phrases, AND/NOT,
prefixes, statute references, names). For each encoder: CPU ms per query (one query
per call, as a search embeds it; this process's CPU, so machine load does not count),
the lowest cosine to the torch vector, and the queries whose top 10 passages differ.

    python bench/bench_query_encoder.py [--passages 600] [--queries 200]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.bench_embeddings import passages  # noqa: E402
from bench.bench_search import make_queries  # noqa: E402
from search.embeddings import Embedder  # noqa: E402
from search.port import Passage  # noqa: E402
from search.query_encoder import OnnxQueryEncoder, onnx_model_path  # noqa: E402


def cpu_ms(encode: Callable[[Sequence[str]], np.ndarray], queries: list[str]) -> float:
    for q in queries[:5]:
        encode([q])
    start = time.process_time()
    for q in queries:
        encode([q])
    return (time.process_time() - start) * 1000 / len(queries)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--passages", type=int, default=600)
    ap.add_argument("--queries", type=int, default=200)
    opts = ap.parse_args()
    texts, source = passages(opts.passages)
    corpus = [Passage(id=str(i), doc_id=str(i), kind="judgment", title="", text=t, acl=("public",))
              for i, t in enumerate(texts)]  # fmt: skip
    queries = [q for _, q in make_queries(corpus, opts.queries, random.Random(7))]
    print(f"{len(texts)} passages of {source}, {len(queries)} queries; "
          f"load average {os.getloadavg()[0]:.1f} (2 cores)")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="mizan-bench-qenc-") as tmp:
        embedder = Embedder(onnx_dir=Path(tmp))
        t = time.perf_counter()
        if embedder.query_encoder() is None:
            raise SystemExit("onnxruntime is not installed or the export failed")
        print(f"export (torch to ONNX, checked against torch): {time.perf_counter() - t:.0f} s")
        matrix = embedder._encode(texts)
        truth = embedder._run_torch(queries)
        fp32 = OnnxQueryEncoder(onnx_model_path(Path(tmp)))
        encoders: dict[str, Callable[[Sequence[str]], np.ndarray]] = {
            "torch (sentence-transformers)": embedder._run_torch,
            "ONNX Runtime fp32 (adopted)": fp32.encode,
        }
        try:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            int8 = Path(tmp) / "int8.onnx"
            quantize_dynamic(onnx_model_path(Path(tmp)), int8, weight_type=QuantType.QInt8)
            encoders["ONNX Runtime int8 (dynamic)"] = OnnxQueryEncoder(int8).encode
        except ImportError:
            print("int8: the onnx package is not installed; skipped")

        def top10(vecs: np.ndarray) -> list[list[int]]:
            return [list(np.argsort(-(matrix @ v))[:10]) for v in vecs]

        expected = top10(truth)
        for name, encode in encoders.items():
            vecs = np.stack([encode([q])[0] for q in queries])
            cosine = float(np.min(np.sum(vecs * truth, axis=1)))
            differ = sum(a != b for a, b in zip(top10(vecs), expected, strict=True))
            sets = sum(set(a) != set(b) for a, b in zip(top10(vecs), expected, strict=True))
            print(f"  {name:<30} cpu {cpu_ms(encode, queries):6.2f} ms/query   "
                  f"min cosine {cosine:.6f}   top 10 differs in {differ}/{len(queries)} "
                  f"(as a set: {sets})", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
