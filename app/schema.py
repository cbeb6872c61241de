"""Create every registered model's table and indexes up front (``mizan init``, start-up)."""

from __future__ import annotations

from mizan.kernel import Kernel


def ensure_schema(kernel: Kernel) -> None:
    """Create every collection and its declared indexes (both adapters have ``ensure``)."""
    for model in kernel.registry.models:
        kernel.store.ensure(model)
