"""The Elasticsearch indexes' mappings, and a passage's stored form in them (both ways).

Text is folded by `legaltext.search_terms.terms` in Python and indexed as terms
joined by spaces in fields analysed by a `whitespace` tokenizer only, so
Elasticsearch never re-tokenises Urdu differently from the embedded index.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from search.embeddings import DIM
from search.port import Passage, passage_year, sort_day

__all__ = [
    "SOURCE",
    "TEXT_MAPPING",
    "VECTOR_MAPPING",
    "WHOLE_MAPPING",
    "Json",
    "from_source",
    "to_source",
]

Json = dict[str, Any]

#: Fields analysed by whitespace only: they hold our own folded terms.
_TERMS_ANALYZER = "mizan_terms"
_KEYWORDS = (
    "passage_id", "doc_id", "kind", "case_id", "doc_type", "language", "court", "district",
    "acl", "sections",
)  # fmt: skip
#: The stored fields a search returns (`_source`).
SOURCE = [
    "passage_id", "doc_id", "kind", "title", "text", "acl", "case_id", "doc_type", "page",
    "language", "date", "court", "district", "sections", "year",
]  # fmt: skip


def _document_mapping(extra: Json) -> Json:
    props: Json = {name: {"type": "keyword"} for name in _KEYWORDS}
    props |= {
        "year": {"type": "integer"},
        "sort_day": {"type": "integer"},
        "page": {"type": "integer", "index": False},
        "date": {"type": "date", "format": "strict_date"},
        "title": {"type": "text", "index": False},
        "text": {"type": "text", "index": False},
    }
    return {
        "settings": {
            "analysis": {
                "analyzer": {_TERMS_ANALYZER: {"type": "custom", "tokenizer": "whitespace"}}
            }
        },
        "mappings": {"dynamic": "strict", "properties": props | extra},
    }


#: Short prefixes indexed as terms, as the embedded index does (see tantivy_schema.PREFIX_CHARS):
#: a `prefix` query on the field then reads one posting list instead of expanding.
_PREFIXES = {"min_chars": 1, "max_chars": 5}
#: The passage index: search fields hold our folded terms, split on whitespace only.
TEXT_MAPPING = _document_mapping(
    {
        "body": {"type": "text", "analyzer": _TERMS_ANALYZER, "index_prefixes": _PREFIXES},
        "title_terms": {"type": "text", "analyzer": _TERMS_ANALYZER, "index_prefixes": _PREFIXES},
    }
)
#: The whole-document index (`search.whole_documents`): one record per document, its
#: words ranked as a whole (frequencies only, no prefixes: a description is plain words).
WHOLE_MAPPING = _document_mapping(
    {
        "body": {"type": "text", "analyzer": _TERMS_ANALYZER, "index_options": "freqs"},
        "title_terms": {"type": "text", "analyzer": _TERMS_ANALYZER, "index_options": "freqs"},
    }
)
#: The vector index: one normalised embedding per passage.
VECTOR_MAPPING = _document_mapping(
    {
        "vector": {
            "type": "dense_vector",
            "dims": DIM,
            "index": True,
            "similarity": "cosine",
            # Plain float HNSW on every server version (9.x would default to quantised BBQ
            # at 384 dims); the exact rescoring makes the final order independent of it.
            "index_options": {"type": "hnsw"},
        }
    }
)


def to_source(p: Passage) -> Json:
    """The stored form of a passage (shared by both indexes)."""
    return {
        "passage_id": p.id,
        "doc_id": p.doc_id,
        "kind": p.kind,
        "title": p.title,
        "text": p.text,
        "acl": list(p.acl),
        "case_id": p.case_id,
        "doc_type": p.doc_type,
        "page": p.page,
        "language": p.language,
        "date": p.date.isoformat() if p.date else None,
        "court": p.court,
        "district": p.district,
        "sections": list(p.sections),
        "year": passage_year(p),
        "sort_day": sort_day(p),
    }


def from_source(src: Mapping[str, Any]) -> Passage:
    """The passage back from its stored form."""
    return Passage(
        id=src["passage_id"],
        doc_id=src["doc_id"],
        kind=src["kind"],
        title=src["title"],
        text=src.get("text") or "",
        acl=tuple(src.get("acl") or ()),
        case_id=src.get("case_id"),
        doc_type=src.get("doc_type"),
        page=src.get("page"),
        language=src.get("language") or "en",
        date=datetime.date.fromisoformat(src["date"]) if src.get("date") else None,
        sections=tuple(src.get("sections") or ()),
        court=src.get("court"),
        district=src.get("district"),
        year=src.get("year"),
    )
