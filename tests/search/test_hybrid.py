"""Keyword, semantic and hybrid search through the product's code, with the real model."""

from __future__ import annotations

import pytest

from mizan.actor import SYSTEM
from mizan.kernel import Kernel
from search import hybrid
from search.backends import embedder, search_index, vector_index
from search.hybrid import HybridQuery, ModeError, facts_parts, fuse, is_facts_query
from search.indexing import upsert_indexed
from search.port import FACET_FIELDS, Passage
from search.service import search_documents
from search.whole_documents import description_terms


def test_reciprocal_rank_fusion_hand_computed() -> None:
    fused = fuse([["a", "b", "c"], ["c", "a"]], k=60)
    scores = dict(fused)
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert scores["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert scores["b"] == pytest.approx(1 / 62)
    assert [d for d, _ in fused] == ["a", "c", "b"]
    assert [d for d, _ in fuse([["y"], ["x"]])] == ["x", "y"]  # ties by id
    weighted = dict(fuse([["a", "b"], ["b"]], k=60, weights=[0.5, 2.0]))
    assert weighted["a"] == pytest.approx(0.5 / 61)
    assert weighted["b"] == pytest.approx(0.5 / 62 + 2.0 / 61)


def test_a_long_description_becomes_keyword_parts() -> None:
    text = "The accused, on the night of 5 May, stabbed the deceased with a knife " * 10
    assert is_facts_query(text) and not is_facts_query("murder AND bail")
    parts = facts_parts(text, part_words=8)
    words = " ".join(parts).split()
    assert "the" not in words and "on" not in words and "a" not in words
    assert {"accused", "night", "5", "stabbed", "deceased", "knife"} <= set(words)
    assert all(len(p.split()) <= 8 for p in parts)


def test_a_long_description_fuses_best_parts_with_whole_documents(kernel: Kernel) -> None:
    """Passages by the description's best part, documents by all its words, fused (RRF)."""
    trap = "vigilance trap marked currency notes bribe recovered briefcase " * 5
    remarks = "appellate judge disparaging remarks expunction resignation minister " * 5
    facts = f"{trap} {remarks}"  # 80 words: a description, searched in two parts
    upsert_indexed(
        kernel,
        [
            judgment("both", "A bribe in marked currency notes; the judge's disparaging remarks."),
            judgment("remarks", "Disparaging remarks by an appellate judge: expunction ordered."),
            judgment("other", "A dispute about a lease of agricultural land."),
        ],
    )
    parts = facts_parts(facts)
    assert len(parts) == 2 and is_facts_query(facts)
    index = search_index(kernel)
    per_part = [
        dict((r.doc_id, r.score) for r in index.rank(part, principals=None, filters=None,
                                                     depth=10)[1])
        for part in parts
    ]  # fmt: skip
    by_part = sorted({d for p in per_part for d in p}, key=lambda d: -max(
        p.get(d, 0.0) for p in per_part))  # fmt: skip
    words = hybrid.facts_words(facts)
    whole = [r.doc_id for r in index.rank_whole(
        description_terms(words), principals=None, filters=None, depth=10)]  # fmt: skip
    total, ranked = hybrid.keyword_ranking(
        index, HybridQuery(facts, principals=None, filters=None, limit=10)
    )
    assert total == 2 and {r.doc_id for r in ranked} == {"both", "remarks"}
    expected = fuse([by_part, whole])
    assert [(r.doc_id, r.score) for r in ranked] == [
        (d, pytest.approx(s)) for d, s in expected
    ]  # fmt: skip
    assert all(r.passage_id for r in ranked)  # each with the passage that matched


def test_unknown_mode_is_refused(kernel: Kernel) -> None:
    with pytest.raises(ModeError, match="keyword, semantic or hybrid"):
        search_documents(kernel, SYSTEM, "murder", mode="fuzzy")


def judgment(doc_id: str, text: str, **kw: object) -> Passage:
    fields: dict[str, object] = {"kind": "judgment", "title": doc_id, "acl": ("public",)}
    fields.update(kw)
    return Passage(id=f"{doc_id}:1:0", doc_id=doc_id, text=text, **fields)


@pytest.fixture
def library(kernel: Kernel) -> Kernel:
    upsert_indexed(
        kernel,
        [
            judgment("murder", "The accused stabbed the deceased with a knife near the bus stop; "
                     "the conviction under section 302 PPC is upheld."),
            judgment("cheque", "The cheque was dishonoured for insufficient funds; the "
                     "complainant bank sought recovery under section 489-F."),
            judgment("theft", "Bail is granted: the evidence that he stole the motorcycle "
                     "from the market is weak."),
            judgment("fir", "The complainant states that his brother was killed with a "
                     "dagger outside their house.", kind="document", case_id="c1",
                     acl=("case:c1",)),
        ],
    )  # fmt: skip
    return kernel


def run(kernel: Kernel, query: str, mode: str, principals=frozenset({"public"}), **kw):
    return hybrid.search(
        search_index(kernel), vector_index(kernel), embedder(kernel),
        HybridQuery(query, mode=mode, principals=principals, **kw),
    )  # fmt: skip


def ids(result) -> list[str]:
    return [h.doc_id for h in result.hits]


@pytest.mark.slow
def test_each_mode(library: Kernel) -> None:
    # keyword: exact words only
    assert ids(run(library, "blade", "keyword")) == []
    assert ids(run(library, "knife", "keyword")) == ["murder"]
    # semantic: the meaning, without a shared word; the best passage is the snippet
    semantic = run(library, "a man killed with a blade", "semantic")
    assert ids(semantic)[0] == "murder"
    assert "stabbed the deceased" in semantic.hits[0].snippets[0]
    # only documents close in meaning count: not every visible judgment (the FIR is invisible)
    assert semantic.total == len(semantic.hits) == 1
    # hybrid (the default): keyword matches first when both agree; semantic fills in
    fused = run(library, "knife attack", "hybrid")
    assert ids(fused)[0] == "murder"
    assert "<mark>knife</mark>" in fused.hits[0].snippets[0]  # keyword highlighting kept
    assert ids(fused) == ["murder"] and fused.total == 1  # the cheque is not about knives


@pytest.mark.slow
def test_semantic_snippets_are_escaped(kernel: Kernel) -> None:
    upsert_indexed(kernel, [judgment("x", "Fraud <script>alert(1)</script> & forgery")])
    hit = run(kernel, "forgery", "semantic").hits[0]
    assert "<script>" not in hit.snippets[0] and "&lt;script&gt;" in hit.snippets[0]


@pytest.mark.slow
def test_permissions_apply_in_every_mode(library: Kernel) -> None:
    for mode in hybrid.MODES:
        assert "fir" not in ids(run(library, "brother killed with a dagger", mode)), mode
        own = run(library, "brother killed with a dagger", mode, principals={"case:c1"})
        assert ids(own) == ["fir"] and own.total == 1, mode
        assert run(library, "dagger", mode, principals=set()).total == 0, mode


@pytest.mark.slow
def test_filters_apply_in_every_mode(library: Kernel) -> None:
    for mode in hybrid.MODES:
        result = run(library, "killed", mode, principals=None, filters={"kind": "document"})
        assert ids(result) == ["fir"], mode


@pytest.mark.slow
def test_a_pasted_description_works_in_every_mode(library: Kernel) -> None:
    facts = (
        "On the evening in question the deceased was waiting near the bus stop when the "
        "accused came up to him, quarrelled over an old debt and then stabbed him twice "
        "with a knife. He died on the way to the hospital. The trial court convicted the "
        "accused of murder and the appeal raises the question whether the eye witnesses, "
        "who were relatives of the deceased, could be believed without corroboration."
    )
    assert is_facts_query(facts)
    for mode in hybrid.MODES:
        assert ids(run(library, facts, mode))[0] == "murder", mode


@pytest.mark.slow
def test_service_passes_the_mode(library: Kernel) -> None:
    assert ids(search_documents(library, SYSTEM, "blade", mode="keyword")) == []
    # no shared word, only the meaning ("blade" alone is too far from any passage to count)
    assert ids(search_documents(library, SYSTEM, "blade", mode="semantic")) == []
    assert ids(search_documents(library, SYSTEM, "killing of a person", mode="semantic"))[0] == (
        "murder"
    )
    assert "murder" in ids(search_documents(library, SYSTEM, "killing of a person"))  # hybrid
    blank = search_documents(library, SYSTEM, "", mode="semantic")
    assert blank.total == 4  # a blank query lists everything visible, in every mode


def test_ranking_without_snippets_matches_the_keyword_engine(text_index) -> None:
    """On every backend (`text_index`): rank() agrees with search() without making snippets."""
    from search.ranking import to_hit

    index = text_index
    index.upsert(
        [
            judgment(f"d{i}", f"murder case {i} " + "bail " * (i % 4) + "knife " * (i % 3))
            for i in range(40)
        ]
        + [judgment("secret", "murder bail knife", acl=("case:9",), kind="document")]
    )
    for query, principals, filters in [
        ("murder", {"public"}, None),
        ("bail knife", None, None),
        ("knife", None, {"kind": "document"}),
        ("bail", set(), None),
    ]:
        expected = index.search(query, principals=principals, filters=filters, limit=25)
        total, ranked = index.rank(query, principals=principals, filters=filters, depth=25)
        assert total == expected.total
        assert [(r.doc_id, round(r.score, 5)) for r in ranked] == [
            (h.doc_id, round(h.score, 5)) for h in expected.hits
        ]
    _, ranked = index.rank("knife", principals=None, filters=None, depth=1)
    assert "<mark>knife</mark>" in to_hit(ranked[0]).snippets[0]


@pytest.mark.slow
def test_rankings_never_exceed_the_depth(library: Kernel) -> None:
    facts = "knife cheque motorcycle bail murder dishonoured market stabbed " * 12
    for mode in hybrid.MODES:
        _, ranked = hybrid.ranked_documents(
            search_index(library), vector_index(library), embedder(library),
            HybridQuery(facts, mode=mode, principals=None, limit=2),
        )  # fmt: skip
        assert len(ranked) == 2, mode


def facet_sums(result) -> dict[str, int]:
    return {name: sum(f.count for f in result.facets.get(name, ())) for name in ("kind",)}


@pytest.mark.slow
def test_counts_mean_matches_in_every_mode(library: Kernel) -> None:
    """A count is of the documents listed, and facets count those same documents."""
    upsert_indexed(
        library,
        [judgment("weather", "Rain is expected over the coast with strong winds tomorrow.")],
    )
    for mode in hybrid.MODES:
        result = run(library, "stabbed knife", mode, principals=None, facets=True)
        assert "weather" not in ids(result), mode  # nothing about the weather is a match
        assert result.total == len(result.hits), mode  # one page holds every match here
        assert set(result.facets) == set(FACET_FIELDS), mode
        assert facet_sums(result)["kind"] == result.total, mode
    semantic = run(library, "a man killed with a blade", "semantic", principals=None)
    hybrid_ = run(library, "a man killed with a blade", "hybrid", principals=None, facets=True)
    assert set(ids(semantic)) <= set(ids(hybrid_))  # no shared word: meaning alone finds them
    assert hybrid_.total == len(hybrid_.hits) == facet_sums(hybrid_)["kind"]
    assert run(library, "cloudy skies and rain at sea", "semantic").total == 1  # the weather


def test_merging_facets_adds_counts_in_the_engine_order() -> None:
    from search.port import FacetValue as F

    merged = hybrid.merge_facets(
        {"kind": (F("judgment", 2), F("case", 1)), "year": (F("2019", 1),)},
        {"kind": (F("case", 3),), "year": (F("2021", 1), F("2019", 1))},
    )
    assert merged["kind"] == (F("case", 4), F("judgment", 2))
    assert merged["year"] == (F("2021", 1), F("2019", 2))  # newest first
    assert merged["court"] == ()


@pytest.mark.slow
def test_pages_never_overlap_and_a_deep_keyword_match_counts_once(kernel: Kernel) -> None:
    """Beyond the fused depth (100) keyword matches follow in keyword order; a semantic match
    that is also a keyword match ranked below that depth is found out and counted once."""
    # long (low BM25 for its one "murder") but all about a killing (close in meaning)
    killing = "The accused stabbed the deceased with a knife and killed him. " * 12
    deep = judgment("deep", f"A case of murder. {killing}")
    upsert_indexed(
        kernel,
        [judgment(f"m{i:03d}", f"Stamp duty notice {i} on land revenue; murder index.")
         for i in range(130)] + [deep],
    )  # fmt: skip
    keyword = run(kernel, "murder", "keyword", principals=None, limit=200)
    assert keyword.total == 131 and [h.doc_id for h in keyword.hits].index("deep") >= 100
    found = hybrid.matching_documents(
        search_index(kernel), vector_index(kernel), embedder(kernel),
        HybridQuery("murder", mode="hybrid", principals=None, filters=None, limit=20),
    )  # fmt: skip
    assert "deep" in [c.doc_id for c in found.candidates[:100]]  # close in meaning: fused
    assert "deep" not in found.semantic_only  # but a keyword match: not counted again
    pages = [run(kernel, "murder", "hybrid", principals=None, offset=o) for o in range(0, 140, 20)]
    assert {p.total for p in pages} == {131}
    listed = [h.doc_id for p in pages for h in p.hits]
    assert len(listed) == len(set(listed)) == 131
