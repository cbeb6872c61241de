"""What extraction produces: page texts, the whole-file result, and the page-source protocol.

Kept apart from the readers (PDF, images, DOCX) so that code which only stores or
shows pages (the worker, word boxes) does not depend on how each format is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingestion.ocr import Word

__all__ = ["PAGE_SEPARATOR", "Extraction", "ExtractionError", "PageSource", "PageText", "WholeFile"]

#: Joins page texts in :attr:`Extraction.text`: a form feed on its own line,
#: as pdftotext does, so offsets map back to pages and line-based tools
#: never see two pages' words on one line.
PAGE_SEPARATOR = "\n\f\n"


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
    #: OCR pages: which reading was kept and why ("plain: read cleanly (94% confidence)").
    reading: str | None = None


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


class WholeFile(PageSource):
    """DOCX and plain text have no pages of their own: the whole text is page 1."""

    def __init__(self, media_type: str, page: PageText) -> None:
        self.media_type, self.page_count, self._page = media_type, 1, page

    def page(self, number: int, *, timeout: float = 180) -> PageText:
        return self._page
