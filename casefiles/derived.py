"""Bring stored cases up to date with their derived index fields.

``Case.clean`` derives lookup fields on every save (the person index's accused keys, the
stages visited, the open assisting prosecutors, the case list's filter keys) so that
lists and the dashboard are answered from indexes. Cases stored before a field existed
lack it until saved again; ``mizan init`` calls :func:`refresh_derived_fields`, which
re-saves exactly those. Nothing a person entered changes, so no event is emitted and the
audit trail is untouched; the version moves on, as after any save.
"""

from __future__ import annotations

from casefiles.models import Case
from mizan.kernel import Kernel
from mizan.storage import StaleWriteError

#: A derived field every current save writes; its absence marks an older record.
_MARKER = "facet_keys"


def refresh_derived_fields(kernel: Kernel, batch: int = 500) -> int:
    """Re-save the cases that lack the derived fields; returns how many."""
    store = kernel.store
    done = 0
    while True:
        stale = store.find(Case, {_MARKER: {"$exists": False}}, limit=batch)
        if not stale:
            return done
        with store.transaction():
            for case in stale:
                try:
                    store.replace(case)  # validate() -> clean() fills the fields
                except StaleWriteError:
                    continue  # saved meanwhile by someone else: already up to date
                done += 1
