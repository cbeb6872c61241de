"""Statute references: the strict form-field parser and the text scanner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legaltext.act_names import ACTS
from legaltext.section_refs import (
    FoundRef,
    SectionRef,
    SectionRefError,
    find_section_refs,
    parse_section_refs,
)

BHC = Path(__file__).resolve().parents[3] / "shared" / "data" / "pakistan" / "bhc_judgments.jsonl"


def canon(refs: list[SectionRef]) -> list[str]:
    return [r.canonical() for r in refs]


def found(text: str) -> list[str]:
    return [f.ref.canonical() for f in find_section_refs(text)]


# --- strict parser ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("302/34 PPC", ["302 PPC", "34 PPC"]),
        ("u/s 324, 114, 34 PPC", ["324 PPC", "114 PPC", "34 PPC"]),
        (
            "U/S 302, 324, 147, 148, 149 PPC",
            ["302 PPC", "324 PPC", "147 PPC", "148 PPC", "149 PPC"],
        ),
        ("7(1)(a) ATA", ["7(1)(a) ATA"]),
        ("9(c) CNSA", ["9(c) CNSA"]),
        ("302(b) PPC", ["302(b) PPC"]),
        ("S. 497(2), Cr.P.C.", ["497(2) CrPC"]),
        ("Ss. 6, 7 & 25(4A) ATA", ["6 ATA", "7 ATA", "25(4A) ATA"]),
        ("section 7(1)(ff) of Anti-Terrorism Act, 1997", ["7(1)(ff) ATA"]),
        ("23(1)(a) Sindh Arms Act, 2013", ["23(1)(a) SAA"]),
        ("6/9(c) CNS Act", ["6 CNSA", "9(c) CNSA"]),
        ("302 r/w 34 PPC", ["302 PPC", "34 PPC"]),
        ("302 read with section 34 PPC", ["302 PPC", "34 PPC"]),
        ("Sections 302, 34 of the Pakistan Penal Code", ["302 PPC", "34 PPC"]),
        ("302 (XLV of 1860)", ["302 PPC"]),
        ("302 PPC, 7 ATA", ["302 PPC", "7 ATA"]),
        ("302 PPC r/w 7 ATA", ["302 PPC", "7 ATA"]),
        ("302/34 PPC; 6/7 ATA", ["302 PPC", "34 PPC", "6 ATA", "7 ATA"]),
        ("302, 34, PPC", ["302 PPC", "34 PPC"]),
        ("13 Arms Ordinance", ["13 AO"]),
        ("13-D A.O.", ["13-D AO"]),
        ("Art. 40 QSO", ["40 QSO"]),
        ("417(2-A) CrPC", ["417(2-A) CrPC"]),
        ("11-F(2), (5) and (6) ATA", ["11-F(2) ATA", "11-F(5) ATA", "11-F(6) ATA"]),
        ("324-353-34 PPC", ["324 PPC", "353 PPC", "34 PPC"]),
        ("u/s 302-PPC", ["302 PPC"]),
        ("  302 PPC.  ", ["302 PPC"]),
        ("302, 302 PPC", ["302 PPC"]),
    ],
)
def test_parses_form_fields(text: str, expected: list[str]) -> None:
    assert canon(parse_section_refs(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("337-a PPC", "337-A PPC"),
        ("337 - A PPC", "337-A PPC"),
        ("337A PPC", "337-A PPC"),
        ("489 F PPC", "489-F PPC"),
        ("489-f ppc", "489-F PPC"),
        ("365- A PPC", "365-A PPC"),
        ("302 (B) PPC", "302(b) PPC"),
        ("302(b) p.p.c", "302(b) PPC"),
        ("25(4a) ATA", "25(4A) ATA"),
        ("7 (1) (A) ATA", "7(1)(a) ATA"),
        ("337-A(I) PPC", "337-A(i) PPC"),
        ("11ee ATA", "11-EE ATA"),
        ("034 PPC", "34 PPC"),
    ],
)
def test_normalises_case_and_spacing(text: str, expected: str) -> None:
    [ref] = parse_section_refs(text)
    assert ref.canonical() == expected


def test_structure_and_raw() -> None:
    [ref] = parse_section_refs("u/s 7 (1)(A) A.T.A.")
    assert (ref.act, ref.section, ref.subsections) == ("ATA", "7", ("1", "a"))
    assert ref.raw == "7 (1)(A)"
    assert ref == SectionRef("ATA", "7", ("1", "a"))  # raw is not part of equality
    assert str(ref) == "7(1)(a) ATA"
    [ref] = parse_section_refs("25(4A) ATA")
    assert ref.subsections == ("4A",)


def test_default_act_only_for_a_trailing_list_without_one() -> None:
    assert canon(parse_section_refs("302/34", default_act="PPC")) == ["302 PPC", "34 PPC"]
    assert canon(parse_section_refs("302/34", default_act="P.P.C.")) == ["302 PPC", "34 PPC"]
    assert canon(parse_section_refs("7 ATA", default_act="PPC")) == ["7 ATA"]
    assert canon(parse_section_refs("7 ATA, 302", default_act="PPC")) == ["7 ATA", "302 PPC"]
    with pytest.raises(SectionRefError, match="Unknown default act 'Penal'"):
        parse_section_refs("302", default_act="Penal")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "No sections given"),
        ("   ", "No sections given"),
        ("302 (b PPC", r"Unbalanced brackets .* the '\(' after '302 ' is never closed"),
        ("302) PPC", r"the '\)' after '302' has no matching '\('"),
        ("PPC", "'PPC' names an act but no section; write the section number before it"),
        ("Anti-Terrorism Act", "names an act but no section"),
        ("PPC 302", "The act 'PPC' comes before its sections"),
        ("abc", "Cannot read 'abc' as a section: a section starts with its number"),
        ("302 XYZ", "Unknown act 'XYZ' after section 302; known acts: PPC, CrPC"),
        ("302 of 2014", "Unknown act '2014' after section 302"),
        ("302", r"No act given for section 302; add the act, e\.g\. '302 PPC'"),
        ("302/34", "No act given for section 302, 34"),
        ("302 PPC xyz", "Cannot read 'xyz' after '302 PPC'"),
        ("302 PPC 34", "Cannot read '34' after '302 PPC'; each act goes after its own sections"),
        ("u/s", "No section number after 'u/s'"),
        ("2014 PPC", "'2014' is not a section number"),
        ("0 PPC", "Section 0 does not exist"),
        ("(302 PPC", r"the '\(' at the start is never closed"),
        ("302() PPC", r"Cannot read the bracket '\(\)' after section 302"),
        ("302, (b) PPC", r"did you mean '302\(b\)'"),
        ("302, abc PPC", "Cannot read 'abc' between section 302 and 'PPC'"),
        ("302 PPC,", None),  # trailing punctuation is fine
    ],
)
def test_malformed_fields_are_rejected_with_a_message(text: str, message: str | None) -> None:
    if message is None:
        assert canon(parse_section_refs(text)) == ["302 PPC"]
        return
    with pytest.raises(SectionRefError, match=message):
        parse_section_refs(text)


def test_error_is_a_value_error() -> None:
    assert issubclass(SectionRefError, ValueError)


# --- lenient scanner --------------------------------------------------------------------------

FIR = (
    "FIR No. 189/2024, P.S. Makli, District Thatta. Complainant Muhammad Aslam s/o Ghulam "
    "Hussain, by caste Jatoi, reported at 0200 hours on 04/Jul/2024 that accused Ali Raza @ Ali "
    "and two unknown persons armed with pistols fired at his brother, who died at the spot, and "
    "injured his cousin. Case registered u/s 302, 324, 147, 148, 149 PPC r/w 7 ATA. One 30 bore "
    "pistol was recovered from the accused u/s 23(1)(a) Sindh Arms Act, 2013, and 1200 grams "
    "charas u/s 6/9(c) CNS Act; see also Crime No. 14 of 2023 of the same P.S."
)


def test_fir_paragraph() -> None:
    refs = find_section_refs(FIR)
    assert [f.ref.canonical() for f in refs] == [
        "302 PPC",
        "324 PPC",
        "147 PPC",
        "148 PPC",
        "149 PPC",
        "7 ATA",
        "23(1)(a) SAA",
        "6 CNSA",
        "9(c) CNSA",
    ]
    for f in refs:  # spans point at the section token itself
        assert FIR[f.start : f.end] == f.ref.raw
    assert FIR[refs[6].start : refs[6].end] == "23(1)(a)"


JUDGMENT = (
    "This Crl. Appeal No. 9 of 2014 is directed against the judgment dated 18.04.2011 passed in "
    "Sessions Case No. 338 of 2023, whereby the appellant was convicted under section 302(b), "
    "P.P.C. and sentenced to imprisonment for life; the benefit of S. 382-B, Cr.P.C. was "
    "extended. Bail had been refused under S. 497(2), Cr.P.C. The co-accused were charged "
    "under Ss. 6, 7 & 25(4A) of ATA and section 7(1)(ff) of Anti-Terrorism Act, 1997, and the "
    "offences under Sections 302, 34 of the Pakistan Penal Code (XLV of 1860) were held to be "
    "compoundable under ss.310/345 only with permission. Reliance was placed on Abdul Hafeez "
    "Junejo v. State (2010 YLR 470), 2020 SCMR 1422 and PLD 2019 SC 123. The statement under "
    "Article 40 of the Qanun-e-Shahadat Order, 1984 was recorded in 2012."
)


def test_judgment_paragraph() -> None:
    assert found(JUDGMENT) == [
        "302(b) PPC",
        "382-B CrPC",
        "497(2) CrPC",
        "6 ATA",
        "7 ATA",
        "25(4A) ATA",
        "7(1)(ff) ATA",
        "302 PPC",
        "34 PPC",
        "40 QSO",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Crl. Appeal No. 9 of 2014",
        "in Criminal Appeal No. 32-L of 2012 and Const. P. No. D-1046/2019",
        "2010 YLR 470; 2008 Y L R 2; 2021 PCrLJ 612; PLD 1976 Lah. 574",
        "decided on 12.06.2017 in the year 1997",
        "FIR No. 189/2024 and Crime No. 14 of 2023",
        "Spl. Crl. A.T.A. No. 12 of 2020",  # an act abbreviation inside a case type
        "Sher Shah for Respondent No.1 (in F.A.O. No.117 of 2009).",
        "The P.P.C., is not compoundable; the Cr.P.C. applies.",
        "PW-2 Ata Muhammad deposed that PW-3 Esa Khan was aged about 35 Ara years",
    ],
)
def test_numbers_not_attached_to_an_act_are_not_sections(text: str) -> None:
    assert find_section_refs(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FIR No. 12/2014 u/s 302 PPC", ["302 PPC"]),
        ("Crime No. 12, 302 PPC", ["302 PPC"]),
        ("Anti-Terrorism Act, 1997, 302 PPC", ["302 PPC"]),
        ("in the year 1997, 302 PPC", ["302 PPC"]),
        ("Rs. 50,000 under section 544-A Cr.P.C.", ["544-A CrPC"]),
        ("paid Rs. 100, PPC", []),
        ("sections 309 and 310 of the P.P.C. is", ["309 PPC", "310 PPC"]),
        ("clause (2) of S.497 of Cr.P.C.", ["497 CrPC"]),
        ("under section 173, the Cr.P.C. and", ["173 CrPC"]),
        ("13-D A.O. recovered", ["13-D AO"]),
        ("section 12 of West Pakistan Arms Ordinance, 1965", ["12 AO"]),
        ("sections 324 -225-224-\n427, P.P.C", ["324 PPC", "225 PPC", "224 PPC", "427 PPC"]),
        ("u/s 302, 324 PPC and 7 ATA", ["302 PPC", "324 PPC", "7 ATA"]),
        ("U/s302 ppc and 7 ata", ["302 PPC", "7 ATA"]),
        ("Ss. 123 -A, 153- A & 124- A, P.P.C.", ["123-A PPC", "153-A PPC", "124-A PPC"]),
        (
            "sections 9(2)(ii), 9(6) and section 14, the Anti Rape (Investigation and Trial) Act",
            ["9(2)(ii) ARA", "9(6) ARA", "14 ARA"],
        ),
        ("aged 25, section 302 PPC", ["302 PPC"]),
    ],
)
def test_lenient_cases(text: str, expected: list[str]) -> None:
    assert found(text) == expected


def test_headnote_lists_sections_after_the_act() -> None:
    text = (
        "----Anti -Terrorism Act, 1997, S. 21- F--Criminal Procedure Code, (V of 1898), "
        "Ss. 561- A & \n382(b) --Constitution of Pakistan, 1973, Art. 199, 25(1) & 9--Remission"
    )
    assert found(text) == [
        "21-F ATA",
        "561-A CrPC",
        "382(b) CrPC",
        "199 Constitution",
        "25(1) Constitution",
        "9 Constitution",
    ]
    text = (
        "(a) Penal Code (XLV of 1860) --- \n----Ss. 302(b) & 34--- Qanun- e-Shahadat "
        "(10 of 1984)---\n----Art. 129(g)---"
    )
    assert found(text) == ["302(b) PPC", "34 PPC", "129(g) QSO"]


def test_forward_list_that_belongs_to_the_next_act_is_not_stolen() -> None:
    assert found("the PPC, Section 7 ATA") == ["7 ATA"]


def test_found_ref_shape() -> None:
    [f] = find_section_refs("u/s 302 (b) PPC")
    assert f == FoundRef(SectionRef("PPC", "302", ("b",)), 4, 11)
    assert f.ref.raw == "302 (b)"


# Real paragraphs from Balochistan High Court judgments (anchor text, then expected refs).
REAL = [
    (
        "ylr-2025-169",
        "is set aside, and the appellant is acquitted of the charge in FIR",
        ["302 PPC", "460 PPC", "147 PPC", "148 PPC", "149 PPC"],
    ),
    (
        "ylr-2022-note-99",
        "convicted under section 9(c) of the CNS Act, 1997",
        ["9(c) CNSA", "382-B CrPC"],
    ),
    (
        "pld-2020-balochistan-106",
        "in, FIR No. 47 of 2019",
        ["11-F(2) ATA", "11-F(5) ATA", "11-F(6) ATA"],
    ),
]


@pytest.mark.parametrize(("record_id", "anchor", "expected"), REAL)
def test_real_bhc_paragraphs(record_id: str, anchor: str, expected: list[str]) -> None:
    if not BHC.exists():
        pytest.skip(f"{BHC} is not present (shared data set not mounted)")
    with BHC.open(encoding="utf-8") as fh:
        texts = {r["id"]: r["text"] for r in map(json.loads, fh)}
    if record_id not in texts:
        pytest.skip(f"record {record_id} is not in this copy of {BHC.name}")
    text = texts[record_id]
    at = text.index(anchor)
    paragraph = text[at : at + 330]
    assert found(paragraph) == expected


# --- properties -------------------------------------------------------------------------------

_codes = st.sampled_from([a.code for a in ACTS])
_suffix = st.one_of(
    st.just(""),
    st.builds(lambda c, n: "-" + c * n, st.sampled_from("ABCDEFGHKLMN"), st.integers(1, 3)),
)
_sub = st.one_of(
    st.integers(1, 99).map(str),
    st.sampled_from(["a", "b", "c", "ff", "i", "ii", "iv"]),
    st.builds(lambda n, c: f"{n}{c}", st.integers(1, 9), st.sampled_from("ABC")),
)
_refs = st.builds(
    lambda act, n, sfx, subs: SectionRef(act, f"{n}{sfx}", tuple(subs)),
    _codes,
    st.integers(1, 599),
    _suffix,
    st.lists(_sub, max_size=3),
)


@given(_refs)
def test_canonical_parses_back_to_the_same_ref(ref: SectionRef) -> None:
    assert parse_section_refs(ref.canonical()) == [ref]


@given(st.lists(_refs, min_size=1, max_size=4))
def test_canonical_list_in_prose_is_found(refs: list[SectionRef]) -> None:
    text = "The accused was booked u/s " + ", ".join(r.canonical() for r in refs) + " at P.S."
    assert [f.ref for f in find_section_refs(text)] == refs


_FIELDISH = st.text(alphabet="0123456789()/-,.;& abfPCATSNrwu", max_size=40)


@given(st.one_of(st.text(max_size=60), _FIELDISH))
def test_parser_only_raises_its_own_error_and_results_round_trip(text: str) -> None:
    try:
        refs = parse_section_refs(text)
    except SectionRefError:
        return
    for ref in refs:
        assert parse_section_refs(ref.canonical()) == [ref]


@given(st.one_of(st.text(max_size=200), _FIELDISH))
def test_scanner_spans_are_consistent(text: str) -> None:
    for f in find_section_refs(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end].strip() == f.ref.raw
