"""Split page texts into overlapping passages: long documents are scored from their parts."""

from __future__ import annotations

from collections.abc import Iterator

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
