"""Mizan's query language: lexer, parser and engine-neutral AST.

Both text-index adapters compile this AST (`search.tantivy_query` to Tantivy
queries, `search.elastic_query` to the Elasticsearch DSL), so a query means
the same on either engine, and errors read well to a clerk. The language is
documented in `search.tantivy_index`'s module docstring (the help page).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum

from legaltext.search_terms import terms
from search.port import QueryError
from search.statute_keys import QueryRef, find_query_refs

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_QUERY_WORDS",
    "Bool",
    "MatchAll",
    "Node",
    "Section",
    "Words",
    "parse_query",
    "positive_leaves",
]

MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 64
MAX_QUERY_DEPTH = 10


@dataclass(frozen=True)
class Words:
    """A word (one term), a phrase (several terms) or a prefix; terms are normalised."""

    terms: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Bool:
    """Lucene-style clause list: with any `must`, the `should` clauses only add score."""

    must: tuple[Node, ...] = ()
    should: tuple[Node, ...] = ()
    must_not: tuple[Node, ...] = ()


@dataclass(frozen=True)
class MatchAll:
    """A blank query: every visible passage (useful with filters)."""


@dataclass(frozen=True)
class Section:
    """Passages about a statute provision: `key` is in their `sections` field."""

    key: str


Node = Words | Bool | MatchAll | Section


class _Occur(Enum):
    MUST = "must"
    SHOULD = "should"
    MUST_NOT = "must_not"


@dataclass(frozen=True)
class _Lex:
    kind: str  # WORD PHRASE REF ( ) AND OR NOT + -
    text: str = ""
    prefix: bool = False
    ref: QueryRef | None = None


_SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "″": '"'})
_OPERATORS = {"AND", "OR", "NOT"}


def _lex(query: str) -> list[_Lex]:
    out: list[_Lex] = []
    q = query.translate(_SMART_QUOTES)
    refs = {r.start: r for r in find_query_refs(q) if '"' not in q[r.start : r.end]}
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
        elif i in refs:  # a statute reference is one unit ("302/34 PPC", "s.302(b)")
            ref = refs[i]
            out.append(_Lex("REF", q[i : ref.end], ref=ref))
            i = ref.end
        elif c == '"':
            j = q.find('"', i + 1)
            if j < 0:
                raise QueryError('A quotation mark (") is not closed: add one after the phrase.')
            out.append(_Lex("PHRASE", q[i + 1 : j]))
            i = j + 1
        elif c in "()" or (c in "+-" and q[i + 1 : i + 2].strip() not in ("", "+", "-", ")")):
            out.append(_Lex(c))  # +/- directly before a word: require/exclude
            i += 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in '()"':
                j += 1
            word = q[i:j]
            i = j
            if word in _OPERATORS:
                out.append(_Lex(word))
                continue
            stem = word.rstrip("*")
            if "*" in stem:
                raise QueryError(
                    f'"*" can only end a word (as in murd*), not appear inside it: {word}'
                )
            out.append(_Lex("WORD", stem, prefix=stem != word))
    return out


class _Parser:
    """Recursive descent over the lexemes; see the module docstring for the grammar."""

    def __init__(self, lexemes: list[_Lex]) -> None:
        self.lex = lexemes
        self.pos = 0
        self.words = 0

    def peek(self) -> str | None:
        return self.lex[self.pos].kind if self.pos < len(self.lex) else None

    def take(self) -> _Lex:
        lexeme = self.lex[self.pos]
        self.pos += 1
        return lexeme

    def clause_list(self, depth: int) -> Node | None:
        if depth > MAX_QUERY_DEPTH:
            raise QueryError("Too many nested brackets.")
        items: list[tuple[_Occur, Node | None]] = []
        while True:
            kind = self.peek()
            if kind is None:
                if depth:
                    raise QueryError('A bracket "(" is not closed: add a ")".')
                break
            if kind == ")":
                if not depth:
                    raise QueryError('There is a ")" without a matching "(".')
                self.take()
                if not items:
                    raise QueryError("The brackets are empty: put words inside them.")
                break
            if kind in ("AND", "OR"):  # (AND after a word is consumed by _and_group)
                self.take()
                if kind == "AND" or not items or self.peek() in (None, ")", "AND", "OR"):
                    raise QueryError(f"{kind} needs a word on each side, as in bail {kind} remand.")
                continue
            occur, node = self.unary(depth)
            if self.peek() == "AND":
                node = self._and_group(node, occur, depth)
                occur = _Occur.SHOULD
            items.append((occur, node))
        return _combine(items)

    def _and_group(self, first: Node | None, first_occur: _Occur, depth: int) -> Node | None:
        parts = [(_Occur.MUST if first_occur is _Occur.SHOULD else first_occur, first)]
        while self.peek() == "AND":
            self.take()
            if self.peek() in (None, ")", "AND", "OR"):
                raise QueryError("AND needs a word on each side, as in murder AND theft.")
            occur, node = self.unary(depth)
            parts.append((_Occur.MUST if occur is _Occur.SHOULD else occur, node))
        return _combine(parts)

    def unary(self, depth: int) -> tuple[_Occur, Node | None]:
        kind = self.peek()
        if kind in ("NOT", "-", "+"):
            self.take()
            if self.peek() in (None, ")", "AND", "OR", "NOT", "+", "-"):
                name = "NOT" if kind == "NOT" else f'"{kind}"'
                raise QueryError(f"{name} must be followed by a word, as in NOT acquitted.")
            return (_Occur.MUST if kind == "+" else _Occur.MUST_NOT), self.primary(depth)
        return _Occur.SHOULD, self.primary(depth)

    def primary(self, depth: int) -> Node | None:
        lexeme = self.take()
        if lexeme.kind == "(":
            return self.clause_list(depth + 1)
        if lexeme.kind == "REF" and lexeme.ref is not None:
            self.words += 1
            ref = lexeme.ref
            sections = tuple(Section(k) for k in ref.keys)
            structured = sections[0] if len(sections) == 1 else Bool(must=sections)
            written = tuple(Words(w) for w in (*ref.sections, ref.act) if w)
            text = written[0] if len(written) == 1 else Bool(must=written)
            return Bool(should=(text, structured))
        if lexeme.kind == "PHRASE" and not lexeme.text.strip():
            raise QueryError("The quotation marks are empty: put the exact words between them.")
        found = tuple(terms(lexeme.text))
        if lexeme.prefix and not found:
            raise QueryError('"*" must follow the start of a word, as in murd*.')
        if not found:
            return None  # punctuation only: nothing to look for
        self.words += 1
        if self.words > MAX_QUERY_WORDS:
            raise QueryError(f"The search is too long: use at most {MAX_QUERY_WORDS} words.")
        return Words(found, prefix=lexeme.prefix)


def _combine(items: Sequence[tuple[_Occur, Node | None]]) -> Node | None:
    kept = [(occur, node) for occur, node in items if node is not None]
    if not kept:
        return None
    if len(kept) == 1 and kept[0][0] is not _Occur.MUST_NOT:
        return kept[0][1]
    by = {occur: tuple(node for o, node in kept if o is occur) for occur in _Occur}
    return Bool(must=by[_Occur.MUST], should=by[_Occur.SHOULD], must_not=by[_Occur.MUST_NOT])


def parse_query(query: str) -> Node:
    """Parse the user's query into an engine-neutral AST; raise QueryError if malformed."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"The search is too long: use at most {MAX_QUERY_CHARS} characters.")
    if not query.strip():
        return MatchAll()
    node = _Parser(_lex(query)).clause_list(0)
    if node is None:
        raise QueryError("There are no words to search for: use letters or numbers.")
    return node


def positive_leaves(node: Node) -> Iterator[Words | Section]:
    """The words and sections a hit matched because of (exclusions are never highlighted)."""
    if isinstance(node, Words | Section):
        yield node
    elif isinstance(node, Bool):
        for child in (*node.must, *node.should):
            yield from positive_leaves(child)
