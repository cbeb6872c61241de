"""A watched drop folder: a scanner saves files into it and Mizan adds them to their cases.

Which case a file belongs to comes from where it is and what it is called:

* ``<drop>/189-2024-Makli/scan0001.pdf``: a folder named after the case
  (FIR number, year and police station, joined by hyphens; underscores
  stand for spaces, so ``12-2025-Artillery_Maidan``);
* ``<drop>/189-2024-Makli.pdf`` or ``<drop>/189-2024-Makli__statement.pdf``:
  the file name starts with the case (what follows ``__`` is the title);
* ``<drop>/batch.zip`` with a ``manifest.csv`` naming a case per file;
* ``<drop>/cause-lists/<file>``: a court's cause list (PDF or scan), queued for the worker
  to read and stage for review (``ingestion.cause_list_jobs``), as the drop account.

A file is taken once it has not changed for a few seconds (the scanner has
finished writing it): it is moved into ``processing/`` (so two watchers never
take the same file), added, and then moved into ``processed/``, or into
``failed/`` with a ``.txt`` note saying why. Adding is idempotent, so a file
put back after a crash is linked, not duplicated.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from casefiles.cause_lists import CauseListError
from ingestion.batch import BatchError, Outcome, add_one, add_zip, resolve_case
from ingestion.cause_list_jobs import queue_file
from ingestion.service import UploadError, record_refusal
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.actor import Actor
from mizan.clock import pakistan_now
from mizan.kernel import Kernel

log = logging.getLogger(__name__)

SUBFOLDERS = ("processing", "processed", "failed")
#: Cause lists are dropped here (not case documents: no case in the name).
CAUSE_LISTS = "cause-lists"
#: Seconds a file must stay unchanged before it is taken.
SETTLE_SECONDS = 5.0
_CASE_KEY = re.compile(r"^(\d{1,5})-(\d{4})-(.+)$")


class DropFolderError(ValueError):
    """The drop folder is not configured or not usable; the message says what to set."""


@dataclass
class Dropped:
    """One file taken from the drop folder and where it ended up."""

    path: Path
    ok: bool
    outcomes: list[Outcome]


def drop_actor(kernel: Kernel) -> Actor:
    """Who files from the drop folder are added as: ``MIZAN_DROP_USER``, else the system."""
    username = kernel.settings.drop_user
    if not username:
        return Actor(
            user_id="drop-folder",
            username="drop-folder",
            roles=frozenset({"system"}),
            channel="drop",
        )
    user = kernel.store.find_one(User, {"username": username})
    if user is None or not user.active:
        raise DropFolderError(f"MIZAN_DROP_USER {username!r} is not an active account.")
    return actor_for(user, channel="drop")


def drop_dir(kernel: Kernel) -> Path:
    folder = kernel.settings.drop_dir
    if folder is None:
        raise DropFolderError("Set MIZAN_DROP_DIR to the folder the scanner saves into.")
    folder.mkdir(parents=True, exist_ok=True)
    for name in (*SUBFOLDERS, CAUSE_LISTS):
        (folder / name).mkdir(exist_ok=True)
    return folder


def case_key(relative: Path) -> str | None:
    """``FIR n/yyyy PS station`` from a file's folder or name, or None when it names no case."""
    key = relative.parts[0] if len(relative.parts) > 1 else relative.stem.split("__", 1)[0]
    match = _CASE_KEY.match(key.strip())
    if not match:
        return None
    station = match[3].replace("_", " ").strip()
    return f"FIR {int(match[1])}/{match[2]} PS {station}"


def _title(relative: Path) -> str:
    if len(relative.parts) == 1 and "__" in relative.stem:
        return relative.stem.split("__", 1)[1].replace("_", " ").strip()
    return ""


def _pending(folder: Path, settle: float) -> list[Path]:
    """Files the scanner has finished writing (unchanged for ``settle`` seconds)."""
    found = []
    cutoff = time.time() - settle
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[0] in (*SUBFOLDERS, CAUSE_LISTS) or any(
            p.startswith(".") for p in relative.parts
        ):
            continue
        if not path.is_file() or path.suffix.lower() in (".tmp", ".part", ".crdownload"):
            continue
        try:
            if path.stat().st_mtime > cutoff:
                continue
        except FileNotFoundError:
            continue
        found.append(path)
    return found


def _move(path: Path, target_dir: Path, relative: Path) -> Path:
    """Move keeping the case folder in the name; never overwrite an earlier file."""
    name = "__".join(relative.parts) if len(relative.parts) > 1 else relative.name
    target = target_dir / name
    if target.exists():
        stamp = pakistan_now().strftime("%Y%m%d-%H%M%S-%f")
        target = target_dir / f"{stamp}-{name}"
    shutil.move(str(path), target)
    return target


def _add(kernel: Kernel, actor: Actor, path: Path, relative: Path) -> list[Outcome]:
    name = relative.name
    if relative.parts[0] == CAUSE_LISTS:
        return [_queue_cause_list(kernel, actor, path, name)]
    ref = case_key(relative)
    case_id = None
    if ref is not None:
        try:
            case_id = resolve_case(kernel, actor, ref).id
        except UploadError as exc:
            message = f"{exc} (from the name “{relative}”)"
            record_refusal(kernel, actor, name, message)
            return [Outcome(name, "refused", message)]
    if path.suffix.lower() == ".zip":
        try:
            with path.open("rb") as fh:
                return add_zip(
                    kernel, actor, fh, case_id, lang=kernel.settings.default_ocr_lang
                ).outcomes
        except BatchError as exc:
            record_refusal(kernel, actor, name, str(exc), case_id)
            return [Outcome(name, "refused", str(exc))]
    if case_id is None:
        message = (
            f"“{relative}” names no case: put it in a folder named like 189-2024-Makli, "
            "start its name with that, or send a ZIP with a manifest."
        )
        record_refusal(kernel, actor, name, message)
        return [Outcome(name, "refused", message)]
    with path.open("rb") as fh:
        return [
            add_one(
                kernel,
                actor,
                case_id,
                name,
                fh,
                lang=kernel.settings.default_ocr_lang,
                title=_title(relative),
            )
        ]


def _queue_cause_list(kernel: Kernel, actor: Actor, path: Path, name: str) -> Outcome:
    """The list is kept and queued; the worker reads it (its job says how that went)."""
    try:
        with path.open("rb") as fh:
            queue_file(kernel, actor, fh, name, source="drop")
    except (CauseListError, PermissionDenied) as exc:
        record_refusal(kernel, actor, name, str(exc))
        return Outcome(name, "refused", str(exc))
    return Outcome(name, "added", "cause list queued for reading")


def scan_once(kernel: Kernel, *, settle: float = SETTLE_SECONDS) -> list[Dropped]:
    """Take every finished file in the drop folder once; returns what happened to each."""
    folder = drop_dir(kernel)
    actor = drop_actor(kernel)
    results = []
    # Files a crashed watcher left half-way are taken again (adding is idempotent).
    leftovers = sorted(p for p in (folder / "processing").iterdir() if p.is_file())
    pending = _pending(folder, settle) + _pending(folder / CAUSE_LISTS, settle)
    for path in leftovers + pending:
        in_processing = path.parent == folder / "processing"
        relative = Path(path.name) if in_processing else path.relative_to(folder)
        if in_processing and "__" in path.name:
            first, rest = path.name.split("__", 1)
            if _CASE_KEY.match(first) or first == CAUSE_LISTS:
                relative = Path(first) / rest
        try:
            claimed = path if in_processing else _move(path, folder / "processing", relative)
        except FileNotFoundError:
            continue  # another watcher took it
        try:
            outcomes = _add(kernel, actor, claimed, relative)
        except Exception as exc:  # keep watching; the file waits in failed/ with the reason
            log.exception("Could not add %s from the drop folder", relative)
            outcomes = [Outcome(relative.name, "refused", f"Unexpected error: {exc}")]
        ok = all(o.status != "refused" for o in outcomes)
        final = _move(claimed, folder / ("processed" if ok else "failed"), Path(claimed.name))
        if not ok:
            note = "\n".join(f"{o.name}: {o.message}" for o in outcomes if o.status == "refused")
            final.with_name(final.name + ".txt").write_text(note + "\n", encoding="utf-8")
        # Drop emptied case folders so the scanner's tree stays tidy.
        if not in_processing and len(relative.parts) > 1 and relative.parts[0] != CAUSE_LISTS:
            with contextlib.suppress(OSError):
                (folder / relative.parts[0]).rmdir()
        results.append(Dropped(final, ok, outcomes))
    return results


def watch(
    kernel: Kernel,
    *,
    interval: float = 5.0,
    should_stop: Callable[[], bool] = lambda: False,
    report: Callable[[Dropped], None] | None = None,
) -> None:
    """Poll the drop folder until ``should_stop()``; one bad file never stops the watch."""
    drop_dir(kernel)
    while not should_stop():
        try:
            for dropped in scan_once(kernel):
                if report:
                    report(dropped)
        except DropFolderError:
            raise
        except Exception:
            log.exception("Drop folder scan failed; trying again in %s s", interval)
        time.sleep(interval)
