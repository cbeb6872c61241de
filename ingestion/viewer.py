"""The page viewer's parts: the page image as it was read, and where search terms are on it.

The image is rendered from the original file (never from a copy that could drift), turned
and straightened exactly as it was before OCR (:func:`ingestion.layout.apply_layout`), so the
stored word boxes fit it; renders are cached in the data directory by content hash. Search
terms are matched with the search index's own normalisation (``legaltext.search_terms``), so a
hit in the results is a hit highlighted on the page, in Urdu as in English.
"""

from __future__ import annotations

import re
import tempfile
import warnings
from pathlib import Path

from PIL import Image, ImageOps

from casefiles.models import CaseDocument, DocumentPage
from ingestion.image_pages import MAX_IMAGE_PIXELS
from ingestion.layout import apply_layout
from ingestion.ocr import Word
from ingestion.wordboxes import unpack_words, word_spans
from legaltext.search_terms import tokenize
from mizan.actor import Actor
from mizan.kernel import Kernel

__all__ = ["VIEW_WIDTH", "hit_boxes", "hit_spans", "page_image", "query_terms"]

#: Width in pixels of a rendered page: sharp on a laptop, small enough to send (~150 dpi A4).
VIEW_WIDTH = 1240
_OPERATORS = {"and", "or", "not"}


def query_terms(query: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(whole terms, prefixes) a query searches for; ``word*`` is a prefix."""
    exact: set[str] = set()
    prefixes: list[str] = []
    for m in re.finditer(r"\S+", query or ""):
        chunk = m.group()
        is_prefix = chunk.rstrip('")').endswith("*")
        for token in tokenize(chunk):
            if token.term in _OPERATORS and chunk.isupper():
                continue
            if len(token.term) < 2:
                continue
            if is_prefix:
                prefixes.append(token.term)
            else:
                exact.add(token.term)
    return frozenset(exact), tuple(prefixes)


def hit_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` that the query's terms match."""
    exact, prefixes = query_terms(query)
    if not exact and not prefixes:
        return []
    spans: list[tuple[int, int]] = []
    for token in tokenize(text):
        matched = token.term in exact or token.term.startswith(prefixes or ("\0",))
        if matched and (not spans or spans[-1] != (token.start, token.end)):
            spans.append((token.start, token.end))
    return spans


def hit_boxes(page: DocumentPage, query: str) -> list[Word]:
    """The OCR words on ``page`` that contain a hit (their boxes are in image pixels)."""
    spans = hit_spans(page.text or "", query)
    if not spans or not page.words:
        return []
    boxes: list[Word] = []
    for start, end, word in word_spans(page.text, unpack_words(page.words)):
        if any(s < end and e > start for s, e in spans):
            boxes.append(word)
    return boxes


def _render_original(path: Path, media_type: str, number: int) -> Image.Image | None:
    if media_type == "application/pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            if not 1 <= number <= len(pdf):
                return None
            page = pdf[number - 1]
            try:
                scale = VIEW_WIDTH / max(page.get_width(), 1)
                return page.render(scale=scale, grayscale=True).to_pil()
            finally:
                page.close()
        finally:
            pdf.close()
    if media_type.startswith("image/"):
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
        with image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return None
            try:
                image.seek(number - 1)
            except EOFError:
                return None
            frame = image.copy()
        if media_type == "image/jpeg":
            frame = ImageOps.exif_transpose(frame)
        frame = frame.convert("RGB") if frame.mode not in ("L", "RGB") else frame
        if frame.width > VIEW_WIDTH:
            height = max(1, round(frame.height * VIEW_WIDTH / frame.width))
            frame = frame.resize((VIEW_WIDTH, height), Image.Resampling.LANCZOS)
        return frame
    return None  # Word and text files have no page image


def page_image(kernel: Kernel, doc: CaseDocument, page: DocumentPage) -> Path | None:
    """A PNG of the page as it was read (cached), or None for files without page images.

    The caller has checked (and audited) that the user may see the document.
    """
    rotation, skew = page.rotation or 0, page.skew or 0.0
    cache = kernel.settings.data_dir / "cache" / "pages"
    target = cache / f"{doc.sha256}-{page.number}-{rotation}-{skew:g}-{VIEW_WIDTH}.png"
    if target.exists():
        return target
    try:
        image = _render_original(kernel.blobs.path(doc.sha256), doc.media_type or "", page.number)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning):
        return None
    except Exception as exc:  # pypdfium2 raises its own error types for damaged files
        if type(exc).__module__.startswith("pypdfium2"):
            return None
        raise
    if image is None:
        return None
    image = apply_layout(image, rotation, skew)
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cache, suffix=".part", delete=False) as tmp:
        image.save(tmp, format="PNG", optimize=True)
    Path(tmp.name).replace(target)  # atomic: a concurrent reader never sees half a file
    return target


def page_image_for(kernel: Kernel, actor: Actor, document_id: str, number: int) -> Path:
    """The image of page ``number`` of a document ``actor`` may see; every look is
    audited. LookupError for a document they may not see, a page that does not exist
    or one that has no image."""
    from ingestion.service import document_for

    doc = document_for(kernel, actor, document_id, purpose="page_viewed")
    page = kernel.store.find_one(DocumentPage, {"document_id": doc.id, "number": number})
    if page is None:
        raise LookupError(f"{document_id} page {number}")
    path = page_image(kernel, doc, page)
    if path is None:
        raise LookupError(f"{document_id} page {number} has no image")
    return path
