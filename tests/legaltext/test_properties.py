"""Properties of every legal-text parser: none raises on arbitrary text (Urdu and Arabic
script, control characters, fragments of legal notation), and what a parser formats it
reads back.

The parsers read FIRs, judgments and form fields typed by clerks, so any string can reach
them; an exception there would fail an import or a form rather than report a bad value.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from legaltext.act_names import ACTS, act_regex, get_act, match_act, resolve_act
from legaltext.case_numbers import (
    CaseNumberError,
    find_case_numbers,
    lookup_case_type,
    parse_case_number,
)
from legaltext.law_reports import NEUTRAL, REPORT, canonical_citation, find_citations
from legaltext.person_names import (
    CNIC,
    name_key,
    normalise_cnic,
    parse_parentage,
    split_aliases,
)
from legaltext.search_terms import folded_from, terms, tokenize
from legaltext.section_refs import (
    SectionRefError,
    find_cross_references,
    find_section_refs,
    parse_section_refs,
)
from legaltext.statute_amendments import Amendment, render_readable, strip_amendments
from legaltext.statute_structure import normalise_section_number, parse_act, section_sort_key

YEAR = 2025
MODEST = settings(deadline=None)  # default example count: the suite stays fast

# --- arbitrary text ---------------------------------------------------------------------------

_URDU = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
_CONTROL = st.characters(categories=["Cc", "Cf"])  # NUL, tabs, bidi marks, zero-width joiners
_SCRIPT = st.text(
    alphabet=st.one_of(_URDU, _CONTROL, st.sampled_from(" .,-/()[]:@0123456789\n")),
    max_size=200,
)
# Pieces of the notations the parsers look for, so that random text reaches deep into the
# grammars instead of failing at the first character.
_TOKENS = st.sampled_from(
    [
        " ",
        "\n",
        "302",
        "34",
        "7(1)(a)",
        "337-A",
        "(b)",
        "/",
        ", ",
        " & ",
        " r/w ",
        "u/s ",
        "Section ",
        "Ss. ",
        " of the ",
        "PPC",
        "P.P.C.",
        "Cr.P.C.",
        "ATA",
        "Ata",
        "Anti-Terrorism Act, 1997",
        "(XLV of 1860)",
        "Arms Act",
        "Crl. Bail Application ",
        "Sessions Case ",
        "Const. P. ",
        "No. ",
        "S-",
        "D-",
        "-L",
        " of ",
        "2019",
        "1860",
        "2 016",
        "SCMR",
        "S C M R",
        "P Cr. L J",
        "PLD ",
        "PLJ ",
        "NLR ",
        " SC ",
        "(AJ&K)",
        "Lahore ",
        "Note ",
        "page ",
        "2022 LHC ",
        "SHC KHI ",
        "Order VII, Rule 11, CPC",
        "### Section 5. Title.\n",
        "# 375. Rape:-\n",
        "223. Escape from confinement:\n",
        "CHAPTER XVI-A\n",
        "**Of Rape**\n",
        "Explanation.- ",
        "Provided that ",
        "Illustrations\n",
        "(1) ",
        "(ii) ",
        "1[",
        "] 1",
        "[ ] 8",
        "¹³⁷[",
        "[text]^(140)",
        "1. Subs. by Act II of 2005, s. 3.\n",
        "---\n",
        "Mst. ",
        "Muhammad ",
        "Mohd. Hussain",
        " @ ",
        " alias ",
        " s/o ",
        " r/o ",
        "42101-1234567-1",
        "دفعہ ۳۰۲",
        "محمد",
        "\x00",
        "\u200f",
        "٣٠٢",
    ]
)
_MIXED = st.lists(st.one_of(_TOKENS, st.text(max_size=4)), max_size=30).map("".join)
ARBITRARY = st.one_of(st.text(max_size=200), _SCRIPT, _MIXED)


# --- act names --------------------------------------------------------------------------------


@MODEST
@given(ARBITRARY, st.integers(0, 200))
def test_act_names_never_raise(text: str, pos: int) -> None:
    found = match_act(text, min(pos, len(text)))
    if found is not None:
        assert get_act(found[0]) in ACTS
        assert found[1] <= len(text)
    resolve_act(text)
    acts_rx = act_regex()
    for m in acts_rx.pattern.finditer(text):
        assert acts_rx.code_of(m) in {a.code for a in ACTS}
        acts_rx.is_name_like(m)


_ALIASES = [(act.code, alias) for act in ACTS for alias in (act.code, act.title, *act.aliases)]


@MODEST
@given(st.sampled_from(_ALIASES), st.sampled_from(["", ".", " "]))
def test_every_alias_resolves_to_its_own_act(pair: tuple[str, str], trail: str) -> None:
    code, alias = pair
    found = resolve_act(alias + trail)
    assert found is not None and found.code == code


# --- section references -----------------------------------------------------------------------


@MODEST
@given(ARBITRARY)
def test_section_parser_only_raises_its_own_error_and_round_trips(text: str) -> None:
    try:
        refs = parse_section_refs(text)
    except SectionRefError:
        return
    for ref in refs:
        assert parse_section_refs(ref.canonical()) == [ref]


@MODEST
@given(ARBITRARY)
def test_section_scanners_never_raise_and_spans_point_into_the_text(text: str) -> None:
    for f in [*find_section_refs(text), *find_cross_references(text, "PPC")]:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end].strip() == f.ref.raw
        assert parse_section_refs(f.ref.canonical()) == [f.ref]


# --- case numbers -----------------------------------------------------------------------------


@MODEST
@given(ARBITRARY)
def test_case_number_parser_only_raises_its_own_error_and_round_trips(text: str) -> None:
    lookup_case_type(text)
    try:
        cn = parse_case_number(text, current_year=YEAR)
    except CaseNumberError:
        return
    assert parse_case_number(cn.canonical(), current_year=YEAR) == cn


@MODEST
@given(ARBITRARY)
def test_case_number_scanner_never_raises_and_round_trips(text: str) -> None:
    for cn, start, end in find_case_numbers(text, current_year=YEAR):
        assert 0 <= start < end <= len(text)
        assert parse_case_number(cn.canonical(), current_year=YEAR) == cn


# --- person names -----------------------------------------------------------------------------


@MODEST
@given(ARBITRARY)
def test_name_readers_never_raise(text: str) -> None:
    assert re.fullmatch(r"[a-z ]*", name_key(text))
    first, aliases = split_aliases(text)
    assert isinstance(first, str) and all(isinstance(a, str) for a in aliases)
    relation, parent = parse_parentage(text)
    assert relation is not None or parent is None
    cnic = normalise_cnic(text)
    assert cnic is None or (CNIC.match(cnic) and normalise_cnic(cnic) == cnic)


@MODEST
@given(st.text(alphabet="0123456789", min_size=13, max_size=13), st.sampled_from(["", "-", " "]))
def test_cnic_formats_and_reads_back(digits: str, sep: str) -> None:
    typed = f"{digits[:5]}{sep}{digits[5:12]}{sep}{digits[12]}"
    cnic = normalise_cnic(typed)
    assert cnic == f"{digits[:5]}-{digits[5:12]}-{digits[12]}"
    assert normalise_cnic(cnic) == cnic


# --- statute structure ------------------------------------------------------------------------


@MODEST
@given(ARBITRARY)
def test_statute_reader_never_raises_and_spans_fit_their_text(text: str) -> None:
    act = parse_act(text, code="PPC")
    for section in act.sections:
        assert act.section(section.number) is section
        section_sort_key(section.number)
        section.readable()
        for provision in section.walk():
            provision.readable()
        for r in section.references:
            assert section.text[r.start : r.end] == r.raw


@MODEST
@given(ARBITRARY)
def test_amendment_markers_never_raise(text: str) -> None:
    clean, spans, _notes = strip_amendments(text)
    for a in spans:
        assert 0 <= a.start <= a.end <= len(clean)
    amendments = [Amendment(a.mark, a.kind, a.start, a.end) for a in spans]
    assert render_readable(clean, []) == clean
    render_readable(clean, amendments)


_WORDS = st.lists(st.sampled_from(["Of", "escape", "rape", "the", "public", "servant"]), min_size=1)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 999), st.sampled_from(["", "A", "B", "EE"]), _WORDS, _WORDS),
        min_size=1,
        max_size=6,
        unique_by=lambda t: (t[0], t[1]),
    )
)
def test_section_headings_written_out_read_back(
    sections: list[tuple[int, str, list[str], list[str]]],
) -> None:
    sections.sort(key=lambda t: (t[0], t[1]))
    parts = []
    for number, letter, title, body in sections:
        head = f"{number}-{letter}" if letter else str(number)
        parts.append(f"### Section {head}. {' '.join(title).capitalize()}.\n\n{' '.join(body)}\n")
    act = parse_act("\n".join(parts), code="PPC")
    expected = [
        (f"{n}-{letter}" if letter else str(n), " ".join(t).capitalize(), " ".join(b))
        for n, letter, t, b in sections
    ]
    assert [(s.number, s.title, s.text) for s in act.sections] == expected


@MODEST
@given(st.integers(0, 999), st.sampled_from(["", "a", "A", "ee"]), st.sampled_from(["", " ", "-"]))
def test_section_numbers_normalise_once(number: int, letter: str, sep: str) -> None:
    once = normalise_section_number(f"{number:03d}{sep if letter else ''}{letter}")
    assert once == (f"{number}-{letter.upper()}" if letter else str(number))
    assert normalise_section_number(once) == once
    section_sort_key(once)


# --- law reports ------------------------------------------------------------------------------


@MODEST
@given(ARBITRARY)
def test_citation_finder_never_raises_and_spans_point_into_the_text(text: str) -> None:
    for c in find_citations(text):
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start : c.end] == c.raw
    canonical_citation(text)


_YEARS = st.integers(1900, 2099)
_PAGES = st.integers(1, 99999)
_YEAR_FIRST = ["SCMR", "PCrLJ", "YLR", "MLD", "CLC", "PLC(CS)", "PLC", "PTD", "CLD", "KLR", "PSC"]
_BENCHES = ["SC", "FSC", "FC", "PC", "ShC", "Lah", "Kar", "Sindh", "Pesh", "Quetta", "Bal", "Isl"]
_NEUTRAL = ["LHC", "IHC", "PHC", "BHC", "SCP", "SHC KHI", "SHC SUK", "SHC HYD"]
_CITATIONS = st.one_of(
    st.builds(lambda y, s, p: f"{y} {s} {p}", _YEARS, st.sampled_from(_YEAR_FIRST), _PAGES),
    st.builds(lambda y, s, p: f"{y} {s} Note {p}", _YEARS, st.sampled_from(_YEAR_FIRST), _PAGES),
    st.builds(
        lambda r, y, c, p: f"{r} {y} {c} {p}",
        st.sampled_from(["PLD", "PLJ"]),
        _YEARS,
        st.sampled_from(_BENCHES),
        _PAGES,
    ),
    st.builds(
        lambda y, c, n: f"{y} {c} {n}",
        _YEARS,
        st.sampled_from(_NEUTRAL),
        st.integers(1, 999999),
    ),
)


@MODEST
@given(_CITATIONS)
def test_canonical_citations_read_back(canonical: str) -> None:
    assert canonical_citation(canonical) == canonical
    text = f"reliance was placed on {canonical}, which was followed"
    [found] = find_citations(text)
    assert found.canonical == canonical
    assert found.kind in (REPORT, NEUTRAL)
    assert text[found.start : found.end] == canonical


# --- search terms -----------------------------------------------------------------------------


@MODEST
@given(ARBITRARY)
def test_search_terms_never_raise_and_offsets_point_into_the_text(text: str) -> None:
    tokens = tokenize(text)
    for token in tokens:
        assert 0 <= token.start < token.end <= len(text)
        assert token.term
        assert terms(token.term) == [token.term]  # a folded term folds to itself
    assert terms(text) == [t.term for t in tokens]
    for token in tokens[:5]:
        folded_from(token.term, prefix=True)


_FIR_TOKENS = st.sampled_from(
    ["Place of occurrence:", "Brief facts:", "جائے وقوعہ", "مختصر حالات", "Signature", "10:30",
     "1030", " hours", " pm", "بجے", "42101-1234567-1", "4210112345671", "Date", "\n", " "]
)  # fmt: skip


@MODEST
@given(st.one_of(ARBITRARY, st.lists(st.one_of(_FIR_TOKENS, st.text(max_size=4))).map("".join)))
def test_fir_field_readers_never_raise_and_spans_point_into_the_text(text: str) -> None:
    from legaltext.fir_fields import find_cnics, find_narrative, find_places, find_times

    for span in [*find_cnics(text), *find_times(text), *find_places(text)]:
        assert 0 <= span.start < span.end <= len(text)
    narrative = find_narrative(text)
    if narrative is not None:
        assert 0 <= narrative.start <= narrative.end <= len(text) and narrative.value
