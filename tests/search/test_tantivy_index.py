"""The SearchIndex contract, run on every backend (`text_index`: Tantivy, Elasticsearch).

The Tantivy-only behaviour (files on disk, the writer lock) is tested at the end.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import tantivy

from search.port import FacetValue, Passage, QueryError, SearchIndex, SearchUnavailableError
from search.tantivy_index import TantivyIndex


def passage(doc_id: str, n: int, text: str, **kw: object) -> Passage:
    fields: dict[str, object] = {
        "kind": "document",
        "title": f"Title {doc_id}",
        "acl": ("public",),
    }
    fields.update(kw)
    return Passage(id=f"{doc_id}:{n}", doc_id=doc_id, text=text, **fields)


def ids(result: object) -> list[str]:
    return [h.doc_id for h in result.hits]


@pytest.fixture
def index(text_index: SearchIndex) -> SearchIndex:
    return text_index


@pytest.fixture
def corpus(index: SearchIndex) -> SearchIndex:
    index.upsert(
        [
            passage("fir-1", 0, "FIR 12/2011 lodged at PS Civil Lines Karachi, section 302 PPC.",
                    case_id="c1", acl=("case:c1",), doc_type="fir"),
            passage("fir-1", 1, "The accused Muhammad Ali fled towards the river with a pistol.",
                    case_id="c1", acl=("case:c1",), doc_type="fir", page=2),
            passage("judg-1", 0, "Bail granted. The murder case against the accused is weak.",
                    kind="judgment", acl=("public",), date=datetime.date(2011, 4, 18)),
            passage("judg-2", 0, "Appeal against acquittal in a theft case from Hyderabad.",
                    kind="judgment", acl=("public",)),
            passage("memo-9", 0, "Confidential memo about the murder case in district Sukkur.",
                    case_id="c9", acl=("case:c9", "district:skr")),
        ]
    )  # fmt: skip
    return index


def test_is_a_search_index(index: SearchIndex) -> None:
    assert isinstance(index, SearchIndex)
    assert index.count() == 0
    ok, detail = index.ping()
    assert ok and "passages" in detail


def test_search_groups_passages_per_document(corpus: SearchIndex) -> None:
    assert corpus.count() == 5
    res = corpus.search("accused", principals=None)
    assert res.total == 2
    assert sorted(ids(res)) == ["fir-1", "judg-1"]
    fir = next(h for h in res.hits if h.doc_id == "fir-1")
    assert (fir.passage_id, fir.page, fir.case_id, fir.kind) == ("fir-1:1", 2, "c1", "document")
    assert fir.title == "Title fir-1"
    # words from two passages of one document: one hit, snippets from both passages
    res = corpus.search("karachi pistol", principals=None)
    assert res.total == 1 and len(res.hits) == 1
    assert len(res.hits[0].snippets) == 2
    assert all("<mark>" in s for s in res.hits[0].snippets)


def test_ranking_prefers_more_query_words(corpus: SearchIndex) -> None:
    res = corpus.search("murder weak bail", principals=None)
    assert ids(res)[0] == "judg-1"
    assert res.hits[0].score > res.hits[-1].score


def test_upsert_replaces_all_passages_of_a_document(corpus: SearchIndex) -> None:
    corpus.upsert([passage("fir-1", 0, "Corrected FIR text about a stolen motorcycle.",
                           case_id="c1", acl=("case:c1",))])  # fmt: skip
    assert corpus.count() == 4  # fir-1 had two passages, now one
    assert corpus.search("pistol", principals=None).total == 0
    assert ids(corpus.search("motorcycle", principals=None)) == ["fir-1"]


def test_delete_documents(corpus: SearchIndex) -> None:
    corpus.delete_documents(["fir-1", "no-such-doc"])
    assert corpus.count() == 3
    assert corpus.search("karachi", principals=None).total == 0
    corpus.delete_documents([])
    corpus.clear()
    assert corpus.count() == 0


def test_permissions_filter_inside_the_query(corpus: SearchIndex) -> None:
    # "murder" is in judg-1 (public) and memo-9 (case c9 / district skr only)
    assert corpus.search("murder", principals=None).total == 2
    public = corpus.search("murder", principals={"public"})
    assert (public.total, ids(public)) == (1, ["judg-1"])
    district = corpus.search("murder", principals={"public", "district:skr"})
    assert district.total == 2
    assert corpus.search("karachi", principals={"public", "case:c9"}).total == 0
    assert corpus.search("karachi", principals=["case:c1"]).total == 1


def test_empty_principals_see_nothing(corpus: SearchIndex) -> None:
    assert corpus.search("murder", principals=set()) == corpus.search("zzz", principals=None)
    assert corpus.search("", principals=()).total == 0


def test_total_excludes_invisible_documents_beyond_the_page(index: SearchIndex) -> None:
    visible = [passage(f"v{i}", j, f"robbery report {i} part {j}") for i in range(30)
               for j in range(3)]  # fmt: skip
    hidden = [passage(f"h{i}", 0, "robbery robbery robbery", acl=("case:secret",))
              for i in range(40)]  # fmt: skip
    index.upsert(visible + hidden)
    res = index.search("robbery", principals={"public"}, limit=5)
    assert res.total == 30  # counted exactly, although only 5 docs were fetched
    assert len(res.hits) == 5 and all(h.doc_id.startswith("v") for h in res.hits)
    assert len(set(ids(res))) == 5
    pages = [ids(index.search("robbery", principals={"public"}, limit=7, offset=o))
             for o in range(0, 35, 7)]  # fmt: skip
    flat = [d for page in pages for d in page]
    assert len(flat) == 30 and len(set(flat)) == 30
    assert index.search("robbery", principals=None, limit=0).total == 70


def test_filters(corpus: SearchIndex) -> None:
    judgments = corpus.search("case", principals=None, filters={"kind": "judgment"})
    assert sorted(ids(judgments)) == ["judg-1", "judg-2"]
    assert corpus.search("", principals=None, filters={"case_id": "c1"}).total == 1
    assert corpus.search("", principals=None, filters={"doc_type": "fir"}).total == 1
    assert corpus.search("", principals=None, filters={"language": "ur"}).total == 0
    with pytest.raises(ValueError, match="unknown search filter"):
        corpus.search("x", principals=None, filters={"acl": "public"})


def test_phrase_boolean_and_prefix_queries(corpus: SearchIndex) -> None:
    def found(q: str) -> list[str]:
        return sorted(ids(corpus.search(q, principals=None)))

    assert found('"murder case"') == ["judg-1", "memo-9"]
    assert found('"case murder"') == []
    assert found("murder AND bail") == ["judg-1"]
    assert found("murder AND NOT bail") == ["memo-9"]
    assert found("murder -bail") == ["memo-9"]
    assert found("+murder bail") == ["judg-1", "memo-9"]
    assert found("hyderabad OR sukkur") == ["judg-2", "memo-9"]
    assert found("(hyderabad OR sukkur) AND theft") == ["judg-2"]
    assert found("NOT case") == ["fir-1"]
    assert found("acquit*") == ["judg-2"]
    assert found("muham* AND pistol") == ["fir-1"]
    assert found("12/2011") == ["fir-1"]  # punctuated words search as phrases
    assert found("302 AND ppc") == ["fir-1"]
    assert found("zzz") == []


def test_prefixes_of_every_length_match_the_words_they_start(index: SearchIndex) -> None:
    # Short prefixes are indexed terms, long ones are expanded: both must find the same words.
    index.upsert(
        [
            passage("a", 0, "The prosecution proved the recovery."),
            passage("b", 0, "Proceedings were adjourned; the prosecutor was absent."),
            passage("c", 0, "A prosecutor prosecutes; prosecutors prosecute prosecutors."),
            passage("d", 0, "Bail was refused.", title="Procedure"),
        ]
    )

    def found(q: str) -> list[str]:
        return sorted(ids(index.search(q, principals=None)))

    assert found("p*") == ["a", "b", "c", "d"]
    assert found("pro*") == ["a", "b", "c", "d"]  # "Procedure" only in the title
    assert found("prose*") == ["a", "b", "c"]
    assert found("prosecuto*") == ["b", "c"]
    assert found("prosecutors*") == ["c"]
    assert found("procee*") == ["b"]
    assert found("proceedings*") == ["b"]  # a whole word is its own prefix
    assert found("prosz*") == []
    assert found("prose* AND absent") == ["b"]
    # More occurrences of words with the prefix rank higher, as for a word.
    assert ids(index.search("prose*", principals=None))[0] == "c"


def test_phrases_of_short_and_numeric_words_match_only_in_sequence(index: SearchIndex) -> None:
    # Such phrases (statute references) are matched through indexed word pairs on Tantivy.
    index.upsert(
        [
            passage("seq", 0, "Bail under 497 Cr.P.C. was refused; see 13-D A.O."),
            passage("apart", 0, "Cr. case 497, P.C. and P C; A. Khan, O. Ali; 13 days, D block"),
            passage("gap", 0, "Rule 12 court house fees court 34 applies"),
            passage("tight", 0, "The 12 court 34 register"),
        ]
    )

    def found(q: str) -> list[str]:
        return sorted(ids(index.search(q, principals=None)))

    assert found('"cr p c"') == ["seq"]
    assert found('"497 cr p c"') == ["seq"]
    assert found('"p c"') == ["apart", "seq"]
    assert found('"13 d a o"') == ["seq"]
    assert found('"a o"') == ["seq"]
    assert found('"c 497"') == []
    assert found('"12 court 34"') == ["tight"]  # a long middle word: positions decide
    assert found('"court 34"') == ["gap", "tight"]
    assert found("497 Cr.P.C.") == ["seq"]  # a statute reference, by its words


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"murder case', "quotation mark"),
        ("(murder OR theft", "not closed"),
        ("murder)", "without a matching"),
        ("murder AND", "AND needs a word"),
        ("OR theft", "OR needs a word"),
        ("NOT", "NOT must be followed"),
        ("mu*rder", "can only end a word"),
        ("*", "must follow"),
        ("()", "brackets are empty"),
        ("!!!", "no words"),
        ("x " * 600, "too long"),
    ],
)
def test_bad_queries_raise_query_error(corpus: SearchIndex, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        corpus.search(query, principals=None)


def test_snippets_are_escaped_and_highlighted(index: SearchIndex) -> None:
    index.upsert([passage("x", 0, 'Exhibit <script>alert("x")</script> shows the Pistol & knife.')])
    (hit,) = index.search("pistol", principals=None).hits
    (snippet,) = hit.snippets
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet and "&amp;" in snippet
    assert "<mark>Pistol</mark>" in snippet  # original case, as displayed
    (hit,) = index.search("script", principals=None).hits
    assert "<mark>script</mark>&gt;" in hit.snippets[0]


def test_several_snippets_from_a_long_passage(index: SearchIndex) -> None:
    filler = " ".join(["lorem"] * 80)
    text = f"Murder at dawn. {filler} The murder weapon. {filler} A murder trial {filler}"
    index.upsert([passage("long", 0, text)])
    (hit,) = index.search('murder "murder weapon" trial', principals=None).hits
    assert len(hit.snippets) == 3
    assert any("<mark>murder weapon</mark>" in s for s in hit.snippets)
    assert hit.snippets[2].startswith("<mark>Murder</mark> at dawn")  # one query word: last
    assert all(s.startswith("…") or s.startswith("<mark>") for s in hit.snippets)
    assert all(len(s) < 400 for s in hit.snippets)


def test_urdu_with_diacritics_and_digit_variants(index: SearchIndex) -> None:
    index.upsert(
        [
            passage("ur-1", 0, "مُقدّمہ نمبر ۱۲۳/۲۰۱۱ تھانہ سول لائن میں درج کیا گیا۔",
                    language="ur", title="ایف آئی آر"),
            passage("ur-2", 0, "ملزم علي ولد احمد كو گرفتار كيا گيا", language="ur"),
            passage("sd-1", 0, "ڪيس جي ٻڌڻي ٿيندي", language="sd"),
        ]
    )  # fmt: skip
    res = index.search("مقدمہ", principals=None)
    assert ids(res) == ["ur-1"]
    assert "<mark>مُقدّمہ</mark>" in res.hits[0].snippets[0]  # marked as written
    assert ids(index.search("123/2011", principals=None)) == ["ur-1"]
    assert ids(index.search("٢٠١١", principals=None)) == ["ur-1"]
    assert ids(index.search("علی AND کو", principals=None)) == ["ur-2"]
    assert ids(index.search('"گرفتار کیا"', principals=None)) == ["ur-2"]
    assert ids(index.search("ڪيس", principals=None)) == ["sd-1"]
    assert index.search("کيس", principals=None).total == 0  # ک is not Sindhi ڪ
    assert ids(index.search("ایف", principals=None)) == ["ur-1"]  # title words count
    assert ids(index.search("مقد*", principals=None, filters={"language": "ur"})) == ["ur-1"]


def test_blank_query_lists_visible_documents_with_lead_snippet(corpus: SearchIndex) -> None:
    res = corpus.search("  ", principals={"public"})
    assert sorted(ids(res)) == ["judg-1", "judg-2"]
    assert all(h.snippets and "<mark>" not in h.snippets[0] for h in res.hits)


def test_invalid_arguments(index: SearchIndex) -> None:
    with pytest.raises(ValueError, match="duplicate passage id"):
        index.upsert([passage("d", 0, "a"), passage("d", 0, "b")])
    with pytest.raises(TypeError, match="acl"):
        index.upsert([passage("d", 0, "a", acl="public")])
    with pytest.raises(ValueError):
        index.search("a", principals=None, limit=-1)
    assert index.count() == 0


# -- Tantivy only ---------------------------------------------------------------


def test_reopen_from_disk(tmp_path: Path) -> None:
    first = TantivyIndex(tmp_path / "idx")
    first.upsert([passage("d1", 0, "persisted across restarts")])
    del first
    again = TantivyIndex(tmp_path / "idx")
    assert again.count() == 1
    assert ids(again.search("restarts", principals=None)) == ["d1"]


def _old_layout_index(path: Path) -> None:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("body", stored=True)
    old = tantivy.Index(sb.build(), str(path))
    writer = old.writer(heap_size=15_000_000, num_threads=1)
    writer.add_document(tantivy.Document(body="from an older version"))
    writer.commit()
    writer.wait_merging_threads()


def test_an_index_of_another_layout_is_refused_then_rebuilt(tmp_path: Path) -> None:
    from search.tantivy_index import discard_stale_layout

    _old_layout_index(tmp_path)
    (tmp_path / "vectors").mkdir()
    (tmp_path / "vectors" / "vectors.sqlite3").write_bytes(b"kept")
    with pytest.raises(SearchUnavailableError, match="mizan reindex"):
        TantivyIndex(tmp_path)
    assert discard_stale_layout(tmp_path) is True
    index = TantivyIndex(tmp_path)
    assert index.count() == 0
    assert (tmp_path / "vectors" / "vectors.sqlite3").read_bytes() == b"kept"
    index.upsert([passage("a", 0, "murder")])
    assert discard_stale_layout(tmp_path) is False  # the current layout is left alone
    assert TantivyIndex(tmp_path).count() == 1


def test_two_instances_on_one_path(tmp_path: Path) -> None:
    reader = TantivyIndex(tmp_path / "idx")
    writer = TantivyIndex(tmp_path / "idx", lock_timeout=0.3)
    assert reader.search("worker", principals=None).total == 0
    writer.upsert([passage("d1", 0, "written by the worker process")])
    assert ids(reader.search("worker", principals=None)) == ["d1"]
    reader.upsert([passage("d2", 0, "the worker again")])  # either may write, one at a time
    assert writer.search("worker", principals=None).total == 2
    # another process's writer, as a worker would hold it
    lock_holder = tantivy.Index.open(str(tmp_path / "idx")).writer(15_000_000, 1)
    try:
        with pytest.raises(SearchUnavailableError, match="busy"):
            writer.upsert([passage("d3", 0, "blocked")])
    finally:
        lock_holder.wait_merging_threads()
    writer.upsert([passage("d3", 0, "unblocked worker")])
    assert reader.search("worker", principals=None).total == 3


def test_large_totals_are_estimated_unless_facets_need_every_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search import tantivy_results

    index = TantivyIndex(tmp_path / "idx", exact_total_max=10)
    index.upsert(
        [
            Passage(id=f"r{d}:{n}", doc_id=f"r{d}", kind="judgment", title=f"R{d}",
                    text=f"robbery case {d} part {n}", acl=("public",))
            for d in range(60)
            for n in range(3)
        ]
    )  # fmt: skip
    res = index.search("robbery", principals=None, limit=5)
    # 180 matching passages > 10, beyond the window of 100: estimated from whole documents
    assert (res.total, res.total_exact, len(res.hits)) == (60, False, 5)
    assert index.rank("robbery", principals=None, filters=None, depth=5)[0] == 60
    with_facets = index.search("robbery", principals=None, limit=5, facets=True)
    assert (with_facets.total, with_facets.total_exact) == (60, True)
    assert with_facets.facets["kind"][0].count == 60
    few = index.search("robbery AND 7", principals=None)  # 3 passages: within the cap
    assert (few.total, few.total_exact) == (1, True)
    exact = TantivyIndex(tmp_path / "idx", exact_total_max=None).search("robbery", principals=None)
    assert (exact.total, exact.total_exact) == (60, True)
    # A sample smaller than the matches: documents of 3 passages each, ratio 1/3.
    monkeypatch.setattr(tantivy_results, "TOTAL_SAMPLE", 20)
    assert index.search("robbery", principals=None, limit=1).total == 60


def test_estimates_run_on_a_pool_of_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from search import tantivy_results

    pool = tantivy_results._count_pool()
    assert tantivy_results._count_pool() is pool
    monkeypatch.setattr(tantivy_results.os, "getpid", lambda: -1)  # as in a forked worker
    assert tantivy_results._count_pool() is not pool


def test_facets_of_a_very_common_word_are_estimated_from_visible_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search import tantivy_results

    index = TantivyIndex(tmp_path / "idx", exact_facets_max=10)
    index.upsert(
        [
            Passage(id=f"r{d}:{n}", doc_id=f"r{d}", kind="judgment" if d % 2 else "document",
                    title=f"R{d}", text=f"robbery case {d} part {n}",
                    acl=("public",) if d % 2 else ("case:1",))
            for d in range(200)
            for n in range(3)
        ]
    )  # fmt: skip
    monkeypatch.setattr(tantivy_results, "TOTAL_SAMPLE", 150)  # about 50 of 200 documents
    res = index.search("robbery", principals=None, limit=5, facets=True)
    assert res.total_exact is False and res.total == 200
    kinds = {fv.value: fv.count for fv in res.facets["kind"]}
    assert set(kinds) == {"judgment", "document"}
    assert 140 <= sum(kinds.values()) <= 260  # scaled from the sample: about the total
    public = index.search("robbery", principals={"public"}, limit=5, facets=True)
    assert public.total_exact is False and public.total == 100
    assert [fv.value for fv in public.facets["kind"]] == ["judgment"]  # never a case's
    exact = index.search("robbery AND 7", principals=None, facets=True)  # few: exact
    assert exact.total_exact is True and exact.facets["kind"] == (FacetValue("judgment", 1),)
