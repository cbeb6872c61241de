"""Court cause lists imported from court systems (CSV or JSON), row by row, idempotent.

A cause list says: on this date, in this court, these cases are called. Each row
is matched to a Mizan case by the number the court gave it ("Sessions Case No.
338 of 2023", read strictly by ``legaltext.case_numbers``); the first time a
court lists a case it may not know that number yet on our side, so a row may
also carry the FIR (district, police station, number, year), and the court's
number is then recorded on the case for later lists.

The hearing is identified by court + case number + date: importing the same
list again changes nothing, and a corrected time or purpose updates the
hearing. A clash with another hearing of the same prosecutor is reported as a
warning, never a refusal — the court, not Mizan, fixes its list. Every row is
answered on its own: one bad row does not stop the others.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from casefiles.hearing_clashes import find_clashes
from casefiles.hearings import MAX_AHEAD, PURPOSES, Hearing, court_key, to_utc
from casefiles.models import Case, CourtCaseRef
from legaltext.case_numbers import CaseNumberError, parse_case_number
from mizan.actor import Actor
from mizan.clock import pakistan_day_bounds, pakistan_moment, pakistan_today, utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.notifications import notify
from mizan.storage import StaleWriteError

MAX_ROWS = 2000
#: When a list gives no time: courts start calling the list at nine.
DEFAULT_TIME = dt.time(9, 0)
FIELDS = (
    "court",
    "date",
    "time",
    "case_number",
    "purpose",
    "district",
    "police_station",
    "fir_number",
    "fir_year",
    "notes",
    #: Who the list names ("The State v. Muhammad Aslam"): matched through the person index
    #: when neither the court's number nor the FIR identifies the case.
    "parties",
)


class CauseListError(ValueError):
    """The list as a whole cannot be read (not CSV/JSON, too long, no rows)."""


@dataclass
class RowResult:
    row: int
    #: "created", "updated", "unchanged" or "error"
    status: str
    errors: dict[str, str] = field(default_factory=dict)
    case_id: str | None = None
    hearing_id: str | None = None
    changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"row": self.row, "status": self.status}
        for key in ("errors", "case_id", "hearing_id", "changed", "warnings"):
            value = getattr(self, key)
            if value:
                body[key] = value
        return body


@dataclass
class ImportResult:
    rows: list[RowResult]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    def summary(self) -> dict[str, int]:
        return {s: self.count(s) for s in ("created", "updated", "unchanged", "error")}


# -- reading ------------------------------------------------------------------------------


def parse_csv(text: str) -> list[dict[str, str]]:
    """Rows of a CSV file with a header line naming the fields (see ``FIELDS``)."""
    # newline="": the csv module reads line breaks itself, as its documentation asks.
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        return _read_csv(reader)
    except csv.Error as exc:  # a misplaced quote or line break, a field over 128 KB
        raise CauseListError(
            f"The CSV file cannot be read at line {reader.line_num} ({exc}); "
            "check its quotes and line breaks."
        ) from exc


def _read_csv(reader: csv.DictReader[str]) -> list[dict[str, str]]:
    """The rows, checked against FIELDS and MAX_ROWS (csv.Error is left to the caller)."""
    if not reader.fieldnames:
        raise CauseListError("The CSV file is empty: it needs a header line and rows.")
    names = [(n or "").strip().lower() for n in reader.fieldnames]
    unknown = sorted(set(names) - set(FIELDS) - {""})
    if unknown:
        raise CauseListError(
            f"Unknown column(s) {', '.join(unknown)}; the columns are: {', '.join(FIELDS)}."
        )
    missing = [f for f in ("court", "date") if f not in names]
    if missing:
        raise CauseListError(f"The CSV file needs the column(s): {', '.join(missing)}.")
    reader.fieldnames = names
    rows = []
    for raw in reader:
        rows.append({k: (v or "").strip() for k, v in raw.items() if k})
        if len(rows) > MAX_ROWS:
            raise CauseListError(f"A cause list may have at most {MAX_ROWS} rows.")
    return rows


def rows_from_json(body: Any) -> list[Mapping[str, Any]]:
    """``{"rows": [...]}`` or a bare list of row objects."""
    rows = body.get("rows") if isinstance(body, Mapping) else body
    if not isinstance(rows, list):
        raise CauseListError('Send a JSON list of rows, or an object {"rows": [...]}.')
    if len(rows) > MAX_ROWS:
        raise CauseListError(f"A cause list may have at most {MAX_ROWS} rows.")
    return rows


def _text(row: Mapping[str, Any], key: str, errors: dict[str, str], max_len: int = 200) -> str:
    value = row.get(key)
    if value is None or value == "":
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        errors[key] = "must be text"
        return ""
    text = " ".join(str(value).split())
    if len(text) > max_len:
        errors[key] = f"is longer than {max_len} characters"
    return text


def _date(text: str, errors: dict[str, str]) -> dt.date | None:
    if not text:
        errors["date"] = "is required"
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors["date"] = f"{text!r} is not a date; write 2025-03-14 or 14.03.2025"
    return None


def _time(text: str, errors: dict[str, str]) -> dt.time | None:
    if not text:
        return None
    for fmt in ("%H:%M", "%H.%M", "%I:%M %p", "%I:%M%p"):
        try:
            return dt.datetime.strptime(text.upper(), fmt).time()
        except ValueError:
            continue
    errors["time"] = f"{text!r} is not a time; write 10:30 (24-hour clock, Pakistan time)"
    return None


def _int(value: Any, key: str, low: int, high: int, errors: dict[str, str]) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors[key] = "must be a whole number"
        return None
    if not low <= number <= high:
        errors[key] = f"must be between {low} and {high}"
    return number


@dataclass(frozen=True)
class _Row:
    court: str
    day: dt.date
    time: dt.time | None
    number: str | None
    raw_number: str
    purpose: str | None
    #: (district, police station, FIR number, year); the district is "" when a court's
    #: list does not say it (a PDF), and the station and number then find the case.
    fir: tuple[str, str, int, int] | None
    notes: str
    parties: str = ""


ListedRow = _Row


def read_row(
    row: Any, districts: Sequence[str], *, fir_needs_district: bool = True
) -> tuple[_Row | None, dict[str, str]]:
    """One row checked field by field: the row, or None and a message per bad field."""
    errors: dict[str, str] = {}
    if not isinstance(row, Mapping):
        return None, {"row": "must be an object with court, date, case_number …"}
    unknown = sorted(set(map(str, row)) - set(FIELDS))
    if unknown:
        errors["row"] = f"unknown field(s) {', '.join(unknown)}"
    court = _text(row, "court", errors, 120)
    if not court and "court" not in errors:
        errors["court"] = "is required"
    day = _date(_text(row, "date", errors, 20), errors)
    time = _time(_text(row, "time", errors, 20), errors)
    raw_number = _text(row, "case_number", errors)
    number = None
    if raw_number:
        try:
            number = parse_case_number(raw_number, current_year=pakistan_today().year).canonical()
        except CaseNumberError as exc:
            errors["case_number"] = str(exc)
    purpose = _text(row, "purpose", errors, 40).lower() or None
    if purpose and purpose not in PURPOSES:
        errors["purpose"] = f"must be one of: {', '.join(PURPOSES)}"
    fir = None
    station = _text(row, "police_station", errors, 80)
    district = _text(row, "district", errors, 16).upper()
    fir_number = _int(row.get("fir_number"), "fir_number", 1, 99999, errors)
    fir_year = _int(row.get("fir_year"), "fir_year", 1947, pakistan_today().year, errors)
    given = [bool(district), bool(station), fir_number is not None, fir_year is not None]
    if not fir_needs_district and not district:
        given = given[1:]
    if any(given) and not all(given):
        errors["fir"] = "give all of district, police_station, fir_number and fir_year, or none"
    elif all(given):
        if district and district not in districts:
            errors["district"] = f"{district} is not one of this integration's districts"
        fir = (district, station, fir_number or 0, fir_year or 0)
    parties = _text(row, "parties", errors, 500)
    if not raw_number and fir is None and not parties and "fir" not in errors:
        errors["case_number"] = (
            "is required (or the FIR: district, police_station, fir_number, fir_year)"
        )
    notes = _text(row, "notes", errors, 2000)
    if errors or day is None:
        return None, errors
    return _Row(court, day, time, number, raw_number, purpose, fir, notes, parties), errors


# -- matching and writing ------------------------------------------------------------------


def _case_for(kernel: Kernel, row: _Row, districts: Sequence[str]) -> tuple[Case | None, str]:
    """The case a row names, and an error message if there is none."""
    store = kernel.store
    if row.number:
        key = f"{court_key(row.court)}|{row.number}"
        case = store.find_one(Case, {"court_case_keys": key})
        if case is not None:
            if case.district not in districts:
                return None, "that case is not in one of this integration's districts"
            return case, ""
    if row.fir:
        district, station, number, year = row.fir
        case = store.find_one(
            Case,
            {
                "district": district,
                "fir.police_station": station,
                "fir.number": number,
                "fir.year": year,
            },
        )
        if case is not None:
            return case, ""
        return None, f"no case for FIR {number}/{year} PS {station} in {district}"
    return None, (
        f"no case is known under {row.number} in {row.court}; send the FIR (district, "
        "police_station, fir_number, fir_year) with it once"
    )


def _link_number(case: Case, row: _Row) -> bool:
    """Record the court's number on the case (first time a list names it); True if new."""
    if not row.number:
        return False
    key = f"{court_key(row.court)}|{row.number}"
    if key in case.court_case_keys:
        return False
    case.court_case_keys = [*case.court_case_keys, key]
    case.court_cases.append(
        CourtCaseRef(
            court=row.court, number=row.number, raw=row.raw_number, added_at=utc_naive_now()
        )
    )
    return True


def _import_row(
    kernel: Kernel, actor: Actor, n: int, raw: Any, districts: Sequence[str]
) -> RowResult:
    row, errors = read_row(raw, districts)
    if row is None:
        return RowResult(n, "error", errors)
    if not row.number and row.fir is None:  # names alone are matched only under review
        return RowResult(n, "error", {"case_number": "is required (or the FIR)"})
    case, problem = _case_for(kernel, row, districts)
    if case is None:
        return RowResult(n, "error", {"case_number" if row.number else "fir": problem})
    return apply_row(kernel, actor, n, row, case)


def apply_row(kernel: Kernel, actor: Actor, n: int, row: _Row, case: Case) -> RowResult:
    """Write one listing of ``case``: its hearing on the list's day, created, corrected or
    moved there; the court's number recorded; a clash warned about and told to the
    prosecutors."""
    now = utc_naive_now()
    key = court_key(row.court)
    starts_at = to_utc(pakistan_moment(row.day, row.time or DEFAULT_TIME))
    if starts_at > now + MAX_AHEAD:
        return RowResult(n, "error", {"date": "is more than two years ahead"}, case_id=case.id)
    lo, hi = pakistan_day_bounds(row.day)
    store = kernel.store
    existing = store.find(
        Hearing,
        {"case_id": case.id, "court_key": key, "starts_at": {"$gte": lo, "$lt": hi}},
        sort=[("starts_at", 1)],
        limit=1,
    )
    if not existing:
        # The court moved the next date: the case's coming hearing in this court goes there.
        existing = store.find(
            Hearing,
            {
                "case_id": case.id,
                "court_key": key,
                "starts_at": {"$gte": now},
                "outcome": None,
            },
            sort=[("starts_at", 1)],
            limit=1,
        )
    result = RowResult(n, "unchanged", case_id=case.id)
    with store.transaction():
        if _link_number(case, row):
            case.updated_at = now
            store.replace(case)
            kernel.emit(
                DomainEvent(
                    "case.court_number_added",
                    actor,
                    "case",
                    case.id,
                    {"court": row.court, "number": row.number, "source": "cause_list"},
                )
            )
            result.changed.append("court_number")
        if existing:
            hearing = existing[0]
            if hearing.local_starts_at.date() != row.day:
                hearing.starts_at = starts_at
                result.changed.append("date")
            elif row.time and hearing.starts_at != starts_at:
                hearing.starts_at = starts_at
                result.changed.append("time")
            if row.purpose and hearing.purpose != row.purpose:
                hearing.purpose = row.purpose
                result.changed.append("purpose")
            hearing_changed = [c for c in result.changed if c != "court_number"]
            if hearing_changed:
                hearing.updated_at = now
                store.replace(hearing)
                kernel.emit(
                    DomainEvent(
                        "hearing.updated",
                        actor,
                        "hearing",
                        hearing.id,
                        {
                            "case_id": case.id,
                            "fields": hearing_changed,
                            "starts_at": hearing.starts_at.isoformat(),
                            "source": "cause_list",
                        },
                    )
                )
            result.hearing_id = hearing.id
            result.status = "updated" if result.changed else "unchanged"
        else:
            hearing = Hearing(
                case_id=case.id,
                district=case.district,
                court=row.court,
                court_key=key,
                starts_at=starts_at,
                purpose=row.purpose or "other",
                prosecutor_ids=list(case.prosecutors),
                notes=row.notes or None,
                recorded_as_history=starts_at < now,
                created_by=actor.user_id,
                created_at=now,
                updated_at=now,
            )
            store.insert(hearing)
            kernel.emit(
                DomainEvent(
                    "hearing.scheduled",
                    actor,
                    "hearing",
                    hearing.id,
                    {
                        "case_id": case.id,
                        "court": row.court,
                        "starts_at": starts_at.isoformat(),
                        "purpose": hearing.purpose,
                        "prosecutor_ids": list(hearing.prosecutor_ids),
                        "source": "cause_list",
                    },
                )
            )
            result.hearing_id, result.status = hearing.id, "created"
    if result.status != "unchanged":
        clashes = find_clashes(
            kernel,
            actor,
            hearing.prosecutor_ids,
            hearing.starts_at,
            hearing.court,
            exclude=[hearing.id],
        )
        result.warnings = [c.describe() for c in clashes]
        if clashes:
            tell_clash(kernel, case, hearing)
    return result


CLASH_NOTICE = _l(
    "The court listed %(case)s on %(when)s in %(court)s, at the same time as another of "
    "your hearings. Ask the court for another time or arrange cover."
)


def tell_clash(kernel: Kernel, case: Case, hearing: Hearing) -> None:
    """Each prosecutor of the case hears of a clash the court's list made, once per time."""
    when = hearing.local_starts_at.strftime("%d.%m.%Y %H:%M")
    for user_id in hearing.prosecutor_ids:
        notify(
            kernel.store,
            user_id,
            CLASH_NOTICE,
            {"case": case.reference, "when": when, "court": hearing.court},
            link=f"/cases/{case.id}",
            kind="hearing",
            dedupe=f"cause-list-clash|{hearing.id}|{hearing.starts_at.isoformat()}",
        )


def import_cause_list(
    kernel: Kernel, actor: Actor, districts: Sequence[str], rows: Sequence[Any]
) -> ImportResult:
    """Import every row; each is answered on its own (created, updated, unchanged or error)."""
    if not rows:
        raise CauseListError("The cause list has no rows.")
    if len(rows) > MAX_ROWS:
        raise CauseListError(f"A cause list may have at most {MAX_ROWS} rows.")
    results = []
    for n, raw in enumerate(rows, 1):
        try:
            results.append(_import_row(kernel, actor, n, raw, districts))
        except StaleWriteError:
            results.append(
                RowResult(n, "error", {"row": "the case changed meanwhile; send this row again"})
            )
    return ImportResult(results)
