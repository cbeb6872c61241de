"""The precedent finder: judgments and statutes for a case's facts, with why they matched.

From a case, the query is its FIR narrative and the offences it is
registered under, without the names of the case's people: a name identifies
this case, not its legal question, and common ones (Muhammad, Ali, Khan)
would rank any judgment about a namesake. From pasted facts, the text itself. Either goes through
hybrid search (`search.hybrid`, the same code as the search page) once for
statutes and then for judgments, which are also reached through the top
statutes' matched passages (`search.statute_bridge`: a precedent shares the
description's legal point more often than its story). Each result carries the passages that
matched (keyword passages with the words marked, and the passage nearest in
meaning) and the sections of law it shares with the case, read with the
same parser as FIRs (`legaltext.section_refs.find_section_refs`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from casefiles.models import Case
from casefiles.policy import search_principals
from casefiles.service import get_case
from legaltext.person_names import name_key
from legaltext.section_refs import SectionRef, find_section_refs
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from search.backends import embedder, search_index, vector_index
from search.hybrid import (
    Candidate,
    HybridQuery,
    passage_snippet,
    ranked_documents,
    with_passages,
)
from search.port import QueryError
from search.service import require_searcher
from search.statute_bridge import precedent_rankings

__all__ = [
    "KINDS",
    "MAX_FACTS_CHARS",
    "Precedent",
    "PrecedentError",
    "PrecedentResult",
    "find_for_case",
    "find_for_facts",
]

_WORD = re.compile(r"\w+")

#: Library kinds searched, in the order the page shows them.
KINDS = ("judgment", "statute")
#: Enough for a long FIR narrative and a challan summary.
MAX_FACTS_CHARS = 20_000
MIN_FACTS_WORDS = 3
PER_KIND = 10
#: Each engine ranks this many documents before fusion (as the search page does).
DEPTH = 100


class PrecedentError(ValueError):
    """Nothing to search with; the message says what to add."""


@dataclass(frozen=True)
class Precedent:
    doc_id: str
    kind: str
    title: str  # plain text: escape when rendering
    score: float
    passages: tuple[str, ...]  # HTML-safe: keyword matches marked, then the nearest passage
    shared_sections: tuple[str, ...]  # canonical, as the case names them: "302(b) PPC"


@dataclass(frozen=True)
class PrecedentResult:
    query_sections: tuple[str, ...]
    judgments: tuple[Precedent, ...]
    statutes: tuple[Precedent, ...]

    @property
    def empty(self) -> bool:
        return not self.judgments and not self.statutes


def without_names(text: str, names: Iterable[str]) -> str:
    """`text` without the words of `names` (whole words, any case, any spelling variant)."""
    drop = {name_key(word) for name in names for word in _WORD.findall(name)}
    drop.discard("")
    if not drop:
        return text
    kept = _WORD.sub(lambda m: "" if name_key(m.group(0)) in drop else m.group(0), text)
    return " ".join(kept.split())


def case_query(case: Case) -> tuple[str, list[SectionRef]]:
    """The text to search with for a case (its people's names left out) and its sections."""
    narrative = (case.fir.narrative or "").strip() if case.fir else ""
    names = [
        n
        for p in case.parties
        for n in (p.name, *p.aliases, p.parent_name or "", p.pseudonym or "")
    ]
    narrative = without_names(narrative, names)
    sections = [SectionRef(o.act, o.section, tuple(o.subsections)) for o in case.offences]
    sections += [f.ref for f in find_section_refs(narrative)]
    offences = ", ".join(dict.fromkeys(s.canonical() for s in sections))
    return " ".join(part for part in (narrative, offences) if part), sections


def find_for_case(
    kernel: Kernel, actor: Actor, case_id: str, *, per_kind: int = PER_KIND
) -> PrecedentResult:
    """Precedents for a case the actor may see (CaseNotFound otherwise)."""
    require_searcher(actor)
    case = get_case(kernel, actor, case_id)
    query, sections = case_query(case)
    if len(query.split()) < MIN_FACTS_WORDS:
        raise PrecedentError(
            _("This case has no FIR narrative or offences yet; add them to find precedents.")
        )
    return _find(kernel, actor, query, sections, per_kind)


@dataclass(frozen=True)
class CasePrecedents:
    """A case's precedents as its page shows them: the error in words if there are none."""

    case: Case
    result: PrecedentResult | None
    error: str | None


def precedents_for_case(
    kernel: Kernel, actor: Actor, case_id: str, *, per_kind: int = PER_KIND
) -> CasePrecedents:
    """The precedent page (or panel) of a case: PermissionDenied for anyone who may not
    search, CaseNotFound for a case ``actor`` may not see; a search that cannot be made
    (no narrative yet, a query the engine refuses) comes back as ``error``."""
    require_searcher(actor)
    case = get_case(kernel, actor, case_id)
    try:
        return CasePrecedents(case, find_for_case(kernel, actor, case.id, per_kind=per_kind), None)
    except (PrecedentError, QueryError) as exc:
        return CasePrecedents(case, None, str(exc))


def find_for_facts(
    kernel: Kernel, actor: Actor, facts: str, *, per_kind: int = PER_KIND
) -> PrecedentResult:
    """Precedents for facts pasted by the user (e.g. an FIR narrative or a brief)."""
    require_searcher(actor)
    facts = facts.strip()
    if len(facts) > MAX_FACTS_CHARS:
        raise PrecedentError(
            _(
                "The facts are too long: paste at most %(count)s characters "
                "(the narrative and the offences are enough).",
                count=f"{MAX_FACTS_CHARS:,}",
            )
        )
    if len(facts.split()) < MIN_FACTS_WORDS:
        raise PrecedentError(
            _(
                "Describe the facts in a few sentences (who did what, where, with what), "
                "and the sections of law if known."
            )
        )
    return _find(kernel, actor, facts, [f.ref for f in find_section_refs(facts)], per_kind)


def _find(
    kernel: Kernel, actor: Actor, query: str, sections: list[SectionRef], per_kind: int
) -> PrecedentResult:
    principals = search_principals(kernel.store, actor)
    depth = max(per_kind, DEPTH)
    q = HybridQuery(query, mode="hybrid", principals=principals, limit=depth)
    index = search_index(kernel)
    statutes, judgments = precedent_rankings(index, vector_index(kernel), embedder(kernel), q)
    statutes = _own_sections_first(kernel, principals, query, sections, statutes)
    found = {  # a judgment or statute found only whole gets its best passage to show
        "judgment": with_passages(index, q, judgments[:per_kind]),
        "statute": with_passages(index, q, statutes[:per_kind]),
    }
    texts = vector_index(kernel).texts(c.doc_id for cands in found.values() for c in cands)
    by_kind = {
        kind: tuple(_precedent(c, sections, texts.get(c.doc_id, "")) for c in cands)
        for kind, cands in found.items()
    }
    return PrecedentResult(
        query_sections=tuple(dict.fromkeys(s.canonical() for s in sections)),
        judgments=by_kind["judgment"],
        statutes=by_kind["statute"],
    )


def _own_sections_first(
    kernel: Kernel,
    principals: set[str] | None,
    query: str,
    sections: list[SectionRef],
    ranked: list[Candidate],
) -> list[Candidate]:
    """The sections the case is registered under lead its statutes, then the ranking.

    A case under s. 302 PPC must list s. 302 even when its story reads closer to other
    sections (issue 17: a 302/34 case listed ss. 148, 458, 398 and 106 but never 302).
    Each section is found by the index's exact section key (a statute passage carries
    its own section's keys), ranked by the same query so its best passage is shown.
    """
    own: list[Candidate] = []
    for key in dict.fromkeys(f"{ref.section} {ref.act}" for ref in sections):
        q = HybridQuery(
            query, mode="hybrid", principals=principals, limit=1,
            filters={"kind": "statute", "section": key},
        )  # fmt: skip
        _, found = ranked_documents(search_index(kernel), vector_index(kernel), embedder(kernel), q)
        own += [c for c in found[:1] if c.doc_id not in {o.doc_id for o in own}]
    first = {c.doc_id for c in own}
    return own + [c for c in ranked if c.doc_id not in first]


_TAG = re.compile(r"</?mark>")


def _plain(snippet: str) -> str:
    return html.unescape(_TAG.sub("", snippet))


def _precedent(c: Candidate, sections: Iterable[SectionRef], stored_text: str) -> Precedent:
    hit = c.hit()
    passages: list[str] = list(hit.snippets) if c.keyword else []
    texts = [_plain(s) for s in passages] + [stored_text]
    if c.keyword is not None and c.keyword.text:
        texts.append(c.keyword.text)
    if c.semantic is not None:
        nearest = c.semantic.passages[0].passage.text
        texts.append(nearest)
        plain = {_plain(s).strip("…").strip() for s in passages}
        if not any(p and p in nearest for p in plain):  # not already shown
            passages.append(passage_snippet(nearest))
    return Precedent(
        doc_id=c.doc_id,
        kind=hit.kind,
        title=hit.title,
        score=c.score,
        passages=tuple(passages),
        shared_sections=shared_sections(sections, "\n\n".join(texts)),
    )


def shared_sections(sections: Iterable[SectionRef], text: str) -> tuple[str, ...]:
    """Sections of the case that `text` also cites (same act and section; any subsection)."""
    cited = {(f.ref.act, f.ref.section) for f in find_section_refs(text)}
    return tuple(dict.fromkeys(s.canonical() for s in sections if (s.act, s.section) in cited))
