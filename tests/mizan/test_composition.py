"""The kernel knows no domain package; the composition root (app) wires them all."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN = ("casefiles", "ingestion", "search", "library", "learning", "web", "app")


def test_importing_every_kernel_module_imports_no_domain_package() -> None:
    script = (
        "import importlib, pkgutil, sys, mizan\n"
        "for m in pkgutil.walk_packages(mizan.__path__, 'mizan.'):\n"
        "    importlib.import_module(m.name)\n"
        f"print(sorted({{n.split('.')[0] for n in sys.modules}} & set({DOMAIN!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_without_the_root_a_process_kernel_cannot_be_built() -> None:
    from app.bootstrap import build_kernel
    from mizan.kernel import process_kernel, set_kernel_factory, set_process_kernel

    set_process_kernel(None)
    set_kernel_factory(None)
    try:
        with pytest.raises(RuntimeError, match="composition root"):
            process_kernel()
    finally:
        set_kernel_factory(build_kernel)


def test_every_package_contributes_through_its_registration(kernel) -> None:
    from app.cli import main
    from casefiles.models import Case
    from ingestion.review import DocumentSuggestion
    from library.models import Judgment
    from mizan.accounts.models import User
    from search.saved import SavedSearch

    registry = kernel.registry
    assert {User, Case, DocumentSuggestion, Judgment, SavedSearch} <= set(registry.models)
    assert set(registry.task_modules) == {
        "mizan.tasks",
        "casefiles.tasks",
        "ingestion.tasks",
        "ingestion.intake_reading",
        "library.tasks",
        "learning.tasks",
    }
    assert set(registry.job_tasks) == {
        "ingest.document",
        "ingest.intake",
        "searchable.pdf",
        "cause_list.read",
        "library.import",
        "learning.attachment",
        "monthly_reports",
    }
    assert {"reindex", "ingest", "import-judgments", "seed-scale", "seed-demo"} <= set(
        main.commands
    )
