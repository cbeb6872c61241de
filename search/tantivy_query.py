"""Our query AST (`search.query_syntax`) compiled to Tantivy `Query` objects.

The grammar is engine-neutral (the Elasticsearch adapter compiles the same
AST in `search.elastic_query`); this module knows the Tantivy layout
(`search.tantivy_schema`): which field a word, a prefix or a phrase reads.
**Permissions and filters are `Must` clauses inside the engine query**
(constant score 0, so they do not change ranking): invisible passages are
never matched, counted or returned.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache

import tantivy

from search.port import SECTION_SCORE, TITLE_BOOST, split_filters
from search.query_syntax import MatchAll, Node, Section, Words
from search.tantivy_schema import PAIR_FIELDS, PREFIX_CHARS, PREFIX_FIELDS, SCHEMA, pairing, pairs

__all__ = ["compile_node", "restricted", "restrictions"]

_SEARCH_FIELDS = (("body", 1.0), ("title_terms", TITLE_BOOST))


def _pair_phrase(terms_: tuple[str, ...]) -> list[str] | None:
    """The pair terms that match exactly the phrase `terms_`, or None.

    Every adjacent pair must be indexed, and so must every pair around a middle
    term (a pairing middle term guarantees that): then the pairs are consecutive
    in the pairs field exactly where the phrase occurs.
    """
    if not all(pairing(t) for t in terms_[1:-1]):
        return None
    found = pairs(list(terms_))
    return found if len(found) == len(terms_) - 1 else None


def compile_node(node: Node) -> tantivy.Query:
    """The AST as a Tantivy query over the search fields (scored: BM25, sections constant)."""
    if isinstance(node, MatchAll):
        return tantivy.Query.all_query()
    if isinstance(node, Section):
        # Scored like one rare word, so a passage about 302 PPC ranks with one quoting it.
        term = tantivy.Query.term_query(SCHEMA, "sections", node.key, index_option="basic")
        return tantivy.Query.const_score_query(term, SECTION_SCORE)
    if isinstance(node, Words):
        per_field = [
            q if boost == 1.0 else tantivy.Query.boost_query(q, boost)
            for field, boost in _SEARCH_FIELDS
            for q in [_leaf(field, node)]
        ]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in per_field])
    clauses = [(tantivy.Occur.Must, compile_node(c)) for c in node.must]
    clauses += [(tantivy.Occur.Should, compile_node(c)) for c in node.should]
    clauses += [(tantivy.Occur.MustNot, compile_node(c)) for c in node.must_not]
    if not node.must and not node.should:  # only exclusions: from everything
        clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
    return tantivy.Query.boolean_query(clauses)


def _leaf(field: str, w: Words) -> tantivy.Query:
    if len(w.terms) == 1:
        if w.prefix and len(w.terms[0]) <= PREFIX_CHARS:
            return tantivy.Query.term_query(
                SCHEMA, PREFIX_FIELDS[field], w.terms[0], index_option="freq"
            )
        if w.prefix:  # a regex has no expansion cap (a prefix query stops at 50 terms)
            return tantivy.Query.regex_query(SCHEMA, field, re.escape(w.terms[0]) + ".*")
        return tantivy.Query.term_query(SCHEMA, field, w.terms[0])
    if w.prefix:
        return tantivy.Query.phrase_prefix_query(SCHEMA, field, list(w.terms))
    pair_terms = _pair_phrase(w.terms)
    if pair_terms is not None and len(pair_terms) == 1:
        return tantivy.Query.term_query(SCHEMA, PAIR_FIELDS[field], pair_terms[0])
    if pair_terms is not None:
        # A copy typed from the call: the stub's `words` is an invariant list of str | tuple.
        return tantivy.Query.phrase_query(SCHEMA, PAIR_FIELDS[field], list(pair_terms))
    return tantivy.Query.phrase_query(SCHEMA, field, list(w.terms))


def restrictions(
    principals: Collection[str] | None,
    filters: Mapping[str, str] | None,
    schema: tantivy.Schema = SCHEMA,
) -> list[tantivy.Query]:
    """Permission and filter queries (validated: a bad filter raises before any search).

    `schema`: the passage index's, or another with the same filter fields
    (`search.tantivy_whole`)."""
    out: list[tantivy.Query] = []
    if principals is not None:
        _SCHEMAS.setdefault(id(schema), schema)  # held, so its id is never reused
        out.append(_permission_query(frozenset(principals), id(schema)))
    exact, years = split_filters(filters)
    for key, value in exact:
        field = "sections" if key == "section" else key
        out.append(tantivy.Query.term_query(schema, field, value, index_option="basic"))
    if years is not None:
        lo, hi = years
        out.append(
            tantivy.Query.range_query(schema, "year", tantivy.FieldType.Integer, lo, hi)
            if lo is None or hi is None or lo <= hi
            else tantivy.Query.empty_query()
        )
    return out


#: Schemas filters were built for, by id (the passage index's and the whole documents').
_SCHEMAS: dict[int, tantivy.Schema] = {}


@lru_cache(maxsize=512)
def _permission_query(principals: frozenset[str], schema_id: int) -> tantivy.Query:
    """Passages (or whole documents) whose ACL names any of `principals`. Cached per
    principal set and schema: a user's searches reuse it (a term set of a district user's
    cases took ~0.1 ms to build); it names terms, not postings, so new or changed
    passages are still filtered correctly. Schemas are not hashable: the key is the id of
    a schema held in `_SCHEMAS`."""
    return tantivy.Query.term_set_query(_SCHEMAS[schema_id], "acl", sorted(principals))


def restricted(node: Node, where: Sequence[tantivy.Query]) -> tantivy.Query:
    """`node` under the restrictions `where`: Must clauses with score 0, rank-neutral."""
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, compile_node(node))]
        + [(tantivy.Occur.Must, tantivy.Query.const_score_query(r, 0.0)) for r in where]
    )
