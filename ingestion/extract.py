"""Turn an uploaded file into text, page by page, OCR-ing only where needed.

PDF pages are read from their text layer with pypdfium2 (over a thousand
pages a second); a page without a usable text layer (a scan, or a font with
no Unicode map) is rendered and OCR'd on its own, so a mixed PDF costs OCR
time only for its scanned pages. Images are OCR'd frame by frame, DOCX is
read with python-docx, plain text is decoded as UTF-8.

Errors a clerk can act on (damaged file, password, huge image) raise
:class:`ExtractionError` with a sentence for the clerk. A single page that
fails OCR is recorded on that page and the rest carry on.

The readers live beside this module (`pdf_pages`, `image_pages`, `docx_text`) and
what they produce in `pages`; here the file's type is sniffed and the right one opened.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ingestion.docx_text import read_docx
from ingestion.image_pages import ImagePages
from ingestion.ocr import validate_lang
from ingestion.pages import Extraction, ExtractionError, PageSource, PageText, WholeFile
from ingestion.pdf_pages import PdfPages
from ingestion.sniff import DOCX, sniff_file

__all__ = ["ProgressCallback", "extract_file", "open_pages"]

ProgressCallback = Callable[[int, int], None]


def _read_plain(path: Path) -> PageText:
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
    return PageText(1, text, "plain")


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
        return PdfPages(path, lang, dpi)
    if media_type.startswith("image/"):
        return ImagePages(path, media_type, lang)
    return WholeFile(media_type, read_docx(path) if media_type == DOCX else _read_plain(path))


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
