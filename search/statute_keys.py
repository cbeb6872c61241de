"""Statute references as search keys, for passages and for queries.

A passage's `sections` field holds keys for every provision it is about (the case's offences
and the references found in its text by `legaltext.section_refs.find_section_refs`), so a query
"302 PPC" finds "Section 302 of the Pakistan Penal Code", "302/34 P.P.C." and an FIR whose
case is charged under 302(b) PPC alike. Keys are hierarchical: a passage about 7(1)(a) ATA
carries "7 ATA", "7(1) ATA" and "7(1)(a) ATA", so a broad reference finds narrower ones but
not the reverse. Each key also exists without its act ("302(b)"), for queries such as
"s.302(b)" that name no act; those act-less keys are never shown as facets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from legaltext.act_names import act_regex
from legaltext.search_terms import terms
from legaltext.section_refs import (
    SectionRef,
    SectionRefError,
    find_section_refs,
    parse_section_refs,
)

__all__ = ["QueryRef", "find_query_refs", "is_act_key", "passage_sections", "section_keys"]


def section_keys(ref: SectionRef) -> tuple[str, ...]:
    """``7(1)(a) ATA`` -> "7 ATA", "7(1) ATA", "7(1)(a) ATA", "7", "7(1)", "7(1)(a)"."""
    paths = [ref.section]
    for sub in ref.subsections:
        paths.append(f"{paths[-1]}({sub})")
    return tuple(f"{p} {ref.act}" for p in paths) + tuple(paths)


def is_act_key(key: str) -> bool:
    """Keys that name their act ("302 PPC"); the act-less ones ("302") are for matching only."""
    return " " in key


def passage_sections(text: str, refs: Iterable[SectionRef] = ()) -> tuple[str, ...]:
    """Keys for `refs` (e.g. the case's offences) and for every reference found in `text`."""
    found = [*refs, *(f.ref for f in find_section_refs(text))]
    return tuple(dict.fromkeys(k for ref in found for k in section_keys(ref)))


@dataclass(frozen=True)
class QueryRef:
    """A statute reference typed in a query: it matches the phrase or the section keys."""

    start: int
    end: int
    keys: tuple[str, ...]  # one most specific key per section written ("302 PPC", "34 PPC")
    #: each section's normalised terms (("302",), ("34",)) and the act's (("ppc",)); a
    #: passage whose text has all of them (in any order: "PPC s. 302") matches too
    sections: tuple[tuple[str, ...], ...]
    act: tuple[str, ...]


# "s.302(b)", "u/s 365-A", "section 497" with no act after them.
_BARE = re.compile(
    r"(?<![\w/])(?:u\s*/\s*s\.?|ss?\.|secs?\.?|sections?)\s*"
    r"(?P<sec>\d{1,3}(?!\d)(?:\s*-\s*[A-Za-z](?![A-Za-z])|[A-Za-z](?![A-Za-z]))?"
    r"(?:\s*\(\s*[0-9A-Za-z]{1,4}\s*\))*)",
    re.IGNORECASE,
)
_FORWARD_GAP = re.compile(r"[\s,.:]*(?:(?:sections?|secs?|ss?)\b\.?)?\s*", re.IGNORECASE)
_PREFIX_BEFORE = re.compile(r"(?:u\s*/\s*s\.?|ss?\.|secs?\.?|sections?)\s*$", re.IGNORECASE)


def _most_specific(ref: SectionRef) -> str:
    return section_keys(ref)[len(ref.subsections)]


def find_query_refs(query: str) -> list[QueryRef]:
    """Statute references in a query, in order, without overlaps.

    "302 PPC", "302/34 PPC", "497 Cr.P.C.", "PPC s. 302" name their act; "s.302(b)" and
    "u/s 365-A" do not and match the section under any act.
    """
    out: list[QueryRef] = []
    acts = act_regex()
    refs = find_section_refs(query)
    floor = 0
    for m in acts.pattern.finditer(query):
        if m.start() < floor or acts.is_name_like(m):
            continue
        code = acts.code_of(m)
        group = [f for f in refs if f.ref.act == code and floor <= f.start and f.end <= m.start()]
        if not group:
            group = [f for f in refs if f.ref.act == code and f.start >= m.end()]
            if group and _FORWARD_GAP.fullmatch(query, m.end(), group[0].start):
                chain = group[:1]
                for f in group[1:]:  # "PPC s. 302, 34": the list right after the act
                    if f.start - chain[-1].end > 3:
                        break
                    chain.append(f)
                group = chain
            else:
                group = []
        if not group:
            continue
        start = min(group[0].start, m.start())
        prefix = _PREFIX_BEFORE.search(query, 0, start)
        if prefix is not None:
            start = prefix.start()
        end = max(group[-1].end, m.end())
        keys = tuple(dict.fromkeys(_most_specific(f.ref) for f in group))
        sections = tuple(dict.fromkeys(tuple(terms(query[f.start : f.end])) for f in group))
        out.append(QueryRef(start, end, keys, sections, tuple(terms(query[m.start() : m.end()]))))
        floor = end
    for b in _BARE.finditer(query):
        if any(r.start < b.end() and b.start() < r.end for r in out):
            continue
        try:
            (ref,) = parse_section_refs(b["sec"], default_act="PPC")
        except (SectionRefError, ValueError):
            continue
        key = ref.section + "".join(f"({s})" for s in ref.subsections)
        out.append(QueryRef(b.start(), b.end(), (key,), (tuple(terms(b["sec"])),), ()))
    out.sort(key=lambda r: r.start)
    return out
