"""Snippets: the matched words marked on the original text, for any engine.

Engine-neutral (both text-index adapters and the fused ranking use it): the
highlighter tokenises with `legaltext.search_terms`, as indexing does, so it marks
exactly the words that matched, diacritics and all; everything else is
HTML-escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from legaltext.search_terms import Token, folded_from, terms, tokenize
from legaltext.section_refs import find_section_refs
from search.query_syntax import Section, Words
from search.statute_keys import section_keys

__all__ = ["make_snippets"]


_SPACES = re.compile(r"\s+")


_Span = tuple[int, int, frozenset[int]]  # start, end, indexes of the query leaves matched


#: Characters after a candidate word tokenised to confirm a phrase, per further phrase word.
_PHRASE_REACH = 60


@lru_cache(maxsize=1024)
def _candidates(words: tuple[Words, ...]) -> re.Pattern[str] | None:
    """A regex finding, in ASCII text, every word that may start a match of `words`.

    A superset: each hit is confirmed by tokenising the text around it, so
    only those regions are tokenised (tokenising a whole 200-word passage per
    hit was 85% of a query's time). None if a term is not ASCII.
    """
    alts = []
    for w in words:
        first = w.terms[0]
        if not first.isascii():
            return None
        prefix = w.prefix and len(w.terms) == 1
        forms = [re.escape(first) + ("[A-Za-z0-9]*" if prefix else "")]
        forms += [re.escape(v) for v in folded_from(first, prefix=prefix)]
        alts += forms
    if not alts:
        return None
    return re.compile(rf"(?<![A-Za-z0-9])(?:{'|'.join(alts)})(?![A-Za-z0-9])", re.IGNORECASE)


#: Regions of a passage tokenised for snippets: the ones where most query words meet.
MAX_REGIONS = 4


@lru_cache(maxsize=1024)
def _leaf_of(words: tuple[Words, ...]) -> Callable[[str], frozenset[int]]:
    """Which leaves a candidate word (as written) may start."""
    specs = [
        (w.terms[0], frozenset(folded_from(w.terms[0], prefix=w.prefix and len(w.terms) == 1)),
         w.prefix and len(w.terms) == 1)
        for w in words
    ]  # fmt: skip

    def leaves(word: str) -> frozenset[int]:
        low = word.lower()
        return frozenset(
            i
            for i, (first, forms, prefix) in enumerate(specs)
            if low in forms or (low.startswith(first) if prefix else low == first)
        )

    return leaves


def _near_candidates(
    text: str, words: tuple[Words, ...], window: int
) -> list[tuple[int, list[Token]]]:
    """(offset, tokens) of the regions of `text` where `words` may match (all of it for
    non-ASCII); token offsets are relative to the region (no phrase spans two regions).

    Candidate words are grouped into windows of `window` characters; the
    MAX_REGIONS windows with the most distinct query words are tokenised.
    """
    rx = _candidates(words) if text.isascii() else None
    if rx is None:
        return [(0, tokenize(text))]
    leaf_of = _leaf_of(words)
    groups: list[tuple[int, int, frozenset[int], int]] = []  # start, end, leaves, hits
    for m in rx.finditer(text):
        found = leaf_of(m.group())
        if groups and m.start() - groups[-1][0] < window:
            g = groups[-1]
            groups[-1] = (g[0], m.end(), g[2] | found, g[3] + 1)
        else:
            groups.append((m.start(), m.end(), found, 1))
    best = sorted(groups, key=lambda g: (-len(g[2]), -g[3], g[0]))[:MAX_REGIONS]
    reach = _PHRASE_REACH * max(len(w.terms) for w in words)
    regions: list[tuple[int, int]] = []
    for start, last, _, _ in sorted(best):
        stop = text.find(" ", min(len(text), last + reach))
        stop = len(text) if stop < 0 else stop
        if regions and start <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(stop, regions[-1][1]))
        else:
            regions.append((start, stop))
    return [(start, tokenize(text[start:stop])) for start, stop in regions]


def _leaf_matches(
    tokens: list[Token], where: dict[str, list[int]], leaf: Words
) -> Iterator[tuple[int, int]]:
    """(first, last) token indexes where `leaf` matches; `where` maps a term to its indexes."""
    n = len(leaf.terms)
    if leaf.prefix and n == 1:
        stem = leaf.terms[0]
        yield from ((i, i) for i, t in enumerate(tokens) if t.term.startswith(stem))
        return
    for i in where.get(leaf.terms[0], ()):
        if i + n > len(tokens):
            break
        if all(tokens[i + k].term == leaf.terms[k] for k in range(1, n - 1)):
            last = tokens[i + n - 1].term
            if last.startswith(leaf.terms[-1]) if leaf.prefix else last == leaf.terms[-1]:
                yield i, i + n - 1


def _word_spans(text: str, leaves: Sequence[Words | Section], rx: re.Pattern[str]) -> list[_Span]:
    """Matches of one-word leaves in ASCII text, found by the candidate regex alone.

    Each candidate is a whole word, so folding that word as indexing does
    (`terms`) confirms it exactly; no region is tokenised (that was most of
    a common word's snippet time).
    """
    singles = [(li, w.terms[0], w.prefix) for li, w in enumerate(leaves) if isinstance(w, Words)]
    out: list[_Span] = []
    known: dict[str, frozenset[int]] = {}  # a word as written -> the leaves it matches
    for m in rx.finditer(text):
        word = m.group()
        hit = known.get(word)
        if hit is None:
            folded = _fold(word)
            term = folded[0] if len(folded) == 1 else None
            hit = known[word] = frozenset(
                li
                for li, t, pre in singles
                if term is not None and (term.startswith(t) if pre else term == t)
            )
        if hit:
            out.append((m.start(), m.end(), hit))
    return out


@lru_cache(maxsize=4096)
def _fold(word: str) -> tuple[str, ...]:
    """`terms` of one candidate word, cached: a common word recurs hundreds of times a page."""
    return tuple(terms(word))


#: Characters around a section number scanned for the reference it belongs to: more than a
#: long list ("sections 302, 324, 337-A(i), 148, 149 of the Pakistan Penal Code") spans.
_REFERENCE_REACH = 240


def _number_regions(text: str, numbers: Collection[str]) -> list[tuple[int, int]]:
    """Regions of `text` around the query's section numbers, merged, cut between words.

    Scanning these instead of the whole passage for statute references took a
    reference query's snippets from ~5 to ~2 ms a page (the scanner looks for
    every act name first).
    """
    if not numbers:
        return []
    rx = re.compile(rf"(?<!\d)(?:{'|'.join(sorted(numbers))})(?!\d)")
    regions: list[tuple[int, int]] = []
    for m in rx.finditer(text):
        lo = max(0, m.start() - _REFERENCE_REACH)
        hi = min(len(text), m.end() + _REFERENCE_REACH)
        if lo > 0:  # start after a space, so no word is cut in half
            space = text.find(" ", lo, m.start())
            lo = space + 1 if space >= 0 else m.start()
        if hi < len(text):
            space = text.rfind(" ", m.end(), hi)
            hi = space if space >= 0 else m.end()
        if regions and lo <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(hi, regions[-1][1]))
        else:
            regions.append((lo, hi))
    return regions


def _match_spans(text: str, leaves: Sequence[Words | Section], window: int = 200) -> list[_Span]:
    """The places in the text where positive query leaves match, overlaps merged.

    Queries of single words in ASCII text are matched word by word (see
    _word_spans); otherwise, in long ASCII text only the best `window`-sized
    regions are examined (see _near_candidates): enough for the few snippets
    shown.
    """
    spans: list[_Span] = []
    words = tuple(leaf for leaf in leaves if isinstance(leaf, Words))
    rx = _candidates(words) if words and text.isascii() else None
    if rx is not None and all(len(w.terms) == 1 for w in words):
        spans += _word_spans(text, leaves, rx)
        regions = []
    else:
        regions = _near_candidates(text, words, window) if words else []
    wanted = {leaf.key: li for li, leaf in enumerate(leaves) if isinstance(leaf, Section)}
    numbers = {re.match(r"\d+", key).group() for key in wanted}  # type: ignore[union-attr]
    for lo, hi in _number_regions(text, numbers) if wanted else ():
        # statute references near the query's section numbers that its references cover
        for found in find_section_refs(text[lo:hi]):
            hit = [wanted[k] for k in section_keys(found.ref) if k in wanted]
            if hit:
                spans.append((lo + found.start, lo + found.end, frozenset(hit)))
    indexed = []
    for offset, tokens in regions:
        where: dict[str, list[int]] = {}
        for i, t in enumerate(tokens):
            where.setdefault(t.term, []).append(i)
        indexed.append((offset, tokens, where))
    for li, leaf in enumerate(leaves):
        if isinstance(leaf, Section):
            continue
        for offset, tokens, where in indexed:
            spans += [
                (offset + tokens[i].start, offset + tokens[j].end, frozenset([li]))
                for i, j in _leaf_matches(tokens, where, leaf)
            ]
    spans.sort(key=lambda sp: (sp[0], sp[1]))
    merged: list[_Span] = []
    for span in spans:  # overlapping matches (a phrase and its own word) become one mark
        if merged and span[0] < merged[-1][1]:
            prev = merged[-1]
            merged[-1] = (prev[0], max(prev[1], span[1]), prev[2] | span[2])
        else:
            merged.append(span)
    return merged


def _last_space(text: str, lo: int, hi: int, *, default: int) -> int:
    """Index of the last whitespace in text[lo:hi], so a window ends between words."""
    for i in range(hi - 1, lo - 1, -1):
        if text[i].isspace():
            return i
    return default


def _clean(s: str) -> str:
    return html.escape(_SPACES.sub(" ", s), quote=True)


#: Characters before and after a fragment's matches read for its two words either side.
_CORE_REACH = 120


@dataclass(frozen=True)
class _Fragment:
    score: tuple[int, int]  # (distinct leaves matched, matches)
    text: str
    start: int
    end: int
    spans: Sequence[_Span]

    def html(self) -> str:  # rendered only for the fragments actually shown
        return _window(self.text, self.start, self.end, self.spans)

    def core(self) -> str:
        """The matched region with two words either side: the same place seen through two
        overlapping passages is one snippet; the same word elsewhere is another. Made only
        for the fragments considered (splitting the text before every match of a common
        word was most of its snippet time)."""
        lo, hi = self.spans[0][0], self.spans[-1][1]
        before = self.text[max(0, lo - _CORE_REACH) : lo].split()[-2:]
        after = self.text[hi : hi + _CORE_REACH].split()[:2]
        return " ".join([*before, self.text[lo:hi], *after])


def _window(text: str, start: int, end: int, spans: Sequence[_Span]) -> str:
    out = ["…" if start > 0 else ""]
    pos = start
    for s, e, _ in spans:
        out.append(_clean(text[pos:s]))
        out.append(f"<mark>{_clean(text[s:e])}</mark>")
        pos = e
    out.append(_clean(text[pos:end]))
    out.append("…" if end < len(text) else "")
    body = "".join(out)
    return body.strip()


def _fragments(text: str, leaves: Sequence[Words | Section], max_chars: int) -> list[_Fragment]:
    """Windows of about `max_chars` around matches, best first."""
    spans = _match_spans(text, leaves, max_chars) if leaves else []
    frags: list[_Fragment] = []
    i = 0
    while i < len(spans):
        first = spans[i][0]
        start = max(0, first - max_chars // 4)
        if start > 0:  # do not cut a word in half at the start
            gap = re.search(r"\s", text[start:first])
            start = start + gap.end() if gap else first
        end = max(min(len(text), start + max_chars), spans[i][1])
        j = i
        while j < len(spans) and spans[j][1] <= end:
            j += 1
        if end < len(text) and not text[end].isspace():  # nor at the end
            end = _last_space(text, spans[j - 1][1], end, default=end)
        chosen = spans[i:j]
        score = (len(frozenset().union(*(li for _, _, li in chosen))), len(chosen))
        frags.append(_Fragment(score, text, start, end, chosen))
        i = j
    frags.sort(key=lambda f: f.score, reverse=True)
    return frags


def _lead(text: str, max_chars: int) -> str:
    """The start of the text, for hits with nothing to highlight (title match, blank query)."""
    end = min(len(text), max_chars)
    if end < len(text) and not text[end].isspace():
        end = _last_space(text, 0, end, default=end)
    return _window(text, 0, end, ())


def make_snippets(
    texts: Sequence[str], leaves: Sequence[Words | Section], max_snippets: int, max_chars: int
) -> tuple[str, ...]:
    """Take fragments round-robin over the passages (best passage first), no duplicates."""
    per_passage = [_fragments(t, leaves, max_chars) for t in texts]
    out: list[str] = []
    seen: set[str] = set()
    for rank in range(max((len(f) for f in per_passage), default=0)):
        for frags in per_passage:
            if rank < len(frags) and len(out) < max_snippets:
                frag = frags[rank]
                key = _SPACES.sub(" ", frag.core())
                if key not in seen:
                    seen.add(key)
                    out.append(frag.html())
    if not out and texts and texts[0].strip():
        out.append(_lead(texts[0], max_chars))
    return tuple(out)
