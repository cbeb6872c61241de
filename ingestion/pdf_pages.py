"""PDF pages: the text layer where it is usable, else the page rendered and OCR'd on its own.

Deciding that a text layer is unusable (`page_needs_ocr`) is the seam that keeps a
mixed PDF cheap: only its scanned pages cost OCR time.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingestion.image_pages import ocr_page
from ingestion.pages import ExtractionError, PageSource, PageText

__all__ = ["MAX_RENDER_PIXELS", "PdfPages", "page_needs_ocr"]

#: A PDF page is rendered for OCR at no more than this many pixels (an A0
#: drawing at 300 dpi would be 140 MP and take minutes in Tesseract).
MAX_RENDER_PIXELS = 50_000_000


def _is_garbage(ch: str) -> bool:
    """Characters a broken font encoding produces instead of letters."""
    if ch == "\ufffd":
        return True
    if "\ue000" <= ch <= "\uf8ff":  # private use area: unmapped symbol fonts
        return True
    return unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\t\n\r\f"


def page_needs_ocr(
    text: str,
    *,
    image_coverage: float = 0.0,
    min_chars: int = 100,
    min_coverage: float = 0.5,
    max_garbage: float = 0.25,
) -> bool:
    """Whether a PDF page's text layer is too poor to use.

    True when there is no text, when the text is pdfminer ``(cid:NN)``
    placeholders or mostly unmapped glyphs (a font without a Unicode map), or
    when there are fewer than ``min_chars`` letters on a page that images
    cover at least ``min_coverage`` of (a scan with a stamped page number, or
    with a thin OCR layer). ``image_coverage`` is the share of the page area
    covered by images, 0-1.
    """
    visible = "".join(text.split())
    if not visible:
        return True
    if "(cid:" in text:
        return True
    # Printable ASCII has no unmapped glyphs: skip the per-character scan (C-speed check).
    ascii_clean = visible.isascii() and visible.isprintable()
    garbage = 0 if ascii_clean else sum(1 for ch in visible if _is_garbage(ch))
    if garbage / len(visible) > max_garbage:
        return True
    return len(visible) < min_chars and image_coverage >= min_coverage


def _image_coverage(page: pdfium.PdfPage) -> float:
    """Share of the visible page area covered by images (0-1, overlaps counted twice).

    Counts top-level image objects and top-level form XObjects that contain
    an image (some scanners wrap the scan in a form).
    """
    left, bottom, right, top = page.get_cropbox()
    area = max((right - left) * (top - bottom), 1.0)
    boxes: list[tuple[float, float, float, float]] = []
    form_box: tuple[float, float, float, float] | None = None
    for obj in page.get_objects(max_depth=3):
        if obj.level == 0:
            form_box = None
            if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                boxes.append(obj.get_bounds())
            elif obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
                form_box = obj.get_bounds()
        elif form_box is not None and obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            boxes.append(form_box)
            form_box = None
    covered = 0.0
    for x0, y0, x1, y1 in boxes:
        w = min(x1, right) - max(x0, left)
        h = min(y1, top) - max(y0, bottom)
        if w > 0 and h > 0:
            covered += w * h
    return min(covered / area, 1.0)


_PDF_OPEN_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: (
        "This PDF is password-protected. Open it with the password, save or print it "
        "as a new PDF without a password, and add that file."
    ),
    pdfium_c.FPDF_ERR_SECURITY: (
        "This PDF uses a kind of protection that cannot be opened here. Save or print "
        "it as a new PDF without protection, and add that file."
    ),
    pdfium_c.FPDF_ERR_FORMAT: (
        "This PDF is damaged or incomplete and cannot be read. Scan or export it again."
    ),
}


def _clean_pdf_text(text: str) -> str:
    # PDFium marks a hyphen at a line end with U+FFFE and drops the line break.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-\n")
    return text.replace("\x00", "").strip()


def _render_scale(page: pdfium.PdfPage, dpi: int) -> float:
    width, height = page.get_size()
    scale = dpi / 72.0
    pixels = width * scale * height * scale
    if pixels > MAX_RENDER_PIXELS:
        scale *= (MAX_RENDER_PIXELS / pixels) ** 0.5
    return scale


class PdfPages(PageSource):
    def __init__(self, path: Path, lang: str, dpi: int) -> None:
        self.media_type, self.lang, self.dpi = "application/pdf", lang, dpi
        try:
            self.pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            message = _PDF_OPEN_ERRORS.get(
                exc.err_code,
                "This PDF cannot be opened; it may be damaged. Scan or export it again.",
            )
            raise ExtractionError(message) from exc
        self.page_count = len(self.pdf)
        if self.page_count == 0:
            self.close()
            raise ExtractionError("This PDF has no pages.")

    def page(self, number: int, *, timeout: float = 180) -> PageText:
        return _extract_pdf_page(self.pdf, number - 1, self.lang, self.dpi, timeout)

    def close(self) -> None:
        self.pdf.close()


def _extract_pdf_page(
    pdf: pdfium.PdfDocument, index: int, lang: str, dpi: int, timeout: float = 180
) -> PageText:
    number = index + 1
    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        return PageText(number, "", "text-layer", error=f"Page {number} is damaged: {exc}")
    try:
        textpage = page.get_textpage()
        try:
            text = _clean_pdf_text(textpage.get_text_range())
        finally:
            textpage.close()
        visible = len("".join(text.split()))
        coverage = _image_coverage(page) if visible < 100 else 0.0
        if not page_needs_ocr(text, image_coverage=coverage):
            return PageText(number, text, "text-layer")
        try:
            bitmap = page.render(scale=_render_scale(page, dpi), grayscale=True)
            image = bitmap.to_pil()
        except (pdfium.PdfiumError, MemoryError) as exc:
            reason = f"Page {number} could not be rendered for OCR: {exc}"
            return PageText(number, text, "ocr", error=reason)
        return ocr_page(image, number, lang, timeout)
    finally:
        page.close()
