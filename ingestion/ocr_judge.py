"""How well one OCR reading of a page went, judged from the reading alone.

No ground truth exists when a clerk uploads a scan, so a reading is judged by what
Tesseract says of its own words (their confidences) and by whether the words look like
words of a language at all (plausibility: a letter run with a vowel, a number, a run of
Arabic-script letters), which catches the confident garbage Tesseract makes of rules,
stamps and sideways text. The same measure decides whether a page needs a second reading
and which of two readings is kept, so a page never ends up worse than its first reading
by that measure.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = ["Judgement", "judge", "plausible"]


class _Word(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def confidence(self) -> float: ...


#: A page whose words Tesseract is on average less sure of than this is read again.
#: Clean 300-dpi pages, printed or typed, give 88-96; Urdu Naskh/Nastaliq 80-90; pages
#: that preprocessing rescues (tilted, small, sideways) give well under 75.
GOOD_MEAN_CONFIDENCE = 80.0
#: Largest share of a page's letters in words below :data:`WEAK_CONFIDENCE` on a page
#: that reads well.
MAX_WEAK_SHARE = 0.20
WEAK_CONFIDENCE = 60.0
#: Largest share of a page's letters in implausible words on a page that reads well.
MAX_IMPLAUSIBLE_SHARE = 0.15

_EDGE_PUNCT = "\"'“”‘’«»()[]{}<>.,;:!?*-–—_/\\|•·،؛۔؟"
_LATIN_VOWELS = set("aeiouyAEIOUYàáâäèéêëìíîïòóôöùúûüÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜ")
_NUMBER = re.compile(r"^[(\[]?[#№]?\d+(?:[.,:/\-]\d+)*(?:st|nd|rd|th|%|\)|[A-Za-z])?$")
_INNER = "'’-.&/"
_DASHES = re.compile("[—–]")
#: Letter case a word of a language has: lower, Capitalised, UPPER, or CamelCase
#: (LinnSequencer); tHe or WoRd is how noise reads.
_CASED = re.compile(
    r"^(?:[a-z]+|[A-Z]+|[A-Z][a-z]+|[A-Z][a-z]+(?:[A-Z][a-z]+)+|[a-z]{2,}(?:[A-Z][a-z]+)+)$"
)


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"


def plausible(token: str) -> bool:
    """Whether ``token`` looks like a word or a number rather than an OCR fragment.

    Language-light on purpose (English, Urdu and Sindhi pages share the rules): a Latin
    word is letters (with an inner apostrophe, hyphen, dot or slash) and, unless it is a
    short capitalised abbreviation, has a vowel; an Arabic-script word is letters and
    marks of that script; a number may carry separators (189/2024, 13.03.2024, 1st).
    """
    core = token.strip(_EDGE_PUNCT)
    if not core:
        return len(token) <= 2  # a lone dash, bullet or full stop is not garbage
    if _DASHES.search(core):  # played—only: two words joined by a dash
        return all(plausible(part) for part in _DASHES.split(core) if part)
    if _NUMBER.match(core) or all(unicodedata.category(c) == "Nd" for c in core):
        return True
    if any(_is_arabic(c) for c in core):
        return all(_is_arabic(c) or unicodedata.category(c) in ("Mn", "Nd", "Cf") for c in core)
    letters = [c for c in core if c.isalpha()]
    if len(letters) + sum(c in _INNER for c in core) != len(core) or not letters:
        return False
    if len(letters) == 1:
        return True
    if any(c in _LATIN_VOWELS for c in letters):
        parts = re.split(r"[^A-Za-z]+", unicodedata.normalize("NFKD", core))
        return all(_CASED.match(part) for part in parts if part)
    return core.isupper() and len(letters) <= 5  # FIR, PPC, CNIC, NWFP


@dataclass(frozen=True)
class Judgement:
    """The measure of one reading: ``score`` ranks readings of the same page, ``good``
    says whether this one needs no second reading, ``reason`` says why in a few words."""

    score: float
    mean_confidence: float | None
    weak_share: float
    implausible_share: float
    good: bool
    reason: str


def judge(words: Sequence[_Word]) -> Judgement:
    """Judge one reading by its words' confidences and plausibility.

    The score counts the letters of plausible words weighted by confidence and takes off
    half a point per letter of an implausible word, so a reading that finds the same text
    more surely scores higher, and one that adds garbage (a sparse reading of a ruled
    form) pays for it.
    """
    if not words:
        return Judgement(0.0, None, 0.0, 0.0, False, "no text found")
    total = weak = odd = 0
    score = 0.0
    for w in words:
        n = len(w.text)
        total += n
        if w.confidence < WEAK_CONFIDENCE:
            weak += n
        if plausible(w.text):
            if w.confidence >= 50:
                score += n * w.confidence / 100
        else:
            odd += n
            score -= 0.5 * n
    mean = sum(w.confidence for w in words) / len(words)
    weak_share, odd_share = weak / total, odd / total
    if mean < GOOD_MEAN_CONFIDENCE:
        good, reason = False, f"low confidence ({mean:.0f}%)"
    elif weak_share > MAX_WEAK_SHARE:
        good, reason = False, f"{weak_share:.0%} of the text read unsurely"
    elif odd_share > MAX_IMPLAUSIBLE_SHARE:
        good, reason = False, f"{odd_share:.0%} of the text is not words"
    else:
        good, reason = True, f"read cleanly ({mean:.0f}% confidence)"
    return Judgement(round(score, 2), mean, weak_share, odd_share, good, reason)
