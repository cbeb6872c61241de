"""Word boxes kept with a page, compactly: one line per word, ``left top width height conf``
then a tab and the word.

A scanned page has a few hundred words; JSON objects per word would triple the size of the
page record for no gain. Tesseract words never contain tabs or line breaks, so the format is
unambiguous; anything malformed (an old or hand-edited record) is skipped, never guessed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ingestion.ocr import Word
from ingestion.pages import PageText

if TYPE_CHECKING:
    from casefiles.models import DocumentPage

__all__ = ["copied_layout", "layout_fields", "pack_words", "unpack_words", "word_spans"]


def pack_words(words: list[Word]) -> str:
    lines = []
    for w in words:
        text = " ".join(w.text.split())
        if text:
            lines.append(f"{w.left} {w.top} {w.width} {w.height} {round(w.confidence)}\t{text}")
    return "\n".join(lines)


def unpack_words(packed: str | None) -> list[Word]:
    words: list[Word] = []
    for line in (packed or "").splitlines():
        head, sep, text = line.partition("\t")
        parts = head.split()
        if not sep or not text or len(parts) != 5:
            continue
        try:
            left, top, width, height, conf = (int(p) for p in parts)
        except ValueError:
            continue
        words.append(Word(text, float(conf), left, top, width, height))
    return words


def word_spans(text: str, words: list[Word]) -> list[tuple[int, int, Word]]:
    """Where each word sits in the page text (start, end, word), in reading order.

    The OCR text is made of these words joined by spaces and line breaks, so each is
    found after the previous one; a word that cannot be found (text edited since) is left
    out rather than placed somewhere wrong.
    """
    spans: list[tuple[int, int, Word]] = []
    cursor = 0
    for word in words:
        at = text.find(word.text, cursor)
        if at < 0:
            continue
        spans.append((at, at + len(word.text), word))
        cursor = at + len(word.text)
    return spans


def layout_fields(page: PageText) -> dict[str, object]:
    """The DocumentPage fields that keep an extracted page's words and geometry."""
    return {
        "words": pack_words(page.words) if page.words else None,
        "image_width": page.width or None,
        "image_height": page.height or None,
        "rotation": page.rotation,
        "skew": page.skew,
        "ocr_reading": page.reading,
    }


def copied_layout(record: DocumentPage) -> dict[str, object]:
    """The same fields of a stored page (an identical file reuses its pages)."""
    return {
        "words": record.words,
        "image_width": record.image_width,
        "image_height": record.image_height,
        "rotation": record.rotation or 0,
        "skew": record.skew or 0.0,
        "ocr_reading": record.ocr_reading,
    }
