"""Judgments reached through the statutes a description concerns (search.statute_bridge)."""

from __future__ import annotations

import pytest

from mizan.kernel import Kernel
from search import hybrid
from search.backends import embedder, search_index, vector_index
from search.indexing import write_passages
from search.port import Passage
from search.statute_bridge import BRIDGE_STATUTES, bridged_ranking, matched_passage

# The story of a case: no word of the law it raises (breach of trust by a public servant).
FACTS = (
    "The accused worked as a clerk in the municipal committee office for many years. Every "
    "month the shopkeepers of the bazaar paid their rent at his counter and he gave them "
    "receipts from a book he kept in his drawer. When the audit came, the receipt book was "
    "missing and the rent of eleven months was not in the committee's account. The "
    "shopkeepers showed their receipts. He said the money had been sent to the bank by "
    "another clerk, who denied it."
)


def entry(doc_id: str, kind: str, text: str) -> Passage:
    return Passage(id=f"{doc_id}:1:0", doc_id=doc_id, kind=kind, title=doc_id, text=text,
                   acl=("public",))  # fmt: skip


@pytest.fixture
def library(kernel: Kernel) -> Kernel:
    passages = [
        entry("statute:409", "statute",
              "Criminal breach of trust by public servant: whoever, being a public servant "
              "or a clerk, is entrusted with property or money paid to his office and "
              "dishonestly misappropriates it shall be punished."),
        entry("statute:379", "statute", "Theft: whoever takes a movable thing out of the "
              "possession of anyone without consent commits theft."),
        # the point of the description, told with another story and none of its words
        entry("judgment:point", "judgment",
              "The appellant, a public servant, was convicted of criminal breach of trust: "
              "property entrusted to him was dishonestly misappropriated."),
        # the story's words, not its point
        entry("judgment:story", "judgment",
              "A clerk of the municipal committee was transferred to another office; his "
              "service appeal is dismissed."),
        entry("judgment:other", "judgment",
              "A dispute about the lease of agricultural land between brothers."),
    ]  # fmt: skip
    write_passages(
        search_index(kernel), vector_index(kernel), embedder(kernel), passages, 0
    )  # keyword only
    return kernel


def ranked(kernel: Kernel, kind: str, query: str = FACTS) -> list[hybrid.Candidate]:
    q = hybrid.HybridQuery(query, mode="keyword", principals=None, filters={"kind": kind}, limit=10)
    return hybrid.ranked_documents(search_index(kernel), vector_index(kernel), embedder(kernel), q)[
        1
    ]


def bridged(kernel: Kernel, statutes: list[hybrid.Candidate]) -> list[hybrid.Candidate]:
    judgments = hybrid.HybridQuery(
        FACTS, mode="keyword", principals=None, filters={"kind": "judgment"}, limit=10
    )
    return bridged_ranking(
        search_index(kernel), vector_index(kernel), embedder(kernel), judgments, statutes
    )[1]


def test_the_statutes_legal_vocabulary_reaches_a_judgment_on_the_same_point(
    library: Kernel,
) -> None:
    statutes = ranked(library, "statute")
    assert statutes[0].doc_id == "statute:409"
    plain = [c.doc_id for c in ranked(library, "judgment")]
    assert "judgment:point" not in plain  # it shares no word with the description
    found = bridged(library, statutes)
    ids = [c.doc_id for c in found]
    assert "judgment:point" in ids and "judgment:story" in ids
    assert "judgment:other" not in ids  # neither the story nor the law
    assert all(c.doc_id.startswith("judgment:") for c in found)  # the filter holds
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    point = next(c for c in found if c.doc_id == "judgment:point")
    assert point.keyword is not None and "misappropriates" in point.keyword.query
    assert "<mark>" in point.hit().snippets[0]  # the statute's words, marked: why it is there


def test_a_judgment_found_directly_keeps_the_descriptions_match(library: Kernel) -> None:
    story = next(c for c in bridged(library, ranked(library, "statute")) if c.doc_id.endswith("y"))
    assert story.doc_id == "judgment:story"
    assert story.keyword is not None and "shopkeepers" in story.keyword.query


def test_without_statutes_it_is_the_plain_ranking(library: Kernel) -> None:
    plain = ranked(library, "judgment")
    assert [(c.doc_id, c.score) for c in bridged(library, [])] == [
        (c.doc_id, c.score) for c in plain
    ]


def test_only_the_top_statutes_are_followed(library: Kernel) -> None:
    (theft,) = ranked(library, "statute", "theft")
    breach = ranked(library, "statute")
    assert "judgment:point" in [c.doc_id for c in bridged(library, [theft, *breach])]
    beyond = [theft] * BRIDGE_STATUTES + breach  # breach of trust below the top statutes
    assert "judgment:point" not in [c.doc_id for c in bridged(library, beyond)]


def test_the_matched_passage_is_the_keyword_match_else_the_nearest(library: Kernel) -> None:
    statute = ranked(library, "statute")[0]
    assert matched_passage(statute).startswith("Criminal breach of trust")
    assert matched_passage(hybrid.Candidate("x", 1.0, None, None)) == ""


def test_a_statute_passage_with_nothing_to_search_for_is_skipped(library: Kernel) -> None:
    statutes = ranked(library, "statute")
    blank = hybrid.Candidate("statute:blank", 1.0, None, None)  # no passage at all
    assert matched_passage(blank) == ""
    ids = [c.doc_id for c in bridged(library, [blank, *statutes])]
    assert "judgment:point" in ids
