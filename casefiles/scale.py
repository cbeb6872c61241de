"""A synthetic province: tens of thousands of believable cases, fast and repeatable.

Dashboards and case lists must be judged at the size of a real province
(Sindh registers well over 100,000 FIRs a year), which nobody can type in. The
generator simulates each case through the workflow, stage by stage with
plausible durations, so stages, ages, overdue challans, workloads and outcomes
come out in the proportions a supervisor would expect, with a history entry
per step.

Speed: ``create_case`` validates, audits and indexes per call (tens of ms);
here cases go straight to the store in batches, one transaction and one
``scale.seeded`` audit entry per batch. Determinism: everything, ids
included, comes from one ``random.Random(seed)`` and ``today``, so the same
seed on the same starting data gives the same cases.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from casefiles.hearings import Hearing, court_key
from casefiles.models import CASE_STATES, Case, CourtCaseRef, FirRef, Offence, Party, StageChange
from legaltext.person_names import name_key
from legaltext.section_refs import parse_section_refs
from mizan.accounts.models import District, User
from mizan.accounts.roles import Role
from mizan.accounts.service import create_user
from mizan.actor import SYSTEM
from mizan.events import DomainEvent
from mizan.kernel import Kernel

__all__ = ["DISTRICT_WEIGHTS", "ScaleError", "ScaleResult", "seed_scale"]

#: Share of the province's cases per district and prosecutors on its strength (40 in all).
DISTRICT_WEIGHTS: dict[str, tuple[float, int]] = {
    "KHI-S": (0.22, 8),
    "KHI-E": (0.24, 9),
    "HYD": (0.20, 8),
    "THT": (0.08, 4),
    "SUK": (0.14, 6),
    "LRK": (0.12, 5),
}

STATIONS: dict[str, tuple[str, ...]] = {
    "KHI-S": (
        "Artillery Maidan",
        "Boat Basin",
        "Clifton",
        "Darakhshan",
        "Docks",
        "Frere",
        "Garden",
        "Gizri",
        "Kharadar",
        "Mithadar",
        "Preedy",
        "Saddar",
    ),
    "KHI-E": (
        "Aziz Bhatti",
        "Brigade",
        "Ferozabad",
        "Gulshan-e-Iqbal",
        "Jamshed Quarters",
        "Mobina Town",
        "Sachal",
        "Shahrah-e-Faisal",
        "Sharafi Goth",
        "Tipu Sultan",
    ),
    "HYD": (
        "Baldia",
        "Cantonment",
        "City",
        "Hali Road",
        "Hatri",
        "Hussainabad",
        "Market",
        "Phuleli",
        "Pinyari",
        "Qasimabad",
        "Tando Yousuf",
    ),
    "THT": ("Gharo", "Ghorabari", "Jungshahi", "Keti Bandar", "Makli", "Mirpur Sakro", "Sonda"),
    "SUK": (
        "A-Section",
        "Airport",
        "B-Section",
        "Bagerji",
        "C-Section",
        "New Pind",
        "Pano Akil",
        "Rohri",
        "Saleh Pat",
    ),
    "LRK": (
        "Airport",
        "Bakrani",
        "Dokri",
        "Haidri",
        "Market",
        "Naudero",
        "Rato Dero",
        "Shaikh Zaid",
        "Waleed",
    ),
}
#: First five CNIC digits (locality codes) used for accused from each district.
CNIC_PREFIX = {
    "KHI-S": "42301",
    "KHI-E": "42201",
    "HYD": "41303",
    "THT": "41304",
    "SUK": "45504",
    "LRK": "43203",
}

#: Where each district's trials are heard: sessions courts, and the Anti-Terrorism Court.
COURTS: dict[str, tuple[tuple[str, ...], str]] = {
    "KHI-S": (
        ("Additional Sessions Judge-I Karachi South", "Additional Sessions Judge-II Karachi South"),
        "ATC-XII Karachi",
    ),
    "KHI-E": (
        ("Additional Sessions Judge-III Karachi East", "Additional Sessions Judge-IV Karachi East"),
        "ATC-VII Karachi",
    ),
    "HYD": (
        ("Additional Sessions Judge-I Hyderabad", "Additional Sessions Judge-II Hyderabad"),
        "ATC-I Hyderabad",
    ),
    "THT": (("Sessions Judge Thatta", "Additional Sessions Judge Thatta"), "ATC Thatta"),
    "SUK": (
        ("Additional Sessions Judge-I Sukkur", "Additional Sessions Judge-II Sukkur"),
        "ATC-I Sukkur",
    ),
    "LRK": (("Additional Sessions Judge-I Larkana", "Sessions Judge Larkana"), "ATC Larkana"),
}
#: Stages in which a case is before the trial court (it has hearings).
_ORDER = list(CASE_STATES)
COURT_STAGES = tuple(_ORDER[_ORDER.index("FILED_IN_COURT") : _ORDER.index("RESERVED") + 1])
_STAGE_PURPOSE = {
    "FILED_IN_COURT": "other",
    "COGNIZANCE_TAKEN": "other",
    "PRE_CHARGE": "charge",
    "CHARGE_FRAMED": "evidence",
    "PROSECUTION_EVIDENCE": "evidence",
    "S342_DEFENCE": "s342",
    "ARGUMENTS": "arguments",
    "RESERVED": "judgment",
}
_ADJOURNED = (
    ("witness_absent", 40),
    ("defence_counsel_absent", 20),
    ("accused_not_produced", 12),
    ("judge_on_leave", 10),
    ("file_not_received", 8),
    ("prosecutor_absent", 5),
)
#: Pakistan Standard Time is UTC+5: hearings are stored as naive UTC.
_PKT = dt.timedelta(hours=5)

MALE = (
    "Muhammad Aslam",
    "Abdul Rahim",
    "Ali Raza",
    "Shahid",
    "Imran",
    "Ghulam Mustafa",
    "Zulfiqar Ali",
    "Asif",
    "Naveed",
    "Sajjad Hussain",
    "Faisal",
    "Irfan",
    "Waseem",
    "Javed",
    "Nadeem",
    "Khalid",
    "Rashid",
    "Tariq",
    "Bilal",
    "Kamran",
    "Altaf Hussain",
    "Manzoor Ahmed",
    "Niaz",
    "Ghulam Qadir",
    "Abdul Ghaffar",
    "Sikandar",
    "Muhammad Hanif",
    "Aijaz",
    "Shakeel",
    "Nisar Ahmed",
)
FEMALE = (
    "Sana",
    "Ayesha",
    "Farah",
    "Nadia",
    "Shazia",
    "Rubina",
    "Naseem",
    "Saima",
    "Bushra",
    "Fozia",
    "Parveen",
    "Samina",
)
SURNAMES = (
    "Soomro",
    "Memon",
    "Qureshi",
    "Shaikh",
    "Baloch",
    "Jatoi",
    "Abro",
    "Chandio",
    "Mahar",
    "Khoso",
    "Siddiqui",
    "Ansari",
    "Khan",
    "Lashari",
    "Junejo",
    "Pathan",
    "Brohi",
    "Mirani",
    "Bhatti",
    "Rajput",
    "Magsi",
    "Kalhoro",
    "Panhwar",
    "Solangi",
)
ALIASES = ("Kala", "Shoda", "Bhaloo", "Chhota", "Lamba", "Papu", "Guddu", "Mithoo")

#: (sections as a clerk writes them, weight, labels it implies, court can compound it)
OFFENCES: tuple[tuple[str, int, tuple[str, ...], bool], ...] = (
    ("302/34 PPC", 10, (), True),
    ("324/34 PPC", 8, (), True),
    ("392/397 PPC", 12, (), False),
    ("9(c) CNSA", 15, (), False),
    ("23(1)(a) SAA", 14, (), False),
    ("380/457 PPC", 9, (), False),
    ("489-F PPC", 7, (), True),
    ("337-A(i)/34 PPC", 8, (), True),
    ("406/420 PPC", 5, (), True),
    ("376 PPC", 3, ("SEXUAL_OFFENCE",), False),
    ("353/324 PPC, 23(1)(a) SAA", 4, (), False),
    ("365-A PPC", 2, (), False),
)
#: What an ATA case is registered under (the ATA label adds section 7).
ATA_OFFENCES = (
    "302/34 PPC, 7(1)(a) ATA",
    "324 PPC, 7(1)(b) ATA",
    "365-A PPC, 7(1)(e) ATA",
    "353/324 PPC, 7(1)(h) ATA, 4/5 ESA",
)
ATA_SHARE = 0.05

RETURN_REASONS = (
    "Statements of witnesses under s.161 CrPC not annexed.",
    "Chemical examiner's report awaited.",
    "Site plan and recovery memo missing.",
    "Medico-legal certificate not on file.",
    "Identification parade not held.",
)
EARLY_ENDS = (
    ("compromised", "Compromise between the parties accepted (s.345 CrPC)."),
    ("acquitted", "Accused acquitted under s.265-K CrPC: no probability of conviction."),
    ("dormant", "Accused absconding; case kept on the dormant file (s.512 CrPC)."),
    ("transferred", "Case transferred to another court."),
    ("abated", "Proceedings abated on the death of the accused."),
)
#: Trial outcomes after a full trial (Sindh conviction rates are low, ~20-30%).
VERDICTS = (("convicted", 30), ("acquitted", 62), ("partly_convicted", 8))


class ScaleError(RuntimeError):
    """The data cannot be generated as asked (the message says what to do first)."""


@dataclass
class ScaleResult:
    cases: int
    prosecutors_created: int
    seconds: float
    by_state: dict[str, int] = field(default_factory=dict)
    hearings: int = 0

    @property
    def cases_per_second(self) -> float:
        return self.cases / self.seconds if self.seconds else 0.0


@cache
def _offences(text: str) -> tuple[Offence, ...]:
    """Parsed once per template by the real parser, so stored offences look entered."""
    return tuple(
        Offence(act=r.act, section=r.section, subsections=list(r.subsections), raw=r.raw or None)
        for r in parse_section_refs(text)
    )


def _hearing_id(starts: dt.datetime, case_id: str, n: int) -> str:
    """Sorts by time like ``new_id``; the rest comes from the (unique) case id, so re-running
    with the same seed, whose random stream overlaps the first run's, cannot collide."""
    ms = int((starts - dt.datetime(1970, 1, 1)).total_seconds() * 1000)
    return f"{ms:012x}{hashlib.blake2b(f'{case_id}:{n}'.encode(), digest_size=6).hexdigest()}"


@cache
def _key(name: str) -> str:
    return name_key(name)


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


def _days(rng: random.Random, low: float, high: float) -> int:
    """Log-uniform: most steps are quick, a tail drags on, as court dates do."""
    return max(1, round(math.exp(rng.uniform(math.log(low), math.log(high)))))


@dataclass
class _Prosecutor:
    id: str
    username: str


class _Generator:
    """One case at a time, from one random stream."""

    def __init__(
        self,
        kernel: Kernel,
        rng: random.Random,
        today: dt.date,
        prosecutors: dict[str, list[_Prosecutor]],
    ) -> None:
        self.kernel = kernel
        self.rng = rng
        self.today = today
        self.now = dt.datetime.combine(today, dt.time(23, 59))
        self.prosecutors = prosecutors
        self.numbers: dict[tuple[str, str, int], int] = {}
        self.court_numbers: dict[tuple[str, int], int] = {}
        self.with_hearings = True
        self.pending_hearings: list[Hearing] = []

    # -- identity -----------------------------------------------------------------------
    def case_id(self, created: dt.datetime) -> str:
        """Sorts by creation time like ``new_id``, but drawn from the seed."""
        ms = int((created - dt.datetime(1970, 1, 1)).total_seconds() * 1000)
        return f"{ms:012x}{self.rng.getrandbits(48):012x}"

    def fir_number(self, district: str, station: str, year: int) -> int:
        """Rising through the year, with gaps (FIRs that never reach the prosecution)."""
        key = (district, station, year)
        if key not in self.numbers:
            last = self.kernel.store.find(
                Case,
                {"district": district, "fir.police_station": station, "fir.year": year},
                sort=[("fir.number", -1)],
                limit=1,
            )
            self.numbers[key] = last[0].fir.number if last else 0
        self.numbers[key] += 1 + self.rng.randint(0, 3)
        return self.numbers[key]

    def court_number(self, court: str, kind: str, year: int, district: str) -> str:
        """ "Sessions Case No. 338 of 2023": numbered per court and year, after existing ones."""
        key = (court, year)
        if key not in self.court_numbers:
            self.court_numbers[key] = self.kernel.store.count(Case, {"district": district})
        self.court_numbers[key] += 1
        return f"{kind} No. {self.court_numbers[key]} of {year}"

    def hearings(self, case: Case, ata: bool) -> list[Hearing]:
        """The trial court's diary: a few past listings (mostly adjourned) and, for a case
        still before the court, the next date (some of them today)."""
        rng = self.rng
        filed = next((h.at for h in case.history if h.to_state == "FILED_IN_COURT"), None)
        if filed is None:
            return []
        sessions, atc = COURTS[case.district]
        court = atc if ata else rng.choice(sessions)
        kind = "Special Case" if ata else "Sessions Case"
        number = self.court_number(court, kind, filed.year, case.district)
        case.court_cases = [CourtCaseRef(court=court, number=number, raw=number, added_at=filed)]
        case.court_case_keys = [f"{court_key(court)}|{number}"]
        ended = next((h.at for h in case.history if h.to_state == "DECIDED"), None) or self.now
        span = max((ended - filed).days, 1)
        stage_at = [(h.at, h.to_state) for h in case.history]
        people = case.prosecutors

        def listing(day: dt.date, at_time: dt.time) -> Hearing:
            starts = dt.datetime.combine(day, at_time) - _PKT
            stage = next(
                (st for when, st in reversed(stage_at) if when <= starts), "FILED_IN_COURT"
            )
            return Hearing(
                id=_hearing_id(starts, case.id, len(out)),
                case_id=case.id,
                district=case.district,
                court=court,
                court_key=court_key(court),
                starts_at=starts,
                purpose=_STAGE_PURPOSE.get(stage, "other"),
                prosecutor_ids=list(people),
                created_by="system",
                created_at=starts,
                updated_at=starts,
            )

        out: list[Hearing] = []
        past_days = sorted({rng.randint(0, span - 1) for _ in range(min(3, 1 + span // 90))})
        for offset in past_days:
            day = (filed + dt.timedelta(days=offset)).date()
            if day >= self.today:
                continue
            h = listing(day, dt.time(rng.randint(9, 12), rng.choice((0, 30))))
            h.recorded_as_history = True
            if rng.random() < 0.65:
                h.outcome, h.adjournment_reason = "adjourned", _weighted(rng, _ADJOURNED)
            else:
                h.outcome = "held"
            h.outcome_by, h.outcome_at = "system", h.starts_at
            if out:
                out[-1].next_hearing_id, out[-1].next_date = h.id, h.starts_at
                h.previous_hearing_id = out[-1].id
            out.append(h)
        if case.state in COURT_STAGES and people:
            ahead = 0 if rng.random() < 0.08 else rng.randint(1, 45)
            day = self.today + dt.timedelta(days=ahead)
            while day.weekday() >= 5:  # courts sit Monday to Friday
                day += dt.timedelta(days=1)
            out.append(listing(day, dt.time(rng.randint(9, 12), rng.choice((0, 30)))))
        return out

    def person(self, female: bool = False) -> str:
        first = self.rng.choice(FEMALE if female else MALE)
        return f"{first} {self.rng.choice(SURNAMES)}"

    def party(self, role: str, at: dt.datetime, district: str) -> Party:
        rng = self.rng
        female = rng.random() < (0.1 if role == "accused" else 0.25)
        name = self.person(female)
        aliases = [rng.choice(ALIASES)] if role == "accused" and rng.random() < 0.15 else []
        parent = self.person() if rng.random() < 0.8 else None
        cnic = None
        if rng.random() < 0.5:
            cnic = f"{CNIC_PREFIX[district]}-{rng.randint(0, 9_999_999):07d}-{rng.randint(0, 9)}"
        return Party(
            id=f"{rng.getrandbits(96):024x}",
            role=role,
            name=name,
            aliases=aliases,
            relation=("d/o" if female else "s/o") if parent else None,
            parent_name=parent,
            cnic=cnic,
            gender="female" if female else "male",
            custody=rng.choice(("arrested", "on_bail", "absconding", "arrested"))
            if role == "accused"
            else None,
            name_keys=sorted({_key(n) for n in [name, *aliases]}),
            parent_key=_key(parent) if parent else None,
            added_by="system",
            added_at=at,
        )

    # -- one case -----------------------------------------------------------------------
    def case(self, district: str, registered: dt.date) -> Case:
        rng = self.rng
        ata = rng.random() < ATA_SHARE
        if ata:
            sections, labels, compoundable = rng.choice(ATA_OFFENCES), {"ATA"}, False
            if rng.random() < 0.3:
                labels.add("PROTECTED_WITNESS")
            if rng.random() < 0.15:
                labels.add("JIT")
        else:
            sections, _w, implied, compoundable = rng.choices(OFFENCES, [o[1] for o in OFFENCES])[0]
            labels = set(implied)
        if rng.random() < 0.03:
            labels.add("JUVENILE")
        station = rng.choice(STATIONS[district])
        number = self.fir_number(district, station, registered.year)
        reg_at = dt.datetime.combine(registered, dt.time())
        created = min(
            reg_at + dt.timedelta(days=rng.randint(0, 3), minutes=rng.randint(8 * 60, 18 * 60)),
            self.now,
        )
        staff = self.prosecutors.get(district) or []
        lead = rng.choice(staff) if staff else None
        team = [p for p in staff if lead and p.id != lead.id]
        assisting = []
        if team and rng.random() < (0.5 if ata else 0.12):
            assisting = rng.sample(team, k=min(len(team), 1 + (rng.random() < 0.25)))
        accused = [
            self.party("accused", created, district) for _ in range(1 + (rng.random() < 0.3))
        ]
        complainant = self.party("complainant", created, district)
        first = accused[0]
        title = f"State v. {first.name}" + (f" @ {first.aliases[0]}" if first.aliases else "")
        if len(accused) > 1:
            title += " and another"
        short = sections.replace(", ", "; ")
        case = Case(
            id=self.case_id(created),
            title=f"{title} ({short})"[:200],
            district=district,
            fir=FirRef(
                police_station=station,
                number=number,
                year=registered.year,
                # About 3% of older files were entered without the FIR date.
                registered_on=None if rng.random() < 0.03 else reg_at,
            ),
            reference=f"FIR {number}/{registered.year} PS {station}",
            labels=sorted(labels),
            offences=list(_offences(sections)),
            parties=[*accused, complainant],
            created_by="system",
            created_at=created,
        )
        self.walk(case, reg_at, lead, ata, compoundable)
        # Cases still at the FIR stage are often not yet marked to a prosecutor.
        if lead and not (case.state == "FIR_REGISTERED" and rng.random() < 0.5):
            case.lead_prosecutor = lead.id
            case.assisting = [p.id for p in assisting]
        case.updated_at = case.history[-1].at if case.history else created
        self.pending_hearings = self.hearings(case, ata) if self.with_hearings else []
        return case

    def walk(
        self,
        case: Case,
        start: dt.datetime,
        lead: _Prosecutor | None,
        ata: bool,
        compoundable: bool,
    ) -> None:
        """Move the case along the workflow until the next step would lie after today."""
        rng = self.rng
        at = start
        trial = 0.5 if ata else 1.0  # ATCs sit day to day (in principle)

        def step(target: str, days: float, **extra: str | None) -> bool:
            nonlocal at
            when = at + dt.timedelta(days=max(1, round(days)), hours=rng.randint(9, 16))
            if when > self.now:
                return False
            by, name = (lead.id, lead.username) if lead else ("system", "system")
            case.history.append(
                StageChange(
                    from_state=case.state, to_state=target, at=when, by=by, by_name=name, **extra
                )
            )
            case.state, at = target, when
            if extra.get("outcome"):
                case.outcome = extra["outcome"]
            return True

        if rng.random() < 0.9 and not step("UNDER_INVESTIGATION", rng.randint(0, 2)):
            return
        # Investigation: mostly within the statutory window, a long tail far beyond it.
        r = rng.random()
        if ata:
            inv = _days(rng, 25, 70) if r < 0.7 else _days(rng, 70, 500)
        elif r < 0.55:
            inv = _days(rng, 5, 17)
        elif r < 0.85:
            inv = _days(rng, 17, 60)
        else:
            inv = _days(rng, 60, 600)
        if rng.random() < 0.07:
            cls = rng.choice("ABBC")
            if not step("CANCELLATION_PROPOSED", inv, cancellation_class=cls):
                return
            if rng.random() < 0.85:
                step(
                    "CLOSED", _days(rng, 20, 150), reason="Cancellation accepted by the magistrate."
                )
                return
            if not step("FILED_IN_COURT", _days(rng, 20, 90), reason="Magistrate took cognizance."):
                return
        else:
            if not step("REPORT_UNDER_SCRUTINY", inv):
                return
            if rng.random() < 0.15:
                if not step("RETURNED_TO_IO", _days(rng, 2, 12), reason=rng.choice(RETURN_REASONS)):
                    return
                if not step("REPORT_UNDER_SCRUTINY", _days(rng, 5, 60)):
                    return
            if not step("FILED_IN_COURT", _days(rng, 2, 15)):
                return
        trial_steps = (
            ("COGNIZANCE_TAKEN", 3, 60),
            ("PRE_CHARGE", 7, 120),
            ("CHARGE_FRAMED", 14, 500),
            ("PROSECUTION_EVIDENCE", 7, 45),
            ("S342_DEFENCE", 150, 2600),
            ("ARGUMENTS", 14, 240),
            ("RESERVED", 7, 120),
        )
        for target, low, high in trial_steps:
            if not step(target, _days(rng, low * trial, high * trial)):
                return
            if target != "RESERVED" and rng.random() < 0.05:
                outcome, reason = rng.choice(EARLY_ENDS)
                if outcome == "compromised" and not compoundable:
                    continue
                if step("DECIDED", _days(rng, 7, 90), outcome=outcome, reason=reason):
                    break
                return
        else:
            if not step("DECIDED", _days(rng, 3, 45), outcome=_weighted(rng, VERDICTS)):
                return
        r = rng.random()
        if r < 0.2:
            if step("APPEAL_OR_REVISION", _days(rng, 20, 60)):
                appeal = case.outcome if rng.random() < 0.7 else _weighted(rng, VERDICTS)
                step("CLOSED", _days(rng, 180, 1000), outcome=appeal, reason="Appeal decided.")
        elif r < 0.7:
            step("CLOSED", _days(rng, 30, 150), reason="File consigned to the record room.")


def _ensure_prosecutors(kernel: Kernel, rng: random.Random) -> tuple[dict, int]:
    """~40 prosecutors across the districts, created once (re-runs reuse them).

    Passwords are random and never shown: these accounts exist to carry
    workload; an administrator sets a password if someone is to sign in.
    """
    store = kernel.store
    created = 0
    for code, (_share, strength) in DISTRICT_WEIGHTS.items():
        for n in range(1, strength + 1):
            username = f"pp.{code.lower()}.{n:02d}"
            full_name = f"{rng.choice(MALE + FEMALE)} {rng.choice(SURNAMES)}"
            if store.find_one(User, {"username": username}) is None:
                create_user(
                    kernel,
                    SYSTEM,
                    username=username,
                    full_name=full_name,
                    password=secrets.token_urlsafe(18) + "-1",
                    roles=[Role.PROSECUTOR.value],
                    district=code,
                )
                created += 1
    staff: dict[str, list[_Prosecutor]] = {}
    for user in store.find(User, {"roles": Role.PROSECUTOR.value, "active": True}):
        if user.district:
            staff.setdefault(user.district, []).append(_Prosecutor(user.id, user.username))
    for people in staff.values():
        people.sort(key=lambda p: p.username)  # store order must not leak into the draw
    return staff, created


def _fir_dates(rng: random.Random, n: int, today: dt.date, years: int = 8) -> list[dt.date]:
    """Registration dates over the last ``years``, intake growing ~8% a year, oldest first."""
    span = years * 365
    growth = math.log(1.08) / 365
    # Inverse CDF of a density rising like exp(growth * t) over t in [0, span].
    total = math.expm1(growth * span)
    days = sorted(int(math.log1p(rng.random() * total) / growth) for _ in range(n))
    start = today - dt.timedelta(days=span)
    return [start + dt.timedelta(days=d) for d in days]


def seed_scale(
    kernel: Kernel,
    cases: int,
    *,
    seed: int = 0,
    today: dt.date | None = None,
    batch: int = 2000,
    progress: Callable[[int, int], None] | None = None,
    hearings: bool = True,
) -> ScaleResult:
    """Add ``cases`` synthetic cases (and the prosecutors they need) to the store."""
    if cases < 0:
        raise ScaleError("The number of cases cannot be negative.")
    store = kernel.store
    missing = [c for c in DISTRICT_WEIGHTS if store.find_one(District, {"code": c}) is None]
    if missing:
        raise ScaleError(
            f"District(s) {', '.join(missing)} do not exist; run `mizan seed-demo` first."
        )
    if today is None:
        today = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=5)).date()
    started = time.perf_counter()
    rng = random.Random(seed)
    staff, created = _ensure_prosecutors(kernel, rng)
    gen = _Generator(kernel, rng, today, staff)
    gen.with_hearings = hearings
    listed = 0
    codes = list(DISTRICT_WEIGHTS)
    cumulative: list[float] = []
    for code in codes:
        cumulative.append((cumulative[-1] if cumulative else 0.0) + DISTRICT_WEIGHTS[code][0])
    by_state: dict[str, int] = {}
    done = 0
    dates = _fir_dates(rng, cases, today)
    for offset in range(0, cases, batch):
        chunk = dates[offset : offset + batch]
        with store.transaction():
            first = last = ""
            for registered in chunk:
                pick = bisect.bisect(cumulative, rng.random() * cumulative[-1])
                case = gen.case(codes[min(pick, len(codes) - 1)], registered)
                store.insert(case)
                for hearing in gen.pending_hearings:
                    store.insert(hearing)
                listed += len(gen.pending_hearings)
                by_state[case.state] = by_state.get(case.state, 0) + 1
                first, last = first or case.id, case.id
            kernel.emit(
                DomainEvent(
                    "scale.seeded",
                    SYSTEM,
                    "case",
                    first,
                    {"cases": len(chunk), "seed": seed, "first_id": first, "last_id": last},
                )
            )
        done += len(chunk)
        if progress:
            progress(done, cases)
    return ScaleResult(
        cases=done,
        prosecutors_created=created,
        seconds=time.perf_counter() - started,
        by_state=by_state,
        hearings=listed,
    )
