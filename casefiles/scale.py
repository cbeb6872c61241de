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
import math
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from casefiles.scale_cases import CaseGenerator, Prosecutor
from casefiles.scale_tables import (
    DISTRICT_WEIGHTS,
    FEMALE,
    MALE,
    SURNAMES,
)
from mizan.accounts.models import District, User
from mizan.accounts.roles import Role
from mizan.accounts.service import create_user
from mizan.actor import SYSTEM
from mizan.clock import pakistan_today
from mizan.events import DomainEvent
from mizan.kernel import Kernel

__all__ = ["ScaleError", "ScaleResult", "seed_scale"]


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
    staff: dict[str, list[Prosecutor]] = {}
    for user in store.find(User, {"roles": Role.PROSECUTOR.value, "active": True}):
        if user.district:
            staff.setdefault(user.district, []).append(Prosecutor(user.id, user.username))
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
        today = pakistan_today()
    started = time.perf_counter()
    rng = random.Random(seed)
    staff, created = _ensure_prosecutors(kernel, rng)
    gen = CaseGenerator(kernel, rng, today, staff)
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
