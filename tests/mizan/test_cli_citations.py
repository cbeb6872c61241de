"""``mizan citations FILE`` run as a real subprocess, as an operator would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.ingestion.test_extract import make_pdf

TEXT = (
    "Reliance is placed on 2019 S C M R 1234 and PLD 2010 Supreme Court 123;\n"
    "the accused was convicted u/s 302/34 PPC.\n"
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "citations", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def rows(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_text_file_prints_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "judgment.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = run(str(path))
    assert result.returncode == 0, result.stderr
    found = rows(result.stdout)
    assert [(r["kind"], r["canonical"]) for r in found] == [
        ("report", "2019 SCMR 1234"),
        ("report", "PLD 2010 SC 123"),
        ("statute", "302 PPC"),
        ("statute", "34 PPC"),
    ]
    for r in found:
        assert TEXT[r["start"] : r["end"]] == r["raw"]
    assert found[1]["court"] == "SC" and found[2]["act"] == "PPC"


def test_no_statutes_flag(tmp_path: Path) -> None:
    path = tmp_path / "judgment.md"
    path.write_text(TEXT, encoding="utf-8")
    result = run(str(path), "--no-statutes")
    assert result.returncode == 0, result.stderr
    assert [r["kind"] for r in rows(result.stdout)] == ["report", "report"]


def test_pdf_goes_through_extraction(tmp_path: Path) -> None:
    path = tmp_path / "judgment.pdf"
    path.write_bytes(make_pdf([{"lines": ["Reliance on 2021 P.Cr.L.J. 612 and u/s 497 Cr.P.C."]}]))
    result = run(str(path))
    assert result.returncode == 0, result.stderr
    assert [r["canonical"] for r in rows(result.stdout)] == ["2021 PCrLJ 612", "497 CrPC"]


def test_docx_goes_through_extraction(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Bail refused; see 2020 SCMR 1422 and S. 497(2), Cr.P.C.")
    path = tmp_path / "order.docx"
    document.save(str(path))
    result = run(str(path))
    assert result.returncode == 0, result.stderr
    assert [r["canonical"] for r in rows(result.stdout)] == ["2020 SCMR 1422", "497(2) CrPC"]


def test_unreadable_and_unsupported_files_are_refused_clearly(tmp_path: Path) -> None:
    latin = tmp_path / "old.txt"
    latin.write_bytes("2019 SCMR 1 — café".encode("cp1252"))
    result = run(str(latin))
    assert result.returncode != 0 and "not UTF-8" in result.stderr
    sheet = tmp_path / "list.xls"
    sheet.write_bytes(b"\xd0\xcf\x11\xe0 spreadsheet")
    result = run(str(sheet))
    assert result.returncode != 0 and "cannot be added" in result.stderr
    result = run(str(tmp_path / "missing.txt"))
    assert result.returncode != 0 and "does not exist" in result.stderr
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = run(str(empty))
    assert result.returncode != 0 and "empty" in result.stderr
