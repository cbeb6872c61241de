"""The restore drill: a backup taken while cases are written restores whole and searchable."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from app.bootstrap import build_kernel
from casefiles.models import Case
from casefiles.service import NewCase, create_case
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.actor import SYSTEM
from mizan.audit import AuditEntry
from mizan.backup import restore_backup
from mizan.kernel import Kernel
from mizan.settings import load_settings
from search.backends import search_index
from search.indexing import case_passages
from search.service import search_documents
from tests.conftest import make_settings
from tests.mizan.test_cli import run

pytestmark = pytest.mark.slow  # `mizan backup` and `mizan restore` as real commands

QUERIES = ("State", "Aslam", "Shahid Shoda", "Ali Raza", "PPC", "ATA")


def answers(kernel: Kernel) -> dict[str, list[str | None]]:
    """What the Prosecutor General finds for each query, in ranked order."""
    pg = actor_for(kernel.store.find_one(User, {"username": "pg.sindh"}))
    return {
        q: [h.case_id for h in search_documents(kernel, pg, q, mode="keyword").hits]
        for q in QUERIES
    }


def counts(kernel: Kernel) -> dict[str, int]:
    return {model.__name__: kernel.store.count(model) for model in kernel.registry.models}


def test_a_backup_under_write_load_restores_whole_verified_and_searchable(demo, tmp_path) -> None:
    index = search_index(demo)
    for case in demo.store.find(Case, {}):  # the keyword index (vectors are not compared)
        index.upsert(case_passages(demo, case))
    created: list[str] = []
    stop = threading.Event()

    def write_cases() -> None:
        while not stop.is_set():
            n = len(created) + 1
            case = create_case(demo, SYSTEM, NewCase(
                district="KHI-S", police_station="Preedy", fir_number=5000 + n, fir_year=2026,
                title=f"Drill case {n}", registered_on=dt.date(2026, 3, 1),
            ))  # fmt: skip
            created.append(case.id)

    writer = threading.Thread(target=write_cases)
    writer.start()
    try:
        while len(created) < 3:
            time.sleep(0.05)
        backed_up = run(demo.settings, "backup", str(tmp_path / "under-load"))
        written_by_then = len(created)
    finally:
        stop.set()
        writer.join()
    assert backed_up.returncode == 0, backed_up.stderr
    assert len(created) > 3, "no case was written while the backup ran"

    target = make_settings(tmp_path / "restored")
    restored = run(target, "restore", str(tmp_path / "under-load"))
    assert restored.returncode == 0, restored.stderr
    assert "copy secret_key from the old data directory" in restored.stdout
    verified = run(target, "audit-verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    copy = build_kernel(target)
    # One instant: the drill cases in the copy are exactly the first ones written, each
    # with the audit entry of its creation, and none from after the backup.
    kept = [c for c in created if copy.store.count(Case, {"_id": c})]
    assert 3 <= len(kept) <= written_by_then and kept == created[: len(kept)]
    logged = {e.subject_id for e in copy.store.find(AuditEntry, {"action": "case.created"})}
    assert set(kept) <= logged and not set(created[len(kept) :]) & logged
    assert answers(copy) == answers(demo)  # the index was copied as it stood
    assert len(answers(copy)["State"]) == 4  # every demo case, in the same order
    copy.close()

    # Quiet now: a second backup restores with every count equal.
    assert run(demo.settings, "backup", str(tmp_path / "quiet")).returncode == 0
    again = make_settings(tmp_path / "restored-quiet")
    assert run(again, "restore", str(tmp_path / "quiet")).returncode == 0
    second = build_kernel(again)
    assert counts(second) == counts(demo)
    second.close()


def test_a_restore_over_existing_data_is_refused(demo, tmp_path) -> None:
    assert run(demo.settings, "backup", str(tmp_path / "backup")).returncode == 0
    target = load_settings({"MIZAN_DATA_DIR": str(tmp_path / "target")}, env_file=None)
    target.blob_dir.mkdir(parents=True)
    (target.blob_dir / "left-over").write_bytes(b"a file of another installation")
    with pytest.raises(ValueError, match="is not empty: it holds uploaded files"):
        restore_backup(target, tmp_path / "backup")
    refused = run(target, "restore", str(tmp_path / "backup"))
    assert refused.returncode != 0
    assert "is not empty: it holds uploaded files. Restore into an empty" in refused.stderr
    assert not target.sqlite_path.exists()
