"""Cause lists read from court PDFs: a ruled High Court table, an unruled ATC list set by
position, their scans through OCR, and files that are not cause lists."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest
from fpdf import FPDF

from ingestion.cause_list_pdf import Box, read_cause_list, rows_from_words
from ingestion.pages import ExtractionError
from tests.data.make_cause_lists import Listing, atc_list, scanned, shc_bench_list

DAY = dt.date(2026, 3, 16)
LISTINGS = [
    Listing("Special Case No. 69 of 2025", "The State v. Abdul Sattar", 33, 2025, "Darakhshan",
            "Evidence"),
    Listing("Special Case No. 254 of 2025", "The State v. Ghulam Nabi & others", 242, 2025,
            "Artillery Maidan", "Arguments"),
    Listing("Sessions Case No. 12 of 2024", "Muhammad Aslam s/o Muhammad Akram v. The State",
            5, 2024, "Boat Basin", "Framing of charge"),
    Listing("Special Case No. 301 of 2025", "The State v. Shahid alias Shoda", 77, 2025,
            "Clifton", "Bail"),
]  # fmt: skip
EXPECTED = [
    {
        "case_number": item.case_number,
        "parties": item.parties,
        "fir_number": str(item.fir_number),
        "fir_year": str(item.fir_year),
        "police_station": item.police_station,
    }
    for item in LISTINGS
]
PURPOSES = ["evidence", "arguments", "charge", "bail"]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "court", "method"),
    [
        (shc_bench_list, "Division Bench-II (Court No. 3)", "table"),
        (atc_list, "ATC-XII Karachi", "words"),
    ],
)
def test_born_digital_layouts_read_row_for_row(tmp_path, make, court, method) -> None:
    reading = read_cause_list(_write(tmp_path, "list.pdf", make(court, DAY, LISTINGS)))
    assert (reading.court, reading.date, reading.method) == (court, "2026-03-16", method)
    assert [{k: r.get(k) for k in EXPECTED[0]} for r in reading.rows] == EXPECTED
    assert [r["purpose"] for r in reading.rows] == PURPOSES


def test_rows_wrapping_over_lines_and_pages_stay_whole(tmp_path) -> None:
    many = [
        Listing(f"Special Case No. {n} of 2025", f"The State v. Accused Number {n} and others",
                n, 2025, "Artillery Maidan", "Evidence")
        for n in range(1, 71)
    ]  # fmt: skip
    for make in (shc_bench_list, atc_list):
        reading = read_cause_list(_write(tmp_path, "long.pdf", make("ATC-XII Karachi", DAY, many)))
        assert reading.pages > 1
        assert [r["case_number"] for r in reading.rows] == [m.case_number for m in many]
        assert reading.rows[-1]["parties"] == "The State v. Accused Number 70 and others"


@pytest.mark.slow
@pytest.mark.parametrize("make", [shc_bench_list, atc_list])
def test_scanned_list_at_a_slant_goes_through_ocr(tmp_path, make) -> None:
    scan = scanned(make("ATC-XII Karachi", DAY, LISTINGS), angle=1.5, seed=3)
    reading = read_cause_list(_write(tmp_path, "scan.pdf", scan))
    assert reading.method == "ocr" and reading.date == "2026-03-16"
    # OCR may read "XII" as "XIl": staging snaps a court name that close to a known court.
    assert difflib.SequenceMatcher(None, reading.court, "ATC-XII Karachi").ratio() > 0.9
    assert len(reading.rows) == len(LISTINGS)
    firs = [(r.get("fir_number"), r.get("fir_year")) for r in reading.rows]
    wanted = [(str(m.fir_number), str(m.fir_year)) for m in LISTINGS]
    right = sum(f == w for f, w in zip(firs, wanted, strict=True))
    assert right >= len(LISTINGS) - 1, firs


def test_a_scan_that_lost_most_serials_keeps_its_rows_apart() -> None:
    """OCR dropped the serials of the first rows (the scanned ATC lists' misses in the bench:
    a page's rows merged into one) and a wrapped year slid left into the serial column."""

    def line(top: float, *cells: tuple[float, str]) -> list[Box]:
        return [Box(text, x, x + 8 * len(text), top, top + 10) for x, text in cells]

    words = [
        *line(0, (10, "S.No"), (60, "Case No."), (200, "Parties"), (400, "Purpose")),
        *line(20, (60, "Special Case No. 5 of"), (200, "The State v. Ali Raza"), (400, "Evidence")),
        *line(32, (45, "2024")),
        *line(50, (60, "Special Case No. 6 of 2025"), (200, "The State v. Shahid"), (400, "Bail")),
        *line(62, (200, "Hussain")),
        *line(80, (10, "3"), (60, "Special Case No. 7 of 2025"), (200, "The State v. Imran"),
              (400, "Charge")),
    ]  # fmt: skip
    _above, rows = rows_from_words(words, scanned=True)
    assert [(r["case_number"], r["parties"]) for r in rows] == [
        ("Special Case No. 5 of 2024", "The State v. Ali Raza"),
        ("Special Case No. 6 of 2025", "The State v. Shahid Hussain"),
        ("Special Case No. 7 of 2025", "The State v. Imran"),
    ]


def test_a_pdf_that_is_not_a_table_is_refused_in_words(tmp_path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "The complainant states that on the night of the incident... " * 20)
    path = _write(tmp_path, "letter.pdf", bytes(pdf.output()))
    with pytest.raises(ExtractionError, match="No table of cases was found"):
        read_cause_list(path)


def test_damaged_and_foreign_files_are_refused(tmp_path) -> None:
    with pytest.raises(ExtractionError, match="cannot be opened"):
        read_cause_list(_write(tmp_path, "broken.pdf", b"%PDF-1.4\n garbage"))
    with pytest.raises(ExtractionError, match="PDF file or a scanned page"):
        read_cause_list(_write(tmp_path, "list.docx", b"PK.."), "application/vnd.ms-word")
