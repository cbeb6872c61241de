"""Who sees which hearing: the case policy's filter turned into a hearing filter, and the
look-ups pages make for the hearings they show (their cases, the names of who attends)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from casefiles.hearings import Hearing, HearingNotFound
from casefiles.models import Case
from casefiles.policy import visible_cases_filter
from casefiles.service import (
    CaseNotFound,
    get_case,
)
from mizan.accounts.models import User
from mizan.actor import Actor
from mizan.kernel import Kernel
from mizan.storage import DocumentStore, Filter, NotFoundError

_IN_CHUNK = 300


def in_chunks(field: str, values: Iterable[str]) -> Filter:
    """``{field: {"$in": values}}`` split so a long list stays within SQLite's limits."""
    values = sorted(set(values))
    if len(values) <= _IN_CHUNK:
        return {field: {"$in": values}}
    return {
        "$or": [
            {field: {"$in": values[i : i + _IN_CHUNK]}} for i in range(0, len(values), _IN_CHUNK)
        ]
    }


def all_of(*clauses: Filter | None) -> Filter:
    parts = [c for c in clauses if c]
    if not parts:
        return {}
    return parts[0] if len(parts) == 1 else {"$and": parts}


def visible_hearings_filter(store: DocumentStore, actor: Actor) -> Filter | None:
    """The hearings of the cases ``actor`` may see, as a hearing filter (None: none at all).

    A district clause of the case policy applies to the hearing's own district;
    any other clause (assignment) is resolved to the ids of the cases it selects.
    """
    flt = visible_cases_filter(actor)
    if flt is None or not flt:
        return flt
    clauses = list(flt["$or"]) if set(flt) == {"$or"} else [flt]
    out: list[Filter] = []
    by_case = []
    for clause in clauses:
        if set(clause) == {"district"}:
            out.append({"district": clause["district"]})
        else:
            by_case.append(clause)
    if by_case:
        case_filter = by_case[0] if len(by_case) == 1 else {"$or": by_case}
        ids = [c.id for c in store.find(Case, case_filter)]
        if ids:
            out.append(in_chunks("case_id", ids))
    if not out:
        return None
    return out[0] if len(out) == 1 else {"$or": out}


def attending_filter(store: DocumentStore, prosecutor_ids: Sequence[str]) -> Filter:
    """Hearings a prosecutor is listed for, or of a case now assigned to them.

    The second half keeps calendars right after a case is reassigned: the new
    prosecutor inherits its future hearings without anyone editing them.
    """
    assigned = store.find(
        Case,
        {
            "$or": [
                in_chunks("lead_prosecutor", prosecutor_ids),
                in_chunks("assisting", prosecutor_ids),
            ]
        },
    )
    clauses: list[Filter] = [in_chunks("prosecutor_ids", prosecutor_ids)]
    if assigned:
        clauses.append(in_chunks("case_id", [c.id for c in assigned]))
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def case_map(store: DocumentStore, hearings: Iterable[Hearing]) -> dict[str, Case]:
    """The cases of some hearings by id, fetched at once (for references and links)."""
    ids = {h.case_id for h in hearings}
    return {c.id: c for c in store.find(Case, in_chunks("_id", ids))} if ids else {}


def people(store: DocumentStore, ids: Iterable[str]) -> dict[str, str]:
    """Full names by user id, for showing who attends."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {u.id: u.full_name for u in store.find(User, in_chunks("_id", wanted))}


def get_hearing(kernel: Kernel, actor: Actor, hearing_id: str) -> tuple[Hearing, Case]:
    """The hearing and its case if ``actor`` may see the case (a refusal is audited)."""
    try:
        hearing = kernel.store.get(Hearing, hearing_id)
    except NotFoundError:
        raise HearingNotFound(hearing_id) from None
    try:
        case = get_case(kernel, actor, hearing.case_id)
    except CaseNotFound:
        raise HearingNotFound(hearing_id) from None
    return hearing, case


def hearings_for_case(kernel: Kernel, actor: Actor, case_id: str) -> list[Hearing]:
    """Every hearing of one case, oldest first (CaseNotFound if the actor may not see it)."""
    case = get_case(kernel, actor, case_id)
    return kernel.store.find(Hearing, {"case_id": case.id}, sort=[("starts_at", 1)])
