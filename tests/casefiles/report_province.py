"""A small province for the performance reports, every date chosen by hand.

Today is Monday 30 June 2025; the report period is June 2025 (previous: May 2025,
last year: June 2024). Stage changes are stored at 06:00 UTC (11:00 in Pakistan),
so the Pakistan day is the day written here. Prosecutors p1 and p2 work in KHI-S,
p3 in HYD.

 case  district  station  offence      lead  FIR         what happened
 C1    KHI-S     Saddar   302 PPC      p1    2025-06-05  under investigation since 06-06
 C2    KHI-S     Clifton  9(c) CNSA    p2    2025-06-10  investigation 06-11, report 06-20
 C3    KHI-S     Saddar   392 PPC      p1    2024-01-10  trial; decided 2025-06-15 convicted
 C4    KHI-S     Saddar   302 PPC      p2    2024-06-03  trial; decided 2025-06-20 acquitted
 C5    HYD       City     489-F PPC    p3    2025-05-20  report 05-25; decided 06-25 compromised
 C6    KHI-S     Docks    7 ATA (ATA)  p1    2025-01-10  charge 06-02 (Mon); decided 06-10 convicted
 C7    KHI-S     Docks    7 ATA (ATA)  p2    2025-02-01  charge 06-16 (Mon); evidence, undecided
 C8    KHI-S     Saddar   380 PPC      -     (none)      opened 2023-01-01, never moved
 C9    HYD       City     324 PPC      p3    2024-09-15  charge framed 2025-01-10, pending
 C10   KHI-S     Clifton  302 PPC      p1    2024-02-01  decided 2025-05-15 acquitted
 C11   KHI-S     Saddar   392 PPC      p2    2024-03-01  decided 06-05 partly convicted;
                                                         appeal 06-20
 C12   HYD       City     406 PPC      -     2025-06-02  investigation 06-03, cancellation 06-10,
                                                         closed 06-24
 C13   KHI-S     Saddar   302 PPC      p1    2025-06-13  FIR registered only
 C14   HYD       City     302 PPC      p3    2025-04-01  decided 2025-03-15 (before its FIR!)
 C15   KHI-S     Clifton  302 PPC      p2    2024-12-01  decided 2025-04-10 with no outcome
 C16   KHI-S     Clifton  302 PPC      p2    2022-01-10  decided 2022-06-01 convicted (long done:
                                                         no report period reaches it)

C7 has p1 assisting. Hearings (Pakistan days, prosecutors listed):
 H1 C3 06-02 [p1] adjourned, witness absent        H2 C3 06-09 [p1] adjourned, defence absent
 H3 C7 06-18 [p2] held                             H4 C9 06-12 [p3] adjourned, prosecutor absent
 H5 C7 06-26 [p2, p1] no outcome recorded          H6 C9 2025-05-20 [p3] held
 H7 C7 2025-07-03 [p2] in the future
"""

from __future__ import annotations

import datetime as dt

from casefiles.hearings import Hearing, court_key
from casefiles.models import Case, FirRef, Offence, StageChange
from casefiles.report_queries import Report, ReportRequest, build_report
from mizan.accounts.models import User
from mizan.accounts.service import actor_for, create_district
from mizan.actor import SYSTEM, Actor
from mizan.kernel import Kernel

TODAY = dt.date(2025, 6, 30)
TRIAL = [
    ("UNDER_INVESTIGATION", 1),
    ("REPORT_UNDER_SCRUTINY", 10),
    ("FILED_IN_COURT", 20),
    ("COGNIZANCE_TAKEN", 25),
    ("PRE_CHARGE", 30),
    ("CHARGE_FRAMED", 50),
    ("PROSECUTION_EVIDENCE", 80),
]
COURT = {"KHI-S": "Additional Sessions Judge-I Karachi South", "HYD": "ATC-I Hyderabad"}


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=6)


def _trial_from(fir: str) -> list[tuple[str, str]]:
    """The usual trial stages at fixed offsets from the FIR, up to prosecution evidence."""
    start = dt.date.fromisoformat(fir)
    return [(state, (start + dt.timedelta(days=d)).isoformat()) for state, d in TRIAL]


class ReportProvince:
    def __init__(self, kernel: Kernel, users: dict[str, str]) -> None:
        self.kernel, self.users = kernel, users
        self.cases: dict[str, Case] = {}
        self.hearings: dict[str, Hearing] = {}

    def case(
        self,
        key: str,
        district: str,
        station: str,
        offence: tuple[str, str],
        lead: str | None,
        fir: str | None,
        steps: list[tuple[str, str]],
        *,
        outcome: str | None = None,
        labels: tuple[str, ...] = (),
        assisting: tuple[str, ...] = (),
        created: str = "2023-01-01",
    ) -> None:
        history, state = [], "FIR_REGISTERED"
        for target, day in steps:
            history.append(StageChange(from_state=state, to_state=target, at=_at(day), by="t"))
            state = target
        number = 9000 + int(key[1:])
        case = Case(
            title=f"Case {key}",
            district=district,
            fir=FirRef(
                police_station=station,
                number=number,
                year=2025,
                registered_on=dt.datetime.fromisoformat(fir) if fir else None,
            ),
            reference=f"FIR {number}/2025 PS {station} ({key})",
            state=state,
            outcome=outcome,
            history=history,
            labels=list(labels),
            offences=[Offence(act=offence[1], section=offence[0])],
            lead_prosecutor=self.users[lead] if lead else None,
            assisting=[self.users[a] for a in assisting],
            created_at=_at(fir or created),
            # As the case service leaves it: the time of the last stage change.
            updated_at=history[-1].at if history else None,
        )
        self.cases[key] = self.kernel.store.insert(case)

    def hearing(
        self,
        key: str,
        case: str,
        day: str,
        prosecutors: tuple[str, ...],
        outcome: str | None = None,
        reason: str | None = None,
    ) -> None:
        c = self.cases[case]
        court = COURT[c.district]
        hearing = Hearing(
            case_id=c.id,
            district=c.district,
            court=court,
            court_key=court_key(court),
            starts_at=_at(day),
            purpose="evidence",
            prosecutor_ids=[self.users[p] for p in prosecutors],
            outcome=outcome,
            adjournment_reason=reason,
            recorded_as_history=True,
        )
        self.hearings[key] = self.kernel.store.insert(hearing)


def build(kernel: Kernel, users: dict[str, str]) -> ReportProvince:
    """The cases and hearings of the module docstring; ``users`` maps p1, p2, p3 to ids."""
    p = ReportProvince(kernel, users)
    ppc = "PPC"
    p.case(
        "C1",
        "KHI-S",
        "Saddar",
        ("302", ppc),
        "p1",
        "2025-06-05",
        [("UNDER_INVESTIGATION", "2025-06-06")],
    )
    p.case(
        "C2",
        "KHI-S",
        "Clifton",
        ("9", "CNSA"),
        "p2",
        "2025-06-10",
        [("UNDER_INVESTIGATION", "2025-06-11"), ("REPORT_UNDER_SCRUTINY", "2025-06-20")],
    )
    p.case(
        "C3",
        "KHI-S",
        "Saddar",
        ("392", ppc),
        "p1",
        "2024-01-10",
        [*_trial_from("2024-01-10"), ("DECIDED", "2025-06-15")],
        outcome="convicted",
    )
    p.case(
        "C4",
        "KHI-S",
        "Saddar",
        ("302", ppc),
        "p2",
        "2024-06-03",
        [*_trial_from("2024-06-03"), ("DECIDED", "2025-06-20")],
        outcome="acquitted",
    )
    p.case(
        "C5",
        "HYD",
        "City",
        ("489-F", ppc),
        "p3",
        "2025-05-20",
        [
            ("REPORT_UNDER_SCRUTINY", "2025-05-25"),
            ("FILED_IN_COURT", "2025-05-28"),
            ("COGNIZANCE_TAKEN", "2025-06-01"),
            ("PRE_CHARGE", "2025-06-05"),
            ("DECIDED", "2025-06-25"),
        ],
        outcome="compromised",
    )
    p.case(
        "C6",
        "KHI-S",
        "Docks",
        ("7", "ATA"),
        "p1",
        "2025-01-10",
        [
            ("REPORT_UNDER_SCRUTINY", "2025-02-01"),
            ("FILED_IN_COURT", "2025-03-01"),
            ("COGNIZANCE_TAKEN", "2025-04-01"),
            ("PRE_CHARGE", "2025-05-01"),
            ("CHARGE_FRAMED", "2025-06-02"),
            ("DECIDED", "2025-06-10"),
        ],
        outcome="convicted",
        labels=("ATA",),
    )
    p.case(
        "C7",
        "KHI-S",
        "Docks",
        ("7", "ATA"),
        "p2",
        "2025-02-01",
        [
            ("UNDER_INVESTIGATION", "2025-02-02"),
            ("REPORT_UNDER_SCRUTINY", "2025-02-20"),
            ("FILED_IN_COURT", "2025-03-01"),
            ("COGNIZANCE_TAKEN", "2025-04-01"),
            ("PRE_CHARGE", "2025-05-01"),
            ("CHARGE_FRAMED", "2025-06-16"),
            ("PROSECUTION_EVIDENCE", "2025-06-17"),
        ],
        labels=("ATA",),
        assisting=("p1",),
    )
    p.case("C8", "KHI-S", "Saddar", ("380", ppc), None, None, [], created="2023-01-01")
    p.case(
        "C9",
        "HYD",
        "City",
        ("324", ppc),
        "p3",
        "2024-09-15",
        [
            ("REPORT_UNDER_SCRUTINY", "2024-10-01"),
            ("FILED_IN_COURT", "2024-10-15"),
            ("COGNIZANCE_TAKEN", "2024-11-01"),
            ("PRE_CHARGE", "2024-12-01"),
            ("CHARGE_FRAMED", "2025-01-10"),
        ],
    )
    p.case(
        "C10",
        "KHI-S",
        "Clifton",
        ("302", ppc),
        "p1",
        "2024-02-01",
        [*_trial_from("2024-02-01"), ("DECIDED", "2025-05-15")],
        outcome="acquitted",
    )
    p.case(
        "C11",
        "KHI-S",
        "Saddar",
        ("392", ppc),
        "p2",
        "2024-03-01",
        [
            *_trial_from("2024-03-01"),
            ("DECIDED", "2025-06-05"),
            ("APPEAL_OR_REVISION", "2025-06-20"),
        ],
        outcome="partly_convicted",
    )
    p.case(
        "C12",
        "HYD",
        "City",
        ("406", ppc),
        None,
        "2025-06-02",
        [
            ("UNDER_INVESTIGATION", "2025-06-03"),
            ("CANCELLATION_PROPOSED", "2025-06-10"),
            ("CLOSED", "2025-06-24"),
        ],
    )
    p.case("C13", "KHI-S", "Saddar", ("302", ppc), "p1", "2025-06-13", [])
    p.case(
        "C14",
        "HYD",
        "City",
        ("302", ppc),
        "p3",
        "2025-04-01",
        [
            ("REPORT_UNDER_SCRUTINY", "2025-03-01"),
            ("FILED_IN_COURT", "2025-03-02"),
            ("COGNIZANCE_TAKEN", "2025-03-03"),
            ("DECIDED", "2025-03-15"),
        ],
        outcome="convicted",
    )
    p.case(
        "C15",
        "KHI-S",
        "Clifton",
        ("302", ppc),
        "p2",
        "2024-12-01",
        [*_trial_from("2024-12-01"), ("DECIDED", "2025-04-10")],
    )
    p.case(
        "C16",
        "KHI-S",
        "Clifton",
        ("302", ppc),
        "p2",
        "2022-01-10",
        [*_trial_from("2022-01-10"), ("DECIDED", "2022-06-01")],
        outcome="convicted",
    )
    p.hearing("H1", "C3", "2025-06-02", ("p1",), "adjourned", "witness_absent")
    p.hearing("H2", "C3", "2025-06-09", ("p1",), "adjourned", "defence_counsel_absent")
    p.hearing("H3", "C7", "2025-06-18", ("p2",), "held")
    p.hearing("H4", "C9", "2025-06-12", ("p3",), "adjourned", "prosecutor_absent")
    p.hearing("H5", "C7", "2025-06-26", ("p2", "p1"))
    p.hearing("H6", "C9", "2025-05-20", ("p3",), "held")
    p.hearing("H7", "C7", "2025-07-03", ("p2",))
    return p


class World:
    """The province with its staff by short name (users stored directly: reports read names
    and roles, never passwords)."""

    province: ReportProvince

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.actors: dict[str, Actor] = {}

    def user(self, key: str, role: str, district: str | None) -> None:
        user = User(
            username=f"user.{key}",
            full_name=f"Name {key}",
            password_hash="-",
            roles=[role],
            district=district,
        )
        self.actors[key] = actor_for(self.kernel.store.insert(user))

    def report(self, who: str = "pg", **args: str) -> Report:
        args = {"period": "month", "start": "2025-06-01", **args}
        return build_report(self.kernel, self.actors[who], ReportRequest(**args), TODAY)


def make_world(kernel: Kernel) -> World:
    """Districts KHI-S and HYD, their staff, and the province's cases and hearings."""
    create_district(kernel, SYSTEM, "KHI-S", "Karachi South")
    create_district(kernel, SYSTEM, "HYD", "Hyderabad")
    w = World(kernel)
    w.user("pg", "prosecutor_general", None)
    w.user("dpp", "district_public_prosecutor", "KHI-S")
    w.user("sup", "supervisor", "KHI-S")
    w.user("clerk", "clerk", "KHI-S")
    w.user("p1", "prosecutor", "KHI-S")
    w.user("p2", "prosecutor", "KHI-S")
    w.user("p3", "prosecutor", "HYD")
    w.province = build(kernel, {k: w.actors[k].user_id for k in ("p1", "p2", "p3")})
    return w
