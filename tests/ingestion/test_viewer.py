"""Search terms on the page: matched as the search index matches them (Urdu digits, prefixes)."""

from __future__ import annotations

from casefiles.models import DocumentPage
from ingestion.viewer import hit_boxes, hit_spans, query_terms

TEXT = "مقدمہ نمبر ۱۸۹ تھانہ مکلی\nFIR No. 189 of 2024, bailable offence; bail refused."


def test_query_operators_are_not_terms() -> None:
    exact, prefixes = query_terms('murder AND bail* OR "FIR no" NOT x')
    assert exact == {"murder", "fir", "no"}
    assert prefixes == ("bail",)


def test_hits_in_urdu_digits_and_words_and_by_prefix() -> None:
    spans = hit_spans(TEXT, "189")
    assert [TEXT[s:e] for s, e in spans] == ["۱۸۹", "189"]
    assert [TEXT[s:e] for s, e in hit_spans(TEXT, "مکلی")] == ["مکلی"]
    assert [TEXT[s:e] for s, e in hit_spans(TEXT, "bail*")] == ["bailable", "bail"]
    assert hit_spans(TEXT, "") == [] and hit_spans(TEXT, "AND") == []


def test_hit_boxes_are_the_words_under_the_hits() -> None:
    page = DocumentPage(
        document_id="d",
        number=1,
        text="FIR No. 189\n\nbail refused",
        words="0 0 30 10 95\tFIR\n35 0 30 10 90\tNo.\n70 0 40 10 60\t189\n"
        "0 20 30 10 92\tbail\n35 20 60 10 91\trefused",
    )
    assert [w.text for w in hit_boxes(page, "189 refused")] == ["189", "refused"]
    assert hit_boxes(page, "murder") == []
