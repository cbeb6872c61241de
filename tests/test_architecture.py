"""The house's shape is kept by a machine: these tests fail if a guard is dropped.

`make lint` and `make test` run import-linter, mypy and deptry; this file checks that
their configuration still says what docs/architecture.md promises, so a contract cannot
be deleted from pyproject.toml without a test failing, and that the contracts hold.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DOMAIN = ["casefiles", "ingestion", "search", "library", "learning"]


def _contract(contract_id: str) -> dict:
    contracts = {c.get("id"): c for c in PYPROJECT["tool"]["importlinter"]["contracts"]}
    assert contract_id in contracts, f"import-linter contract {contract_id!r} was removed"
    return contracts[contract_id]


def test_layers_run_from_entry_points_down_to_the_kernel() -> None:
    layers = _contract("layers")["layers"]
    assert layers[0] == "app" and layers[1] == "web"
    assert layers[-1].replace(" ", "") in {"mizan|legaltext", "legaltext|mizan"}
    middle = layers[2:-1]
    assert sorted(middle) == sorted(DOMAIN), "every domain package sits between web and kernel"


def test_domain_packages_and_kernel_may_not_import_the_web_framework() -> None:
    contract = _contract("domain-without-flask")
    assert contract["type"] == "forbidden"
    assert {"mizan", "legaltext", *DOMAIN} <= set(contract["source_modules"])
    assert {"flask", "werkzeug", "wtforms", "jinja2"} <= set(contract["forbidden_modules"])


def test_parsers_import_nothing_of_mizan() -> None:
    contract = _contract("pure-parsers")
    assert contract["source_modules"] == ["legaltext"]
    assert {"mizan", "web", "app", *DOMAIN} <= set(contract["forbidden_modules"])


def test_type_checker_and_dependency_checker_are_configured() -> None:
    mypy = PYPROJECT["tool"]["mypy"]
    assert mypy["disallow_untyped_defs"] and mypy["warn_unused_ignores"]
    assert {"app", "mizan", "legaltext", "web", *DOMAIN} <= set(mypy["files"])
    assert "deptry" in PYPROJECT["tool"]


@pytest.mark.slow
def test_the_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout
