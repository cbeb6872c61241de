"""Fielded filters, facets, statute references, name variants and date order (real Tantivy)."""

from __future__ import annotations

import datetime

import pytest

from legaltext.search_terms import terms
from legaltext.section_refs import SectionRef
from search.port import FACET_FIELDS, Passage, SearchIndex, SearchResult
from search.query_syntax import Bool, Section, Words, parse_query
from search.statute_keys import find_query_refs, passage_sections, section_keys


def p(doc_id: str, n: int, text: str, **kw: object) -> Passage:
    fields: dict[str, object] = {"kind": "document", "title": f"T {doc_id}", "acl": ("public",)}
    fields.update(kw)
    if "sections" not in kw:
        fields["sections"] = passage_sections(text)
    return Passage(id=f"{doc_id}:{n}", doc_id=doc_id, text=text, **fields)


def ids(res: SearchResult) -> list[str]:
    return sorted(h.doc_id for h in res.hits)


def counts(res: SearchResult, field: str) -> dict[str, int]:
    return {f.value: f.count for f in res.facets[field]}


@pytest.fixture
def index(text_index: SearchIndex) -> SearchIndex:
    """The corpus in the backend under test (`text_index`: Tantivy, Elasticsearch)."""
    idx = text_index
    murder = (SectionRef("PPC", "302", ("b",)),)
    idx.upsert(
        [
            p("j1", 0, "The appellant was convicted under section 302(b) of the Pakistan "
              "Penal Code and sentenced.", kind="judgment", court="High Court",
              district="quetta", date=datetime.date(2019, 5, 2), doc_type="judgment"),
            p("j1", 1, "Bail under 497 Cr.P.C. was refused earlier.", kind="judgment",
              court="High Court", district="quetta", date=datetime.date(2019, 5, 2),
              doc_type="judgment"),
            p("j2", 0, "Kidnapping for ransom, 365-A PPC; the accused Mohammad Husain.",
              kind="judgment", court="ATC Karachi", district="karachi-south", year=2021,
              doc_type="judgment"),
            p("f1", 0, "FIR: Muhammad Hussain fired at the deceased with a pistol.",
              case_id="c1", acl=("case:c1", "district:khi"), court="Sessions Court",
              district="khi", year=2023, doc_type="fir",
              sections=passage_sections("", murder)),
            p("f2", 0, "FIR: theft of a motorcycle, 379 PPC, from Saddar.", case_id="c2",
              acl=("case:c2", "district:hyd"), district="hyd", year=2022, doc_type="fir"),
            p("s1", 0, "Terrorism: 7(1)(a) ATA applies to acts creating fear.",
              kind="statute", doc_type="statute"),
        ]
    )  # fmt: skip
    return idx


def test_section_keys_are_hierarchical() -> None:
    assert section_keys(SectionRef("ATA", "7", ("1", "a"))) == (
        "7 ATA", "7(1) ATA", "7(1)(a) ATA", "7", "7(1)", "7(1)(a)",
    )  # fmt: skip
    keys = passage_sections("convicted u/s 302/34 P.P.C. and 7 ATA")
    assert {"302 PPC", "34 PPC", "7 ATA", "302"} <= set(keys)


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("302 PPC", [("302 PPC",)]),
        ("s.302(b)", [("302(b)",)]),
        ("7 ATA", [("7 ATA",)]),
        ("497 Cr.P.C.", [("497 CrPC",)]),
        ("bail u/s 497 CrPC karachi", [("497 CrPC",)]),
        ("302/34 PPC murder", [("302 PPC", "34 PPC")]),
        ("Pakistan Penal Code, S. 302", [("302 PPC",)]),
        ("FIR 12/2014 karachi", []),
        ("PPC NOT 302", []),
    ],
)
def test_statute_references_in_queries(query: str, keys: list[tuple[str, ...]]) -> None:
    assert [r.keys for r in find_query_refs(query)] == keys


def test_reference_parses_to_phrase_or_section_field() -> None:
    node = parse_query("302 PPC")  # the words (in any order) or the structured field
    assert node == Bool(should=(Bool(must=(Words(("302",)), Words(("ppc",)))), Section("302 PPC")))
    node = parse_query("302/34 PPC")
    text = Bool(must=(Words(("302",)), Words(("34",)), Words(("ppc",))))
    assert node == Bool(should=(text, Bool(must=(Section("302 PPC"), Section("34 PPC")))))
    node = parse_query("murder AND s.302(b)")
    assert isinstance(node, Bool) and len(node.must) == 2
    assert Bool(should=(Words(("302", "b")), Section("302(b)"))) in node.must
    # inside quotes it is just a phrase
    assert parse_query('"302 PPC"') == Words(("302", "ppc"))


def test_statute_reference_matches_structured_field(index: SearchIndex) -> None:
    # j1 says "section 302(b) of the Pakistan Penal Code"; f1 has no reference in its text
    # but its case is charged under 302(b) PPC.
    assert ids(index.search("302 PPC", principals=None)) == ["f1", "j1"]
    assert ids(index.search("s.302(b)", principals=None)) == ["f1", "j1"]
    assert ids(index.search("302(c) PPC", principals=None)) == []
    assert ids(index.search("497 Cr.P.C.", principals=None)) == ["j1"]
    assert ids(index.search("365-A PPC", principals=None)) == ["j2"]
    assert ids(index.search("7 ATA", principals=None)) == ["s1"]
    assert ids(index.search("302 PPC AND pistol", principals=None)) == ["f1"]
    # text that names the act before the section matches the words even without the field
    idx_text = index.search("379 PPC", principals=None)
    assert ids(idx_text) == ["f2"]
    assert ids(index.search("", principals=None, filters={"section": "302 PPC"})) == ["f1", "j1"]


def test_statute_reference_is_highlighted_as_written(index: SearchIndex) -> None:
    (hit,) = index.search("302 PPC", principals=None, filters={"kind": "judgment"}).hits
    assert "<mark>302(b)</mark>" in hit.snippets[0]


def test_name_variants_fold_alike_in_index_and_query(index: SearchIndex) -> None:
    assert terms("Mohd. Husain") == terms("Muhammad Hussain") == ["muhammad", "hussain"]
    for q in ("Muhammad Hussain", '"Mohammad Hussein"', "muhammed AND husain"):
        assert ids(index.search(q, principals=None)) == ["f1", "j2"], q
    (hit,) = index.search('"Muhammed Husein"', principals=None, filters={"kind": "judgment"}).hits
    assert "<mark>Mohammad Husain</mark>" in hit.snippets[0]


def test_fielded_filters_and_year_range(index: SearchIndex) -> None:
    def found(**filters: str) -> list[str]:
        return ids(index.search("", principals=None, filters=filters))

    assert found(court="High Court") == ["j1"]
    assert found(district="khi") == ["f1"]
    assert found(year="2019") == ["j1"]  # from the date
    assert found(year_from="2021") == ["f1", "f2", "j2"]
    assert found(year_from="2020", year_to="2022") == ["f2", "j2"]
    assert found(year_from="2023", year_to="2020") == []
    assert found(kind="judgment", year_to="2020") == ["j1"]
    with pytest.raises(ValueError, match="needs a year"):
        found(year_from="last year")


def test_facets_count_documents_and_agree_with_filters(index: SearchIndex) -> None:
    res = index.search("", principals=None, facets=True)
    assert set(res.facets) == set(FACET_FIELDS)
    assert counts(res, "kind") == {"judgment": 2, "document": 2, "statute": 1}
    assert counts(res, "year") == {"2023": 1, "2022": 1, "2021": 1, "2019": 1}
    assert [f.value for f in res.facets["year"]] == ["2023", "2022", "2021", "2019"]
    assert counts(res, "section")["302 PPC"] == 2  # j1 has it in one of two passages
    assert counts(res, "section")["302(b) PPC"] == 2
    assert "302" not in counts(res, "section")  # act-less keys are not facets
    # every facet count is what the filter for that value returns
    for field in ("kind", "doc_type", "court", "year", "district", "section", "language"):
        key = "section" if field == "section" else field
        for value, n in counts(res, field).items():
            filtered = index.search("", principals=None, filters={key: value})
            assert filtered.total == n, (field, value)
    narrowed = index.search("", principals=None, filters={"kind": "judgment"}, facets=True)
    assert counts(narrowed, "kind") == {"judgment": 2}
    assert counts(narrowed, "court") == {"High Court": 1, "ATC Karachi": 1}


def test_facets_respect_the_query(index: SearchIndex) -> None:
    res = index.search("FIR", principals=None, facets=True)
    assert res.total == 2
    assert counts(res, "doc_type") == {"fir": 2}
    assert counts(res, "district") == {"khi": 1, "hyd": 1}


def test_facets_never_count_invisible_documents(index: SearchIndex) -> None:
    res = index.search("", principals={"public", "district:hyd"}, facets=True)
    assert res.total == 4
    assert counts(res, "doc_type") == {"judgment": 2, "fir": 1, "statute": 1}
    assert "khi" not in counts(res, "district")
    assert "Sessions Court" not in counts(res, "court")
    assert "302(b) PPC" in counts(res, "section")  # only through the public j1
    assert counts(res, "section")["302(b) PPC"] == 1
    nobody = index.search("", principals=set(), facets=True)
    assert nobody.total == 0 and all(v == () for v in nobody.facets.values())


def test_sort_by_date_newest_first_undated_last(index: SearchIndex) -> None:
    res = index.search("", principals=None, sort="date")
    assert [h.doc_id for h in res.hits] == ["f1", "f2", "j2", "j1", "s1"]
    page2 = index.search("", principals=None, sort="date", limit=2, offset=2)
    assert [h.doc_id for h in page2.hits] == ["j2", "j1"] and page2.total == 5
    with pytest.raises(ValueError, match="unknown sort"):
        index.search("", principals=None, sort="alphabetical")


def test_several_snippets_per_document(text_index: SearchIndex) -> None:
    idx = text_index
    filler = " ".join(["evidence"] * 60)
    idx.upsert([p("long", 0, f"The pistol was recovered. {filler} The pistol was sealed. "
                             f"{filler} A second pistol appeared.")])  # fmt: skip
    (hit,) = idx.search("pistol", principals=None).hits
    assert len(hit.snippets) >= 2 and all("<mark>pistol</mark>" in s for s in hit.snippets)
