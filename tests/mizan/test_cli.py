"""The ``mizan`` command line, run as a real subprocess like an operator would."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import render_scan


def run(settings, *args: str, timeout: float = 180, **extra: str) -> subprocess.CompletedProcess:
    """``extra`` adds environment variables (e.g. ``MIZAN_DROP_DIR``)."""
    env = {
        **os.environ,
        "MIZAN_DATA_DIR": str(settings.data_dir),
        "MIZAN_BROKER": settings.broker_url,
        "OMP_THREAD_LIMIT": "1",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.slow
def test_extract_prints_the_text_of_a_300_dpi_scan(settings, tmp_path) -> None:
    text = "In the Court of Sessions Judge Karachi South\nThe bail application is dismissed"
    scan = render_scan(text, tmp_path / "order.png")
    result = run(settings, "extract", str(scan))
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Court of Sessions Judge Karachi South" in out
    assert "bail application is dismissed" in out
    assert "reading kept" not in result.stderr  # a clean page is read once, as given


def test_extract_reports_a_bad_file_clearly(settings, tmp_path) -> None:
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"")
    result = run(settings, "extract", str(bad))
    assert result.returncode != 0
    assert "empty" in result.stderr


def test_init_and_seed_are_idempotent(settings) -> None:
    assert run(settings, "init").returncode == 0
    first = run(settings, "seed-demo")
    assert first.returncode == 0 and "mizan-demo-2026" in first.stdout
    assert run(settings, "seed-demo").returncode == 0
    from app.bootstrap import build_kernel
    from mizan.accounts.models import User

    kernel = build_kernel(settings)
    assert kernel.store.count(User, {"username": "admin"}) == 1
    assert run(settings, "audit-verify").returncode == 0


def test_create_user_validates(settings) -> None:
    run(settings, "seed-demo")
    bad = run(
        settings,
        "create-user",
        "x",
        "--name",
        "X",
        "--role",
        "clerk",
        "--password",
        "good-pass-123",
    )
    assert bad.returncode != 0 and "username" in bad.stderr
    good = run(
        settings,
        "create-user",
        "new.admin",
        "--name",
        "New Admin",
        "--role",
        "admin",
        "--password",
        "good-pass-123",
    )
    assert good.returncode == 0, good.stderr


def test_backup_and_restore_round_trip(settings, tmp_path) -> None:
    from app.bootstrap import build_kernel
    from mizan.settings import load_settings

    assert run(settings, "seed-demo").returncode == 0
    kernel = build_kernel(settings)
    sha = kernel.blobs.put_bytes(b"an original scanned file")
    dest = tmp_path / "backup"
    result = run(settings, "backup", str(dest))
    assert result.returncode == 0, result.stderr
    assert (dest / "mizan.sqlite3").exists() and (dest / "mizan-backup.json").exists()
    assert run(settings, "backup", str(dest)).returncode != 0  # never overwrites a backup

    target = load_settings({"MIZAN_DATA_DIR": str(tmp_path / "restored")}, env_file=None)
    restored = run(target, "restore", str(dest))
    assert restored.returncode == 0, restored.stderr
    again = run(target, "restore", str(dest))
    assert again.returncode != 0 and "--force" in again.stderr
    copy = build_kernel(target)
    from mizan.accounts.models import User

    assert copy.store.count(User) == kernel.store.count(User)
    assert copy.blobs.path(sha).read_bytes() == b"an original scanned file"
    assert run(target, "audit-verify").returncode == 0


def test_reindex_rebuilds_the_index_from_the_store(settings) -> None:
    result = run(settings, "reindex")
    assert result.returncode == 0, result.stderr
    assert "Reindexed 0 documents" in result.stdout


def test_reindex_replaces_an_index_of_an_older_layout(settings) -> None:
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("body", stored=True)
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    tantivy.Index(sb.build(), str(settings.index_dir))  # as an older Mizan left it
    result = run(settings, "reindex")
    assert result.returncode == 0, result.stderr
    assert "built by another version of Mizan: rebuilding it" in result.stdout
    assert "Reindexed 0 documents" in result.stdout
    again = run(settings, "reindex")
    assert again.returncode == 0 and "another version" not in again.stdout


def test_init_rebuilds_an_index_of_an_older_layout(settings) -> None:
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("body", stored=True)
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    tantivy.Index(sb.build(), str(settings.index_dir))  # as an older Mizan left it
    result = run(settings, "init")  # what `make run` calls after an upgrade
    assert result.returncode == 0, result.stderr
    assert "another version of Mizan: rebuilding it from the store" in result.stdout
    assert "Search index rebuilt from the store (0 documents)." in result.stdout
    assert "Search index: tantivy" in result.stdout


def test_help_lists_the_stable_commands(settings) -> None:
    out = run(settings, "--help").stdout
    for command in (
        "init",
        "create-user",
        "seed-demo",
        "run-worker",
        "reindex",
        "audit-verify",
        "backup",
        "restore",
        "extract",
    ):
        assert command in out
