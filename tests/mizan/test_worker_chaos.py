"""Two real workers share a 200-page scanned batch while one is killed and the broker
crashes and restarts.

The pages are small strips with one line of print: Tesseract reads each cleanly the
first time (~0.45 s, one process a page), so no page costs a second reading. OCR is
still the floor: 200 pages are ~90 s of one core, so on two cores the test cannot be
much under a minute and a half per broker.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from casefiles.models import Case, DocumentPage
from ingestion.batch import add_files
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.jobs import Job
from tests.conftest import make_settings

# The suite's 300 s per test is too short here on a loaded machine: after the kill, a
# re-sent job has been seen to wait ~45 s in the SQLite broker behind newer messages
# (under investigation); the test still fails if any page is lost or read twice.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

FILES, PAGES_EACH = 40, 5
#: Seconds between the workers' looks for jobs of dead workers (60 in production).
SWEEP_SECONDS = "2"


@pytest.fixture(params=["sqlite", "redis"])
def settings(request, tmp_path: Path):
    """The conftest kernel on the embedded SQLite broker, then on a private Redis."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_server").url
        return make_settings(tmp_path / "data", MIZAN_BROKER=url)
    return make_settings(tmp_path / "data")


def scanned_file(number: int) -> bytes:
    """A multi-page TIFF of tiny pages, each naming its file and page (a few words to read)."""
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", size=36)
    pages = []
    for page in range(1, PAGES_EACH + 1):
        image = Image.new("L", (900, 110), 255)
        text = f"File {number} page {page} witness statement"
        ImageDraw.Draw(image).text((36, 36), text, font=font, fill=0)
        pages.append(image)
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], dpi=(300, 300))
    return out.getvalue()


def start_worker(settings, log: Path) -> subprocess.Popen:
    env = {**os.environ, "MIZAN_DATA_DIR": str(settings.data_dir),
           "MIZAN_BROKER": settings.broker_url, "OMP_THREAD_LIMIT": "1",
           "MIZAN_WARM_MODEL": "false", "MIZAN_SWEEP_SECONDS": SWEEP_SECONDS}  # fmt: skip
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "app.cli", "run-worker", "-c", "1", "-Q", "all"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


def wait_for(predicate, what: str, timeout: float, logs: list[Path]):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs)
    raise AssertionError(f"{what} did not happen within {timeout} s\n{tails}")


def in_group(owner: str | None, group: int) -> bool:
    """Whether ``owner`` (host:pid) is a process of the worker started as ``group``."""
    pid = (owner or "").rpartition(":")[2]
    try:
        return pid.isdigit() and os.getpgid(int(pid)) == group
    except ProcessLookupError:
        return False


def test_two_workers_share_a_batch_through_a_kill_and_a_broker_restart(
    demo, tmp_path, request
) -> None:
    clerk = actor_for(demo.store.find_one(User, {"username": "clerk.south"}))
    case = demo.store.find_one(Case, {"district": "KHI-S"})
    files = [(f"scan-{n}.tiff", io.BytesIO(scanned_file(n))) for n in range(1, FILES + 1)]
    result = add_files(demo, clerk, case.id, files)
    assert [o.status for o in result.outcomes] == ["added"] * FILES
    docs = [o.document for o in result.outcomes if o.document is not None]
    job_ids = [d.job_id for d in docs]
    assert len(set(job_ids)) == FILES

    def jobs() -> list[Job]:
        return demo.store.find(Job, {"_id": {"$in": job_ids}})

    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    first, second = start_worker(demo.settings, logs[0]), start_worker(demo.settings, logs[1])
    try:

        def finished(part: float) -> None:
            share = f"{part:.0%} of the batch"
            wait_for(lambda: sum(j.finished for j in jobs()) >= FILES * part, share, 240, logs)

        if demo.settings.broker_kind == "redis":
            redis = request.getfixturevalue("redis_server")
            # A quarter through, with most files still queued, Redis crashes (SIGKILL, as
            # the kernel's out-of-memory killer would) and comes back; at half, it is
            # restarted as `systemctl restart` does (SIGTERM: it saves, then exits).
            finished(1 / 4)
            assert sum(j.state == "queued" for j in jobs()) >= FILES // 2
            redis.crash()
            finished(1 / 2)
            redis.restart()

        # Two thirds through (both workers busy as long as possible), worker A is killed
        # (SIGKILL, with its pool process) in the middle of a file; B finishes the rest.
        def a_mid_page() -> Job | None:
            now = jobs()
            if sum(j.finished for j in now) < FILES * 2 / 3:
                return None
            return next(
                (j for j in now
                 if j.state == "running" and j.done >= 1 and j.current_page
                 and in_group(j.owner, first.pid)),
                None,
            )  # fmt: skip

        held = wait_for(a_mid_page, "worker A in the middle of a file", 240, logs)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        kept = {
            p.number: (p.id, p.extracted_at, p.version)
            for p in demo.store.find(DocumentPage, {"document_id": held.subject_id})
        }
        killed = demo.store.get(Job, held.id)  # running, or already queued again by B
        assert not killed.finished and 1 <= len(kept) < PAGES_EACH
        assert sorted(kept) == list(range(1, len(kept) + 1))

        wait_for(lambda: all(j.finished for j in jobs()), "the whole batch", 540, logs)
        assert second.poll() is None, "worker B stopped"
    finally:
        for worker in (first, second):
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=60)

    finished = {j.id: j for j in jobs()}
    assert all(j.state == "succeeded" and not j.error for j in finished.values())
    # Every page once: none lost, none stored twice, each with its own words.
    pages = demo.store.find(DocumentPage, {"document_id": {"$in": [d.id for d in docs]}})
    assert len(pages) == FILES * PAGES_EACH
    by_doc = {d.id: int(d.filename.split("-")[1].split(".")[0]) for d in docs}
    seen = {(p.document_id, p.number) for p in pages}
    assert len(seen) == len(pages)
    for page in pages:
        assert f"File {by_doc[page.document_id]} page {page.number}" in page.text, page.text
    # None read twice: the pages A stored before it died were kept, not read again, and
    # no other file was started by two workers.
    again = {
        p.number: (p.id, p.extracted_at, p.version)
        for p in pages
        if p.document_id == killed.subject_id and p.number in kept
    }
    assert again == kept
    assert finished[killed.id].attempts == 2
    assert [j.attempts for j in finished.values() if j.id != killed.id] == [1] * (FILES - 1)
