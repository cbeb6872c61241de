"""Is each part of Mizan up? For monitoring (``/healthz``) and the status page.

The kernel checks what it owns (the store, the broker); each domain package
contributes checks of its own parts (search: the index and the vectors;
ingestion: OCR) as :class:`HealthCheck` values, so this module knows no domain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mizan import worker

if TYPE_CHECKING:
    from mizan.kernel import Kernel

#: A check returns ``(up, detail)``, optionally followed by a dict of figures.
Check = Callable[[], tuple]


@dataclass(frozen=True)
class HealthCheck:
    name: str
    check: Check
    #: A core part that is down makes Mizan "degraded" (HTTP 503 from /healthz).
    core: bool = True


@dataclass(frozen=True)
class HealthReport:
    components: dict[str, dict[str, object]]
    #: Whether every core part is up.
    ok: bool

    @property
    def status(self) -> str:
        return "ok" if self.ok else "degraded"


def run_check(check: Check) -> dict[str, object]:
    """``{"up", "detail", **figures}``; a check that raises is a "down", never an error."""
    facts: dict[str, object] = {}
    try:
        up, detail, *more = check()  # some checks add figures after (up, detail)
        facts = more[0] if more else {}
    except Exception as exc:
        up, detail = False, str(exc)
    return {"up": bool(up), "detail": detail, **facts}


def kernel_checks(kernel: Kernel) -> list[HealthCheck]:
    """The parts the kernel owns: the document store and the task broker."""
    return [
        HealthCheck("store", kernel.store.ping),
        HealthCheck("broker", lambda: worker.broker_status(kernel.settings)),
    ]


def health_report(kernel: Kernel, contributed: Iterable[HealthCheck] = ()) -> HealthReport:
    """Run the kernel's checks and the ``contributed`` ones (store first, broker last)."""
    store, broker = kernel_checks(kernel)
    checks = [store, *contributed, broker]
    components = {c.name: run_check(c.check) for c in checks}
    ok = all(components[c.name]["up"] for c in checks if c.core)
    return HealthReport(components, ok)
