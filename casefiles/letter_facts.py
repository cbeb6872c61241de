"""The facts of a case as a letter states them: one string per placeholder.

Read from the case (FIR, offences, parties, police reports, scrutinies, court numbers),
its hearings, the prosecutors' names and, for the sections' headings and texts, the
library, reached through ``Registry.section_texts`` because case files sit below the
library and may not import it. A missing fact is an empty string, never an error: the
prosecutor fills it in the editable DOCX.

Protected witnesses (and protected accused) are named by their pseudonym: a letter
leaves Mizan, and the protection must travel with it.
"""

from __future__ import annotations

import datetime as dt

from casefiles.hearings import ADJOURNMENT_REASONS, OUTCOMES, PURPOSES, Hearing
from casefiles.models import CUSTODY, Case, Party
from casefiles.workflow import OUTCOMES as TRIAL_OUTCOMES
from mizan.accounts.models import District, User
from mizan.actor import Actor
from mizan.clock import pakistan_today, pakistan_wall_time
from mizan.kernel import Kernel
from mizan.registry import SectionText

DATE = "%d.%m.%Y"


def _day(value: dt.datetime | None, *, as_written: bool = False) -> str:
    """A stored time as a Pakistan date; FIR times are already Pakistan time (as written)."""
    if value is None:
        return ""
    return (value if as_written else pakistan_wall_time(value)).strftime(DATE)


def _person(party: Party) -> str:
    if party.protected:
        return party.pseudonym or "—"
    parentage = (
        f" {party.relation} {party.parent_name}" if party.relation and party.parent_name else ""
    )
    return f"{party.name}{parentage}"


def _names(case: Case, role: str) -> list[str]:
    return [_person(p) for p in case.parties if p.role == role]


def section_key(act: str, section: str) -> str:
    """The library's id of a section ("PPC", "302" -> "ppc:302"), as ``library.refs`` makes it."""
    return f"{act.strip().lower()}:{section}"


def lookup_sections(kernel: Kernel, keys: list[str]) -> dict[str, SectionText]:
    """Sections' headings and texts from whichever package registered a lookup (the library)."""
    found: dict[str, SectionText] = {}
    for lookup in kernel.registry.section_texts:
        found.update(lookup(kernel, keys))
    return found


def _sections(kernel: Kernel, case: Case) -> dict[str, str]:
    by_act: dict[str, list[str]] = {}
    for offence in case.offences:
        by_act.setdefault(offence.act, []).append(
            offence.section + "".join(f"({s})" for s in offence.subsections)
        )
    texts = lookup_sections(kernel, [section_key(o.act, o.section) for o in case.offences])
    headings: list[str] = []
    quoted: list[str] = []
    seen: set[str] = set()
    for offence in case.offences:
        key = section_key(offence.act, offence.section)
        if key in seen:
            continue
        seen.add(key)
        found = texts.get(key)
        name = offence.canonical
        line = f"{name} — {found.heading}" if found and found.heading else name
        headings.append(line)
        quoted.append(f"{line}\n{found.text}" if found and found.text else line)
    return {
        "sections": "; ".join(f"{', '.join(nums)} {act}" for act, nums in by_act.items()),
        "section_headings": "\n".join(headings),
        "section_texts": "\n\n".join(quoted),
    }


def _hearing_line(h: Hearing) -> str:
    parts = [_day(h.starts_at), h.court, str(PURPOSES.get(h.purpose, h.purpose))]
    if h.outcome:
        result = str(OUTCOMES.get(h.outcome, h.outcome))
        if h.adjournment_reason:
            result += f" ({ADJOURNMENT_REASONS.get(h.adjournment_reason, h.adjournment_reason)})"
        parts.append(result)
    if h.next_date:
        parts.append(f"→ {_day(h.next_date)}")
    return " — ".join(parts)


def _hearings(kernel: Kernel, case: Case) -> dict[str, str]:
    hearings = kernel.store.find(Hearing, {"case_id": case.id}, sort=[("starts_at", 1)])
    latest_court = case.court_cases[-1] if case.court_cases else None
    today = pakistan_today()
    past = [h for h in hearings if pakistan_wall_time(h.starts_at).date() < today]
    coming = [h for h in hearings if pakistan_wall_time(h.starts_at).date() >= today]
    nxt = coming[0] if coming else None
    return {
        "hearing_history": "\n".join(_hearing_line(h) for h in hearings),
        "last_hearing_date": _day(past[-1].starts_at) if past else "",
        "next_hearing_date": _day(nxt.starts_at) if nxt else "",
        "next_hearing_purpose": str(PURPOSES.get(nxt.purpose, nxt.purpose)) if nxt else "",
        "court": latest_court.court if latest_court else (hearings[-1].court if hearings else ""),
        "court_case_number": latest_court.number if latest_court else "",
    }


def _name_of(kernel: Kernel, user_id: str | None) -> str:
    if not user_id:
        return ""
    user = kernel.store.find_one(User, {"_id": user_id})
    return user.full_name if user else ""


def case_facts(kernel: Kernel, actor: Actor, case: Case) -> dict[str, str]:
    """Every placeholder's value for ``case``, written by ``actor`` (whose name signs it)."""
    district = kernel.store.find_one(District, {"code": case.district})
    challan = case.challans[-1] if case.challans else None
    scrutiny = case.scrutinies[-1] if case.scrutinies else None
    decided = [h for h in case.history if h.to_state == "DECIDED"]
    accused = [p for p in case.parties if p.role == "accused"]
    facts = {
        "today": pakistan_today().strftime(DATE),
        "case_reference": case.reference,
        "case_title": case.title,
        "fir_number": str(case.fir.number),
        "fir_year": str(case.fir.year),
        "fir_date": _day(case.fir.registered_on, as_written=True),
        "police_station": case.fir.police_station,
        "district": district.name if district else case.district,
        "incident_date": _day(case.fir.incident_at, as_written=True),
        "incident_place": case.fir.place or "",
        **_sections(kernel, case),
        "accused_names": ", ".join(_person(p) for p in accused),
        "accused_custody": ", ".join(
            f"{_person(p)} ({CUSTODY[p.custody]})" if p.custody else _person(p) for p in accused
        ),
        "complainant_names": ", ".join(_names(case, "complainant")),
        "witness_names": ", ".join(_names(case, "witness")),
        "io_name": challan.io_name or "" if challan else "",
        "challan_date": _day(challan.submitted_on) if challan else "",
        "objections": "\n".join(
            f"{n}. {text}" for n, text in enumerate(scrutiny.objections if scrutiny else [], 1)
        ),
        "decision_date": _day(decided[-1].at) if decided else "",
        "outcome": str(TRIAL_OUTCOMES.get(case.outcome, case.outcome)) if case.outcome else "",
        "prosecutor_name": _name_of(kernel, actor.user_id) or actor.username,
        "lead_prosecutor_name": _name_of(kernel, case.lead_prosecutor),
    }
    facts.update(_hearings(kernel, case))
    return facts
