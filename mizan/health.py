"""Is each part of Mizan up? For monitoring (``/healthz``) and the status page.

The kernel checks what it owns (the store, the broker); each domain package
contributes checks of its own parts (search: the index and the vectors;
ingestion: OCR) as :class:`HealthCheck` values, so this module knows no domain.

Anyone may ask whether each part is up (:meth:`HealthReport.summary`); the
details (paths, versions, server addresses, counts) help an attacker, so only
an administrator gets them (:func:`detailed_report`), and even then a URL's
``user:password@`` is masked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mizan import worker
from mizan.accounts.roles import Capability
from mizan.accounts.service import require
from mizan.actor import Actor

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

    def summary(self) -> dict[str, object]:
        """What anyone may know: the overall status and whether each part is up."""
        components = {name: {"up": facts["up"]} for name, facts in self.components.items()}
        return {"status": self.status, "components": components}

    def details(self) -> dict[str, object]:
        """Everything the checks said, for an administrator (credentials already masked)."""
        return {"status": self.status, "components": self.components}


#: ``scheme://user:password@`` (or ``scheme://token@``) at the start of a URL.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")


def mask_credentials(text: str) -> str:
    """``text`` with the user and password of every URL in it replaced by ``***``."""
    return _USERINFO.sub(r"\1***@", text)


def _masked(value: object) -> object:
    return mask_credentials(value) if isinstance(value, str) else value


def run_check(check: Check) -> dict[str, object]:
    """``{"up", "detail", **figures}``; a check that raises is a "down", never an error."""
    facts: dict[str, object] = {}
    try:
        up, detail, *more = check()  # some checks add figures after (up, detail)
        facts = more[0] if more else {}
    except Exception as exc:
        up, detail = False, str(exc)
    masked = {key: _masked(value) for key, value in facts.items()}
    return {"up": bool(up), "detail": _masked(detail), **masked}


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


def require_health_viewer(actor: Actor) -> None:
    """The detailed report names paths, versions and servers: administrators only."""
    require(actor, Capability.VIEW_HEALTH)


def detailed_report(
    kernel: Kernel, actor: Actor, contributed: Iterable[HealthCheck] = ()
) -> HealthReport:
    """The report with every detail; PermissionDenied unless ``actor`` may see it."""
    require_health_viewer(actor)
    return health_report(kernel, contributed)
