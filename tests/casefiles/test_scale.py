"""The synthetic province: repeatable, believable (every history a legal workflow path), fast
enough to write in batches with one audit entry per batch, and never showing a password."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.bootstrap import build_kernel
from app.demo import seed as seed_demo
from casefiles.models import Case
from casefiles.scale import ScaleError, seed_scale
from casefiles.scale_tables import DISTRICT_WEIGHTS
from casefiles.workflow import check_transition
from mizan.accounts.models import User
from mizan.audit import AuditEntry, verify
from mizan.kernel import Kernel
from tests.conftest import make_settings

TODAY = dt.date(2025, 6, 30)


def _synthetic(kernel: Kernel) -> list[Case]:
    """The generated cases (the demo's own have no parties)."""
    return [c for c in kernel.store.find(Case, {}, sort=[("_id", 1)]) if c.parties]


def _fingerprint(kernel: Kernel) -> list[tuple]:
    names = {u.id: u.username for u in kernel.store.find(User, {})}
    return [
        (
            c.id,
            c.reference,
            c.district,
            c.state,
            c.outcome,
            tuple(c.labels),
            c.fir.registered_on,
            c.created_at,
            tuple((h.to_state, h.at, h.reason) for h in c.history),
            names.get(c.lead_prosecutor or ""),
            tuple(names[a] for a in c.assisting),
            tuple((p.role, p.name, p.cnic) for p in c.parties),
            tuple(o.canonical for o in c.offences),
        )
        for c in _synthetic(kernel)
    ]


def _province(path: Path, n: int, seed: int) -> Kernel:
    kernel = build_kernel(make_settings(path))
    seed_demo(kernel)
    seed_scale(kernel, n, seed=seed, today=TODAY, batch=40)
    return kernel


def test_same_seed_same_province(tmp_path: Path) -> None:
    first = _province(tmp_path / "a", 150, seed=7)
    second = _province(tmp_path / "b", 150, seed=7)
    other = _province(tmp_path / "c", 150, seed=8)
    try:
        assert _fingerprint(first) == _fingerprint(second)
        assert _fingerprint(first) != _fingerprint(other)
    finally:
        for kernel in (first, second, other):
            kernel.close()


def test_counts_prosecutors_and_one_audit_entry_per_batch(demo: Kernel) -> None:
    result = seed_scale(demo, 150, seed=3, today=TODAY, batch=40)
    assert result.cases == 150 and sum(result.by_state.values()) == 150
    assert result.cases_per_second > 0
    assert len(_synthetic(demo)) == 150
    assert result.prosecutors_created == sum(n for _share, n in DISTRICT_WEIGHTS.values()) == 40
    staff = demo.store.find(User, {"roles": "prosecutor"})
    assert {u.district for u in staff} == set(DISTRICT_WEIGHTS)
    batches = demo.store.find(AuditEntry, {"action": "scale.seeded"}, sort=[("seq", 1)])
    assert [b.data["cases"] for b in batches] == [40, 40, 40, 30]
    assert demo.store.count(AuditEntry, {"action": "case.created"}) == 4  # the demo's only
    assert verify(demo.store).ok
    # Prosecutors are created once; a second run adds cases without FIR number clashes.
    again = seed_scale(demo, 60, seed=3, today=TODAY, batch=40)
    assert again.prosecutors_created == 0
    assert len(_synthetic(demo)) == 210


def test_every_case_is_a_legal_walk_through_the_workflow(demo: Kernel) -> None:
    seed_scale(demo, 300, seed=11, today=TODAY)
    end = dt.datetime.combine(TODAY, dt.time(23, 59))
    stages, ata = set(), 0
    for case in _synthetic(demo):
        state = "FIR_REGISTERED"
        last = case.fir.registered_on or case.created_at - dt.timedelta(days=4)
        outcome = None
        for step in case.history:
            assert step.from_state == state
            check_transition(
                state,
                step.to_state,
                reason=step.reason or "",
                outcome=step.outcome,
                cancellation_class=step.cancellation_class,
            )
            assert last <= step.at <= end
            state, last, outcome = step.to_state, step.at, step.outcome or outcome
        assert case.state == state and case.outcome == outcome
        if case.fir.registered_on:
            assert case.fir.year == case.fir.registered_on.year
            assert case.fir.registered_on <= case.created_at <= end
        assert (
            case.reference == f"FIR {case.fir.number}/{case.fir.year} PS {case.fir.police_station}"
        )
        assert case.lead_prosecutor not in case.assisting
        stages.add(case.state)
        ata += "ATA" in case.labels
    # A province, not a pile of new FIRs: investigation, trial and disposed cases all occur.
    assert {"UNDER_INVESTIGATION", "PROSECUTION_EVIDENCE", "DECIDED", "CLOSED"} <= stages
    assert 3 <= ata <= 30  # ~5%


def test_needs_the_districts_first(kernel: Kernel) -> None:
    with pytest.raises(ScaleError, match="seed-demo"):
        seed_scale(kernel, 10)


def test_cli_seeds_and_never_prints_a_password(settings) -> None:
    env = {
        **os.environ,
        "MIZAN_DATA_DIR": str(settings.data_dir),
        "MIZAN_BROKER": settings.broker_url,
    }

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    refused = run("seed-scale", "--cases", "5")
    assert refused.returncode != 0 and "seed-demo" in refused.stderr
    assert run("seed-demo").returncode == 0
    result = run("seed-scale", "--cases", "30", "--seed", "2")
    assert result.returncode == 0, result.stderr
    assert "Added 30 cases" in result.stdout and "cases/s" in result.stdout
    assert "password" not in (result.stdout + result.stderr).lower()
