"""Sample court cause lists as PDFs, in the layouts of two courts, plus scanned copies.

* ``shc_bench_list``: a Sindh High Court bench list, a ruled table (every cell boxed), with
  the FIR and police station in one column ("189/2024 PS Artillery Maidan").
* ``atc_list``: an Anti-Terrorism Court list, columns set by position with no lines at all,
  the FIR number and police station in columns of their own.
* ``scanned``: any of them printed and scanned: each page rendered to an image, turned by
  about 1.5 degrees and sprinkled with noise, saved as an image-only PDF (OCR needed).

Used by the tests' fixtures and by ``bench/bench_cause_lists.py``; run on its own it writes
one of each into a folder: ``python tests/data/make_cause_lists.py /tmp/lists``.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image


@dataclass(frozen=True)
class Listing:
    """One case called before the court, as the court's list prints it."""

    case_number: str
    parties: str
    fir_number: int | None = None
    fir_year: int | None = None
    police_station: str = ""
    purpose: str = ""

    @property
    def fir(self) -> str:
        return f"{self.fir_number}/{self.fir_year}" if self.fir_number else ""


def _pdf() -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(12, 12, 12)
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, lines: Sequence[str]) -> None:
    for n, line in enumerate(lines):
        pdf.set_font("Helvetica", "B" if n == 0 else "", 12 if n == 0 else 10)
        pdf.cell(0, 6, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def shc_bench_list(court: str, day: dt.date, listings: Sequence[Listing]) -> bytes:
    """A High Court bench's list: a boxed table, FIR and station in one column."""
    pdf = _pdf()
    _heading(
        pdf,
        [
            "IN THE HIGH COURT OF SINDH AT KARACHI",
            f"CAUSE LIST FOR {day.strftime('%A').upper()}, {day.strftime('%d.%m.%Y')}",
            f"BEFORE: {court}",
        ],
    )
    pdf.set_font("Helvetica", "", 8)
    widths = (12, 48, 62, 44, 20)
    with pdf.table(col_widths=widths, line_height=5, first_row_as_headings=True) as table:
        table.row(["S.No", "Case No.", "Parties", "FIR No. / P.S.", "Purpose"])
        for n, item in enumerate(listings, 1):
            fir = f"{item.fir} PS {item.police_station}" if item.fir_number else ""
            table.row([str(n), item.case_number, item.parties, fir, item.purpose])
    return bytes(pdf.output())


#: Column left edges (mm) and widths of the ATC list.
_ATC_COLUMNS = (
    ("Sr.", 12, 10),
    ("Special Case No.", 22, 42),
    ("Name of Accused", 64, 52),
    ("Crime No.", 116, 22),
    ("Police Station", 138, 34),
    ("Stage", 172, 26),
)


def atc_list(court: str, day: dt.date, listings: Sequence[Listing]) -> bytes:
    """An Anti-Terrorism Court's list: columns set by position, no lines."""
    pdf = _pdf()
    _heading(
        pdf,
        [
            "ANTI-TERRORISM COURTS, SINDH",
            f"Court: {court}",
            f"Cause list dated {day.strftime('%d-%m-%Y')}",
        ],
    )

    def header() -> None:
        pdf.set_font("Helvetica", "B", 9)
        y = pdf.get_y()
        for title, left, width in _ATC_COLUMNS:
            pdf.set_xy(left, y)
            pdf.cell(width, 6, title)
        pdf.set_y(y + 9)

    header()
    pdf.set_font("Helvetica", "", 9)
    for n, item in enumerate(listings, 1):
        cells = (
            str(n),
            item.case_number,
            item.parties,
            item.fir,
            item.police_station,
            item.purpose,
        )
        if pdf.get_y() > 265:
            pdf.add_page()
            header()
            pdf.set_font("Helvetica", "", 9)
        y, bottom = pdf.get_y(), pdf.get_y()
        for text, (_title, left, width) in zip(cells, _ATC_COLUMNS, strict=True):
            pdf.set_xy(left, y)
            pdf.multi_cell(width - 2, 4.5, text, new_x=XPos.RIGHT, new_y=YPos.TOP)
            lines = len(pdf.multi_cell(width - 2, 4.5, text, dry_run=True, output="LINES"))
            bottom = max(bottom, y + 4.5 * lines)
        pdf.set_y(bottom + 3)
    return bytes(pdf.output())


def scanned(pdf: bytes, *, angle: float = 1.5, dpi: int = 200, seed: int = 0) -> bytes:
    """The list as a scanner returns it: page images only, a little turned and noisy."""
    rng = np.random.default_rng(seed)
    document = pdfium.PdfDocument(pdf)
    pages: list[Image.Image] = []
    try:
        for page in document:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
            pixels = np.asarray(image, dtype=np.int16)
            noise = rng.normal(0, 18, pixels.shape)
            specks = rng.random(pixels.shape) < 0.0008
            noisy = np.clip(pixels + noise, 0, 255)
            noisy[specks] = 0
            pages.append(Image.fromarray(noisy.astype(np.uint8)))
    finally:
        document.close()
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return out.getvalue()


def sample_listings(n: int = 12, seed: int = 1) -> list[Listing]:
    """Made-up listings for the samples written by ``main``."""
    rng = random.Random(seed)
    names = ["Muhammad Aslam", "Shahid Hussain", "Ali Raza", "Ghulam Nabi", "Abdul Sattar"]
    stations = ["Artillery Maidan", "Boat Basin", "Darakhshan", "Clifton"]
    purposes = ["Evidence", "Arguments", "Charge", "Bail"]
    return [
        Listing(
            f"Special Case No. {rng.randint(1, 400)} of 2025",
            f"The State v. {rng.choice(names)}",
            rng.randint(1, 300),
            2025,
            rng.choice(stations),
            rng.choice(purposes),
        )
        for _ in range(n)
    ]


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    day = dt.date(2026, 3, 16)
    items = sample_listings()
    shc = shc_bench_list("Division Bench-II (Court No. 3)", day, items)
    atc = atc_list("ATC-XII Karachi", day, items)
    for name, data in (("shc_bench.pdf", shc), ("atc.pdf", atc)):
        (out / name).write_bytes(data)
        (out / f"scanned_{name}").write_bytes(scanned(data))
    print(f"Wrote four cause lists to {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "cause_lists")
