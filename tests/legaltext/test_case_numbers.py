"""Court case numbers: the strict form-field parser and the running-text scanner."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legaltext.case_numbers import (
    CASE_TYPES,
    CaseNumber,
    CaseNumberError,
    find_case_numbers,
    lookup_case_type,
    parse_case_number,
)

YEAR = 2025  # "today" for these tests, so the future-year check does not drift


def parse(text: str) -> CaseNumber:
    return parse_case_number(text, current_year=YEAR)


# (raw, case_type, bench, number, prefix, registry, year, canonical)
DOMAIN_EXAMPLES = [
    ("Sessions Case No. 338 of 2023", "Sessions Case", None, 338, None, None, 2023, None),
    ("Special Case No. 274 of 2022", "Special Case", None, 274, None, None, 2022, None),
    ("New Special Case No. A-20 of 2013", "New Special Case", None, 20, "A", None, 2013, None),
    (
        "Criminal Bail Application 2020/2024",
        "Criminal Bail Application",
        None,
        2020,
        None,
        None,
        2024,
        "Criminal Bail Application No. 2020 of 2024",
    ),
    (
        "Crl. Bail Application No. 2623 of 2024",
        "Criminal Bail Application",
        None,
        2623,
        None,
        None,
        2024,
        "Criminal Bail Application No. 2623 of 2024",
    ),
    (
        "Cr. Bail Application No. S-24/2025",
        "Criminal Bail Application",
        "S",
        24,
        None,
        None,
        2025,
        "Criminal Bail Application No. S-24 of 2025",
    ),
    (
        "Crl. Acquittal Appeal No. D-15 of 2013",
        "Criminal Acquittal Appeal",
        "D",
        15,
        None,
        None,
        2013,
        "Criminal Acquittal Appeal No. D-15 of 2013",
    ),
    (
        "Special Criminal Anti-Terrorism (Acquittal) Appeal No. 61 of 2023",
        "Special Criminal Anti-Terrorism (Acquittal) Appeal",
        None,
        61,
        None,
        None,
        2023,
        None,
    ),
    (
        "Const. P. No. D-1046/2019",
        "Constitutional Petition",
        "D",
        1046,
        None,
        None,
        2019,
        "Constitutional Petition No. D-1046 of 2019",
    ),
    ("Criminal Appeal No. 32-L of 2012", "Criminal Appeal", None, 32, None, "L", 2012, None),
    (
        "Murder Reference No. 01-K of 2019",
        "Murder Reference",
        None,
        1,
        None,
        "K",
        2019,
        "Murder Reference No. 1-K of 2019",
    ),
]


@pytest.mark.parametrize(
    ("raw", "case_type", "bench", "number", "prefix", "registry", "year", "canonical"),
    DOMAIN_EXAMPLES,
)
def test_domain_formats(
    raw: str,
    case_type: str,
    bench: str | None,
    number: int,
    prefix: str | None,
    registry: str | None,
    year: int,
    canonical: str | None,
) -> None:
    cn = parse(raw)
    assert (cn.case_type, cn.bench, cn.number, cn.prefix, cn.registry, cn.year) == (
        case_type,
        bench,
        number,
        prefix,
        registry,
        year,
    )
    assert cn.raw == raw
    assert cn.canonical() == (canonical or raw)


@pytest.mark.parametrize(
    ("text", "case_type"),
    [
        ("Cr. B.A. No. 5/2021", "Criminal Bail Application"),
        ("Crl.B.A. No.5 of 2021", "Criminal Bail Application"),
        ("Bail Application No. 5 of 2021", "Criminal Bail Application"),
        ("Crl. A. No. 150 of 2018", "Criminal Appeal"),
        ("Cr. Appeal No. 150 of 2018", "Criminal Appeal"),
        ("Crl. Acq. A. No. 3 of 2018", "Criminal Acquittal Appeal"),
        ("Crl. J.A. No. 3 of 2018", "Criminal Jail Appeal"),
        ("Crl. M.A. No. 3 of 2018", "Criminal Miscellaneous Application"),
        ("Crl. Misc. Application No. 3 of 2018", "Criminal Miscellaneous Application"),
        ("Crl. Rev. Application No. 3 of 2018", "Criminal Revision Application"),
        ("Criminal Revision Petition No. 06 of 2016", "Criminal Revision Petition"),
        ("Constitution Petition No. 12 of 2019", "Constitutional Petition"),
        ("Const. Petition No. 12 of 2019", "Constitutional Petition"),
        ("Spl. Crl. A.T.A. No. 12 of 2020", "Special Criminal Anti-Terrorism Appeal"),
        ("Spl. Cr. ATA No. 12 of 2020", "Special Criminal Anti-Terrorism Appeal"),
        ("Spl. Crl. A.T.J.A. No. 12 of 2020", "Special Criminal Anti-Terrorism Jail Appeal"),
        (
            "Special Criminal Anti-Terrorism Acquittal Appeal No. 61 of 2023",
            "Special Criminal Anti-Terrorism (Acquittal) Appeal",
        ),
        ("Spl. Case No. 1 of 2020", "Special Case"),
        ("M.R. No. 3 of 2019", "Murder Reference"),
        ("SESSIONS CASE NO. 338 OF 2023", "Sessions Case"),
        ("sessions case no:338/2023", "Sessions Case"),
    ],
)
def test_abbreviations_and_spelling(text: str, case_type: str) -> None:
    assert parse(text).case_type == case_type


def test_bench_letters_only_for_bench_courts() -> None:
    # In a trial-court type an "S-" is a series prefix, not a High Court bench.
    cn = parse("Sessions Case No. S-12 of 2020")
    assert (cn.bench, cn.prefix) == (None, "S")
    cn = parse("Crl. Appeal No. A-5 of 2020")
    assert (cn.bench, cn.prefix) == (None, "A")
    cn = parse("cr. bail application no. s-24/2025")
    assert (cn.bench, cn.prefix) == ("S", None)


def test_raw_is_not_part_of_equality() -> None:
    assert parse("Cr. Bail Application No. S-24/2025") == parse(
        "Criminal Bail Application No. S-24 of 2025"
    )
    assert str(parse("Crl. A. No. 5 of 2020")) == "Criminal Appeal No. 5 of 2020"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The case number is empty"),
        ("Sessions Case No. of 2023", "The case number is missing in 'Sessions Case No. of 2023'"),
        ("Sessions Case of 2023", "The case number is missing"),
        ("Sessions Case No. 338", "The year is missing in 'Sessions Case No. 338'"),
        ("Sessions Case No. 338 of", "The year is missing"),
        ("Sessions Case", "The number and year are missing"),
        ("No. 338 of 2023", "The case type is missing"),
        ("338/2023", "The case type is missing"),
        ("Sessions Case No. 338/23", "The year '23' .* must have four digits"),
        ("Sessions Case No. 338 of 1899", "The year 1899 .* is before 1947"),
        ("Sessions Case No. 338 of 2026", "The year 2026 .* is in the future"),
        ("Sessions Case No. 0 of 2020", "must be 1 or more"),
        ("Sessions Case No. abc of 2020", "'abc' in .* is not a case number"),
        ("Foo Appeal No. 1 of 2020", "Unknown case type 'Foo Appeal'; known types: Sessions Case"),
        ("FIR No. 189/2024", "Unknown case type 'FIR'"),
        ("Crime No. 14 of 2023", "Unknown case type 'Crime'"),
        ("Civil Revision No. 3 of 2020", "Unknown case type 'Civil Revision'"),
        ("C.P. No. 5 of 2020", r"'C\.P\.' is ambiguous \(Constitutional Petition or Civil"),
        ("Sessions Case No. 338 of 2023 extra", "Cannot read"),
    ],
)
def test_malformed_numbers_are_rejected_with_a_message(text: str, message: str) -> None:
    with pytest.raises(CaseNumberError, match=message):
        parse(text)


def test_future_year_is_judged_against_the_callers_year() -> None:
    with pytest.raises(CaseNumberError, match="in the future"):
        parse_case_number("Sessions Case No. 1 of 2027", current_year=2026)
    assert parse_case_number("Sessions Case No. 1 of 1947", current_year=2026).year == 1947


def test_lookup_case_type() -> None:
    ct = lookup_case_type("Cr. B.A.")
    assert ct is not None and ct.name == "Criminal Bail Application"
    assert lookup_case_type("Crl. Bail Application 12") is None
    assert lookup_case_type("filed Crl. Bail Application") is None


# --- lenient scanner --------------------------------------------------------------------------

JUDGMENT = (
    "ORDER. The applicant filed Crl. Bail Application No. 2623 of 2024 after his arrest in FIR "
    "No. 189/2024, P.S. Makli, u/s 302/34 PPC, relying on 2010 YLR 470 and on the order in "
    "Crl. Acquittal Appeal No. D-15 of 2013. The connected Const. P. No. D-1046/2019 and "
    "Criminal\nBail Application 2020/2024 (district CFMS) were tagged; Crime No. 14 of 2023 is "
    "a separate matter, as is Sessions Case No.338 of 2023 and Special Criminal Anti-Terrorism "
    "(Acquittal) Appeal No. 61 of 2023. PLD 2019 SC 123; Criminal Appeal No. 32-L of 2012."
)


def test_scanner_on_a_judgment_paragraph() -> None:
    hits = find_case_numbers(JUDGMENT, current_year=YEAR)
    assert [cn.canonical() for cn, _, _ in hits] == [
        "Criminal Bail Application No. 2623 of 2024",
        "Criminal Acquittal Appeal No. D-15 of 2013",
        "Constitutional Petition No. D-1046 of 2019",
        "Criminal Bail Application No. 2020 of 2024",
        "Sessions Case No. 338 of 2023",
        "Special Criminal Anti-Terrorism (Acquittal) Appeal No. 61 of 2023",
        "Criminal Appeal No. 32-L of 2012",
    ]
    for cn, start, end in hits:
        assert JUDGMENT[start:end].split()[0] == cn.raw.split()[0]
    cn, start, end = hits[3]
    assert JUDGMENT[start:end] == "Criminal\nBail Application 2020/2024"
    assert cn.raw == "Criminal Bail Application 2020/2024"


@pytest.mark.parametrize(
    "text",
    [
        "FIR No. 189/2024 and Crime No. 14 of 2023",
        "2010 YLR 470, 2020 SCMR 1422, PLD 2019 SC 123",
        "decided on 12.6.2017; in the year 2014",
        "Civil Revision No. 3 of 2020",
        "Sessions Case No. 5 of 1890",
        "Sessions Case No. 5 of 2999",
    ],
)
def test_scanner_ignores_non_court_numbers(text: str) -> None:
    assert find_case_numbers(text, current_year=YEAR) == []


# --- properties -------------------------------------------------------------------------------


@st.composite
def case_numbers(draw: st.DrawFn) -> CaseNumber:
    ct = draw(st.sampled_from(CASE_TYPES))
    letter = draw(st.one_of(st.none(), st.sampled_from("SDAB")))
    bench = letter if letter in ("S", "D") and ct.benches else None
    prefix = letter if letter and not bench else None
    registry = draw(st.one_of(st.none(), st.sampled_from("LKPQ")))
    return CaseNumber(
        raw="",
        case_type=ct.name,
        bench=bench,
        number=draw(st.integers(1, 99999)),
        prefix=prefix,
        registry=registry,
        year=draw(st.integers(1947, YEAR)),
    )


@given(case_numbers())
def test_canonical_parses_back(cn: CaseNumber) -> None:
    assert parse(cn.canonical()) == cn


@given(case_numbers())
def test_canonical_is_found_in_prose(cn: CaseNumber) -> None:
    text = f"as held in {cn.canonical()}, decided earlier"
    [(hit, start, end)] = find_case_numbers(text, current_year=YEAR)
    assert hit == cn
    assert text[start:end] == cn.canonical()


_FIELDISH = st.text(alphabet="0123456789/-.:() CrlSsionCaeBAppNof", max_size=40)


@given(st.one_of(st.text(max_size=60), _FIELDISH))
def test_parser_only_raises_its_own_error_and_results_round_trip(text: str) -> None:
    try:
        cn = parse(text)
    except CaseNumberError:
        return
    assert parse(cn.canonical()) == cn
