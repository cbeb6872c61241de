"""Turn an uploaded file into text, page by page, OCR-ing only where needed.

PDF pages are read from their text layer with pypdfium2 (over a thousand
pages a second); a page without a usable text layer (a scan, or a font with
no Unicode map) is rendered and OCR'd on its own, so a mixed PDF costs OCR
time only for its scanned pages. Images are OCR'd frame by frame, DOCX is
read with python-docx, plain text is decoded as UTF-8.

Errors a clerk can act on (damaged file, password, huge image) raise
:class:`ExtractionError` with a sentence for the clerk. A single page that
fails OCR is recorded on that page and the rest carry on.
"""

from __future__ import annotations

import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from lxml import etree
from PIL import Image, ImageOps, UnidentifiedImageError

from ingestion.ocr import OcrUnavailable, Word, ocr_image, validate_lang
from ingestion.sniff import DOCX, UnsupportedFile, sniff_file

__all__ = [
    "PAGE_SEPARATOR",
    "Extraction",
    "ExtractionError",
    "PageSource",
    "PageText",
    "UnsupportedFile",
    "extract_file",
    "open_pages",
    "page_needs_ocr",
]

#: Pillow refuses images above this (a decompression bomb is a tiny file that
#: expands to gigabytes). An A3 page at 600 dpi is about 70 megapixels.
MAX_IMAGE_PIXELS = 120_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

#: A PDF page is rendered for OCR at no more than this many pixels (an A0
#: drawing at 300 dpi would be 140 MP and take minutes in Tesseract).
MAX_RENDER_PIXELS = 50_000_000

#: Uncompressed size limit for a DOCX (a ZIP bomb expands on reading).
MAX_DOCX_UNCOMPRESSED = 256 * 1024 * 1024

#: Joins page texts in :attr:`Extraction.text`: a form feed on its own line,
#: as pdftotext does, so offsets map back to pages and line-based tools
#: never see two pages' words on one line.
PAGE_SEPARATOR = "\n\f\n"

ProgressCallback = Callable[[int, int], None]


class ExtractionError(ValueError):
    """The file cannot be read; ``str(exc)`` is a sentence for the clerk."""


@dataclass
class PageText:
    """Text of one page and how it was obtained.

    ``confidence`` and ``words`` are filled for OCR pages only; word boxes are
    in pixels of the OCR'd image, whose size is ``width`` x ``height``.
    ``error`` says why a page has no text when OCR failed on it.
    """

    number: int
    text: str
    method: str  # "text-layer" | "ocr" | "docx" | "plain"
    confidence: float | None = None
    words: list[Word] = field(default_factory=list)
    error: str | None = None
    width: int = 0
    height: int = 0
    rotation: int = 0  # OCR pages: clockwise turn, then deskew, applied before OCR
    skew: float = 0.0


@dataclass
class Extraction:
    """All pages of one file."""

    media_type: str
    pages: list[PageText]

    @property
    def text(self) -> str:
        """Page texts joined by :data:`PAGE_SEPARATOR` (failed pages count as empty)."""
        return PAGE_SEPARATOR.join(page.text for page in self.pages)

    @property
    def confidence(self) -> float | None:
        """Mean OCR word confidence over all OCR'd words, None if nothing was OCR'd."""
        total = sum(len(p.words) for p in self.pages if p.confidence is not None)
        if not total:
            return None
        return sum(w.confidence for p in self.pages for w in p.words) / total

    @property
    def errors(self) -> list[PageText]:
        """Pages that failed (their ``error`` says why)."""
        return [p for p in self.pages if p.error]


# --------------------------------------------------------------------------
# Deciding whether a PDF page needs OCR


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


# --------------------------------------------------------------------------
# PDF


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


def _ocr_page(image: Image.Image, number: int, lang: str, timeout: float = 180) -> PageText:
    """OCR one page image; failures (other than a missing Tesseract) land on the page."""
    try:
        result = ocr_image(image, lang, timeout=timeout)
    except OcrUnavailable:
        raise
    except (RuntimeError, OSError, ValueError) as exc:
        if "timeout" in str(exc).lower():
            reason = (
                f"Page {number} took longer than the limit of {timeout:.0f} seconds to read "
                "and was skipped; rescan it more cleanly or retry the job."
            )
        else:
            reason = f"OCR failed on page {number}: {exc}"
        return PageText(number, "", "ocr", error=reason)
    return PageText(
        number,
        result.text,
        "ocr",
        result.confidence,
        result.words,
        width=result.width,
        height=result.height,
        rotation=result.rotation,
        skew=result.skew,
    )


class PageSource:
    """An opened file whose pages are read one at a time, in any order.

    The worker stores each page as soon as it is read and, after a crash,
    asks only for the pages it does not have yet; :func:`extract_file` reads
    them all in order. ``page(n)`` never raises for a problem confined to one
    page: the returned :class:`PageText` carries the reason instead.
    """

    media_type: str = ""
    page_count: int = 0

    def page(self, number: int, *, timeout: float = 180) -> PageText:
        raise NotImplementedError

    def close(self) -> None:
        """Release the open file (idempotent)."""

    def __enter__(self) -> PageSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _PdfPages(PageSource):
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
        return _ocr_page(image, number, lang, timeout)
    finally:
        page.close()


# --------------------------------------------------------------------------
# Images


def _too_large(width: int, height: int) -> ExtractionError:
    return ExtractionError(
        f"This image is too large to process ({width:,} x {height:,} pixels; the limit is "
        f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels). Scan it again at 300 dpi."
    )


class _ImagePages(PageSource):
    """JPEG and PNG are one page; a TIFF has a page per frame."""

    def __init__(self, path: Path, media_type: str, lang: str) -> None:
        self.media_type, self.lang = media_type, lang
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                self.image = Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ExtractionError(
                "This image is too large to process (more than "
                f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels). Scan it again at 300 dpi."
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ExtractionError("This image cannot be read; it may be damaged.") from exc
        try:
            frames = getattr(self.image, "n_frames", 1) if media_type == "image/tiff" else 1
        except (OSError, EOFError, ValueError, SyntaxError) as exc:
            self.close()
            message = "This image is damaged or incomplete and cannot be read."
            raise ExtractionError(message) from exc
        self.page_count = frames
        if frames == 1 and self.image.width * self.image.height > MAX_IMAGE_PIXELS:
            size = self.image.size
            self.close()
            raise _too_large(*size)

    def page(self, number: int, *, timeout: float = 180) -> PageText:
        try:
            self.image.seek(number - 1)
            if self.image.width * self.image.height > MAX_IMAGE_PIXELS:
                raise _too_large(self.image.width, self.image.height)
            frame = self.image.copy()  # loads this frame only
            if self.media_type == "image/jpeg":
                frame = ImageOps.exif_transpose(frame)
        except ExtractionError as exc:
            if self.page_count == 1:
                raise
            return PageText(number, "", "ocr", error=f"Page {number}: {exc}")
        except (OSError, EOFError, ValueError, SyntaxError) as exc:
            if self.page_count == 1:
                raise ExtractionError(
                    "This image is damaged or incomplete and cannot be read."
                ) from exc
            reason = f"Page {number} of this image is damaged or incomplete: {exc}"
            return PageText(number, "", "ocr", error=reason)
        return _ocr_page(frame, number, self.lang, timeout)

    def close(self) -> None:
        self.image.close()


class _WholeFile(PageSource):
    """DOCX and plain text have no pages of their own: the whole text is page 1."""

    def __init__(self, media_type: str, page: PageText) -> None:
        self.media_type, self.page_count, self._page = media_type, 1, page

    def page(self, number: int, *, timeout: float = 180) -> PageText:
        return self._page


# --------------------------------------------------------------------------
# DOCX


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_W_P, _W_R, _W_T, _W_TBL, _W_TR, _W_TC = (_w(t) for t in ("p", "r", "t", "tbl", "tr", "tc"))
_W_TAB, _W_BR, _W_CR, _W_NBH = (_w(t) for t in ("tab", "br", "cr", "noBreakHyphen"))
_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML = _w("sdt"), _w("sdtContent"), _w("customXml")
_W_TXBX = _w("txbxContent")
# Text under these belongs elsewhere (text boxes are emitted as their own
# paragraphs) or is not part of the current text (tracked deletions).
_SKIP_UNDER = {_W_TXBX, _w("del"), _w("moveFrom"), _MC_FALLBACK}


def _paragraph_text(p: etree._Element) -> str:
    """Run text of a paragraph, including hyperlinks, fields and inline content controls."""
    parts: list[str] = []
    for el in p.iter(_W_T, _W_TAB, _W_BR, _W_CR, _W_NBH):
        run = el.getparent()
        if run is None or run.tag != _W_R:
            continue  # e.g. tab stop definitions in w:pPr
        anc = run.getparent()
        skip = False
        while anc is not None and anc is not p:
            if anc.tag in _SKIP_UNDER:
                skip = True
                break
            anc = anc.getparent()
        if skip:
            continue
        if el.tag == _W_T:
            parts.append(el.text or "")
        elif el.tag == _W_TAB:
            parts.append("\t")
        elif el.tag == _W_NBH:
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


def _text_boxes(p: etree._Element) -> Iterator[etree._Element]:
    """Text box bodies anchored in a paragraph, each once (not the VML fallback copy)."""
    for box in p.iter(_W_TXBX):
        anc = box.getparent()
        nested = False
        while anc is not None and anc is not p:
            if anc.tag in (_MC_FALLBACK, _W_TXBX):
                nested = True
                break
            anc = anc.getparent()
        if not nested:
            yield box


def _table_rows(table: etree._Element) -> Iterator[etree._Element]:
    """Rows of one table (not of tables nested in its cells), including rows in
    content controls."""
    for child in table.iterchildren():
        if child.tag == _W_TR:
            yield child
        elif child.tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _table_rows(content)


def _docx_blocks(container: etree._Element) -> Iterator[str]:
    """Lines of text in document order: paragraphs, then table rows (cells tab-separated)."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == _W_P:
            yield _paragraph_text(child)
            for box in _text_boxes(child):
                yield from _docx_blocks(box)
        elif tag == _W_TBL:
            for row in _table_rows(child):
                cells = [
                    " ".join(t.strip() for t in _docx_blocks(cell) if t.strip())
                    for cell in row.iterchildren(_W_TC)
                ]
                if any(cells):
                    yield "\t".join(cells)
        elif tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _docx_blocks(content)
        elif tag == _W_CUSTOM_XML:
            yield from _docx_blocks(child)


def _extract_docx(path: Path) -> list[PageText]:
    import docx  # python-docx; imported here so PDF-only workers skip lxml parsing setup
    from docx.opc.exceptions import PackageNotFoundError

    damaged = "This Word document is damaged or cannot be read; save it again in Word and add it."
    try:
        with zipfile.ZipFile(path) as zf:
            if sum(info.file_size for info in zf.infolist()) > MAX_DOCX_UNCOMPRESSED:
                raise ExtractionError(
                    "This Word document is too large to read (over "
                    f"{MAX_DOCX_UNCOMPRESSED // (1024 * 1024)} MB unpacked)."
                )
    except zipfile.BadZipFile as exc:
        raise ExtractionError(damaged) from exc
    try:
        document = docx.Document(str(path))
        lines = list(_docx_blocks(document.element.body))
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
        etree.LxmlError,
    ) as exc:
        raise ExtractionError(damaged) from exc
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in lines)).strip()
    return [PageText(1, text, "docx")]


# --------------------------------------------------------------------------
# Plain text


def _extract_plain(path: Path) -> list[PageText]:
    data = path.read_bytes()
    if b"\x00" in data:
        raise ExtractionError("This text file contains binary data and cannot be read as text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractionError(
            "This text file is not saved as UTF-8 (unreadable bytes at position "
            f"{exc.start}). Save it as UTF-8 and add it again."
        ) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [PageText(1, text, "plain")]


# --------------------------------------------------------------------------


def open_pages(
    path: Path | str | os.PathLike[str],
    filename: str | None = None,
    *,
    lang: str = "eng",
    dpi: int = 300,
) -> PageSource:
    """Open a stored file for reading page by page (use it as a context manager).

    ``filename`` is the name the uploader gave (its extension is checked
    against the content; defaults to the path's name). ``lang`` is the
    Tesseract language(s) for pages that need OCR (``eng+urd`` for mixed
    pages); ``dpi`` the resolution scanned PDF pages are rendered at.

    Raises :class:`UnsupportedFile` (wrong or unknown type, empty file) and
    :class:`ExtractionError` (damaged, encrypted or oversized files), both
    ValueError subclasses with clerk-readable messages, and plain ValueError
    for a malformed ``lang``. DOCX and plain text are read whole here.
    """
    validate_lang(lang, installed=False)  # a typo should fail loudly, not on every page
    path = Path(path)
    media_type = sniff_file(path, filename)
    if media_type == "application/pdf":
        return _PdfPages(path, lang, dpi)
    if media_type.startswith("image/"):
        return _ImagePages(path, media_type, lang)
    pages = _extract_docx(path) if media_type == DOCX else _extract_plain(path)
    return _WholeFile(media_type, pages[0])


def extract_file(
    path: Path | str | os.PathLike[str],
    filename: str | None = None,
    *,
    lang: str = "eng",
    on_page: ProgressCallback | None = None,
    dpi: int = 300,
    page_timeout: float = 180,
) -> Extraction:
    """Extract the text of a stored file, all pages in order (see :func:`open_pages`).

    ``on_page(done, total)`` is called after each page; ``page_timeout`` is
    the OCR time limit for one page. Raises what :func:`open_pages` raises,
    and :class:`~ingestion.ocr.OcrUnavailable` when a page needs OCR but
    Tesseract or the language pack is missing (retry after installing it).
    """
    with open_pages(path, filename, lang=lang, dpi=dpi) as source:
        pages: list[PageText] = []
        for number in range(1, source.page_count + 1):
            pages.append(source.page(number, timeout=page_timeout))
            if on_page:
                on_page(number, source.page_count)
        return Extraction(source.media_type, pages)
