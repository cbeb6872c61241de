"""Store and indexes never drift: a process killed between the write and the index update,
or between the text and the vector index, is repaired by the next outbox drain; and
`mizan reindex` rebuilds both indexes from the store."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from casefiles.models import Case, CaseDocument, DocumentState
from ingestion.service import upload_document
from mizan import outbox
from mizan.actor import SYSTEM
from mizan.kernel import Kernel
from search import hybrid
from search.backends import embedder, search_index, vector_index

pytestmark = pytest.mark.slow  # real worker-like processes and the real model

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from mizan import outbox
    from app.bootstrap import build_kernel
    from mizan.kernel import set_process_kernel
    from mizan.settings import load_settings
    from search.backends import vector_index

    env = {{"MIZAN_DATA_DIR": {data!r}, "MIZAN_BROKER": {broker!r}}}
    kernel = build_kernel(load_settings(env, env_file=None))
    set_process_kernel(kernel)

    def stop(what):
        print(what, flush=True)
        time.sleep(600)  # the test kills this process here

    if {stage!r} == "after-write":
        from ingestion.tasks import process_document
        process_document(kernel, {job!r})  # the store write, with its outbox entry
        stop("written")
    else:
        vectors = vector_index(kernel)
        upsert = vectors.upsert
        vectors.upsert = lambda *a, **kw: stop("text-indexed")  # die before the vectors
        outbox.drain(kernel)
        stop("drained")
    """
)


def run_until(kernel: Kernel, stage: str, job_id: str, marker: str) -> None:
    """Run a real child process to `marker`, then kill it with SIGKILL."""
    data = str(kernel.settings.data_dir)
    script = CHILD.format(
        root=str(ROOT), data=data, broker=kernel.settings.broker_url, stage=stage, job=job_id
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_THREAD_LIMIT": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env,
    )  # fmt: skip
    try:
        line = proc.stdout.readline().strip()
        assert line == marker, (line, proc.stderr.read() if proc.poll() is not None else "")
    finally:
        proc.kill()
        proc.wait(60)


def found(kernel: Kernel, query: str, mode: str) -> list[str]:
    result = hybrid.search(
        search_index(kernel), vector_index(kernel), embedder(kernel),
        hybrid.HybridQuery(query, mode=mode, principals=None),
    )  # fmt: skip
    return [h.doc_id for h in result.hits]


def uploaded(kernel: Kernel) -> CaseDocument:
    outbox.drain(kernel)  # the demo cases' own index entries: start with an index in step
    case = kernel.store.find_one(Case, {"fir.number": 189})
    text = b"The recovered motorcycle was a Honda CD70 with a false number plate."
    return upload_document(
        kernel, SYSTEM, case.id, filename="memo.txt", stream=io.BytesIO(text), title="Memo"
    )


def test_kill_between_store_write_and_index_update(demo: Kernel) -> None:
    doc = uploaded(demo)
    run_until(demo, "after-write", doc.job_id, "written")
    assert demo.store.get(CaseDocument, doc.id).state == DocumentState.READY  # committed
    queued = outbox.pending(demo.store)
    assert queued >= 1  # ... with its index update queued
    assert found(demo, "motorcycle", "keyword") == []  # but never applied
    assert doc.id not in vector_index(demo).doc_ids()
    assert outbox.drain(demo) == queued
    assert outbox.pending(demo.store) == 0
    assert found(demo, "motorcycle", "keyword") == [doc.id]
    assert found(demo, "stolen motorbike", "semantic")[0] == doc.id


def test_kill_between_text_and_vector_index(demo: Kernel) -> None:
    doc = uploaded(demo)
    run_until(demo, "after-write", doc.job_id, "written")
    run_until(demo, "drain", doc.job_id, "text-indexed")
    assert found(demo, "motorcycle", "keyword") == [doc.id]  # the text index has it
    assert doc.id not in vector_index(demo).doc_ids()  # the vector index does not
    assert outbox.pending(demo.store) >= 1  # the entry was not consumed
    assert outbox.drain(demo) >= 1
    assert outbox.pending(demo.store) == 0
    assert doc.id in vector_index(demo).doc_ids()
    assert found(demo, "stolen motorbike", "semantic")[0] == doc.id


def test_reindex_rebuilds_both_indexes_from_the_store(
    demo: Kernel, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingestion.tasks import process_document

    doc = uploaded(demo)
    process_document(demo, doc.job_id)
    outbox.drain(demo)
    search_index(demo).clear()
    vector_index(demo).clear()  # both indexes lost
    assert found(demo, "motorcycle", "hybrid") == []
    monkeypatch.setenv("MIZAN_DATA_DIR", str(demo.settings.data_dir))
    monkeypatch.setenv("MIZAN_BROKER", demo.settings.broker_url)
    monkeypatch.setenv("MIZAN_VECTOR_ANN_MIN", "1")  # so the rebuild ends with an HNSW graph
    result = CliRunner().invoke(__import__("app.cli").cli.main, ["reindex"])
    assert result.exit_code == 0, result.output
    assert "Reindexed 1 documents" in result.output
    assert (demo.settings.index_dir / "vectors" / "vectors.hnsw.json").is_file()
    assert found(demo, "motorcycle", "keyword") == [doc.id]  # this process sees the rebuild
    assert found(demo, "stolen motorbike", "semantic")[0] == doc.id
    # ... and so does a restarted process
    from app.bootstrap import build_kernel

    fresh = build_kernel(demo.settings)
    assert found(fresh, "stolen motorbike", "semantic")[0] == doc.id
    fresh.close()
