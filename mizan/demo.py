"""Demo data: districts, one account per role, and a few cases to try things on.

Idempotent: running it again adds only what is missing. Every demo account
shares one password, printed by ``mizan seed-demo`` and listed in the README.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mizan.accounts.models import District, User
from mizan.accounts.service import create_district, create_user
from mizan.actor import SYSTEM
from mizan.kernel import Kernel

DEMO_PASSWORD = "mizan-demo-2026"

DISTRICTS = [
    ("KHI-S", "Karachi South", "کراچی جنوبی"),
    ("KHI-E", "Karachi East", "کراچی شرقی"),
    ("HYD", "Hyderabad", "حیدرآباد"),
    ("THT", "Thatta", "ٹھٹہ"),
    ("SUK", "Sukkur", "سکھر"),
    ("LRK", "Larkana", "لاڑکانہ"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    roles: tuple[str, ...]
    district: str | None


USERS = [
    DemoUser("admin", "System Administrator", ("admin",), None),
    DemoUser("pg.sindh", "Prosecutor General Sindh", ("prosecutor_general",), None),
    DemoUser(
        "dpp.south", "Ayesha Siddiqui (DPP Karachi South)", ("district_public_prosecutor",), "KHI-S"
    ),
    DemoUser("pp.rahim", "Abdul Rahim Soomro", ("prosecutor",), "KHI-S"),
    DemoUser("pp.sana", "Sana Memon", ("prosecutor",), "KHI-S"),
    DemoUser("pp.hyd", "Imran Qureshi", ("prosecutor",), "HYD"),
    DemoUser("clerk.south", "Ghulam Mustafa (Clerk)", ("clerk",), "KHI-S"),
    DemoUser("supervisor", "Farah Baloch (Supervisor)", ("supervisor",), "KHI-S"),
    DemoUser("trainer", "Dr. Nadia Jatoi (Trainer)", ("trainer",), None),
]

CASES = [
    # district, police station, FIR no, year, title, lead prosecutor username
    ("KHI-S", "Artillery Maidan", 189, 2024, "State v. Muhammad Aslam (302/34 PPC)", "pp.rahim"),
    ("KHI-S", "Boat Basin", 77, 2025, "State v. Shahid @ Shoda (392/397 PPC)", "pp.sana"),
    ("KHI-S", "Darakhshan", 12, 2025, "State v. Unknown (365-A PPC, 7 ATA)", None),
    ("HYD", "Market", 301, 2024, "State v. Ali Raza (9(c) CNSA)", "pp.hyd"),
]


def seed(kernel: Kernel) -> list[tuple[str, str]]:
    """Create what is missing; returns (username, role list) of every demo account."""
    from casefiles.models import Case
    from casefiles.service import NewCase, assign, create_case

    store = kernel.store
    for code, name, name_ur in DISTRICTS:
        if store.find_one(District, {"code": code}) is None:
            create_district(kernel, SYSTEM, code, name, name_ur)
    users: dict[str, User] = {}
    for demo in USERS:
        user = store.find_one(User, {"username": demo.username})
        if user is None:
            user = create_user(
                kernel,
                SYSTEM,
                username=demo.username,
                full_name=demo.full_name,
                password=DEMO_PASSWORD,
                roles=list(demo.roles),
                district=demo.district,
            )
        users[demo.username] = user
    for district, station, number, year, title, lead in CASES:
        flt = {
            "district": district,
            "fir.police_station": station,
            "fir.number": number,
            "fir.year": year,
        }
        if store.find_one(Case, flt) is not None:
            continue
        case = create_case(
            kernel,
            SYSTEM,
            NewCase(
                district=district,
                police_station=station,
                fir_number=number,
                fir_year=year,
                title=title,
                registered_on=dt.date(year, 3, 14),
            ),
        )
        if lead:
            assign(
                kernel,
                SYSTEM,
                case.id,
                version=case.version,
                lead=users[lead].id,
                assisting=[],
                reason="demo data",
            )
    return [(d.username, ", ".join(d.roles)) for d in USERS]


#: The believable small province of ``mizan seed-demo --province`` (used by ``make run``).
PROVINCE_CASES = 2000
PROVINCE_SEED = 2026
#: Islamic holidays as expected before moon sighting, for the demo calendar only.
EXPECTED_ISLAMIC = {
    2026: (
        (dt.date(2026, 3, 20), "Eid ul-Fitr (expected)"),
        (dt.date(2026, 3, 21), "Eid ul-Fitr (expected)"),
        (dt.date(2026, 5, 27), "Eid ul-Adha (expected)"),
        (dt.date(2026, 5, 28), "Eid ul-Adha (expected)"),
        (dt.date(2026, 6, 25), "Ashura (expected)"),
        (dt.date(2026, 8, 26), "Eid Milad-un-Nabi (expected)"),
    ),
}


@dataclass(frozen=True)
class ProvinceResult:
    cases: int
    hearings: int
    prosecutors_created: int
    postings: int
    seconds: float


def seed_province(kernel: Kernel, cases: int = PROVINCE_CASES) -> ProvinceResult | None:
    """Add a province's worth of cases, hearings, court postings and holidays; None if the
    store already holds at least ``cases`` cases (so ``make run`` can repeat it)."""
    import time

    from casefiles.assignment import Posting, add_posting
    from casefiles.holidays import Holiday, NewHoliday, add_holiday, add_national_holidays
    from casefiles.models import Case
    from casefiles.scale import COURTS, seed_scale

    store = kernel.store
    if store.count(Case) >= cases:
        return None
    started = time.perf_counter()
    scale = seed_scale(kernel, cases, seed=PROVINCE_SEED)
    # Court postings: the first prosecutor of each district in its Anti-Terrorism Court,
    # the others in the sessions courts by turns.
    posted = 0
    for district, (sessions, atc) in COURTS.items():
        staff = store.find(
            User, {"roles": "prosecutor", "district": district}, sort=[("username", 1)]
        )
        for n, user in enumerate(staff):
            court, is_atc = (atc, True) if n == 0 else (sessions[n % len(sessions)], False)
            if store.find_one(Posting, {"user_id": user.id}) is None:
                add_posting(kernel, SYSTEM, user.id, court, atc=is_atc)
                posted += 1
    this_year = dt.date.today().year
    for year in (this_year, this_year + 1):
        add_national_holidays(kernel, SYSTEM, year)
        for day, name in EXPECTED_ISLAMIC.get(year, ()):
            if store.find_one(Holiday, {"day": dt.datetime.combine(day, dt.time())}) is None:
                add_holiday(kernel, SYSTEM, NewHoliday(day, name, "islamic"))
    return ProvinceResult(
        cases=scale.cases,
        hearings=scale.hearings,
        prosecutors_created=scale.prosecutors_created,
        postings=posted,
        seconds=time.perf_counter() - started,
    )
