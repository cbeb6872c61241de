"""Citation extraction: every form in the domain notes, spelling variants, look-alikes."""

from __future__ import annotations

import pytest

from legaltext.law_reports import Citation, canonical_citation, cited_after, find_citations


def canon(text: str, **kw: bool) -> list[str]:
    return [c.canonical for c in find_citations(text, **kw)]


def one(text: str) -> Citation:
    found = find_citations(text)
    assert len(found) == 1, found
    return found[0]


# --- the forms of the domain notes (section 3) ------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical", "journal", "court", "year", "page"),
    [
        ("PLD 2019 SC 123", "PLD 2019 SC 123", "PLD", "SC", 2019, 123),
        ("PLD 1976 Lah. 574", "PLD 1976 Lah 574", "PLD", "Lah", 1976, 574),
        ("PLD 1963 Kar. 66", "PLD 1963 Kar 66", "PLD", "Kar", 1963, 66),
        ("2020 SCMR 1422", "2020 SCMR 1422", "SCMR", None, 2020, 1422),
        ("2021 PCrLJ 612", "2021 PCrLJ 612", "PCrLJ", None, 2021, 612),
        ("2010 YLR 470", "2010 YLR 470", "YLR", None, 2010, 470),
        ("2008 Y L R 2", "2008 YLR 2", "YLR", None, 2008, 2),
        ("2018 MLD 196", "2018 MLD 196", "MLD", None, 2018, 196),
        ("2013 CLC 1446", "2013 CLC 1446", "CLC", None, 2013, 1446),
        ("PLJ 2025 SC (Cr.C.) 128", "PLJ 2025 SC (CrC) 128", "PLJ", "SC (CrC)", 2025, 128),
        ("PLJ 1995 Cr.C. (Kar) 420", "PLJ 1995 CrC (Kar) 420", "PLJ", "CrC (Kar)", 1995, 420),
        ("NLR 1999 Crl Lahore 01", "NLR 1999 Cr Lah 1", "NLR", "Cr Lah", 1999, 1),
        ("2006 PTD 909", "2006 PTD 909", "PTD", None, 2006, 909),
        ("2014 PLC 250", "2014 PLC 250", "PLC", None, 2014, 250),
        ("2014 PLC (C.S.) 250", "2014 PLC(CS) 250", "PLC(CS)", None, 2014, 250),
        ("2011 CLD 77", "2011 CLD 77", "CLD", None, 2011, 77),
        ("1995 KLR 12", "1995 KLR 12", "KLR", None, 1995, 12),
        ("2001 PSC 1030", "2001 PSC 1030", "PSC", None, 2001, 1030),
        ("2016 GBLR 33", "2016 GBLR 33", "GBLR", None, 2016, 33),
    ],
)
def test_report_forms(
    raw: str, canonical: str, journal: str, court: str | None, year: int, page: int
) -> None:
    text = f"as held in {raw}, the appeal"
    c = one(text)
    assert (c.kind, c.canonical, c.journal, c.court, c.year, c.page) == (
        "report",
        canonical,
        journal,
        court,
        year,
        page,
    )
    assert text[c.start : c.end] == c.raw == raw


@pytest.mark.parametrize(
    ("raw", "canonical", "court", "number"),
    [
        ("2022 LHC 6257", "2022 LHC 6257", "LHC", 6257),
        ("2025 SHC KHI 59", "2025 SHC KHI 59", "SHC KHI", 59),
        ("2025-SHC-KHI-59", "2025 SHC KHI 59", "SHC KHI", 59),
        ("2024 SHC SUK 7", "2024 SHC SUK 7", "SHC SUK", 7),
        ("2023 IHC 101", "2023 IHC 101", "IHC", 101),
    ],
)
def test_neutral_citations(raw: str, canonical: str, court: str, number: int) -> None:
    c = one(f"see {raw}.")
    assert (c.kind, c.canonical, c.court, c.page) == ("neutral", canonical, court, number)


# --- spelling variants collapse to one key -----------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "2021 PCrLJ 612",
        "2021 P.Cr.L.J. 612",
        "2021 PCr.LJ 612",
        "2021 P Cr. L J 612",
        "2021 P. Cr. L. J. 612",
        "2021 P.Cr.LJ 612",
        "2021 PCr .LJ 612",
        "2021 pcrlj 612",
        "2021 P Cr. L J page 612",
        "(2021) PCrLJ 612",
        "2021 PCrLJ 0612",
    ],
)
def test_pcrlj_variants(raw: str) -> None:
    assert canon(raw) == ["2021 PCrLJ 612"]


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("2019 S C M R 1234", "2019 SCMR 1234"),
        ("2019 S.C.M.R. 1234", "2019 SCMR 1234"),
        ("2019 SC MR 1234", "2019 SCMR 1234"),
        ("2019 SCM R 1234", "2019 SCMR 1234"),
        ("2019 S CMR 1234", "2019 SCMR 1234"),
        ("2019  SCMR  1234", "2019 SCMR 1234"),
        ("2019\nSCMR 1234", "2019 SCMR 1234"),
        ("2019 SCMR page 1234", "2019 SCMR 1234"),
        ("(2019 SCMR 1234)", "2019 SCMR 1234"),
        ("2019 M L D 5", "2019 MLD 5"),
        ("2019 C L C 5", "2019 CLC 5"),
        ("2019 P L C (C.S) 5", "2019 PLC(CS) 5"),
        ("2019 P T D 5", "2019 PTD 5"),
        ("2022 Y L R Note 57", "2022 YLR Note 57"),
        ("2015 P Cr. L J Note 45", "2015 PCrLJ Note 45"),
        ("1982 CLC Lahore 1732", "1982 CLC 1732"),
        ("P L D 2014 Balochistan 113", "PLD 2014 Bal 113"),
        ("P.L.D. 2014 Bal. 113", "PLD 2014 Bal 113"),
        ("PLD 2010 Supreme Court 123", "PLD 2010 SC 123"),
        ("PLD 2010 S.C. 123", "PLD 2010 SC 123"),
        ("PLD 2010 S C 123", "PLD 2010 SC 123"),
        ("PLD 1995 Supre me Court 34", "PLD 1995 SC 34"),
        ("PLD 2010 SC page 123", "PLD 2010 SC 123"),
        ("PLD 2007 SC P -80", "PLD 2007 SC 80"),
        ("PLD 2004, SC Page 856", "PLD 2004 SC 856"),
        ("PLD 2001 SC.96", "PLD 2001 SC 96"),
        ("PLD 2010 Lahore 428", "PLD 2010 Lah 428"),
        ("PLD 2007 Karachi 139", "PLD 2007 Kar 139"),
        ("PLD 2007 Karac hi 177", "PLD 2007 Kar 177"),
        ("PLD 2016 Sindh 107", "PLD 2016 Sindh 107"),
        ("PLD 2014 Peshawar 199", "PLD 2014 Pesh 199"),
        ("PLD 2010 Quett a 7", "PLD 2010 Quetta 7"),
        ("PLD 2013 Isl. 39", "PLD 2013 Isl 39"),
        ("PLD 2009 SC (AJ&K) 13", "PLD 2009 SC (AJ&K) 13"),
        ("PLD 1984 SC (AJ& K) 1", "PLD 1984 SC (AJ&K) 1"),
        ("PLD 2004 Azad (J&K) 43", "PLD 2004 AJ&K 43"),
        ("PLD 1957 SC (Pak.) 91", "PLD 1957 SC (Pak) 91"),
        ("PLD 1962 (W.P.) Lah. 95", "PLD 1962 WP Lah 95"),
        ("PLD 1962 (WP) Lahore 95", "PLD 1962 WP Lah 95"),
        ("PLD 1964 Dacca 640", "PLD 1964 Dacca 640"),
        ("PLD 1989 FSC 35", "PLD 1989 FSC 35"),
        ("PLD 1953 F.C. 93", "PLD 1953 FC 93"),
        ("PLD 1949 PC 26", "PLD 1949 PC 26"),
        ("PLD 1995 Central Statutes 10", "PLD 1995 Central Statutes 10"),
        ("PLJ 2017 Quetta 97", "PLJ 2017 Quetta 97"),
        ("PLJ 2020 Cr.C. (Note) 15", "PLJ 2020 CrC Note 15"),
        ("PLJ 2021 Cr.C Note 94", "PLJ 2021 CrC Note 94"),
        ("PLJ 2018 Cr.C. (Quetta) 116", "PLJ 2018 CrC (Quetta) 116"),
        ("NLR 1993 Criminal 203", "NLR 1993 Cr 203"),
        ("PLD 2009 SC (AJ&K) \n13", "PLD 2009 SC (AJ&K) 13"),
        # series before the year, year before the reporter, years split by PDF extraction
        ("YLR 2009 Karachi 1724", "2009 YLR 1724"),
        ("SCMR 2011 page 820", "2011 SCMR 820"),
        ("CLC 2012 Balochistan 890", "2012 CLC 890"),
        ("2003 PLD Karachi 495", "PLD 2003 Kar 495"),
        ("2010 PLD Supreme Court 828", "PLD 2010 SC 828"),
        ("2 000 SCMR 903", "2000 SCMR 903"),
        ("20 16 CLC 1465", "2016 CLC 1465"),
        ("PLD 2 016 SC 676", "PLD 2016 SC 676"),
        ("P L D 201 3 Balochistan 6", "PLD 2013 Bal 6"),
        ("PLD 2021 (Balochistan) 21", "PLD 2021 Bal 21"),
        ("PLD 1991 (Punjab Statute) 1161", "PLD 1991 Punjab Statutes 1161"),
    ],
)
def test_variants_normalise(raw: str, canonical: str) -> None:
    assert canon(raw) == [canonical]
    assert canonical_citation(raw) == canonical


def test_canonical_forms_are_fixed_points() -> None:
    for raw in ["PLD 2014 Bal 113", "2014 PLC(CS) 250", "PLJ 2025 SC (CrC) 128", "2025 SHC KHI 59"]:
        assert canonical_citation(raw) == raw


def test_a_page_that_looks_like_a_year_does_not_start_a_citation() -> None:
    assert canon("2019 SCMR 2005, 2018 SCMR 12") == ["2019 SCMR 2005", "2018 SCMR 12"]


def test_a_list_of_citations_is_split() -> None:
    text = (
        "Ali Nawaz v. The State PLD 1996 Kar. 146; 2006 PCr.LJ 1795; 2007 MLD 1760 and\n"
        "2007 YLR 646 rel."
    )
    found = find_citations(text)
    assert [c.canonical for c in found] == [
        "PLD 1996 Kar 146",
        "2006 PCrLJ 1795",
        "2007 MLD 1760",
        "2007 YLR 646",
    ]
    assert all(text[c.start : c.end] == c.raw for c in found)


# --- statutes (through legaltext.section_refs) ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("convicted u/s 302/34 PPC", ["302 PPC", "34 PPC"]),
        (
            "u/s 302, 324, 147, 148, 149 PPC",
            ["302 PPC", "324 PPC", "147 PPC", "148 PPC", "149 PPC"],
        ),
        ("302(b) PPC", ["302(b) PPC"]),
        ("S. 497(2), Cr.P.C.", ["497(2) CrPC"]),
        ("Ss. 6, 7 & 25(4A) of ATA", ["6 ATA", "7 ATA", "25(4A) ATA"]),
        ("section 7(1)(ff) of Anti-Terrorism Act, 1997", ["7(1)(ff) ATA"]),
        ("23(1)(a) Sindh Arms Act, 2013", ["23(1)(a) SAA"]),
        ("6/9(c) CNS Act", ["6 CNSA", "9(c) CNSA"]),
        ("section 302 read with section 34 of the P.P.C.", ["302 PPC", "34 PPC"]),
        ("Penal Code (XLV of 1860) --- \n----Ss. 302 & 34---Qatl-i-amd", ["302 PPC", "34 PPC"]),
        ("section 249 -A, Cr.P.C.", ["249-A CrPC"]),
        ("489-F PPC", ["489-F PPC"]),
    ],
)
def test_statute_references(text: str, expected: list[str]) -> None:
    found = find_citations(text)
    assert [c.canonical for c in found] == expected
    assert all(c.kind == "statute" for c in found)
    assert [f"{c.section}{''.join(f'({s})' for s in c.subsections)} {c.act}" for c in found] == (
        expected
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("under S.96, C.P.C. the appeal", ["96 CPC"]),
        ("Civil Procedure Code (V of 1908), S.96 ---Appeal", ["96 CPC"]),
        ("Arts. 4 & 9 of the Constitution", ["4 Constitution", "9 Constitution"]),
        ("Article 199 of the Constitution of the Islamic Republic of Pakistan, 1973", [
            "199 Constitution"
        ]),
        ("Order VII, Rule 11, C.P.C.", ["O.VII R.11 CPC"]),
        ("Ord er VII, Rul e 3, C.P.C.", ["O.VII R.3 CPC"]),
        ("Order XXXIX, Rules 1, 2 & 4-A, C.P.C.", [
            "O.XXXIX R.1 CPC", "O.XXXIX R.2 CPC", "O.XXXIX R.4-A CPC"
        ]),
        ("Order XLI, Rule 27(1)(b) of the Code of Civil Procedure", ["O.XLI R.27(1)(b) CPC"]),
        ("Order VII Rule 11 CPC and section 151 CPC", ["O.VII R.11 CPC", "151 CPC"]),
        ("Const. P. No. D-1046/2019 was heard with 2 Const. P.", []),
        ("the 18th Amendment to the Constitution", []),
    ],
)  # fmt: skip
def test_civil_procedure_and_constitution(text: str, expected: list[str]) -> None:
    assert canon(text) == expected


def test_statutes_can_be_left_out_and_reports_stay_whole() -> None:
    text = "under section 302 PPC, following 2019 SCMR 1234"
    assert canon(text) == ["302 PPC", "2019 SCMR 1234"]
    assert canon(text, statutes=False) == ["2019 SCMR 1234"]


def test_canonical_citation_of_one_statute_and_of_junk() -> None:
    assert canonical_citation("302 ppc") == "302 PPC"
    assert canonical_citation("  s. 497(2) Cr.P.C. ") == "497(2) CrPC"
    assert canonical_citation("302/34 PPC") is None  # two references, not one citation
    assert canonical_citation("2019 SCMR 1234 and PLD 2010 SC 1") is None
    assert canonical_citation("the 2019 SCMR 1234 ruling") is None
    assert canonical_citation("") is None
    assert canonical_citation("P Cr. L J") is None


# --- look-alikes that must not match ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Crl. Appeal No. 9 of 2014",
        "FIR No. 189/2024, P.S. Makli",
        "Crime No. 14 of 2023",
        "Sessions Case No. 338 of 2023",
        "C.P. No. D-1046/2019",
        "decided on 12.6.2017",
        "Rs.18,00,000 in 2019",
        "2019 SCMR",  # no page
        "PLD SC 123",  # no year
        "2019 ABC 123",  # not a reporter
        "1999 304(sic)",
        "In 2015 SCMRs were printed 12 times",
        "PLD 1973 (sic) 110",
        "Special Case No. 274 of 2022 (ATC-XII Karachi)",
        "ISBN 2019 12",
        "12019 SCMR 123",
        "2019/SCMR/123/4",
    ],
)
def test_look_alikes_are_not_citations(text: str) -> None:
    assert find_citations(text) == []


def test_offsets_point_into_the_text() -> None:
    text = "Reliance: Haq Nawaz's case (2000 SCMR 785) and PLD 2003 S.C. 704; u/s 164 Cr.P.C."
    for c in find_citations(text):
        assert text[c.start : c.end] == c.raw


def test_reports_dated_after_the_judgment_are_flagged() -> None:
    found = find_citations("relying on 2019 SCMR 1, PLD 2031 SC 5 and u/s 302 PPC")
    assert [c.canonical for c in cited_after(found, 2020)] == ["PLD 2031 SC 5"]
    assert cited_after(found, 2031) == []
