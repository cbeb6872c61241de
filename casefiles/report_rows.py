"""Cases and hearings as reports read them: plain read-only objects built from the stored
values, never model objects.

At a province's size building mongoengine objects was most of a report's time (3 ms a
case, and ~1 ms more for each list read back through its descriptors: at 10,000 cases a
province report took 20 s). These classes carry the same attribute names as
``casefiles.models.Case`` and ``casefiles.hearings.Hearing`` for exactly the fields the
KPIs, the report slicer and ``casefiles.policy.can_view_case`` read, so a KPI works on
either (the recount tests feed it whole model objects and compare).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from casefiles.hearings import Hearing
from casefiles.models import Case
from mizan.storage import DocumentStore, Filter

#: Every Case field a KPI, the report slicer or ``can_view_case`` reads (database names).
#: A KPI that reads another field must add it here and to ``ReportCase``
#: (``test_report_recount`` compares with whole cases on a seeded province).
CASE_FIELDS = (
    "district",
    "fir",
    "state",
    "outcome",
    "history",
    "labels",
    "offences",
    "challans",
    "court_cases",
    "lead_prosecutor",
    "assisting",
    "created_at",
)
HEARING_FIELDS = (
    "case_id",
    "district",
    "court",
    "starts_at",
    "prosecutor_ids",
    "outcome",
    "adjournment_reason",
)


@dataclass(frozen=True, slots=True)
class ReportFir:
    police_station: str
    registered_on: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ReportStageChange:
    from_state: str
    to_state: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class ReportOffence:
    act: str
    section: str


@dataclass(frozen=True, slots=True)
class ReportChallan:
    received_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ReportCourtCase:
    court: str


@dataclass(frozen=True, slots=True)
class ReportCase:
    id: str
    district: str
    fir: ReportFir | None
    state: str
    outcome: str | None
    history: tuple[ReportStageChange, ...]
    labels: tuple[str, ...]
    offences: tuple[ReportOffence, ...]
    challans: tuple[ReportChallan, ...]
    court_cases: tuple[ReportCourtCase, ...]
    lead_prosecutor: str | None
    assisting: tuple[str, ...]
    created_at: dt.datetime | None

    @property
    def prosecutors(self) -> list[str]:
        return ([self.lead_prosecutor] if self.lead_prosecutor else []) + list(self.assisting)

    @classmethod
    def from_values(cls, doc: Mapping[str, Any]) -> ReportCase:
        fir = doc.get("fir")
        return cls(
            id=doc["_id"],
            district=doc.get("district", ""),
            fir=(
                ReportFir(fir.get("police_station", ""), fir.get("registered_on")) if fir else None
            ),
            state=doc.get("state", "FIR_REGISTERED"),
            outcome=doc.get("outcome"),
            history=tuple(
                ReportStageChange(h["from_state"], h["to_state"], h["at"])
                for h in doc.get("history", ())
            ),
            labels=tuple(doc.get("labels", ())),
            offences=tuple(
                ReportOffence(o.get("act", ""), o.get("section", ""))
                for o in doc.get("offences", ())
            ),
            challans=tuple(ReportChallan(c.get("received_at")) for c in doc.get("challans", ())),
            court_cases=tuple(ReportCourtCase(c["court"]) for c in doc.get("court_cases", ())),
            lead_prosecutor=doc.get("lead_prosecutor"),
            assisting=tuple(doc.get("assisting", ())),
            created_at=doc.get("created_at"),
        )


@dataclass(frozen=True, slots=True)
class ReportHearing:
    id: str
    case_id: str
    district: str
    court: str
    starts_at: dt.datetime
    prosecutor_ids: tuple[str, ...]
    outcome: str | None
    adjournment_reason: str | None

    @classmethod
    def from_values(cls, doc: Mapping[str, Any]) -> ReportHearing:
        return cls(
            id=doc["_id"],
            case_id=doc["case_id"],
            district=doc.get("district", ""),
            court=doc.get("court", ""),
            starts_at=doc["starts_at"],
            prosecutor_ids=tuple(doc.get("prosecutor_ids", ())),
            outcome=doc.get("outcome"),
            adjournment_reason=doc.get("adjournment_reason"),
        )


def report_cases(store: DocumentStore, flt: Filter) -> list[ReportCase]:
    """The cases of ``flt`` with only ``CASE_FIELDS`` read, as plain objects."""
    return [ReportCase.from_values(d) for d in store.find_values(Case, CASE_FIELDS, flt)]


def report_hearings(store: DocumentStore, flt: Filter) -> list[ReportHearing]:
    """The hearings of ``flt`` with only ``HEARING_FIELDS`` read, as plain objects."""
    return [ReportHearing.from_values(d) for d in store.find_values(Hearing, HEARING_FIELDS, flt)]
