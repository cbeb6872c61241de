"""Printable PDFs Mizan writes (certificates, report returns, letters): one writer for all.

A thin layer over fpdf2 with text shaping (HarfBuzz), so Urdu and Sindhi come
out joined and right to left. Latin text is set in DejaVu Sans and Arabic-script
text in Amiri (both Debian packages installed by ``scripts/bootstrap.sh``); each
call picks the face from the text, because fpdf2's fallback fonts do not shape.
Charts are drawn with the PDF's own lines and rectangles (no image libraries).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu")
ARABIC_FONT = Path("/usr/share/fonts/opentype/fonts-hosny-amiri")
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")


class PdfUnavailable(RuntimeError):
    """The fonts a PDF needs are not installed (run ``scripts/bootstrap.sh``)."""


def is_rtl(text: str) -> bool:
    """Does ``text`` contain Arabic-script letters (Urdu, Sindhi), so it is set right to left?"""
    return bool(_ARABIC.search(text))


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str = ""  # the figure as printed beside the bar ("61%"); the value if empty


class PdfDocument:
    """A portrait A4 document written top to bottom; ``output()`` returns its bytes."""

    def __init__(self, title: str, *, footer: str = "") -> None:
        faces = {
            ("Latin", ""): LATIN_FONT / "DejaVuSans.ttf",
            ("Latin", "B"): LATIN_FONT / "DejaVuSans-Bold.ttf",
            ("Arabic", ""): ARABIC_FONT / "Amiri-Regular.ttf",
            ("Arabic", "B"): ARABIC_FONT / "Amiri-Bold.ttf",
        }
        missing = [str(path) for path in faces.values() if not path.exists()]
        if missing:
            raise PdfUnavailable("Fonts for PDFs are not installed: " + ", ".join(missing))
        footer_text = footer

        class _Pdf(FPDF):
            def footer(self) -> None:
                if not footer_text:
                    return
                self.set_y(-12)
                self.set_font("Latin", size=8)
                self.cell(0, 6, f"{footer_text}  ·  {self.page_no()}", align="C")

        self._pdf = _Pdf(format="A4")
        for (family, style), path in faces.items():
            self._pdf.add_font(family, style, str(path))
        self._pdf.set_text_shaping(True)
        self._pdf.set_title(title)
        self._pdf.set_creator("Mizan")
        self._pdf.set_auto_page_break(True, margin=16)
        self._pdf.add_page()

    # -- text ---------------------------------------------------------------------------
    def _font(self, text: str, size: float, bold: bool = False) -> None:
        self._pdf.set_font("Arabic" if is_rtl(text) else "Latin", "B" if bold else "", size)

    def heading(self, text: str, *, size: float = 18) -> None:
        self.paragraph(text, size=size, bold=True)
        self._pdf.ln(2)

    def paragraph(
        self, text: str, *, size: float = 11, bold: bool = False, align: str = ""
    ) -> None:
        """A block of text; Urdu is right-aligned unless ``align`` says otherwise."""
        self._font(text, size, bold)
        self._pdf.set_x(self._pdf.l_margin)
        self._pdf.multi_cell(
            0,
            size * 0.55,
            text,
            align=align or ("R" if is_rtl(text) else "L"),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def space(self, mm: float = 4) -> None:
        self._pdf.ln(mm)

    def key_values(self, rows: Sequence[tuple[str, str]], *, size: float = 11) -> None:
        """Label/value lines ("Period: March 2026")."""
        for label, value in rows:
            self.paragraph(f"{label}: {value}", size=size)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """A ruled table; each cell's font follows its own script."""
        self._pdf.set_x(self._pdf.l_margin)
        self._pdf.set_font("Latin", "", 9)
        with self._pdf.table(text_align="LEFT", line_height=5) as table:
            lines: list[Sequence[object]] = [header, *rows]
            for number, values in enumerate(lines):
                row = table.row()
                for value in values:
                    text = "" if value is None else str(value)
                    self._font(text, 9, bold=number == 0)
                    row.cell(text)
        self._pdf.ln(2)

    def bars(self, title: str, bars: Sequence[Bar], *, width: float = 170) -> None:
        """A horizontal bar chart: label, bar scaled to the largest value, figure."""
        self.paragraph(title, size=11, bold=True)
        top = max((b.value for b in bars), default=0) or 1
        label_w, figure_w = 55.0, 20.0
        bar_w = max(width - label_w - figure_w, 10)
        for bar in bars:
            if self._pdf.will_page_break(7):
                self._pdf.add_page()
            y = self._pdf.get_y()
            x = self._pdf.l_margin
            self._font(bar.label, 9)
            self._pdf.set_xy(x, y)
            self._pdf.cell(label_w, 6, bar.label[:40])
            self._pdf.set_fill_color(46, 110, 158)
            self._pdf.rect(x + label_w, y + 1, bar_w * max(bar.value, 0) / top, 4, style="F")
            self._pdf.set_xy(x + label_w + bar_w + 2, y)
            self._pdf.set_font("Latin", "", 9)
            self._pdf.cell(figure_w, 6, bar.shown or f"{bar.value:g}")
            self._pdf.set_xy(x, y + 7)
        self._pdf.ln(2)

    def page_break(self) -> None:
        self._pdf.add_page()

    def output(self) -> bytes:
        return bytes(self._pdf.output())
