"""Keep library entries searchable with the rest, through the outbox.

Sections and judgments are public to every signed-in user (acl ``public``).
Their search ids say which entry a hit belongs to: ``statute:ppc:302`` for a
section, ``judgment:<id>`` for a judgment (see :func:`entry_of`). Index
updates are queued in the transaction of the import and applied in batches:
one index commit per batch of judgments, not per judgment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from legaltext.act_names import resolve_act
from legaltext.section_refs import SectionRef
from mizan import outbox
from mizan.storage import DocumentStore
from search.passages import windows
from search.port import PUBLIC, Passage
from search.statute_keys import section_keys

if TYPE_CHECKING:
    from library.models import Judgment, Section
    from mizan.kernel import Kernel

TOPIC = "index.library"
ACL = (PUBLIC,)
#: Judgments per index commit when rebuilding.
REINDEX_BATCH = 100


def section_doc_id(section_id: str) -> str:
    return f"statute:{section_id}"


def judgment_doc_id(judgment_id: str) -> str:
    return f"judgment:{judgment_id}"


def entry_of(doc_id: str) -> tuple[str, str] | None:
    """("section", "ppc:302") or ("judgment", id) for a library search id; None otherwise."""
    kind, _, rest = doc_id.partition(":")
    if kind == "statute" and rest:
        return "section", rest
    if kind == "judgment" and rest:
        return "judgment", rest
    return None


#: Judgments per outbox entry: the worker embeds ~14 passages per CPU-second, so an entry
#: of 10 judgments takes seconds, not minutes, and a stopping worker finishes quickly.
ENTRY_JUDGMENTS = 10


def enqueue_judgments(store: DocumentStore, ids: list[str]) -> None:
    for start in range(0, len(ids), ENTRY_JUDGMENTS):
        outbox.enqueue(store, TOPIC, {"judgments": ids[start : start + ENTRY_JUDGMENTS]})


def enqueue_sections(store: DocumentStore, act_code: str, removed: Sequence[str] = ()) -> None:
    """Index an act's sections; ``removed`` are section ids a re-import dropped."""
    outbox.enqueue(store, TOPIC, {"act": act_code, "removed": [section_doc_id(i) for i in removed]})


def section_title(act_code: str, number: str, heading: str) -> str:
    return f"{act_code.upper()} s. {number} — {heading}".strip(" —")


def _passages(doc_id: str, kind: str, title: str, text: str, **fields: Any) -> list[Passage]:
    """Overlapping word windows of ``text``, each a public passage of ``doc_id``."""
    return [
        Passage(
            id=f"{doc_id}:{n}", doc_id=doc_id, kind=kind, title=title, text=chunk, acl=ACL, **fields
        )
        for n, chunk in enumerate(windows(text))
    ]


def _keys(section_ids: Sequence[str]) -> tuple[str, ...]:
    """Search section keys ("302 PPC", "302") for library section ids ("ppc:302"), so the
    search page's section filter and facet and "302 PPC" queries find library entries."""
    keys: dict[str, None] = {}
    for section_id in section_ids:
        code, _, number = section_id.partition(":")
        act = resolve_act(code)
        if act is not None and number:
            keys.update(dict.fromkeys(section_keys(SectionRef(act.code, number))))
    return tuple(keys)


def section_passages(section: Section) -> list[Passage]:
    title = section_title(section.act_code, section.number, section.heading or "")
    return _passages(
        section_doc_id(section.id),
        "statute",
        title,
        f"{title}\n{section.text or ''}",
        doc_type=section.act_code,
        sections=_keys([section.id]),
    )


def judgment_title(judgment: Judgment) -> str:
    cite = judgment.citations[0] if judgment.citations else ""
    return f"{judgment.title} ({cite})" if cite else judgment.title


def judgment_passages(judgment: Judgment) -> list[Passage]:
    """Passages dated by the decision; by 1 January of its year when only the year is known
    (so date ranges and "newest" still place it in the right year)."""
    date = judgment.decided_on.date() if judgment.decided_on else None
    if date is None and judgment.year:
        date = dt.date(judgment.year, 1, 1)
    return _passages(
        judgment_doc_id(judgment.id),
        "judgment",
        judgment_title(judgment),
        judgment.text or "",
        doc_type=judgment.topic or None,
        date=date,
        sections=_keys(judgment.statute_refs),
        court=judgment.court or None,
        year=judgment.year or (date.year if date else None),
    )


def index_library(kernel: Kernel, payload: dict[str, Any]) -> None:
    """Outbox handler: (re)index the judgments or the act named in ``payload``."""
    from library.models import Judgment, Section
    from search.indexing import delete_indexed, upsert_indexed
    from search.saved import alert_new_documents

    store = kernel.store
    if "act" in payload:
        code = payload["act"]
        sections = store.find(Section, {"act_code": code})
        current = {section_doc_id(s.id) for s in sections}
        passages = [p for s in sections for p in section_passages(s)]
        if passages:
            upsert_indexed(kernel, passages)
        stale = payload.get("removed") or []
        delete_indexed(kernel, [d for d in stale if d not in current])
        return
    ids = payload.get("judgments") or []
    found = {j.id: j for j in store.find(Judgment, {"_id": {"$in": ids}})}
    passages = [p for i in ids if i in found for p in judgment_passages(found[i])]
    if passages:
        upsert_indexed(kernel, passages)
        alert_new_documents(
            kernel,
            [(judgment_doc_id(j.id), judgment_title(j), j.imported_at) for j in found.values()],
            link={judgment_doc_id(j): f"/library/judgments/{j}" for j in found},
        )
    gone = [judgment_doc_id(i) for i in ids if i not in found]
    if gone:
        delete_indexed(kernel, gone)


def reindex_library(kernel: Kernel) -> int:
    """Index every section and judgment again (after the index was cleared)."""
    from library.models import Judgment, Section
    from search.indexing import upsert_indexed

    count = 0
    passages: list[Passage] = []
    for section in kernel.store.iter_all(Section):
        passages.extend(section_passages(section))
        count += 1
    batch = 0
    for judgment in kernel.store.iter_all(Judgment, batch=REINDEX_BATCH):
        passages.extend(judgment_passages(judgment))
        count += 1
        batch += 1
        if batch >= REINDEX_BATCH:
            upsert_indexed(kernel, passages)
            passages, batch = [], 0
    if passages:
        upsert_indexed(kernel, passages)
    return count
