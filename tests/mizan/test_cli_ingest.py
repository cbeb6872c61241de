"""``mizan ingest`` and ``mizan watch-drop`` as real subprocesses, sharing the upload pipeline."""

from __future__ import annotations

import pytest

from app.bootstrap import build_kernel
from casefiles.models import Case, CaseDocument, DocumentPage
from mizan.jobs import Job
from tests.conftest import render_scan
from tests.mizan.test_cli import run


@pytest.fixture
def seeded(settings):
    assert run(settings, "seed-demo").returncode == 0
    return settings


@pytest.mark.slow
def test_ingest_adds_and_reads_files_into_a_case(seeded, tmp_path) -> None:
    folder = tmp_path / "bundle"
    folder.mkdir()
    render_scan("Statement of the witness Rasheed", folder / "scan.png")
    (folder / "note.txt").write_text("Typed note about the recovery.", encoding="utf-8")
    (folder / "junk.pdf").write_bytes(b"")
    kernel = build_kernel(seeded)
    case = kernel.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    result = run(seeded, "ingest", str(folder), "--case", case.reference.lower(), "--lang", "eng")
    assert result.returncode == 1  # one file was refused
    assert "refused  junk.pdf: This file is empty." in result.stderr
    assert "read     note.txt: 1 pages" in result.stdout
    assert "read     scan.png: 1 pages" in result.stdout
    assert f"2 added, 0 already there, 1 refused; case {case.reference}." in result.stdout
    docs = {d.filename: d for d in kernel.store.find(CaseDocument, {"case_id": case.id})}
    assert set(docs) == {"note.txt", "scan.png"}
    page = kernel.store.find_one(DocumentPage, {"document_id": docs["scan.png"].id})
    assert "Rasheed" in page.text and page.method == "ocr"
    # Again: identical files are linked, not read twice.
    again = run(seeded, "ingest", str(folder / "note.txt"), "--case", case.reference)
    assert again.returncode == 0 and "already  note.txt" in again.stdout
    assert kernel.store.count(Job, {"kind": "ingest.document"}) == 2


def test_ingest_reports_an_unknown_case(seeded, tmp_path) -> None:
    (tmp_path / "a.txt").write_text("x")
    result = run(seeded, "ingest", str(tmp_path / "a.txt"), "--case", "FIR 1/1990 PS Nowhere")
    assert result.returncode != 0
    assert "No case “FIR 1/1990 PS Nowhere”" in result.stderr


def test_watch_drop_once(seeded, tmp_path) -> None:
    drop = tmp_path / "drop"
    kernel = build_kernel(seeded)
    case = kernel.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    folder = drop / f"{case.fir.number}-{case.fir.year}-Artillery_Maidan"
    folder.mkdir(parents=True)
    (folder / "memo.txt").write_text("Recovery memo.", encoding="utf-8")
    (drop / "lost.txt").write_text("No case named.", encoding="utf-8")
    result = run(seeded, "watch-drop", "--once", MIZAN_DROP_DIR=str(drop))
    assert result.returncode == 0, result.stderr
    assert "processed" in result.stdout and "names no case" in result.stderr
    assert (drop / "failed" / "lost.txt.txt").exists()
    assert kernel.store.count(CaseDocument, {"case_id": case.id}) == 1
    unset = run(seeded, "watch-drop", "--once")
    assert unset.returncode != 0 and "Set MIZAN_DROP_DIR" in unset.stderr


def test_ingest_does_not_count_files_it_could_not_read_as_added(seeded, tmp_path) -> None:
    """Three damaged PDFs are accepted, then fail to open: the summary must say so."""
    folder = tmp_path / "damaged"
    folder.mkdir()
    for n in (1, 2, 3):
        (folder / f"broken{n}.pdf").write_bytes(
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated " + str(n).encode()
        )
    kernel = build_kernel(seeded)
    case = kernel.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    result = run(seeded, "ingest", str(folder), "--case", case.reference, "--lang", "eng")
    assert result.returncode == 1
    assert result.stderr.count("failed   broken") == 3
    assert (
        f"0 added, 0 already there, 0 refused, 3 could not be read; case {case.reference}."
        in result.stdout
    ), result.stdout
    assert "3 added" not in result.stdout
