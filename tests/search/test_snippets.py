"""Snippets mark exactly the words that matched, as indexing folds them."""

from __future__ import annotations

import random

from legaltext.search_terms import tokenize
from search.query_syntax import Words, parse_query, positive_leaves
from search.snippets import _match_spans, make_snippets


def snippets(query: str, text: str) -> tuple[str, ...]:
    return make_snippets([text], list(positive_leaves(parse_query(query))), 3, 200)


def test_words_are_marked_with_their_name_variants_and_whole_words_only() -> None:
    text = "Mohammad Ali applied for bail; the bailable offence was not made out. BAIL refused."
    (first,) = snippets("muhammad bail", text)
    assert "<mark>Mohammad</mark>" in first
    assert first.count("<mark>") == 3  # Mohammad, bail, BAIL — not "bailable"
    assert "<mark>bail</mark>able" not in first and "<mark>BAIL</mark>" in first


def test_prefixes_mark_the_words_whose_indexed_term_starts_with_them() -> None:
    text = "Bail, bailable and bailiff; Mohammad was present."
    (marked,) = snippets("bail*", text)
    assert marked.count("<mark>") == 3
    # "Mohammad" is indexed as "muhammad": "moha*" does not match it, "muha*" does.
    assert "<mark>" not in snippets("moha*", text)[0]
    assert "<mark>Mohammad</mark>" in snippets("muha*", text)[0]


def _reference_spans(text: str, words: list[Words]) -> list[tuple[int, int]]:
    """Every token matching a one-word leaf, by tokenising the whole text."""
    out = []
    for t in tokenize(text):
        if any(t.term.startswith(w.terms[0]) if w.prefix else t.term == w.terms[0] for w in words):
            out.append((t.start, t.end))
    return out


def test_one_word_queries_match_exactly_what_tokenising_finds() -> None:
    rng = random.Random(5)
    vocab = ["Muhammad", "Mohammed", "Muhammadi", "bail", "Bail-able", "bails", "302", "302/34",
             "x_bail", "bail2", "Ali", "Aly", "s.302", "acquittal", "ACQUITTED"]  # fmt: skip
    seps = [" ", ", ", "; ", "-", ".", "\n", " (", ") "]
    queries = ["muhammad", "bail", "bail*", "ali", "acquit*", "muham*", "302", "b*"]
    for _ in range(300):
        text = "".join(rng.choice(vocab) + rng.choice(seps) for _ in range(rng.randint(1, 40)))
        query = " ".join(rng.sample(queries, rng.randint(1, 3)))
        words = [leaf for leaf in positive_leaves(parse_query(query)) if isinstance(leaf, Words)]
        words = [w for w in words if len(w.terms) == 1]
        if not words:
            continue
        found = [(s, e) for s, e, _ in _match_spans(text, words)]
        assert found == _reference_spans(text, words), (query, text)


def _reference_section_spans(text: str, keys: list[str]) -> list[tuple[int, int]]:
    """Statute references covering `keys`, by scanning the whole text."""
    from legaltext.section_refs import find_section_refs
    from search.statute_keys import section_keys

    return [
        (f.start, f.end) for f in find_section_refs(text) if set(section_keys(f.ref)) & set(keys)
    ]


def test_references_are_found_around_their_numbers_as_in_the_whole_text() -> None:
    from search.query_syntax import Section

    rng = random.Random(8)
    refs = [
        "u/s 302, 324, 34 PPC",
        "section 302 of the Pakistan Penal Code",
        "302(b) P.P.C.",
        "Sections 497 and 498 Cr.P.C.",
        "s. 365-A PPC",
        "section 7 of the Anti-Terrorism Act",
        "u/s 9(c) CNSA",
        "302/34 PPC",
        "Article 13-D A.O.",
        "FIR No. 302 of 2011",
        "sections 302, 324, 337-A(i), 337-F(iii), 148, 149 of the Pakistan Penal Code",
    ]
    filler = [
        "The accused was arrested",
        "on 12.03.2011 at 302 Block",
        "the learned counsel",
        "argued that the prosecution",
        "witnesses 7 and 34 deposed",
        "with a pistol",
    ]
    queries = [["302 PPC"], ["302(b) PPC", "34 PPC"], ["497 CrPC"], ["365-A PPC"], ["7 ATA"],
               ["9(c) CNSA"], ["13-D AO"], ["337-A PPC"]]  # fmt: skip
    for _ in range(200):
        parts = [rng.choice(filler + refs) for _ in range(rng.randint(1, 60))]
        text = ". ".join(parts) + "."
        keys = rng.choice(queries)
        spans = [(s, e) for s, e, _ in _match_spans(text, [Section(k) for k in keys])]
        assert spans == _reference_section_spans(text, keys), (keys, text)
