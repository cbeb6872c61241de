"""Browsing the library: counts by court, year, topic and statute section; filtered,
sorted judgment lists; keyword search limited to library entries."""

from __future__ import annotations

from dataclasses import dataclass

from library.models import Act, Judgment, Section
from mizan.kernel import Kernel
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


def search_library(
    kernel: Kernel, query: str, *, kind: str | None, page: int, per_page: int
) -> SearchResult:
    """Keyword search over sections and judgments only (they are public to every user)."""
    filters = {"kind": kind} if kind in ("judgment", "statute") else None
    # Every library entry is public; without a kind filter any public passage matches.
    return search_index(kernel).search(
        query, principals={PUBLIC}, filters=filters, limit=per_page, offset=(page - 1) * per_page
    )
