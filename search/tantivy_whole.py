"""The embedded index of whole documents (`search.whole_documents`): layout and ranking.

A Tantivy index of its own in `<index>/documents`, one record per document:
its folded terms (frequencies only: a description is ranked by its words, no
phrases) and the fields that permissions and filters read, named as in the
passage index so `search.tantivy_query.restrictions` compiles them alike.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import tantivy

from legaltext.search_terms import terms
from search.port import TITLE_BOOST, Passage, Ranked, passage_year
from search.tantivy_query import restrictions
from search.tantivy_schema import stored, stored_text
from search.whole_documents import searched_title, whole_ranked

__all__ = ["WHOLE_SCHEMA", "rank_whole", "to_whole_document"]


def _build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for name in ("doc_id", "kind", "case_id"):  # stored: a ranking names them
        sb.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    for name in ("doc_type", "language", "acl", "court", "district"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    sb.add_bytes_field("title", stored=True)
    sb.add_text_field("sections", tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("year", indexed=True, fast=True)
    # Registered by TantivyIndex on open, as for the passage index.
    sb.add_text_field("body", tokenizer_name="mizan_terms", index_option="freq")
    sb.add_text_field("title_terms", tokenizer_name="mizan_terms", index_option="freq")
    return sb.build()


WHOLE_SCHEMA = _build_schema()


def to_whole_document(p: Passage) -> tantivy.Document:
    """A whole-document record (`search.whole_documents.whole_records`) in this layout."""
    doc = tantivy.Document()
    doc.add_text("doc_id", p.doc_id)
    doc.add_text("kind", p.kind)
    doc.add_text("language", p.language)
    for name in ("case_id", "doc_type", "court", "district"):
        value = getattr(p, name)
        if value is not None:
            doc.add_text(name, value)
    for key in p.sections:
        doc.add_text("sections", key)
    for principal in p.acl:
        doc.add_text("acl", principal)
    year = passage_year(p)
    if year is not None:
        doc.add_integer("year", year)
    doc.add_text("body", " ".join(terms(p.text)))
    doc.add_text("title_terms", " ".join(terms(searched_title(p))))
    doc.add_bytes("title", p.title.encode())
    return doc


def rank_whole(
    searcher: tantivy.Searcher,
    weighted_terms: Mapping[str, float],
    *,
    principals: Collection[str] | None,
    filters: Mapping[str, str] | None,
    depth: int,
) -> list[Ranked]:
    """The top `depth` documents by BM25 of the weighted terms (see `SearchIndex.rank_whole`)."""
    where = restrictions(principals, filters, WHOLE_SCHEMA)
    if (principals is not None and not principals) or not weighted_terms or depth <= 0:
        return []
    words = [  # each word in the text, and in the title as the passage index weighs it
        (tantivy.Occur.Should, tantivy.Query.boost_query(
            tantivy.Query.term_query(WHOLE_SCHEMA, field, term), weight * boost
        ))
        for term, weight in sorted(weighted_terms.items())
        for field, boost in (("body", 1.0), ("title_terms", TITLE_BOOST))
    ]  # fmt: skip
    query = tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, tantivy.Query.boolean_query(words))]
        + [(tantivy.Occur.Must, tantivy.Query.const_score_query(r, 0.0)) for r in where]
    )
    found = searcher.search(query, limit=depth).hits
    return [_ranked(searcher.doc(addr), float(score)) for score, addr in found]


def _ranked(doc: tantivy.Document, score: float) -> Ranked:
    return whole_ranked(
        doc_id=stored(doc, "doc_id"),
        score=score,
        title=stored_text(doc, "title"),
        kind=stored(doc, "kind"),
        case_id=doc.get_first("case_id"),
    )
