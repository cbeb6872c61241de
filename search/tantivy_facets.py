"""Facet counts of a Tantivy search, in documents (not passages), exactly.

Document-level values (kind, court, year...) are read from fast fields of one
passage per matching document; statute sections, which differ per passage,
are aggregated in the engine and the top ones counted in documents.
"""

from __future__ import annotations

from typing import cast

import tantivy

from search.port import FACET_FIELDS, FACET_VALUES, FacetValue
from search.statute_keys import is_act_key
from search.tantivy_results import Sample
from search.tantivy_schema import HASHED_FACETS, SCHEMA, fast_ints

__all__ = ["SECTION_FACET_CANDIDATES", "facet_counts", "no_facets", "sampled_facet_counts"]

#: Section facet: candidates by passage count, then counted in documents.
SECTION_FACET_CANDIDATES = 12


def no_facets() -> dict[str, tuple[FacetValue, ...]]:
    """Every facet, with no values (a search that can see nothing)."""
    return {name: () for name in FACET_FIELDS}


def facet_counts(
    searcher: tantivy.Searcher,
    q: tantivy.Query,
    addrs: list[tantivy.DocAddress],
    *,
    exact_sections: bool = True,
) -> dict[str, tuple[FacetValue, ...]]:
    """Documents per facet value among the matching passages `addrs` (exact).

    Document-level fields are the same on every passage of a document, so
    one passage per document decides its value. Sections differ per
    passage: the most frequent keys are aggregated in the engine, then
    each is counted in documents by its own restricted search.
    """
    out = no_facets()
    if not addrs:
        return out
    keys = fast_ints(searcher, "doc_key", addrs)
    first: dict[int, int] = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    reps = [addrs[i] for i in first.values()]
    for name in HASHED_FACETS:
        codes = fast_ints(searcher, f"fk_{name}", reps)
        counts: dict[int, int] = {}
        where: dict[int, tantivy.DocAddress] = {}
        for code, addr in zip(codes, reps, strict=True):
            if code:
                counts[code] = counts.get(code, 0) + 1
                where.setdefault(code, addr)
        top = sorted(counts.items(), key=lambda kv: -kv[1])[:FACET_VALUES]
        out[name] = tuple(
            FacetValue(str(searcher.doc(where[code]).get_first(name)), n) for code, n in top
        )
    years: dict[int, int] = {}
    # An integer fast field, absent (None) on passages without a year: the cast narrows
    # tantivy's stub, which types every fast field int | float | bool | None.
    for year in cast("list[int | None]", searcher.fast_field_values("year", reps)):
        if year is not None:
            years[year] = years.get(year, 0) + 1
    newest = sorted(years.items(), reverse=True)[:FACET_VALUES]
    out["year"] = tuple(FacetValue(str(y), n) for y, n in newest)
    out["section"] = _section_facet(searcher, q, exact=exact_sections)
    return out


def sampled_facet_counts(
    searcher: tantivy.Searcher, q: tantivy.Query, sample: Sample
) -> dict[str, tuple[FacetValue, ...]]:
    """Facet counts estimated from a uniform sample of the matching documents.

    The sampled documents are those with the smallest doc_keys (see
    `search.tantivy_results.Sample`): counted exactly among them, by the same
    code as every match, then scaled to the estimated total. A value too rare
    to appear in the sample is left out: the page calls these counts "about".
    """
    if sample.cutoff is None:
        return facet_counts(searcher, q, sample.addrs)
    within = tantivy.Query.range_query(
        SCHEMA, "doc_key", tantivy.FieldType.Unsigned, 0, sample.cutoff
    )
    q_sample = tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, q), (tantivy.Occur.Must, tantivy.Query.const_score_query(within, 0))]
    )
    counted = facet_counts(searcher, q_sample, sample.addrs, exact_sections=False)
    scale = sample.documents / max(1, sample.sampled)
    return {
        name: tuple(FacetValue(v.value, max(1, round(v.count * scale))) for v in values)
        for name, values in counted.items()
    }


def _section_facet(
    searcher: tantivy.Searcher, q: tantivy.Query, *, exact: bool = True
) -> tuple[FacetValue, ...]:
    """The statute sections of the matching passages, counted in documents.

    Candidate keys by passage count in one aggregation. `exact`: each then
    counted in documents by its own restricted search (12 more passes over the
    matches: 14-28 ms of a 200,000-passage search page); else with the
    engine's distinct count of doc_key in the same aggregation (HyperLogLog,
    1-3% off measured: for a sample's counts, which are estimates anyway).
    """
    terms: dict[str, object] = {"field": "sections", "size": SECTION_FACET_CANDIDATES * 4}
    agg: dict[str, object] = {"terms": terms}
    if not exact:
        agg["aggs"] = {"docs": {"cardinality": {"field": "doc_key"}}}
    buckets = searcher.aggregate(q, {"s": agg})["s"]["buckets"]
    # A bucket's doc_count is its number of matching passages: exactly the hits to read.
    candidates = [b for b in buckets if is_act_key(b["key"])][:SECTION_FACET_CANDIDATES]
    if not exact:
        counted = [
            FacetValue(b["key"], min(round(b["docs"]["value"]), b["doc_count"])) for b in candidates
        ]
    else:
        unscored = tantivy.Query.const_score_query(q, 0.0)  # no BM25: only membership counts
        counted = []
        for b in candidates:
            only = tantivy.Query.term_query(SCHEMA, "sections", b["key"], index_option="basic")
            sub = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, unscored), (tantivy.Occur.Must, only)]
            )
            hits = searcher.search(sub, limit=b["doc_count"], count=False).hits
            docs = set(searcher.fast_field_values("doc_key", [a for _, a in hits]))
            counted.append(FacetValue(b["key"], len(docs)))
    counted.sort(key=lambda f: -f.count)
    return tuple(f for f in counted if f.count)[:FACET_VALUES]
