"""Importing acts and judgments: the real PPC, JSON lines with bad lines, one judgment file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from library.act_import import import_act_text
from library.importers import import_judgment_file, import_judgments_jsonl
from library.models import Act, Judgment, Section
from library.seed import SAMPLE_DIR
from library.service import LibraryError
from mizan import outbox
from mizan.accounts.service import PermissionDenied
from mizan.actor import SYSTEM, Actor
from mizan.audit import AuditEntry
from search.backends import search_index
from tests.conftest import SHARED_DATA

PPC = SHARED_DATA / "pakistan" / "ppc.md"
CLERK = Actor("u1", "clerk.south", frozenset({"clerk"}), "KHI-S")


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


@pytest.mark.skipif(not PPC.is_file(), reason="shared data ppc.md is not on this machine")
def test_real_ppc_imports_as_a_tree_with_addressable_sections(kernel) -> None:
    act = import_act_text(
        kernel, SYSTEM, PPC.read_text(encoding="utf-8"), code="ppc", title="Pakistan Penal Code"
    )
    assert act.section_count > 500
    store = kernel.store
    s302 = store.get(Section, "ppc:302")
    assert "qatl" in s302.heading.lower()
    assert s302.chapter == "XVI"
    assert "ppc:304" in s302.references  # cross-reference kept
    assert any(a.kind == "amended" for a in s302.amendments)  # markers kept as spans
    assert "113[" not in s302.text and "] 113" not in s302.text  # ... not in the text
    assert store.get(Section, "ppc:337-A").number == "337-A"
    assert "cheque" in store.get(Section, "ppc:489-F").heading.lower()
    # Importing again updates in place: same ids, no duplicates.
    again = import_act_text(
        kernel, SYSTEM, PPC.read_text(encoding="utf-8"), code="ppc", title="Pakistan Penal Code"
    )
    assert again.id == act.id
    assert store.count(Section, {"act_code": "ppc"}) == act.section_count


def test_act_import_validates_its_input(kernel) -> None:
    text = (SAMPLE_DIR / "ppc_sample.md").read_text()
    with pytest.raises(LibraryError, match="code"):
        import_act_text(kernel, SYSTEM, text, code="P P C", title="Penal")
    with pytest.raises(LibraryError, match="code"):
        import_act_text(kernel, SYSTEM, text, code="judgments", title="Penal")
    with pytest.raises(LibraryError, match="title"):
        import_act_text(kernel, SYSTEM, text, code="ppc", title=" ")
    with pytest.raises(LibraryError, match="No sections"):
        import_act_text(kernel, SYSTEM, "Just a paragraph.\n", code="ppc", title="Penal")
    with pytest.raises(PermissionDenied):
        import_act_text(kernel, CLERK, text, code="ppc", title="Penal")
    assert kernel.store.count(Act) == 0


def test_judgments_jsonl_imports_good_lines_and_reports_bad_ones(kernel, tmp_path) -> None:
    sample = (SAMPLE_DIR / "judgments_sample.jsonl").read_text().splitlines()
    path = write_jsonl(
        tmp_path / "j.jsonl",
        [
            sample[0],
            "{not json",
            {"id": "x1", "title": "No text here"},
            ["a", "list"],
            sample[1],
        ],
    )
    report = import_judgments_jsonl(kernel, SYSTEM, path)
    assert report.added == 2
    assert [e.line for e in report.errors] == [2, 3, 4]
    assert "not valid JSON" in str(report.errors[0])
    assert "missing text" in str(report.errors[1])
    j = kernel.store.find_one(Judgment, {"key": "pcrlj-2012-288"})
    assert j.court == "Balochistan High Court"
    assert j.citations == ["2012 PCrLJ 288"]
    assert j.bench and j.parties and j.decided_on is not None
    assert j.headnotes, "lettered headnotes are kept"
    # One audit entry per batch, not one per judgment.
    events = kernel.store.find(AuditEntry, {"action": "library.judgments_imported"})
    assert len(events) == 1
    # Re-import updates, never duplicates.
    again = import_judgments_jsonl(kernel, SYSTEM, path)
    assert (again.added, again.updated) == (0, 2)
    assert kernel.store.count(Judgment) == 2


def test_one_judgment_file_goes_through_the_extractor(kernel, tmp_path) -> None:
    path = tmp_path / "judgment.txt"
    path.write_text(
        "2015 P Cr. L J 100\n[Balochistan]\n"
        "Before Naeem Akhtar Afghan and Zaheer-ud-Din Kakar, JJ\nALI KHAN---Appellant\nVersus\n"
        "The STATE---Respondent\nCriminal Appeal No.5 of 2014, decided on 3rd March, 2015.\n"
        "JUDGMENT\n1. The appellant was convicted under section 302(b), P.P.C.\n"
        "2. Reliance is placed on 2010 SCMR 55.\n"
    )
    report = import_judgment_file(
        kernel, SYSTEM, path, filename="judgment.txt", court="Balochistan High Court"
    )
    assert report.added == 1 and report.edges == 2
    j = kernel.store.get(Judgment, report.judgment_ids[0])
    assert j.citations == ["2015 PCrLJ 100"]
    assert j.parties == ["ALI KHAN", "The STATE"]
    assert j.decided_on.year == 2015
    assert j.bench == ["Naeem Akhtar Afghan", "Zaheer-ud-Din Kakar"]
    assert j.statute_refs == ["ppc:302"]
    with pytest.raises(ValueError):
        import_judgment_file(kernel, SYSTEM, path, filename="judgment.exe", court="X")


def test_demo_seeding_uses_the_shipped_sample_without_shared_data(
    kernel, monkeypatch, tmp_path
) -> None:
    from library.seed import seed_library

    monkeypatch.setenv("MIZAN_SHARED_DATA", str(tmp_path / "nowhere"))
    first = seed_library(kernel)
    assert (first.source, first.sections, first.judgments) == ("sample", 8, 4)
    assert search_index(kernel).count() == 0  # left to the worker: seeding stays quick
    while outbox.drain(kernel):
        pass
    assert search_index(kernel).search("murder", principals={"public"}).total > 0
    again = seed_library(kernel)  # idempotent: nothing is imported twice
    assert again.judgments == 4
    assert len(kernel.store.find(AuditEntry, {"action": "library.judgments_imported"})) == 1
