"""The administrator's library upload as a service: who may import, and the bulk job
queued on the same path as every other job (one transaction, an event, sent on commit)."""

from __future__ import annotations

import io

import pytest

from library.seed import SAMPLE_DIR
from library.service import LibraryError, may_import
from library.tasks import JOB_KIND, run_import
from library.uploads import Upload, import_upload, queue_judgments_import
from mizan.accounts.service import PermissionDenied
from mizan.actor import SYSTEM, Actor
from mizan.audit import AuditEntry
from mizan.jobs import Job, JobState

ADMIN = Actor("admin-id", "admin", frozenset({"admin"}))
CLERK = Actor("u1", "clerk.south", frozenset({"clerk"}), "KHI-S")


def _upload(kind: str, name: str, content: bytes, **fields: str) -> Upload:
    return Upload(kind=kind, filename=name, stream=io.BytesIO(content), **fields)


def test_only_administrators_and_the_system_may_import(kernel) -> None:
    assert may_import(ADMIN) and may_import(SYSTEM) and not may_import(CLERK)
    with pytest.raises(PermissionDenied):
        import_upload(kernel, CLERK, _upload("judgments", "j.jsonl", b"{}\n"))
    with pytest.raises(PermissionDenied):
        queue_judgments_import(kernel, CLERK, "0" * 64, "j.jsonl")
    assert kernel.store.count(Job) == 0


def test_input_problems_are_refused_in_words(kernel) -> None:
    with pytest.raises(LibraryError, match="Choose a file"):
        import_upload(kernel, ADMIN, _upload("act", "", b"x"))
    with pytest.raises(LibraryError, match="code and title"):
        import_upload(kernel, ADMIN, _upload("act", "ppc.md", b"# PPC\n"))
    with pytest.raises(LibraryError, match="court"):
        import_upload(kernel, ADMIN, _upload("judgment", "j.txt", b"text"))
    with pytest.raises(LibraryError, match=r"must be a \.jsonl file"):
        import_upload(kernel, ADMIN, _upload("judgments", "j.txt", b"{}\n"))
    with pytest.raises(LibraryError, match="does not look like a judgments file"):
        import_upload(kernel, ADMIN, _upload("judgments", "j.jsonl", b"not json\n"))
    assert kernel.store.count(Job) == 0


def test_an_act_is_imported_at_once(kernel) -> None:
    act = (SAMPLE_DIR / "ppc_sample.md").read_bytes()
    message = import_upload(kernel, ADMIN, _upload("act", "ppc.md", act, code="ppc", title="PPC"))
    assert message == "Imported PPC: 8 sections."


def test_bulk_judgments_queue_a_job_with_its_event(kernel) -> None:
    sample = (SAMPLE_DIR / "judgments_sample.jsonl").read_bytes()
    job = import_upload(kernel, ADMIN, _upload("judgments", "bhc.jsonl", sample))
    assert isinstance(job, Job)
    stored = kernel.store.get(Job, job.id)
    assert (stored.kind, stored.state, stored.title) == (JOB_KIND, JobState.QUEUED, "bhc.jsonl")
    assert stored.created_by == ADMIN.user_id and kernel.blobs.exists(stored.subject_id)
    entry = kernel.store.find_one(AuditEntry, {"action": "library.import_queued"})
    assert entry is not None and entry.subject_id == job.id
    assert entry.data["filename"] == "bhc.jsonl"


def test_a_rolled_back_transaction_leaves_no_job(kernel) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), kernel.store.transaction():
        queue_judgments_import(kernel, ADMIN, "0" * 64, "j.jsonl")
        raise Boom
    assert kernel.store.count(Job) == 0
    assert kernel.store.find_one(AuditEntry, {"action": "library.import_queued"}) is None


def test_the_queued_job_imports(demo) -> None:
    from mizan.accounts.models import User
    from mizan.accounts.service import actor_for

    admin = actor_for(demo.store.find_one(User, {"username": "admin"}))
    sample = (SAMPLE_DIR / "judgments_sample.jsonl").read_bytes()
    job = import_upload(demo, admin, _upload("judgments", "bhc.jsonl", sample))
    assert run_import(demo, job.id) == "succeeded"
    assert "4 added" in demo.store.get(Job, job.id).stage
