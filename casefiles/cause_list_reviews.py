"""A cause list read from a court's PDF, kept row by row until a clerk has reviewed it.

Reading a PDF is never certain (a scan, a court's own layout), so nothing is applied when a
list is read: every row is stored with the case it was matched to and how surely
(``casefiles.cause_list_matching``). The clerk accepts rows one by one, or every sure row
at once; an accepted row goes through the same write as a list sent over the API
(``casefiles.cause_lists.apply_row``: the hearing created or moved to the list's date,
clashes told to the prosecutors). Rows nobody accepts stay stored with the list, so nothing
the court listed is lost. Accepting is guarded by the row's version: two clerks accepting
the same row at once apply it once, and the second is told.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import mongoengine as me

from casefiles.case_lists import CaseQuery, case_list
from casefiles.cause_list_matching import LEVELS, Match, match_row
from casefiles.cause_lists import MAX_ROWS, CauseListError, apply_row, read_row
from casefiles.hearing_calendars import known_courts
from casefiles.models import Case
from casefiles.policy import (
    can_edit_case,
    may_import_cause_lists,
    sees_province,
    visible_cases_filter,
)
from casefiles.service import ensure_can_edit
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import Model, NotFoundError, StaleWriteError


class CauseListImport(Model):
    """One cause-list file as read: which court and day, and how it was read."""

    label = "cause_list_import"
    #: The importer's district (their scope); None for the Prosecutor General.
    district = me.StringField()
    court = me.StringField(required=True, max_length=120)
    day = me.StringField(required=True)
    filename = me.StringField(max_length=255)
    sha256 = me.StringField()
    #: "table", "words" or "ocr" (see ingestion.cause_list_pdf)
    method = me.StringField()
    pages = me.IntField(default=0)
    counts = me.DictField()
    created_by = me.StringField(required=True)
    created_at = me.DateTimeField(required=True)

    meta = {
        "collection": "cause_list_imports",
        "indexes": [("district", "-created_at"), "created_by"],
    }


class CauseListEntry(Model):
    """One row of a cause list, its match, and whether a clerk accepted it."""

    label = "cause_list_entry"
    import_id = me.StringField(required=True)
    n = me.IntField(required=True)
    #: The row as read from the file (the import record fields).
    fields = me.DictField()
    level = me.StringField(required=True, choices=LEVELS)
    case_id = me.StringField()
    case_reference = me.StringField()
    reason = me.StringField()
    errors = me.DictField()
    state = me.StringField(default="pending", choices=("pending", "accepted"))
    #: What accepting did: "created", "updated", "unchanged" or "error".
    outcome = me.StringField()
    hearing_id = me.StringField()
    warnings = me.ListField(me.StringField())
    decided_by = me.StringField()
    decided_at = me.DateTimeField()
    #: The clerk who matched the row to its case by hand (``choose_case``), if one did.
    chosen_by = me.StringField()

    meta = {
        "collection": "cause_list_entries",
        "indexes": [("import_id", "n"), ("import_id", "level", "state")],
    }


class ReviewError(ValueError):
    """A review action that cannot be done; the message says why."""


@dataclass(frozen=True)
class Accepted:
    entry: CauseListEntry
    warnings: list[str]


def _row_fields(raw: Mapping[str, str], court: str, day: str) -> dict[str, str]:
    return {**{k: v for k, v in raw.items() if v}, "court": court, "date": day}


def _entry(
    import_id: str, n: int, fields: dict[str, str], actor: Actor, kernel: Kernel, scanned: bool
) -> Any:
    row, errors = read_row(fields, [], fir_needs_district=False)
    unreadable = ""
    if (
        row is None
        and set(errors) == {"case_number"}
        and (fields.get("parties") or fields.get("fir_number"))
    ):
        # A garbled court number (a scan) does not lose the row: the FIR or names may still
        # find the case, and the number is kept in the notes for the clerk to see.
        unreadable = fields.pop("case_number")
        fields["notes"] = "; ".join(n for n in (fields.get("notes", ""), unreadable) if n)
        row, errors = read_row(fields, [], fir_needs_district=False)
    if row is None:
        return CauseListEntry(
            import_id=import_id,
            n=n,
            fields=fields,
            level="error",
            errors=errors,
            reason="; ".join(f"{k}: {v}" for k, v in errors.items()),
        )
    found: Match = match_row(kernel, actor, row, scanned=scanned)
    return CauseListEntry(
        import_id=import_id,
        n=n,
        fields=fields,
        level=found.level,
        case_id=found.case.id if found.case else None,
        case_reference=found.case.reference if found.case else None,
        reason=found.reason
        + (
            _(" (the case number %(number)s could not be read)") % {"number": unreadable}
            if unreadable
            else ""
        ),
    )


def _known_court(kernel: Kernel, actor: Actor, court: str) -> str:
    """A court name as OCR read it ("ATC-XIl Karachi") -> the court Mizan already knows by
    that name, when one is that close; otherwise as read."""
    known = known_courts(kernel, actor)
    if court in known:
        return court
    close = difflib.get_close_matches(court, known, n=1, cutoff=0.9)
    return close[0] if close else court


def stage_cause_list(
    kernel: Kernel,
    actor: Actor,
    rows: Sequence[Mapping[str, str]],
    *,
    court: str,
    day: str,
    filename: str = "",
    sha256: str | None = None,
    method: str = "",
    pages: int = 0,
) -> CauseListImport:
    """Store a read cause list with each row matched; nothing is applied yet."""
    if not may_import_cause_lists(actor):
        raise PermissionDenied(_("Only clerks and district prosecutors import cause lists."))
    court = " ".join(court.split())
    if not court:
        raise CauseListError(_("The list does not say which court it is for; type the court."))
    if len(court) > 120:
        raise CauseListError(_("The court's name is longer than 120 characters."))
    try:
        day = dt.date.fromisoformat(day.strip()).isoformat()
    except ValueError as exc:
        raise CauseListError(
            _("The list does not give its date; type the date (for example 2026-03-16).")
        ) from exc
    if method == "ocr":
        court = _known_court(kernel, actor, court)
    if not rows:
        raise CauseListError(_("The cause list has no rows."))
    if len(rows) > MAX_ROWS:
        raise CauseListError(_("A cause list may have at most %(n)d rows.") % {"n": MAX_ROWS})
    record = CauseListImport(
        district=None if sees_province(actor) else actor.district,
        court=court,
        day=day,
        filename=filename[:255],
        sha256=sha256,
        method=method,
        pages=pages,
        created_by=actor.user_id,
        created_at=utc_naive_now(),
    )
    entries = [
        _entry(record.id, n, _row_fields(raw, court, day), actor, kernel, method == "ocr")
        for n, raw in enumerate(rows, 1)
    ]
    record.counts = {level: sum(1 for e in entries if e.level == level) for level in LEVELS}
    store = kernel.store
    with store.transaction():
        store.insert(record)
        for entry in entries:
            store.insert(entry)
        kernel.emit(
            DomainEvent(
                "cause_list.read",
                actor,
                "cause_list",
                record.id,
                {"court": court, "day": day, "rows": len(entries), **record.counts},
            )
        )
    return record


def get_import(kernel: Kernel, actor: Actor, import_id: str) -> CauseListImport:
    """The import if ``actor`` may review it (their district's, or any for the province)."""
    if not may_import_cause_lists(actor):
        raise PermissionDenied(_("Only clerks and district prosecutors import cause lists."))
    try:
        record = kernel.store.get(CauseListImport, import_id)
    except NotFoundError:
        record = None
    if record is None:
        raise ReviewError(_("There is no such cause list."))
    if not (sees_province(actor) or record.district == actor.district):
        # Another district's list, answered as missing but recorded.
        kernel.emit(
            DomainEvent(
                "cause_list.access_denied",
                actor,
                "cause_list",
                record.id,
                {"district": record.district},
                changes_state=False,
            )
        )
        raise ReviewError(_("There is no such cause list."))
    return record


def list_imports(kernel: Kernel, actor: Actor, limit: int = 20) -> list[CauseListImport]:
    if not may_import_cause_lists(actor):
        raise PermissionDenied(_("Only clerks and district prosecutors import cause lists."))
    flt = {} if sees_province(actor) else {"district": actor.district}
    return kernel.store.find(CauseListImport, flt, sort=[("created_at", -1)], limit=limit)


def entries_of(kernel: Kernel, actor: Actor, import_id: str) -> list[CauseListEntry]:
    get_import(kernel, actor, import_id)
    return kernel.store.find(CauseListEntry, {"import_id": import_id}, sort=[("n", 1)])


def accept_entry(
    kernel: Kernel, actor: Actor, import_id: str, entry_id: str, *, version: int
) -> Accepted:
    """Apply one matched row: its case's hearing created or moved to the list's date."""
    get_import(kernel, actor, import_id)
    store = kernel.store
    entry = _entry_of(kernel, import_id, entry_id)
    if entry.state == "accepted" or entry.version != version:
        raise ReviewError(
            _("Row %(n)d was accepted meanwhile; nothing was applied twice.") % {"n": entry.n}
        )
    if entry.level not in ("sure", "likely") or not entry.case_id:
        raise ReviewError(_("Row %(n)d is not matched to a case.") % {"n": entry.n})
    case = store.get(Case, entry.case_id)
    ensure_can_edit(actor, case)
    row, errors = read_row(entry.fields, [], fir_needs_district=False)
    if row is None:
        raise ReviewError("; ".join(errors.values()))
    try:
        with store.transaction():
            result = apply_row(kernel, actor, entry.n, row, case)
            if result.status == "error":
                raise ReviewError("; ".join(result.errors.values()))
            entry.state, entry.outcome = "accepted", result.status
            entry.hearing_id, entry.warnings = result.hearing_id, result.warnings
            entry.decided_by, entry.decided_at = actor.user_id, utc_naive_now()
            store.replace(entry)
    except StaleWriteError as exc:
        raise ReviewError(
            _("Row %(n)d was accepted meanwhile; nothing was applied twice.") % {"n": entry.n}
        ) from exc
    return Accepted(entry, result.warnings)


def accept_sure(kernel: Kernel, actor: Actor, import_id: str) -> list[Accepted]:
    """Accept every sure row still waiting; the likely ones stay for a look each."""
    get_import(kernel, actor, import_id)
    waiting = kernel.store.find(
        CauseListEntry,
        {"import_id": import_id, "level": "sure", "state": "pending"},
        sort=[("n", 1)],
    )
    done = []
    for entry in waiting:
        try:
            done.append(accept_entry(kernel, actor, import_id, entry.id, version=entry.version))
        except ReviewError:
            continue  # accepted meanwhile by someone else
    return done


# -- matching by hand ----------------------------------------------------------------------

#: Cases offered for one search; a clerk narrows a longer list by typing more.
MAX_CANDIDATES = 10
_FIR_QUERY = re.compile(r"^\s*(?:fir\s*(?:no\.?)?\s*)?(\d{1,5})(?:\s*/\s*(\d{4}|\d{2}))?\s*$", re.I)


def candidate_cases(kernel: Kernel, actor: Actor, query: str) -> list[Case]:
    """Cases ``actor`` may change that a typed FIR number ("189/2024", "189"), court
    number, reference or accused's name finds: what a clerk picks a row's case from."""
    query = " ".join(query.split())[:100]
    if not query:
        return []
    found: dict[str, Case] = {}
    fir = _FIR_QUERY.match(query)
    scope = visible_cases_filter(actor)
    if fir and scope is not None:
        flt: dict[str, Any] = {"fir.number": int(fir.group(1))}
        if fir.group(2):
            year = int(fir.group(2))
            flt["fir.year"] = year + 2000 if year < 100 else year
        for case in kernel.store.find(
            Case,
            {"$and": [scope, flt]} if scope else flt,
            sort=[("fir.year", -1)],
            limit=MAX_CANDIDATES,
        ):
            found[case.id] = case
    if not fir:  # a FIR number is looked up as one, never as loose words
        listed = case_list(
            kernel, actor, CaseQuery(q=query), per_page=MAX_CANDIDATES, now=utc_naive_now()
        )
        found.update((case.id, case) for case in listed.cases)
    return [c for c in found.values() if can_edit_case(actor, c)][:MAX_CANDIDATES]


def choose_case(
    kernel: Kernel, actor: Actor, import_id: str, entry_id: str, case_id: str, *, version: int
) -> CauseListEntry:
    """Match a row Mizan could not place (or placed only as likely) to the case the clerk
    picked; it then waits to be accepted like any likely row."""
    get_import(kernel, actor, import_id)
    store = kernel.store
    entry = _entry_of(kernel, import_id, entry_id)
    if entry.state == "accepted":
        raise ReviewError(_("Row %(n)d is already accepted.") % {"n": entry.n})
    if entry.version != version:
        raise ReviewError(_("Row %(n)d changed meanwhile; look at it again.") % {"n": entry.n})
    if entry.level not in ("unmatched", "likely"):
        raise ReviewError(
            _("Only a row not matched, or a likely match, is matched by hand (row %(n)d).")
            % {"n": entry.n}
        )
    try:
        case = store.get(Case, case_id)
    except NotFoundError:
        raise ReviewError(_("There is no such case.")) from None
    if not can_edit_case(actor, case):
        raise ReviewError(_("You cannot change this case."))
    entry.level, entry.case_id, entry.case_reference = "likely", case.id, case.reference
    entry.reason = _("chosen by hand by %(user)s") % {"user": actor.username}
    entry.chosen_by = actor.user_id
    try:
        with store.transaction():
            store.replace(entry)
            kernel.emit(
                DomainEvent(
                    "cause_list.row_matched",
                    actor,
                    "cause_list",
                    import_id,
                    {"row": entry.n, "case_id": case.id},
                )
            )
    except StaleWriteError as exc:
        raise ReviewError(
            _("Row %(n)d changed meanwhile; look at it again.") % {"n": entry.n}
        ) from exc
    return entry


def _entry_of(kernel: Kernel, import_id: str, entry_id: str) -> CauseListEntry:
    try:
        entry = kernel.store.get(CauseListEntry, entry_id)
    except NotFoundError:
        entry = None
    if entry is None or entry.import_id != import_id:
        raise ReviewError(_("There is no such row in this cause list."))
    return entry
