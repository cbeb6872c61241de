"""Documents ranked whole, for a long description (a paragraph of facts).

The passage index scores a document by its best 200-word window, which suits
a few words typed into the search box: they should occur close together. A
pasted description of facts is another kind of query: dozens of content
words, and the judgment that matches it uses them across its whole text, not
in one window. Measured on AILA 2019 and on the Pakistani citation set
(docs/guide/search.md), ranking by the best window lost to a plain BM25 over
whole documents. So each adapter also keeps every document whole (one record
per document, in an index of its own so that BM25's document frequencies and
average length are those of whole documents), and a description is ranked
there as well as over passages (`search.hybrid.facts_ranking` fuses them).
Passages stay for snippets and the semantic side.

Both adapters build the whole record with `whole_records` from the passages
they are given (an upsert always carries all of a document's passages) and
read a description with `description_terms`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from search.passages import whole_text
from search.port import Passage, Ranked

__all__ = ["TITLED_KINDS", "description_terms", "searched_title", "whole_ranked", "whole_records"]

#: Kinds whose title says what the document is about ("Criminal breach of trust by public
#: servant"). A judgment's title names its parties, which the facts of another case never
#: share: ranked whole, its title is not searched (measured: docs/guide/search.md).
TITLED_KINDS = frozenset({"statute"})


def whole_records(passages: Sequence[Passage]) -> list[Passage]:
    """One record per document: its text rebuilt from its passages, its first passage's fields
    (the title among them); the record's id is the document's id."""
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        by_doc.setdefault(p.doc_id, []).append(p)
    return [
        replace(
            parts[0],
            id=doc_id,
            page=None,
            text=whole_text((p.page, p.text) for p in parts),
        )
        for doc_id, parts in by_doc.items()
    ]


def description_terms(words: Sequence[str]) -> dict[str, float]:
    """Each distinct content word (folded terms) of a description, weighted by how often
    the description uses it.

    BM25 sums a score per query term; a word the description repeats (the
    "cheque" of a dishonoured-cheque story) weighs that many times, as in
    BM25 with query-term frequency (Robertson & Zaragoza 2009).
    """
    return {t: float(n) for t, n in Counter(words).items()}


def whole_ranked(
    *, doc_id: str, score: float, title: str, kind: str, case_id: str | None
) -> Ranked:
    """A document ranked whole: no passage yet (`passage_id` ""), found for snippets only
    if it is shown (`search.hybrid.with_passages`)."""
    return Ranked(
        doc_id=doc_id, score=score, passage_id="", title=title, kind=kind, case_id=case_id,
        page=None, text="", query="",
    )  # fmt: skip


def searched_title(record: Passage) -> str:
    """The title words a whole-document record is searched by ("" for a judgment's)."""
    return record.title if record.kind in TITLED_KINDS else ""
