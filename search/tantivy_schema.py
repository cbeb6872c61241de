"""The Tantivy index's layout: its fields, and how a passage becomes a Tantivy document.

**Our own tokenisation.** Text is split and folded in Python by
`legaltext.search_terms.tokenize`; the folded terms, joined by spaces, go into
separate unstored search fields (`body`, `title_terms`) that Tantivy only
splits on whitespace. The original text is stored untouched for display.
Query words go through the same function (see `search.tantivy_query`), so
index and query can never disagree about Urdu/Sindhi folding, and the snippet
highlighter (also Python) marks the original words, diacritics and all.
(Measured: 35% faster to index than handing Tantivy pre-tokenised strings.)

Beside each search field are its short prefixes and its pairs of adjacent
terms (see `PREFIX_CHARS` and `pairs`), which make prefix queries and
statute references read one posting list each. Changing a field here changes
the layout: an index built with another one must be rebuilt (`mizan reindex`).
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from functools import lru_cache
from typing import Any, cast

import tantivy

from legaltext.search_terms import terms
from search.port import Passage, passage_year, sort_day

__all__ = [
    "HASHED_FACETS",
    "PAIR_FIELDS",
    "PREFIX_CHARS",
    "PREFIX_FIELDS",
    "SCHEMA",
    "TERMS_TOKENIZER",
    "fast_ints",
    "pairing",
    "pairs",
    "stored",
    "stored_text",
    "to_document",
]

# Splits on whitespace only: the text is already normalised and tokenised. It
# is not persisted by Tantivy, so every TantivyIndex registers it on open.
TERMS_TOKENIZER = "mizan_terms"

#: Facets read from hashed fast fields; "year" is a plain integer, "section" aggregated.
HASHED_FACETS = ("kind", "doc_type", "court", "district", "language")

#: Prefixes up to this many characters are indexed as terms of their own (as Elasticsearch's
#: `index_prefixes` does), so "murd*" reads one posting list instead of expanding into every
#: word that starts "murd": a 4-letter prefix matched thousands of words at a million
#: passages and made up most of the slowest 5% of queries. Longer prefixes are expanded in
#: the term dictionary, where few words share them.
PREFIX_CHARS = 5

#: Each search field's prefix field and pair field.
PREFIX_FIELDS = {"body": "body_prefixes", "title_terms": "title_prefixes"}
PAIR_FIELDS = {"body": "body_pairs", "title_terms": "title_pairs"}


def _build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for name in ("passage_id", "doc_id", "kind", "case_id", "doc_type", "language", "acl"):
        sb.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    for name in ("court", "district"):
        sb.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    # Statute keys ("302 PPC", "302(b)"); fast so the facet can aggregate them.
    sb.add_text_field("sections", tokenizer_name="raw", index_option="basic", fast=True)
    # Document-level facet values as 64-bit hashes: exact per-document facet
    # counts read them per matching passage, like doc_key (see search.tantivy_facets).
    for name in HASHED_FACETS:
        sb.add_unsigned_field(f"fk_{name}", fast=True)
    sb.add_integer_field("year", indexed=True, fast=True)
    # Days since 1970 of the date (or 1 January of the year); _NO_DAY when unknown,
    # so "newest first" puts undated documents last.
    sb.add_integer_field("sort_day", fast=True)
    # 64-bit hash of doc_id as a fast field: grouping and exact distinct-document
    # counts read it per hit without loading stored documents.
    sb.add_unsigned_field("doc_key", fast=True)
    # The search form: normalised terms joined by spaces, not stored.
    sb.add_text_field("body", tokenizer_name=TERMS_TOKENIZER, index_option="position")
    sb.add_text_field("title_terms", tokenizer_name=TERMS_TOKENIZER, index_option="position")
    # The first 1..PREFIX_CHARS characters of every term (see PREFIX_CHARS), frequencies only.
    sb.add_text_field("body_prefixes", tokenizer_name=TERMS_TOKENIZER, index_option="freq")
    sb.add_text_field("title_prefixes", tokenizer_name=TERMS_TOKENIZER, index_option="freq")
    # Adjacent term pairs that involve a short or numeric term (see pairs).
    sb.add_text_field("body_pairs", tokenizer_name=TERMS_TOKENIZER, index_option="position")
    sb.add_text_field("title_pairs", tokenizer_name=TERMS_TOKENIZER, index_option="position")
    # The original text, stored only (a bytes field is not indexed, unlike text).
    sb.add_bytes_field("text", stored=True)
    sb.add_bytes_field("title", stored=True)
    sb.add_integer_field("page", stored=True)
    sb.add_date_field("date", stored=True, indexed=True, fast=True)
    return sb.build()


SCHEMA = _build_schema()


@lru_cache(maxsize=1 << 17)  # cached: word frequencies are Zipfian (see _prefix_terms)
def pairing(term: str) -> bool:
    """Terms whose adjacent pairs are indexed: one or two characters, or with a digit."""
    return len(term) <= 2 or any(ch.isdigit() for ch in term)


@lru_cache(maxsize=1 << 17)
def _prefix_terms(term: str) -> str:
    """The term's first 1..PREFIX_CHARS characters, space-separated. Cached: building them
    for every word of every passage was a third of the indexing time."""
    return " ".join(term[:n] for n in range(1, min(len(term), PREFIX_CHARS) + 1))


def pairs(found: list[str]) -> list[str]:
    """Each adjacent pair of terms with a pairing term in it, as one term ("cr_p").

    Statute references are phrases of such terms ("13-D A.O." is "13 d" and
    "a o", "497 Cr.P.C." has "cr p c"): one-letter terms occur in nearly every
    passage, so checking their positions made references the slowest queries
    (20-30 ms at a million passages). A pair is a rare term instead (as
    Elasticsearch's `index_phrases`, for these pairs only). Terms never hold
    "_" (see legaltext.search_terms), so a pair cannot be mistaken for a word.
    """
    return [f"{a}_{b}" for a, b in itertools.pairwise(found) if pairing(a) or pairing(b)]


def _doc_key(doc_id: str) -> int:
    # Collisions need ~2**32 documents to become likely; grouping would merge two docs.
    return _hash64(doc_id)


def _hash64(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "big")


def _search_form(text: str) -> tuple[str, str, str]:
    """The text's terms, their short prefixes and their indexed pairs, for the fields."""
    found = terms(text)
    return " ".join(found), " ".join(map(_prefix_terms, found)), " ".join(pairs(found))


def to_document(p: Passage) -> tantivy.Document:
    """The passage as a Tantivy document of this layout."""
    doc = tantivy.Document()
    doc.add_text("passage_id", p.id)
    doc.add_text("doc_id", p.doc_id)
    doc.add_unsigned("doc_key", _doc_key(p.doc_id))
    doc.add_text("kind", p.kind)
    doc.add_text("language", p.language)
    if p.case_id is not None:
        doc.add_text("case_id", p.case_id)
    if p.doc_type is not None:
        doc.add_text("doc_type", p.doc_type)
    if p.court is not None:
        doc.add_text("court", p.court)
    if p.district is not None:
        doc.add_text("district", p.district)
    for key in p.sections:
        doc.add_text("sections", key)
    for name in HASHED_FACETS:
        value = getattr(p, name)
        doc.add_unsigned(f"fk_{name}", _hash64(value) if value is not None else 0)
    year = passage_year(p)
    if year is not None:
        doc.add_integer("year", year)
    doc.add_integer("sort_day", sort_day(p))
    for principal in p.acl:
        doc.add_text("acl", principal)
    for field, text in (("body", p.text), ("title_terms", p.title)):
        words, prefixes, pairs_ = _search_form(text)
        doc.add_text(field, words)
        doc.add_text(PREFIX_FIELDS[field], prefixes)
        doc.add_text(PAIR_FIELDS[field], pairs_)
    doc.add_bytes("text", p.text.encode())
    doc.add_bytes("title", p.title.encode())
    if p.page is not None:
        doc.add_integer("page", p.page)
    if p.date is not None:
        doc.add_date("date", datetime.datetime(p.date.year, p.date.month, p.date.day))
    return doc


def stored(doc: tantivy.Document, field: str) -> Any:
    """A field `to_document` stores on every passage (doc_id, passage_id, kind, text, title).

    tantivy types `get_first` Optional because a field may be absent; here its
    absence means a document of another layout, so it fails loudly.
    """
    value = doc.get_first(field)
    if value is None:
        raise KeyError(f"passage document without stored field {field!r}")
    return value


def stored_text(doc: tantivy.Document, field: str) -> str:
    """A bytes field every passage stores (`text`, `title`), decoded."""
    value: bytes = stored(doc, field)
    return value.decode()


def fast_ints(searcher: tantivy.Searcher, field: str, addrs: list[tantivy.DocAddress]) -> list[int]:
    """An unsigned fast field every passage has (`doc_key`, `fk_*`) at each of `addrs`.

    The cast is for tantivy's stub, which types `fast_field_values` for any field
    (int | float | bool | None); these fields are unsigned and always written.
    """
    return cast("list[int]", searcher.fast_field_values(field, addrs))
