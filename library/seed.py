"""The library part of the demo data: the PPC and a few hundred judgments.

From the shared data set when it is there (``$MIZAN_SHARED_DATA``, else
``../shared/data`` next to the repository), otherwise from the small sample
shipped in ``library/data/``. Idempotent and quick on repeat runs: an act or a
judgment already in the library is not imported again. Indexing (and embedding)
is left to the worker, which drains the outbox when it starts, so `make run`
opens the web server in seconds rather than after minutes of embedding.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from library.act_import import import_act_text
from library.importers import import_judgments_jsonl
from library.models import Act, Judgment
from mizan.actor import SYSTEM
from mizan.kernel import Kernel

SAMPLE_DIR = Path(__file__).resolve().parent / "data"
#: How many judgments the demo takes from the shared data set.
DEMO_JUDGMENTS = 300


def shared_data_dir() -> Path | None:
    """The shared data directory, or None when it is not on this machine."""
    configured = os.environ.get("MIZAN_SHARED_DATA")
    # When set, it is the only place looked at (point it elsewhere to demo the sample).
    candidate = (
        Path(configured) if configured else Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    return candidate if (candidate / "pakistan").is_dir() else None


@dataclass(frozen=True)
class LibrarySeed:
    source: str  # "shared data" | "sample"
    sections: int
    judgments: int


def seed_library(kernel: Kernel, judgments: int = DEMO_JUDGMENTS) -> LibrarySeed:
    data = shared_data_dir()
    pak = data / "pakistan" if data else None
    ppc = pak / "ppc.md" if pak and (pak / "ppc.md").is_file() else SAMPLE_DIR / "ppc_sample.md"
    jsonl = (
        pak / "bhc_judgments.jsonl"
        if pak and (pak / "bhc_judgments.jsonl").is_file()
        else SAMPLE_DIR / "judgments_sample.jsonl"
    )
    store = kernel.store
    act = store.find_one(Act, {"code": "ppc"})
    if act is None:
        act = import_act_text(
            kernel,
            SYSTEM,
            ppc.read_text(encoding="utf-8"),
            code="ppc",
            title="Pakistan Penal Code",
            source=ppc.name,
        )
    if store.count(Judgment) == 0:
        import_judgments_jsonl(kernel, SYSTEM, jsonl, limit=judgments)
    return LibrarySeed(
        source="shared data" if jsonl.parent == pak else "sample",
        sections=act.section_count,
        judgments=store.count(Judgment),
    )
