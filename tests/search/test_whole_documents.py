"""Documents ranked whole for a long description, beside their passages (issue 17)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from search import hybrid
from search.hybrid import HybridQuery, with_passages
from search.passages import whole_text, windows
from search.port import Passage, SearchIndex
from search.tantivy_index import TantivyIndex, discard_stale_layout
from search.whole_documents import description_terms, whole_records


def passages(doc_id: str, text: str, acl: tuple[str, ...] = ("public",)) -> list[Passage]:
    return [
        Passage(f"{doc_id}:1:{n}", doc_id, "judgment", f"Title {doc_id}", chunk, acl, page=1)
        for n, chunk in enumerate(windows(text))
    ]


def filler(n: int) -> str:
    return " ".join(f"filler{i}" for i in range(n))


@pytest.mark.parametrize("words", [1, 120, 200, 201, 777])
def test_whole_text_undoes_the_windows(words: int) -> None:
    text = " ".join(f"w{i}" for i in range(words))
    assert whole_text((1, w) for w in windows(text)) == text


def test_whole_text_keeps_passages_that_do_not_overlap() -> None:
    assert whole_text([(None, "first passage"), (None, "second")]) == "first passage second"


def test_one_record_per_document_with_its_whole_text() -> None:
    text = f"cheque dishonoured {filler(400)} bank recovery"
    records = whole_records(passages("j1", text) + passages("j2", "short one"))
    assert [(r.id, r.doc_id, r.title) for r in records] == [
        ("j1", "j1", "Title j1"), ("j2", "j2", "Title j2"),
    ]  # fmt: skip
    assert records[0].text == text and records[0].acl == ("public",)


def test_repeated_words_weigh_more() -> None:
    assert description_terms(["cheque", "bank", "cheque"]) == {"cheque": 2.0, "bank": 1.0}


def test_rank_whole_scores_words_spread_over_the_whole_document(text_index: SearchIndex) -> None:
    # "spread" has the description's words 300 words apart: no single passage holds them
    # all; "one" has half of them in one passage.
    spread = f"cheque {filler(300)} dishonoured {filler(300)} bank {filler(300)} recovery"
    text_index.upsert(passages("spread", spread))
    text_index.upsert(passages("one", f"cheque dishonoured {filler(40)}"))
    text_index.upsert(passages("secret", "cheque dishonoured bank recovery", ("case:9",)))
    weights = description_terms(["cheque", "dishonoured", "bank", "recovery"])
    ranked = text_index.rank_whole(weights, principals={"public"}, filters=None, depth=10)
    assert [r.doc_id for r in ranked] == ["spread", "one"]  # "secret" is not visible
    assert ranked[0].passage_id == "" and ranked[0].title == "Title spread"
    everyone = text_index.rank_whole(weights, principals=None, filters=None, depth=10)
    assert everyone[0].doc_id == "secret"
    assert text_index.rank_whole(weights, principals=set(), filters=None, depth=10) == []
    only = text_index.rank_whole(weights, principals=None, filters={"doc_id": "one"}, depth=10)
    assert [r.doc_id for r in only] == ["one"]
    text_index.delete_documents(["spread"])
    assert "spread" not in {r.doc_id for r in text_index.rank_whole(
        weights, principals=None, filters=None, depth=10)}  # fmt: skip
    text_index.upsert(passages("one", "nothing of the sort"))  # replaced, not added
    left = text_index.rank_whole(weights, principals=None, filters=None, depth=10)
    assert [r.doc_id for r in left] == ["secret"]


def test_a_description_ranks_documents_whole_and_by_passages(text_index: SearchIndex) -> None:
    spread = f"cheque {filler(300)} dishonoured {filler(300)} bank {filler(300)} recovery"
    text_index.upsert(passages("spread", spread))
    text_index.upsert(passages("lease", "a lease of agricultural land " * 3))
    facts = "The cheque was dishonoured and the bank sued for recovery of the money. " * 8
    q = HybridQuery(facts, mode="keyword", principals={"public"}, limit=10)
    total, ranked = hybrid.keyword_ranking(text_index, q)
    assert total == 1 and ranked[0].doc_id == "spread"
    assert ranked[0].passage_id  # the passage that matched a part: its snippet
    whole_only = hybrid.Candidate("spread", 1.0, text_index.rank_whole(
        {"cheque": 1.0}, principals=None, filters=None, depth=1)[0], None)  # fmt: skip
    shown = with_passages(text_index, q, [whole_only])[0]
    assert shown.keyword is not None and shown.keyword.passage_id.startswith("spread:1:")
    assert whole_only.keyword is not None and shown.keyword.score == whole_only.keyword.score
    assert "<mark>" in " ".join(shown.hit().snippets)  # a word of the description marked


def test_an_older_index_without_the_whole_documents_is_discarded_for_a_rebuild(
    tmp_path: Path,
) -> None:
    index = TantivyIndex(tmp_path / "idx")
    index.upsert(passages("j1", "cheque"))
    assert not discard_stale_layout(tmp_path / "idx")  # current layout: kept
    assert (tmp_path / "idx" / "documents" / "meta.json").exists()

    shutil.rmtree(tmp_path / "idx" / "documents")  # as an index made before this version
    assert discard_stale_layout(tmp_path / "idx")  # so `mizan init` rebuilds it
    rebuilt = TantivyIndex(tmp_path / "idx")
    assert rebuilt.count() == 0
    rebuilt.upsert(passages("j1", "cheque"))
    assert rebuilt.rank_whole({"cheque": 1.0}, principals=None, filters=None, depth=5)
