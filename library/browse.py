"""Browsing the library: counts by court, year, topic and statute section; filtered,
sorted judgment lists; keyword search limited to library entries."""

from __future__ import annotations

from dataclasses import dataclass

from library.models import Act, Chapter, CitationEdge, Judgment, Section
from library.refs import section_id
from library.service import citations_of, cited_by
from mizan.kernel import Kernel
from mizan.registry import SectionText
from mizan.storage import NotFoundError
from search.backends import search_index
from search.port import PUBLIC, SearchResult

SORTS = {
    "newest": [("year", -1), ("decided_on", -1), ("_id", 1)],
    "oldest": [("year", 1), ("decided_on", 1), ("_id", 1)],
    "cited": [("cited_by_count", -1), ("year", -1), ("_id", 1)],
    "title": [("title", 1), ("_id", 1)],
}
FILTERS = ("court", "year", "topic", "section")


@dataclass(frozen=True)
class Facets:
    courts: list[tuple[str, int]]
    years: list[tuple[int, int]]
    topics: list[tuple[str, int]]
    sections: list[tuple[str, int]]  # ("ppc:302", n), most cited first
    total: int


def facets(kernel: Kernel, section_limit: int = 40) -> Facets:
    store = kernel.store

    def grouped(field: str) -> list[tuple]:
        return [
            (k, n) for k, n in store.group_count(Judgment, field).items() if k not in (None, "")
        ]

    sections = sorted(grouped("statute_refs"), key=lambda kv: (-kv[1], kv[0]))[:section_limit]
    return Facets(
        courts=sorted(grouped("court"), key=lambda kv: -kv[1]),
        years=sorted(grouped("year"), reverse=True),
        topics=sorted(grouped("topic"), key=lambda kv: -kv[1]),
        sections=sections,
        total=store.count(Judgment),
    )


def judgment_filter(args: dict[str, str]) -> dict[str, object]:
    """A store filter from browse parameters; unknown or malformed values are ignored."""
    flt: dict[str, object] = {}
    if args.get("court"):
        flt["court"] = args["court"]
    if args.get("topic"):
        flt["topic"] = args["topic"]
    if (args.get("year") or "").isdigit():
        flt["year"] = int(args["year"])
    if args.get("section"):
        flt["statute_refs"] = args["section"]
    return flt


def list_judgments(
    kernel: Kernel, args: dict[str, str], *, sort: str, page: int, per_page: int
) -> tuple[int, list[Judgment]]:
    flt = judgment_filter(args)
    store = kernel.store
    total = store.count(Judgment, flt)
    rows = store.find(
        Judgment,
        flt,
        sort=SORTS.get(sort, SORTS["newest"]),
        skip=(page - 1) * per_page,
        limit=per_page,
    )
    return total, rows


def acts(kernel: Kernel) -> list[Act]:
    return kernel.store.find(Act, sort=[("code", 1)])


def act_sections(kernel: Kernel, code: str) -> list[Section]:
    return kernel.store.find(Section, {"act_code": code}, sort=[("order", 1)])


def act_by_code(kernel: Kernel, code: str) -> Act:
    """The act with ``code`` (any case); NotFoundError if there is none."""
    act = kernel.store.find_one(Act, {"code": code.lower()})
    if act is None:
        raise NotFoundError(f"act {code}")
    return act


@dataclass(frozen=True)
class JudgmentView:
    """A judgment with what its page shows: what it cites and, a page at a time, who
    cites it."""

    judgment: Judgment
    edges: list[CitationEdge]
    #: Titles of the cited judgments that are in the library, by id.
    titles: dict[str, str]
    citing: list[Judgment]
    cited_total: int


def judgment_view(kernel: Kernel, judgment_id: str, *, page: int, per_page: int) -> JudgmentView:
    """Everything the judgment page shows (NotFoundError if there is no such judgment)."""
    store = kernel.store
    j = store.get(Judgment, judgment_id)
    edges = citations_of(store, j.id)
    titles = {}
    cited_judgments = [e.target_id for e in edges if e.target_type == "judgment" and e.target_id]
    if cited_judgments:
        titles = {x.id: x.title for x in store.find(Judgment, {"_id": {"$in": cited_judgments}})}
    total, citing = cited_by(
        store, "judgment", j.id, skip=(max(page, 1) - 1) * per_page, limit=per_page
    )
    return JudgmentView(j, edges, titles, citing, total)


@dataclass(frozen=True)
class SectionView:
    """A section of an act with its neighbours, the sections it refers to that exist,
    and, a page at a time, the judgments citing it."""

    act: Act
    section: Section
    chapter: Chapter | None
    #: Ids of the sections it refers to that are in the library.
    known: set[str]
    prev: Section | None
    next: Section | None
    citing: list[Judgment]
    cited_total: int


def section_view(
    kernel: Kernel, code: str, number: str, *, page: int, per_page: int
) -> SectionView:
    """Everything the section page shows (NotFoundError for an unknown act or section)."""
    store = kernel.store
    a = act_by_code(kernel, code)
    s = store.get(Section, section_id(a.code, number.upper()))
    targets = sorted({x.target for x in s.xrefs})
    known = {x.id for x in store.find(Section, {"_id": {"$in": targets}})} if targets else set()
    neighbours = store.find(
        Section, {"act_code": a.code, "order": {"$in": [s.order - 1, s.order + 1]}}
    )
    prev = next((n for n in neighbours if n.order == s.order - 1), None)
    nxt = next((n for n in neighbours if n.order == s.order + 1), None)
    chapter = next((c for c in a.chapters if c.number == s.chapter), None)
    total, citing = cited_by(
        store, "section", s.id, skip=(max(page, 1) - 1) * per_page, limit=per_page
    )
    return SectionView(a, s, chapter, known, prev, nxt, citing, total)


def search_library(
    kernel: Kernel, query: str, *, kind: str | None, page: int, per_page: int
) -> SearchResult:
    """Keyword search over sections and judgments only (they are public to every user)."""
    filters = {"kind": kind} if kind in ("judgment", "statute") else None
    # Every library entry is public; without a kind filter any public passage matches.
    return search_index(kernel).search(
        query, principals={PUBLIC}, filters=filters, limit=per_page, offset=(page - 1) * per_page
    )


def section_texts(kernel: Kernel, keys: list[str]) -> dict[str, SectionText]:
    """Sections by id ("ppc:302") with their act's title, for letters written from a case
    (registered as ``Registry.section_texts``, since case files may not import the library).
    Ids not in the library are left out; the letter then names the section without its text.
    """
    wanted = list(dict.fromkeys(k for k in keys if k))
    if not wanted:
        return {}
    sections = kernel.store.find(Section, {"_id": {"$in": wanted}})
    codes = sorted({s.act_code for s in sections})
    acts = {a.code: a for a in kernel.store.find(Act, {"code": {"$in": codes}})} if codes else {}
    return {
        s.id: SectionText(
            key=s.id,
            act_title=acts[s.act_code].title if s.act_code in acts else s.act_code.upper(),
            number=s.number,
            heading=s.heading or "",
            text=s.text or "",
        )
        for s in sections
    }
