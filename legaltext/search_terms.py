"""Search normalisation and tokenisation for English, Urdu and Sindhi text.

One function decides what counts as "the same word" for search, and it is
applied identically to indexed text and to query words, so a clerk finds
مُقدّمہ ۲۰۱۱ by typing مقدمہ 2011. The rules (domain notes, section 6):

* Unicode NFKC first: composes decomposed letters (ي + hamza -> ئ, ا + madda
  -> آ) and maps the Arabic presentation forms that PDF extraction emits
  back to ordinary letters.
* Case-folding (stronger lowercasing: "ß" -> "ss").
* Strip Arabic diacritics (harakat, tanween, shadda, sukun, superscript
  alef, Quranic marks) and tatweel; strip Latin accents (é -> e).
* Map Arabic-Indic ٠-٩ and Urdu/Persian ۰-۹ digits to ASCII 0-9.
* Unify yeh: Arabic ي and alef maksura ى -> Urdu/Farsi ی; unify kaf:
  Arabic ك -> keheh ک.
* Never fold Sindhi swash kaf ڪ (Sindhi "k") into ک (Sindhi "kh"); keep
  the heh forms ہ ه ھ ۂ ۃ ة and yeh barree ے distinct: they spell different
  words.
* Delete zero-width (non-)joiners and soft hyphens (word-internal, often
  typed inconsistently); bidi marks become spaces (they sit between words).

Normalisation is language-independent on purpose: a query does not know
the language of the documents it should find, so both sides must fold alike.

Transliterated name parts are folded to one spelling per word with the
table in `legaltext.person_names.VARIANTS` (Mohammad, Muhammed, Mohd -> muhammad;
Husain, Hussein -> hussain), so "Mohammad Husain" finds "Muhammad Hussain".
Only whole words in that table are mapped, never parts of words, and the
highlighter still marks the spelling as written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from legaltext.person_names import VARIANTS

__all__ = ["MAX_TOKEN_CHARS", "Token", "folded_from", "normalize_text", "terms", "tokenize"]

#: Longer "words" (OCR noise, base64, hashes) are not indexed or searched.
MAX_TOKEN_CHARS = 100

_YEH = "\u06cc"  # ی ARABIC LETTER FARSI YEH, the Urdu yeh
_KEHEH = "\u06a9"  # ک ARABIC LETTER KEHEH, the Urdu kaf

# Arabic-script combining marks treated as diacritics.
_ARABIC_MARKS = [
    (0x0610, 0x061A),  # honorifics and Quranic signs above/below
    (0x064B, 0x065F),  # tanween, harakat, shadda, sukun, madda/hamza marks
    (0x0670, 0x0670),  # superscript (khari) alef
    (0x06D6, 0x06DC),  # Quranic annotation marks
    (0x06DF, 0x06E4),
    (0x06E7, 0x06E8),
    (0x06EA, 0x06ED),
]
_TATWEEL = 0x0640
_DELETE_FORMAT = [0x200C, 0x200D, 0x00AD]  # ZWNJ, ZWJ, soft hyphen
_BIDI_MARKS = [0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for lo, hi in _ARABIC_MARKS:
        for cp in range(lo, hi + 1):
            table[cp] = None
    for cp in range(0x0300, 0x0370):  # Latin combining diacritics
        table[cp] = None
    table[_TATWEEL] = None
    for cp in _DELETE_FORMAT:
        table[cp] = None
    for cp in _BIDI_MARKS:
        table[cp] = " "
    for i in range(10):
        table[0x0660 + i] = str(i)  # ٠-٩ Arabic-Indic
        table[0x06F0 + i] = str(i)  # ۰-۹ Extended Arabic-Indic (Urdu, Sindhi)
    table[0x064A] = _YEH  # ي Arabic yeh
    table[0x0649] = _YEH  # ى alef maksura, typed for final yeh on Arabic keyboards
    table[0x0643] = _KEHEH  # ك Arabic kaf. U+06AA ڪ (Sindhi) is deliberately absent.
    # Latin letters with accents -> base letters (é -> e), Latin ranges only so
    # no Arabic letter is ever decomposed.
    for cp in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base and base != ch:
            table[cp] = base.casefold()
    return table


_TABLE = _build_table()

# A yeh followed by a combining hamza that NFKC cannot compose (ی/ى + U+0654)
# is the letter ئ; without this it would lose its hamza and become plain ی.
_YEH_HAMZA = re.compile("[\u06cc\u0649]\u0654")

# Word characters: letters and digits (not underscore), plus the combining
# marks and joiners above so that a word with diacritics stays one word.
_MARK_CLASS = (
    "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in [*_ARABIC_MARKS, (0x0300, 0x036F)])
    + "\u200c\u200d\u00ad"
)
_WORD = re.compile(f"(?:[^\\W_]|[{_MARK_CLASS}])+")

#: Spelling variant of a name part -> the one spelling indexed and searched.
_NAME_FORMS = {variant: canon for canon, forms in VARIANTS.items() for variant in forms}


def folded_from(term: str, *, prefix: bool = False) -> tuple[str, ...]:
    """Other lower-case ASCII spellings whose term is `term` (or starts with it, for a prefix).

    Lets the highlighter look for "mohammad" in raw text when the query term is "muhammad".
    """
    hits = (
        v for v, canon in _NAME_FORMS.items() if canon.startswith(term) if prefix or canon == term
    )
    return tuple(sorted(hits))


def normalize_text(text: str) -> str:
    """Fold `text` to its search form (see the module docstring for the rules)."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _YEH_HAMZA.sub("\u0626", text)
    return text.translate(_TABLE)


class Token(NamedTuple):
    """A normalised search term and where it came from in the original text."""

    term: str
    start: int  # offset of the original word in the un-normalised text
    end: int


@lru_cache(maxsize=65536)
def _word_terms(word: str) -> tuple[str, ...]:
    # Cached: word frequencies are Zipfian, so most words repeat.
    norm = normalize_text(word)
    found = (t for t in _WORD.findall(norm) if len(t) <= MAX_TOKEN_CHARS)
    return tuple(_NAME_FORMS.get(t, t) for t in found)


def tokenize(text: str) -> list[Token]:
    """Split original text into normalised terms, keeping original offsets.

    Offsets point into `text` as given, so highlighting can mark the words
    exactly as displayed (with their diacritics) while matching folded terms.
    A word that folds into several terms (e.g. the ligature ﷺ) yields several
    tokens sharing the word's offsets.
    """
    tokens: list[Token] = []
    for m in _WORD.finditer(text):
        word = m.group()
        if word.isascii():
            if len(word) <= MAX_TOKEN_CHARS:
                term = word.lower()
                tokens.append(Token(_NAME_FORMS.get(term, term), m.start(), m.end()))
            continue
        for term in _word_terms(word):
            tokens.append(Token(term, m.start(), m.end()))
    return tokens


def terms(text: str) -> list[str]:
    """The normalised terms of `text`, in order (what a query word searches for)."""
    return [t.term for t in tokenize(text)]
