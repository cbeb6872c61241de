"""A court's cause list read from a PDF (or a scan of one) into rows.

Courts publish their daily lists as PDF tables, each court in its own layout. Three ways in,
tried in this order on every page:

1. **ruled tables**: pdfplumber's table finder follows the lines a boxed table is drawn with;
2. **positioned words**: a list set in columns without lines is rebuilt from where each word
   sits: the heading line gives the columns, each word goes to the column it starts under,
   and a line without a serial number continues the row above;
3. **OCR**: a scanned page (no text layer) is straightened (``ingestion.layout``) and read by
   Tesseract (``ingestion.ocr``), and its word boxes go through the same column grouping.

Column headings are recognised by their words ("Case No.", "Name of Accused", "Crime No.",
"P.S.", "Stage" ...), whatever their order. The court and the date come from the lines above
the table ("Court: ...", "BEFORE: ...", the first date). The rows are the same records the
CSV/JSON import takes (``casefiles.cause_lists.FIELDS``), so matching and import are shared.
pypdfium2 stays the reader for plain text and page images; pdfplumber is used here only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from pdfplumber.utils.exceptions import PdfminerException
from PIL import Image, UnidentifiedImageError

from casefiles.cause_lists import MAX_ROWS
from ingestion.layout import apply_layout, estimate_skew
from ingestion.ocr import ocr_image
from ingestion.pages import ExtractionError

__all__ = ["MAX_PAGES", "CauseListReading", "read_cause_list", "rows_from_words"]

#: A day's list of one court is a few pages; more is refused (a scanned page takes 10-25 s).
MAX_PAGES = 40
OCR_DPI = 300

#: Heading words -> the row field the column fills (the first match wins, most specific first).
_HEADINGS: tuple[tuple[str, str], ...] = (
    (r"\bs\.?\s*no\b|\bsr\b|\bserial\b|^#$|\bsl\b", "serial"),
    (r"\bfir\b.*\bp\.?\s*s\b|\bcrime\b.*\bp\.?\s*s\b", "fir_ps"),
    (r"\bfir\b|\bcrime\b", "fir"),
    (r"police\s+station|^p\.?\s*s\.?$", "police_station"),
    (r"\bcase\b|\bappeal\b|\bpetition\b|\bsuit\b|\breference\b", "case_number"),
    (r"\bpart(y|ies)\b|\btitle\b|\baccused\b|\bname\b|\bversus\b", "parties"),
    (r"\bpurpose\b|\bstage\b|\bnature\b|\bproceedings?\b", "purpose"),
    (r"\btime\b", "time"),
    (r"\bremarks?\b|\bnotes?\b", "notes"),
)
#: Words of a cause list's purpose column -> Mizan's hearing purposes.
_PURPOSES: tuple[tuple[str, str], ...] = (
    (r"\bcharge\b", "charge"),
    (r"\bevidence\b|\bwitness", "evidence"),
    (r"\b342\b|statement", "s342"),
    (r"\bargument", "arguments"),
    (r"\bbail\b", "bail"),
    (r"\bremand\b", "remand"),
    (r"\bjudg(e)?ment\b|\border\b", "judgment"),
)
_DATE = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
_COURT = re.compile(r"^\s*(?:court|before|bench)\s*[:.\-]\s*(.+)$", re.IGNORECASE)
_FIR = re.compile(r"(\d{1,5})\s*/\s*(\d{4}|\d{2})\b")
_STATION = re.compile(r"\bp\.?\s*s\.?\s*[:.\-]?\s*(.+)$", re.IGNORECASE)
#: Table rules and scanner dust that OCR reads as "words".
_NOISE = re.compile(r"^[^\w&]{1,3}$|^_+$")


@dataclass
class Box:
    """A word and where it sits (any unit, top-left origin, as long as one page uses one)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class CauseListReading:
    """What a cause-list file says: court, date and one record per listed case."""

    court: str
    date: str
    #: "table" (ruled), "words" (positioned words) or "ocr" (a scan), per the first page read.
    method: str
    pages: int
    rows: list[dict[str, str]] = field(default_factory=list)


def _field_of(heading: str) -> str | None:
    text = " ".join(heading.lower().split())
    if re.search(r"\d", text) or len(text.split()) > 5:
        return None  # a heading is a few words without figures; this is a row's cell
    for pattern, name in _HEADINGS:
        if re.search(pattern, text):
            return name
    return None


def _purpose(text: str) -> str:
    low = text.lower()
    return next((key for pattern, key in _PURPOSES if re.search(pattern, low)), "")


def _record(cells: dict[str, str]) -> dict[str, str] | None:
    """A row's cells by field -> an import record; None for a row naming no case."""
    clean = {k: " ".join(v.split()) for k, v in cells.items() if v and v.strip()}
    record: dict[str, str] = {}
    if clean.get("case_number"):
        record["case_number"] = clean["case_number"]
    if clean.get("parties"):
        record["parties"] = clean["parties"]
    fir_text = clean.get("fir_ps") or clean.get("fir") or ""
    fir = _FIR.search(fir_text)
    if fir:
        year = int(fir.group(2))
        record["fir_number"] = fir.group(1)
        record["fir_year"] = str(year + 2000 if year < 100 else year)
    station = clean.get("police_station") or ""
    if not station and clean.get("fir_ps"):
        found = _STATION.search(clean["fir_ps"][fir.end() if fir else 0 :])
        station = found.group(1) if found else ""
    station = re.sub(r"^p\.?\s*s\.?\s*[:.\-]?\s*", "", station, flags=re.IGNORECASE)
    if station and fir:
        record["police_station"] = station.strip(" ,.")
    listed = clean.get("purpose", "")
    purpose = _purpose(listed)
    if purpose:
        record["purpose"] = purpose
    notes = [n for n in (clean.get("notes", ""), listed if not purpose else "") if n]
    if notes:
        record["notes"] = "; ".join(notes)
    if clean.get("time"):
        record["time"] = clean["time"]
    if not (record.get("case_number") or record.get("parties") or fir):
        return None
    return record


def _heading_fields(cells: Sequence[str | None]) -> list[str | None] | None:
    """The field of each column if this row is the table's heading (two fields at least)."""
    fields = [_field_of(c or "") if c else None for c in cells]
    named = [f for f in fields if f and f != "serial"]
    return fields if len(set(named)) >= 2 else None


def _rows_from_table(
    table: list[list[str | None]], fields: list[str | None] | None
) -> tuple[list[dict[str, str]], list[str | None] | None]:
    """Records of one ruled table; ``fields`` carries the heading over from the last page."""
    out: list[dict[str, str]] = []
    for cells in table:
        heading = _heading_fields(cells)
        if heading:
            fields = heading
            continue
        if fields is None or len(cells) != len(fields):
            continue
        by_field: dict[str, str] = {}
        for name, cell in zip(fields, cells, strict=True):
            if name and cell:
                by_field[name] = f"{by_field.get(name, '')} {cell}".strip()
        record = _record(by_field)
        if record:
            out.append(record)
    return out, fields


# -- positioned words -------------------------------------------------------------------


def _lines(words: Iterable[Box]) -> list[list[Box]]:
    """Words grouped into text lines (by vertical overlap), each line left to right."""
    lines: list[list[Box]] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        middle = (word.top + word.bottom) / 2
        if lines:
            last = lines[-1]
            top = sum(w.top for w in last) / len(last)
            bottom = sum(w.bottom for w in last) / len(last)
            if top - 1 <= middle <= bottom + 1:
                last.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _phrases(line: list[Box]) -> list[list[Box]]:
    """A heading line split into column headings where the gap is wider than a space."""
    height = sorted(w.bottom - w.top for w in line)[len(line) // 2]
    groups: list[list[Box]] = [[line[0]]]
    for word in line[1:]:
        if word.x0 - groups[-1][-1].x1 > 1.2 * height:
            groups.append([word])
        else:
            groups[-1].append(word)
    return groups


def _text(words: Iterable[Box]) -> str:
    return " ".join(w.text for w in words)


def _find_heading(lines: list[list[Box]]) -> tuple[int, list[tuple[float, str | None]]] | None:
    for n, line in enumerate(lines):
        phrases = _phrases(line)
        fields = _heading_fields([_text(p) for p in phrases])
        if fields:
            return n, [(p[0].x0, f) for p, f in zip(phrases, fields, strict=True)]
    return None


def _serials_complete(table: list[dict[int, list[str]]], serial_column: int) -> bool:
    """Whether every row kept its serial: the first line has one and they count up by one."""
    numbers = [" ".join(c[serial_column]) for c in table if serial_column in c]
    if not table or serial_column not in table[0] or not all(n.isdigit() for n in numbers):
        return False
    return all(int(b) == int(a) + 1 for a, b in itertools.pairwise(numbers))


def _row_starts(
    table: list[dict[int, list[str]]],
    tops: list[float],
    serial_column: int | None,
    anchors: Sequence[int] = (),
) -> list[bool]:
    """Which lines start a row: the ones with a serial number. On a scan (``anchors``: the
    parties and purpose columns) where OCR kept some serials but not all (it drops some,
    sometimes most of a page's: a narrow column of short numbers), also the lines naming
    both parties and a purpose: a row's first line has both, a wrapped line rarely. When
    OCR lost every serial: the lines after a wider gap than the lines of one row have
    between them; when the gaps are all alike, lines across three columns."""
    if serial_column is not None and any(serial_column in c for c in table):
        if anchors and not _serials_complete(table, serial_column):
            return [serial_column in c or all(a in c for a in anchors) for c in table]
        return [serial_column in c for c in table]
    pitches = [b - a for a, b in itertools.pairwise(tops)]
    ordered = sorted(p for p in pitches if p > 0)
    if len(ordered) >= 3:
        # Two kinds of gap, each common: lines of one row, and rows. A lone wide gap (a
        # speck of dust read as a line, a page's end) is not a second kind.
        jump, at = max((b / a, n) for n, (a, b) in enumerate(itertools.pairwise(ordered), 1))
        wide = len(ordered) - at
        if jump > 1.25 and wide >= 0.3 * len(ordered) and at >= 0.1 * len(ordered):
            cut = (ordered[at - 1] + ordered[at]) / 2
            return [True] + [p > cut for p in pitches]
    return [serial_column is None or len(c) >= 3 for c in table]


def _unslant_serials(
    table: list[dict[int, list[str]]], serial_column: int, anchors: Sequence[int]
) -> None:
    """On a scan, the second line of a wrapped case number ("of 2023") may start left of its
    column (a slant left over) and land in the serial column; a line that has nothing in
    the parties or purpose columns holds no serial, so its words go to the next column."""
    for cells in table:
        if serial_column in cells and not any(a in cells for a in anchors):
            words = cells.pop(serial_column)
            cells.setdefault(serial_column + 1, [])[:0] = words


def rows_from_words(
    words: Sequence[Box], *, scanned: bool = False
) -> tuple[list[str], list[dict[str, str]]]:
    """Lines above the table (for court and date) and the table's records, from word boxes
    (``scanned``: read by OCR, see ``_row_starts``)."""
    lines = _lines(w for w in words if w.text.strip())
    found = _find_heading(lines)
    if found is None:
        return [_text(line) for line in lines], []
    at, columns = found
    heights = sorted(w.bottom - w.top for line in lines for w in line)
    slack = heights[len(heights) // 2] * 0.8
    starts = [x for x, _f in columns]
    rows: list[dict[str, str]] = []
    serial_column = next((i for i, (_x, f) in enumerate(columns) if f == "serial"), None)
    table: list[dict[int, list[str]]] = []
    tops: list[float] = []
    for line in lines[at + 1 :]:
        if _heading_fields([_text(p) for p in _phrases(line)]):
            continue  # the heading repeated at the top of a page
        cells: dict[int, list[str]] = {}
        for word in line:
            index = max((i for i, x in enumerate(starts) if x <= word.x0 + slack), default=0)
            cells.setdefault(index, []).append(word.text)
        table.append(cells)
        tops.append(line[0].top)  # the leftmost word: a scan's leftover slant moves the rest
    fields = [f for _x, f in columns]
    anchors: list[int] = []
    if scanned and "parties" in fields and "purpose" in fields:
        anchors = [fields.index("parties"), fields.index("purpose")]
        if serial_column is not None and serial_column + 1 < len(columns):
            _unslant_serials(table, serial_column, anchors)
    starts_row = _row_starts(table, tops, serial_column, anchors)
    for cells, begins in zip(table, starts_row, strict=True):
        joined = {i: " ".join(t) for i, t in cells.items()}
        if begins or not rows:
            rows.append({str(i): t for i, t in joined.items()})
        else:
            for i, t in joined.items():
                rows[-1][str(i)] = f"{rows[-1].get(str(i), '')} {t}".strip()
    records = []
    for cells_by_index in rows:
        by_field: dict[str, str] = {}
        for key, text in cells_by_index.items():
            name = columns[int(key)][1]
            if name:
                by_field[name] = f"{by_field.get(name, '')} {text}".strip()
        record = _record(by_field)
        if record:
            records.append(record)
    return [_text(line) for line in lines[:at]], records


# -- the file ---------------------------------------------------------------------------


def _court_and_date(lines: Iterable[str]) -> tuple[str, str]:
    court = date = ""
    for line in lines:
        if not court and (found := _COURT.match(line)):
            court = found.group(1).strip(" .")
        if not date and (d := _DATE.search(line)):
            with contextlib.suppress(ValueError):
                date = dt.date(int(d.group(3)), int(d.group(2)), int(d.group(1))).isoformat()
    return court[:120], date


def _long_runs(dark: np.ndarray, length: int) -> np.ndarray:
    """Pixels inside a horizontal run of at least ``length`` dark pixels (a drawn rule)."""
    height, width = dark.shape
    if width < length:
        return np.zeros_like(dark)
    sums = np.cumsum(np.pad(dark, ((0, 0), (1, 0))), axis=1, dtype=np.int32)
    starts = np.zeros((height, width), np.int32)
    starts[:, : width - length + 1] = (sums[:, length:] - sums[:, :-length]) == length
    covered = np.pad(np.cumsum(starts, axis=1, dtype=np.int32), ((0, 0), (1, 0)))
    column = np.arange(width)
    return (covered[:, column + 1] - covered[:, np.maximum(column - length + 1, 0)]) > 0


def _erase_rules(image: Image.Image) -> Image.Image:
    """The page with the lines of a boxed table whitened: Tesseract reads the boxes'
    edges as letters ("|", "[", "l") and glues them to the words in the cells."""
    pixels = np.asarray(image.convert("L"))
    dark = pixels < 160
    length = max(image.width // 12, 40)
    rules = _long_runs(dark, length) | _long_runs(dark.T, length).T
    rules[1:] |= rules[:-1]  # the anti-aliased fringe either side of a rule
    rules[:-1] |= rules[1:]
    rules[:, 1:] |= rules[:, :-1]
    rules[:, :-1] |= rules[:, 1:]
    return Image.fromarray(np.where(rules, 255, pixels).astype(np.uint8))


def _ocr_boxes(image: Image.Image, timeout: float) -> list[Box]:
    image = image.convert("L")
    straight = _erase_rules(apply_layout(image, 0, estimate_skew(image)))
    result = ocr_image(straight, "eng", timeout=timeout, normalise=False)
    return [
        Box(w.text, w.left, w.left + w.width, w.top, w.top + w.height)
        for w in result.words
        if w.confidence >= 10 and not _NOISE.match(w.text.strip())
    ]


def _plumber_boxes(page: pdfplumber.page.Page) -> list[Box]:
    return [
        Box(w["text"], w["x0"], w["x1"], w["top"], w["bottom"])
        for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
    ]


#: Told (pages read, pages in all) after each page, for a job's progress bar.
OnPage = Callable[[int, int], None]


def _read_pdf(
    path: Path, timeout: float, on_page: OnPage | None
) -> tuple[list[str], list[dict[str, str]], str, int]:
    header: list[str] = []
    rows: list[dict[str, str]] = []
    method = ""
    fields: list[str | None] | None = None
    try:
        pdf = pdfplumber.open(path)
    except (PdfminerException, ValueError, TypeError, KeyError) as exc:
        raise ExtractionError("This PDF cannot be opened; it may be damaged.") from exc
    with pdf:
        count = len(pdf.pages)
        if count == 0:
            raise ExtractionError("This PDF has no pages.")
        if count > MAX_PAGES:
            raise ExtractionError(
                f"This cause list has {count} pages; at most {MAX_PAGES} are read at once. "
                "Split it and import the parts."
            )
        rendered = pdfium.PdfDocument(str(path))
        try:
            for index, page in enumerate(pdf.pages):
                text = page.extract_text() or ""
                if not text.strip():
                    bitmap = rendered[index].render(scale=OCR_DPI / 72, grayscale=True)
                    lines, found = rows_from_words(
                        _ocr_boxes(bitmap.to_pil(), timeout), scanned=True
                    )
                    page_method = "ocr"
                else:
                    found = []
                    for table in page.extract_tables():
                        more, fields = _rows_from_table(table, fields)
                        found += more
                    page_method = "table"
                    lines = text.splitlines()
                    if not found:
                        lines, found = rows_from_words(_plumber_boxes(page))
                        page_method = "words"
                method = method or (page_method if found else "")
                if index == 0 or not header:
                    header = lines
                rows += found
                if len(rows) > MAX_ROWS:
                    raise ExtractionError(f"A cause list may have at most {MAX_ROWS} rows.")
                if on_page:
                    on_page(index + 1, count)
        finally:
            rendered.close()
    return header, rows, method, count


def read_cause_list(
    path: str | Path,
    media_type: str = "application/pdf",
    *,
    timeout: float = 120,
    on_page: OnPage | None = None,
) -> CauseListReading:
    """Read a cause list (a PDF, or a photographed/scanned page image) into records.

    Raises :class:`ExtractionError` with a sentence for the clerk when the file cannot be
    read or holds no table of cases.
    """
    path = Path(path)
    if media_type == "application/pdf":
        header, rows, method, pages = _read_pdf(path, timeout, on_page)
    elif media_type.startswith("image/"):
        try:
            with Image.open(path) as image:
                header, rows = rows_from_words(_ocr_boxes(image, timeout), scanned=True)
        except (UnidentifiedImageError, OSError) as exc:
            raise ExtractionError("This image cannot be read; it may be damaged.") from exc
        method, pages = "ocr", 1
    else:
        raise ExtractionError("A cause list must be a PDF file or a scanned page image.")
    if not rows:
        raise ExtractionError(
            "No table of cases was found in this file. A cause list needs a heading row "
            "(such as S.No, Case No., Parties, FIR, Purpose) and one row per case."
        )
    court, date = _court_and_date(header)
    return CauseListReading(court, date, method, pages, rows)
