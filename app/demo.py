"""Demo data: districts, one account per role, and a few cases to try things on.

Idempotent: running it again adds only what is missing. Every demo account
shares one password, printed by ``mizan seed-demo`` and listed in the README.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from casefiles.assignment import Posting, add_posting
from casefiles.fir_details import update_fir
from casefiles.holidays import Holiday, NewHoliday, add_holiday, add_national_holidays
from casefiles.matters import MatterInput, create_matter, matters_for_case
from casefiles.models import Case
from casefiles.parties import PartyInput, add_party, set_offences
from casefiles.scale import seed_scale
from casefiles.scale_tables import COURTS
from casefiles.service import NewCase, assign, create_case
from mizan.accounts.models import District, User
from mizan.accounts.service import create_district, create_user
from mizan.actor import SYSTEM
from mizan.clock import pakistan_today
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


#: FIR details of the hand-made demo cases (police station, FIR number, sections, incident
#: day and time, place, narrative), so their pages and the precedent finder have substance.
DEMO_DETAILS = (
    (
        "Artillery Maidan",
        189,
        "302/34 PPC",
        (3, 12, 21, 30),
        "Near Empress Market, Saddar",
        "The complainant Muhammad Iqbal s/o Ghulam Rasool states that on the night of the "
        "incident his brother Muhammad Arif was walking home from his shop when the accused "
        "Muhammad Aslam and an unknown companion, both armed with pistols, stopped him over a "
        "dispute about money owed. After an exchange of words the accused fired at him; he was "
        "hit in the chest and died on the way to Civil Hospital. The complainant and his cousin "
        "Abdul Ghaffar saw the firing from the pavement and recognised the accused, who fled on "
        "a motorcycle. Two empties of 30 bore were found at the spot.",
    ),
    (
        "Boat Basin",
        77,
        "392/397 PPC",
        (3, 13, 22, 15),
        "Khayaban-e-Saadi, Block 5",
        "The complainant states that two young men on a motorcycle stopped his car at gunpoint, "
        "took his mobile phone, wallet and 45,000 rupees in cash and hit him with the butt of a "
        "pistol when he resisted. Police on patrol chased the motorcycle and arrested the rider, "
        "who gave his name as Shahid alias Shoda; the phone was recovered from him.",
    ),
    (
        "Darakhshan",
        12,
        "365-A PPC; 7(1)(e) ATA",
        (3, 12, 16, 40),
        "Outside a school, Phase VI",
        "The complainant states that his son, aged eleven, was taken from outside his school by "
        "unknown persons in a white car. That evening a caller demanded a ransom of twenty "
        "million rupees for the boy's release and threatened to kill him if the police were told.",
    ),
    (
        "Market",
        301,
        "9(c) CNSA",
        (3, 13, 11, 0),
        "Near the Market police station",
        "On spy information a police party stopped the accused Ali Raza and recovered from his "
        "shopping bag 1,250 grams of charas in two slabs, in the presence of two mashirs. "
        "Samples were sealed for the chemical examiner.",
    ),
)

#: People of the demo cases: (police station, FIR number) -> (role, name, parentage, custody).
DEMO_PARTIES = {
    ("Artillery Maidan", 189): (
        ("accused", "Muhammad Aslam", "s/o Muhammad Akram", "arrested"),
        ("complainant", "Muhammad Iqbal", "s/o Ghulam Rasool", ""),
        ("witness", "Abdul Ghaffar", "s/o Abdul Sattar", ""),
    ),
    ("Boat Basin", 77): (("accused", "Shahid @ Shoda", "s/o Rasheed Ahmed", "arrested"),),
    ("Market", 301): (("accused", "Ali Raza", "s/o Manzoor Hussain", "on_bail"),),
}

#: Bail applications in the hand-made demo cases, so *My matters* has something to show:
#: (police station, FIR number, court, number, days since filing).
DEMO_MATTERS = (
    ("Artillery Maidan", 189, "Sessions Court Karachi South", "Crl. B.A. No. 1123/2026", 9),
    ("Boat Basin", 77, "Sessions Court Karachi South", "Crl. B.A. No. 1187/2026", 3),
)


def seed_demo_details(kernel: Kernel) -> int:
    """FIR narrative, place, incident time, sections and people of the demo cases that lack
    them."""

    done = 0
    people = DEMO_PARTIES
    for station, number, sections, (month, day, hour, minute), place, narrative in DEMO_DETAILS:
        key = (station, number)
        case = kernel.store.find_one(Case, {"fir.police_station": station, "fir.number": number})
        if case is None or case.fir.narrative:
            continue
        moment = dt.datetime(case.fir.year, month, day, hour, minute)  # as in the FIR
        case = update_fir(
            kernel, SYSTEM, case.id, version=case.version,
            incident_at=moment, place=place, narrative=narrative,
        )  # fmt: skip
        if not case.offences:
            case = set_offences(kernel, SYSTEM, case.id, version=case.version, text=sections)
        for role, name, parentage, custody in () if case.parties else people.get(key, ()):
            case = add_party(
                kernel, SYSTEM, case.id, version=case.version,
                data=PartyInput(role, name, parentage=parentage, custody=custody),
            )  # fmt: skip
        done += 1
    return done


def seed_demo_matters(kernel: Kernel) -> int:
    """Post-arrest bail applications in the demo cases that have none; returns how many."""

    made = 0
    for station, number, court, court_number, days_ago in DEMO_MATTERS:
        case = kernel.store.find_one(Case, {"fir.police_station": station, "fir.number": number})
        if case is None or not case.lead_prosecutor or matters_for_case(kernel, case):
            continue
        create_matter(
            kernel,
            SYSTEM,
            case.id,
            MatterInput(
                kind="bail_post_arrest",
                forum="sessions_court",
                court=court,
                number=court_number,
                filed_on=pakistan_today() - dt.timedelta(days=days_ago),
                lead_prosecutor=case.lead_prosecutor,
                note="demo data",
            ),
        )
        made += 1
    return made


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
    this_year = pakistan_today().year
    for year in (this_year, this_year + 1):
        add_national_holidays(kernel, SYSTEM, year)
        for day, name in EXPECTED_ISLAMIC.get(year, ()):
            if store.find_one(Holiday, {"day": dt.datetime.combine(day, dt.time())}) is None:
                add_holiday(kernel, SYSTEM, NewHoliday(day, name, "islamic"))
    seed_demo_details(kernel)
    seed_demo_matters(kernel)
    seed_demo_case_study(kernel)
    return ProvinceResult(
        cases=scale.cases,
        hearings=scale.hearings,
        prosecutors_created=scale.prosecutors_created,
        postings=posted,
        seconds=time.perf_counter() - started,
    )


def seed_demo_case_study(kernel: Kernel) -> str | None:
    """One published case study, drafted by the demo trainer from a decided Karachi South
    case (redactions accepted as found, for demo data only); None if there is one already
    or no decided case."""
    from learning.case_studies import (
        DECIDED_STATES,
        accept_label,
        draft_case_study,
        pending_labels,
        publish_case_study,
    )
    from learning.case_study_models import CaseStudy
    from mizan.accounts.service import actor_for

    trainer = kernel.store.find_one(User, {"username": "trainer"})
    if trainer is None or kernel.store.count(CaseStudy):
        return None
    flt = {"district": "KHI-S", "state": {"$in": list(DECIDED_STATES)}}
    decided = kernel.store.find(Case, flt, sort=[("created_at", -1)], limit=50)
    case = next((c for c in decided if c.outcome and len(c.parties) > 1), None)
    if case is None:
        return None
    who = actor_for(trainer, channel="cli")
    study = draft_case_study(kernel, who, case.id)
    for label in pending_labels(study):
        study = accept_label(kernel, who, study.id, version=study.version, label=label)
    return publish_case_study(kernel, who, study.id, version=study.version).id
