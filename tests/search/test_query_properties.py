"""Properties of the search query language: whatever a person types, the parser answers with
a query or a :class:`QueryError` sentence, and both engines compile what it parses.

The search box takes any text (pasted FIR paragraphs, Urdu, stray brackets and quotes); any
other exception there would be a 500 instead of a message under the box.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from search import elastic_query, tantivy_query
from search.port import QueryError
from search.query_syntax import MAX_QUERY_CHARS, parse_query, positive_leaves
from search.snippets import make_snippets

MODEST = settings(max_examples=100, deadline=None)

# Pieces of the query language, so random queries reach deep into the grammar.
_TOKENS = st.sampled_from(
    [
        " ",
        "(",
        ")",
        '"',
        "*",
        "-",
        "+",
        "AND ",
        "OR ",
        "NOT ",
        "NEAR ",
        "murd*",
        "bail",
        "302 PPC",
        "s. 302",
        "u/s 324/34",
        "7(1)(a) ATA",
        "Section 497 Cr.P.C.",
        "قتل",
        "ضمانت",
        "٣٠٢",
        "\u200f",
        "\x00",
        "\t",
    ]
)
QUERIES = st.one_of(
    st.text(max_size=120),
    st.lists(st.one_of(_TOKENS, st.text(max_size=3)), max_size=40).map("".join),
)


@MODEST
@given(QUERIES)
def test_parser_answers_a_query_or_its_own_error_and_both_engines_compile_it(query: str) -> None:
    try:
        node = parse_query(query)
    except QueryError as exc:
        assert str(exc).strip()  # a sentence for the person who typed it
        return
    tantivy_query.compile_node(node)
    elastic_query.compile_node(node)
    leaves = list(positive_leaves(node))
    passages = [query, "The accused murdered the deceased; bail under section 302 PPC refused."]
    assert all(isinstance(s, str) for s in make_snippets(passages, leaves, 3, 200))


@settings(max_examples=20, deadline=None)
@given(st.text(min_size=MAX_QUERY_CHARS + 1, max_size=MAX_QUERY_CHARS + 50))
def test_overlong_queries_are_refused_with_a_sentence(query: str) -> None:
    try:
        parse_query(query)
    except QueryError as exc:
        assert "too long" in str(exc)
    else:
        raise AssertionError("an over-long query was accepted")
