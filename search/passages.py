"""Split page texts into overlapping passages: long documents are scored from their parts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

WINDOW_WORDS = 200
OVERLAP_WORDS = 50


def windows(text: str, size: int = WINDOW_WORDS, overlap: int = OVERLAP_WORDS) -> Iterator[str]:
    """Word windows of ``size`` that overlap by ``overlap`` words; short texts stay whole."""
    words = text.split()
    if not words:
        return
    step = max(size - overlap, 1)
    for start in range(0, max(len(words) - overlap, 1), step):
        yield " ".join(words[start : start + size])


def whole_text(texts: Iterable[tuple[object, str]]) -> str:
    """The text `windows` was cut from, for each page's windows in order: (page, window).

    A document is ranked as a whole (`search.whole_documents`) from the passages it
    was indexed as; a window that starts with the `OVERLAP_WORDS` its page's text
    so far ends with repeats them, and they are taken once.
    """
    pages: dict[object, list[str]] = {}
    for page, text in texts:
        words = text.split()
        seen = pages.setdefault(page, [])
        overlap = len(seen) >= OVERLAP_WORDS and words[:OVERLAP_WORDS] == seen[-OVERLAP_WORDS:]
        seen.extend(words[OVERLAP_WORDS:] if overlap else words)
    return "\n".join(" ".join(words) for words in pages.values())
