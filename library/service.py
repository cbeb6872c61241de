"""Library services: store acts and judgments, and keep the citation graph resolved.

Every change checks who may make it, writes in one transaction, queues the
search-index update in the same transaction (the outbox) and announces itself
as a domain event (the audit trail). Imports repeat safely: acts are keyed by
code, sections by ``<act>:<number>``, judgments by the importer's natural key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from library.indexing import enqueue_judgments, enqueue_sections
from library.judgment_text import parse_judgment
from library.models import (
    ACT_CODE,
    Act,
    Chapter,
    CitationEdge,
    CrossRef,
    Headnote,
    Judgment,
    Section,
)
from library.models import Amendment as AmendmentDoc
from library.models import Subsection as SubsectionDoc
from library.refs import citation_keys, own_citation, refs_in, section_id
from mizan.accounts.roles import Role
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import DocumentStore, DuplicateKeyError, NotFoundError, StaleWriteError


class LibraryError(ValueError):
    """Input the library cannot accept; the message says what to fix."""


def may_import(actor: Actor) -> bool:
    """Adding to the shared library is for administrators (and the system/CLI)."""
    return actor.has_role("system", Role.ADMIN)


def require_librarian(actor: Actor) -> None:
    """Refuse anyone who may not add to the shared library (see :func:`may_import`)."""
    if not may_import(actor):
        raise PermissionDenied(_("Only an administrator can add acts and judgments."))


# --------------------------------------------------------------------------
# Acts


@dataclass
class NewSection:
    number: str
    heading: str
    text: str  # without amendment markers
    chapter: str = ""
    group: str = ""
    subsections: list[tuple[str, str, str]] = field(default_factory=list)  # kind, label, text
    amendments: list[tuple[str, str, int, int, str]] = field(default_factory=list)
    xrefs: list[tuple[str, int, int]] = field(default_factory=list)  # section id, start, end


@dataclass
class NewAct:
    code: str
    title: str
    citation: str = ""
    preamble: str = ""
    chapters: list[tuple[str, str]] = field(default_factory=list)
    sections: list[NewSection] = field(default_factory=list)
    source: str = ""
    warnings: list[str] = field(default_factory=list)


#: Words the library's own URLs use, so no act may be called that.
RESERVED_CODES = frozenset({"judgments", "collections", "import", "entry", "browse", "items"})


def import_act(kernel: Kernel, actor: Actor, new: NewAct) -> Act:
    """Add an act, or bring an existing one up to date (same code), with all its sections."""
    require_librarian(actor)
    code = new.code.strip().lower()
    if not ACT_CODE.match(code) or code in RESERVED_CODES:
        raise LibraryError(
            _("The act code must be 2–20 lower-case letters or digits, like ppc or crpc.")
        )
    if not new.title.strip():
        raise LibraryError(_("Enter the act's title."))
    if not new.sections:
        raise LibraryError(_("No sections were found in the file; check its headings."))
    numbers = [s.number for s in new.sections]
    if len(set(numbers)) != len(numbers):
        dupes = sorted({n for n in numbers if numbers.count(n) > 1})
        raise LibraryError(_("Sections appear twice: %(numbers)s.", numbers=", ".join(dupes[:10])))
    try:
        return _import_act(kernel, actor, code, new)
    except (DuplicateKeyError, StaleWriteError):
        raise LibraryError(
            _("Another import changed this act at the same time; run this one again.")
        ) from None


def _import_act(kernel: Kernel, actor: Actor, code: str, new: NewAct) -> Act:
    numbers = [s.number for s in new.sections]
    store = kernel.store
    with store.transaction():
        act = store.find_one(Act, {"code": code}) or Act(code=code)
        act.title = new.title.strip()
        act.citation = new.citation.strip()
        act.preamble = new.preamble
        act.chapters = [Chapter(number=n, title=t) for n, t in new.chapters]
        act.section_count = len(new.sections)
        act.source = new.source
        act.imported_at = utc_naive_now()
        act = store.replace(act) if act.version else store.insert(act)
        existing = {s.id: s for s in store.find(Section, {"act_code": code})}
        for order, new_section in enumerate(new.sections, start=1):
            sid = section_id(code, new_section.number)
            section = existing.pop(sid, None) or Section(id=sid, act_code=code)
            section.number = new_section.number
            section.order = order
            section.chapter = new_section.chapter
            section.group = new_section.group
            section.heading = new_section.heading[:500]
            section.text = new_section.text
            section.subsections = [
                SubsectionDoc(kind=kind, label=label[:40], text=text)
                for kind, label, text in new_section.subsections
            ]
            section.amendments = [
                AmendmentDoc(mark=m, kind=k, start=a, end=b, note=(note or "")[:1000])
                for m, k, a, b, note in new_section.amendments
            ]
            section.xrefs = [CrossRef(target=t, start=a, end=b) for t, a, b in new_section.xrefs]
            section.references = list(dict.fromkeys(t for t, _a, _b in new_section.xrefs))
            if section.version:
                store.replace(section)
            else:
                store.insert(section)
        for gone in existing.values():  # sections the new text no longer has
            store.delete(gone)
        _recount(store, _resolve_pending(store, section_ids=[section_id(code, n) for n in numbers]))
        enqueue_sections(store, code, removed=list(existing))
        kernel.emit(
            DomainEvent(
                "library.act_imported",
                actor,
                "act",
                act.id,
                {"code": code, "title": act.title, "sections": len(numbers)},
            )
        )
    return act


# --------------------------------------------------------------------------
# Judgments


@dataclass
class NewJudgment:
    """What an importer read; the header facts are parsed from ``text`` where missing."""

    key: str
    title: str
    text: str
    court: str
    citation: str = ""  # as written in the source, e.g. "MLD 2019 836"
    year: int | None = None
    judges: list[str] = field(default_factory=list)
    topic: str = ""
    source_url: str = ""
    source: str = "jsonl"


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    edges: int = 0
    resolved: int = 0
    judgment_ids: list[str] = field(default_factory=list)


def _own_citations(new: NewJudgment) -> list[str]:
    own = own_citation(new.citation, new.text)
    return [own] if own else []


def _build(new: NewJudgment, actor: Actor, existing: Judgment | None) -> Judgment:
    if not new.key.strip():
        raise LibraryError(_("Every judgment needs an identifier."))
    if not new.text.strip():
        raise LibraryError(_("Judgment %(key)s has no text.", key=new.key))
    parts = parse_judgment(new.text)
    judgment = existing or Judgment(key=new.key.strip())
    judgment.title = " ".join(new.title.split()).strip(" ,")[:500] or new.key
    judgment.court = new.court.strip() or _("Unknown court")
    judgment.bench = parts.bench or [j.strip() for j in new.judges if j.strip()]
    judgment.decided_on = (
        dt.datetime.combine(parts.decided_on, dt.time()) if parts.decided_on else None
    )
    judgment.year = new.year or (parts.decided_on.year if parts.decided_on else None)
    judgment.parties = parts.parties
    judgment.case_numbers = parts.case_numbers
    judgment.citations = _own_citations(new)
    judgment.citation_keys = [k for c in judgment.citations for k in citation_keys(c)]
    judgment.headnotes = [Headnote(letter=letter, text=text) for letter, text in parts.headnotes]
    judgment.text = new.text
    judgment.topic = new.topic.strip()
    judgment.source_url = new.source_url.strip()
    judgment.source = new.source
    judgment.imported_at = utc_naive_now()
    judgment.imported_by = actor.user_id
    return judgment


def add_judgments(kernel: Kernel, actor: Actor, batch: Sequence[NewJudgment]) -> ImportResult:
    """Store a batch of judgments with their citation edges, in one transaction.

    Citations to judgments or sections already in the library resolve now;
    earlier judgments' unresolved citations to these resolve too.
    """
    require_librarian(actor)
    try:
        return _add_judgments(kernel, actor, batch)
    except (DuplicateKeyError, StaleWriteError):
        raise LibraryError(
            _("Another import changed these judgments at the same time; run this one again.")
        ) from None


def _add_judgments(kernel: Kernel, actor: Actor, batch: Sequence[NewJudgment]) -> ImportResult:
    store = kernel.store
    result = ImportResult()
    keys = [n.key.strip() for n in batch]
    with store.transaction():
        existing = {j.key: j for j in store.find(Judgment, {"key": {"$in": keys}})}
        stored: list[Judgment] = []
        seen: set[str] = set()
        for new in batch:
            if new.key.strip() in seen:
                continue
            seen.add(new.key.strip())
            old = existing.get(new.key.strip())
            judgment = _build(new, actor, old)
            if old is not None:
                store.replace(judgment)
                result.updated += 1
                for edge in store.find(CitationEdge, {"source_id": judgment.id}):
                    store.delete(edge)
            else:
                store.insert(judgment)
                result.added += 1
            stored.append(judgment)
        touched = _store_edges(store, stored, result)
        touched |= _resolve_pending(
            store, citations=[c for j in stored for c in j.citation_keys], judgments=stored
        )
        _recount(store, touched)
        result.judgment_ids = [j.id for j in stored]
        enqueue_judgments(store, result.judgment_ids)
        kernel.emit(
            DomainEvent(
                "library.judgments_imported",
                actor,
                "library",
                "judgments",
                {"added": result.added, "updated": result.updated, "keys": keys[:20]},
            )
        )
    return result


def _store_edges(
    store: DocumentStore, judgments: list[Judgment], result: ImportResult
) -> set[tuple[str, str]]:
    """One edge per distinct citation in each judgment; returns the targets it reached."""
    found = {}
    for judgment in judgments:
        own = set(judgment.citation_keys)
        refs = {}
        for ref in refs_in(judgment.text or ""):
            key = ref.section_key or ref.canonical  # "302(b) PPC" and "302 PPC" are one edge
            if ref.canonical in own or key in refs:
                continue
            refs[key] = ref
        found[judgment.id] = refs
    report_cites = {c for refs in found.values() for c, r in refs.items() if r.kind == "judgment"}
    by_citation: dict[str, str] = {}
    if report_cites:
        for target in store.find(Judgment, {"citation_keys": {"$in": sorted(report_cites)}}):
            for c in target.citation_keys:
                by_citation.setdefault(c, target.id)
        for j in judgments:  # the same batch may hold the cited judgment
            for c in j.citation_keys:
                by_citation.setdefault(c, j.id)
    section_keys = {r.section_key for refs in found.values() for r in refs.values()}
    section_keys.discard("")
    sections = (
        {s.id for s in store.find(Section, {"_id": {"$in": sorted(section_keys)}})}
        if section_keys
        else set()
    )
    touched: set[tuple[str, str]] = set()
    for judgment in judgments:
        refs = found[judgment.id]
        judgment_refs = set()
        for ref in refs.values():
            if ref.kind == "judgment":
                target_type, target_id = "judgment", by_citation.get(ref.canonical, "")
            else:
                target_type = "section"
                target_id = ref.section_key if ref.section_key in sections else ""
                if ref.section_key:
                    judgment_refs.add(ref.section_key)
            if target_id == judgment.id:
                continue
            store.insert(
                CitationEdge(
                    source_id=judgment.id,
                    source_date=judgment.decided_on,
                    source_year=judgment.year,
                    kind=ref.kind,
                    canonical=ref.section_key or ref.canonical,
                    raw=ref.raw[:300],
                    start=ref.start,
                    end=ref.end,
                    target_type=target_type,
                    target_id=target_id,
                )
            )
            result.edges += 1
            if target_id:
                result.resolved += 1
                touched.add((target_type, target_id))
        if sorted(judgment_refs) != sorted(judgment.statute_refs):
            judgment.statute_refs = sorted(judgment_refs)
            store.replace(judgment)
    return touched


def _resolve_pending(
    store: DocumentStore,
    *,
    citations: Iterable[str] = (),
    judgments: Iterable[Judgment] = (),
    section_ids: Iterable[str] = (),
) -> set[tuple[str, str]]:
    """Point unresolved edges at entries that now exist; returns the targets reached."""
    touched: set[tuple[str, str]] = set()
    targets: dict[str, tuple[str, str]] = {}
    for j in judgments:
        for c in j.citation_keys:
            targets.setdefault(c, ("judgment", j.id))
    for sid in section_ids:
        targets[sid] = ("section", sid)
    keys = sorted(set(citations) | set(section_ids))
    if not keys:
        return touched
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for edge in store.find(CitationEdge, {"canonical": {"$in": chunk}, "target_id": ""}):
            target = targets.get(edge.canonical)
            if target is None or target[1] == edge.source_id:
                continue
            edge.target_type, edge.target_id = target
            store.replace(edge)
            touched.add(target)
    if section_ids:  # a section reached earlier may have gone with a re-import
        touched |= {("section", sid) for sid in section_ids}
    return touched


def _recount(store: DocumentStore, targets: Iterable[tuple[str, str]]) -> None:
    """Refresh the denormalised "cited by" counts of these entries."""
    for target_type, target_id in targets:
        model = Judgment if target_type == "judgment" else Section
        try:
            doc = store.get(model, target_id)
        except NotFoundError:
            continue
        count = store.count(CitationEdge, {"target_type": target_type, "target_id": target_id})
        if doc.cited_by_count != count:
            doc.cited_by_count = count
            store.replace(doc)


# --------------------------------------------------------------------------
# Reading the graph


def citations_of(store: DocumentStore, judgment_id: str) -> list[CitationEdge]:
    """What a judgment cites, in reading order."""
    return store.find(CitationEdge, {"source_id": judgment_id}, sort=[("start", 1)])


def cited_by(
    store: DocumentStore, target_type: str, target_id: str, *, skip: int = 0, limit: int = 20
) -> tuple[int, list[Judgment]]:
    """Judgments citing an entry, newest first, and how many there are."""
    flt = {"target_type": target_type, "target_id": target_id}
    total = store.count(CitationEdge, flt)
    edges = store.find(
        CitationEdge,
        flt,
        sort=[("source_year", -1), ("source_date", -1), ("_id", 1)],
        skip=skip,
        limit=limit,
    )
    ids = [e.source_id for e in edges]
    found = {j.id: j for j in store.find(Judgment, {"_id": {"$in": ids}})} if ids else {}
    return total, [found[i] for i in ids if i in found]


@dataclass(frozen=True)
class GraphSize:
    judgments: int
    sections: int
    edges: int
    resolved: int
    judgment_edges: int
    judgment_resolved: int
    statute_edges: int
    statute_resolved: int

    @property
    def resolved_share(self) -> float:
        return self.resolved / self.edges if self.edges else 0.0


def graph_size(store: DocumentStore) -> GraphSize:
    def count(kind: str, resolved: bool | None) -> int:
        flt: dict[str, object] = {"kind": kind}
        if resolved is not None:
            flt["target_id"] = {"$ne": ""} if resolved else ""
        return store.count(CitationEdge, flt)

    je, jr = count("judgment", None), count("judgment", True)
    se, sr = count("statute", None), count("statute", True)
    return GraphSize(
        judgments=store.count(Judgment),
        sections=store.count(Section),
        edges=je + se,
        resolved=jr + sr,
        judgment_edges=je,
        judgment_resolved=jr,
        statute_edges=se,
        statute_resolved=sr,
    )
