"""One believable case at a time, walked through the workflow with its hearings, from one
random stream (see ``casefiles.scale`` for how a province is seeded from it)."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from dataclasses import dataclass
from functools import cache

from casefiles.hearings import Hearing, court_key
from casefiles.models import Case, CourtCaseRef, FirRef, Offence, Party, StageChange
from casefiles.scale_tables import (
    ADJOURNED,
    ALIASES,
    ATA_OFFENCES,
    ATA_SHARE,
    CNIC_PREFIX,
    COURT_STAGES,
    COURTS,
    EARLY_ENDS,
    FEMALE,
    MALE,
    OFFENCES,
    RETURN_REASONS,
    STAGE_PURPOSE,
    STATIONS,
    SURNAMES,
    VERDICTS,
)
from legaltext.person_names import name_key
from legaltext.section_refs import parse_section_refs
from mizan.clock import pakistan_moment
from mizan.kernel import Kernel


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
class Prosecutor:
    id: str
    username: str


class CaseGenerator:
    """One case at a time, from one random stream."""

    def __init__(
        self,
        kernel: Kernel,
        rng: random.Random,
        today: dt.date,
        prosecutors: dict[str, list[Prosecutor]],
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
            starts = pakistan_moment(day, at_time).astimezone(dt.UTC).replace(tzinfo=None)
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
                purpose=STAGE_PURPOSE.get(stage, "other"),
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
                h.outcome, h.adjournment_reason = "adjourned", _weighted(rng, ADJOURNED)
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
        lead: Prosecutor | None,
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
