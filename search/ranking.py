"""Document rankings without snippets, for fusion; snippets only for the page shown.

Fusion reads 100 (search page) to 1,000 (evaluation) documents per engine,
but shows 20. Highlighting is ~99% of the time of a deep search (measured:
80 ms per hit on a loaded 2-core machine), so each adapter ranks without
snippets (`SearchIndex.rank`) and snippets are made here, with the shared
highlighter, for the documents actually displayed.
"""

from __future__ import annotations

from search.port import Hit, Ranked
from search.query_syntax import parse_query, positive_leaves
from search.snippets import make_snippets

__all__ = ["Ranked", "to_hit"]


def to_hit(r: Ranked, score: float | None = None) -> Hit:
    """A displayable hit: the matched words of the best passage marked."""
    leaves = list(positive_leaves(parse_query(r.query)))
    return Hit(
        doc_id=r.doc_id,
        passage_id=r.passage_id,
        score=r.score if score is None else score,
        title=r.title,
        kind=r.kind,
        case_id=r.case_id,
        page=r.page,
        snippets=make_snippets([r.text], leaves, 3, 200),
    )
