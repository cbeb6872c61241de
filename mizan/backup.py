"""Backup and restore of an embedded installation: database, original files, search index.

The database is copied with SQLite's online backup API, so a backup taken
while Mizan runs is consistent. Blobs are immutable (content-addressed), so
copying them is safe at any time. The index is copied too; ``mizan reindex``
rebuilds it from the store if in doubt.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from mizan import clock
from mizan.kernel import Kernel
from mizan.settings import Settings

MANIFEST = "mizan-backup.json"


def make_backup(kernel: Kernel, dest: Path) -> dict[str, Any]:
    if kernel.store.kind != "sqlite":
        raise ValueError(
            "This backup command covers the embedded SQLite store; back up MongoDB with mongodump."
        )
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise ValueError(f"{dest} is not empty; choose a new folder for the backup.")
    dest.mkdir(parents=True, exist_ok=True)
    kernel.store.backup_to(dest / "mizan.sqlite3")  # type: ignore[attr-defined]
    blobs = kernel.blobs.copy_to(dest / "blobs")
    index_dir = kernel.settings.index_dir
    if index_dir.exists():
        shutil.copytree(index_dir, dest / "index", ignore=shutil.ignore_patterns("*.lock"))
    manifest = {
        "created_at": clock.now().isoformat(timespec="seconds"),
        "database": "mizan.sqlite3",
        "blobs": blobs,
        "index": (dest / "index").exists(),
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def existing_data(settings: Settings) -> list[str]:
    """What of an installation the data directory already holds (a restore would mix them)."""
    held = []
    if settings.sqlite_path.exists():
        held.append("a database")
    for folder, what in (
        (settings.blob_dir, "uploaded files"),
        (settings.index_dir, "a search index"),
    ):
        if folder.is_dir() and any(folder.iterdir()):
            held.append(what)
    return held


def restore_backup(settings: Settings, src: Path, *, force: bool = False) -> dict[str, Any]:
    src = Path(src)
    manifest_path = src / MANIFEST
    if not manifest_path.is_file():
        raise ValueError(f"{src} is not a Mizan backup (no {MANIFEST}).")
    manifest = json.loads(manifest_path.read_text())
    db = settings.sqlite_path
    held = existing_data(settings)
    if held and not force:
        raise ValueError(
            f"{settings.data_dir} is not empty: it holds {' and '.join(held)}. Restore into an "
            "empty data directory, or stop Mizan and use --force to replace what it holds."
        )
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy2(src / manifest["database"], db)
    if (src / "blobs").exists():
        shutil.copytree(src / "blobs", settings.blob_dir, dirs_exist_ok=True)
    if (src / "index").exists():
        shutil.rmtree(settings.index_dir, ignore_errors=True)
        shutil.copytree(src / "index", settings.index_dir)
    return manifest
