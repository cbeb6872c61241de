"""Build the kernel and wire what every package registered.

The only place that knows all packages: the kernel's own registration, then
search, ingestion, case files and the library, in that order (event subscribers
run in registration order, so the audit entry is written first and a document's
index update is queued before its classification).
"""

from __future__ import annotations

import importlib
from functools import cache

import casefiles.registration
import ingestion.registration
import learning.registration
import library.registration
import mizan.registration
import search.registration
from app.schema import ensure_schema
from mizan import outbox, worker
from mizan.kernel import Kernel, open_store
from mizan.registry import Registry
from mizan.settings import Settings, load_settings
from mizan.storage.blobs import BlobStore
from search.backends import check_backend

_REGISTRATIONS = (
    mizan.registration.register,
    search.registration.register,
    ingestion.registration.register,
    casefiles.registration.register,
    library.registration.register,
    learning.registration.register,
)


@cache
def registry() -> Registry:
    """Every package's contributions, collected once per process."""
    collected = Registry()
    for register in _REGISTRATIONS:
        register(collected)
    return collected


def install_tasks(registered: Registry) -> None:
    """Register every task and outbox handler with this process's worker app and outbox."""
    for topic, handler in registered.outbox_handlers.items():
        outbox.register(topic, handler, bulk=topic in registered.bulk_topics)
    for module in registered.task_modules:
        importlib.import_module(module)  # defining a task registers it with the app
    worker.app.conf.include = tuple(registered.task_modules)
    worker.route_bulk(registered.bulk_tasks)


def build_kernel(settings: Settings | None = None) -> Kernel:
    """A kernel for these settings (default: the environment), with every subscriber wired
    and the schema in place."""
    settings = settings or load_settings()
    check_backend(settings)
    registered = registry()
    kernel = Kernel(
        settings=settings,
        store=open_store(settings),
        blobs=BlobStore(settings.blob_dir),
        registry=registered,
    )
    worker.configure(settings)
    install_tasks(registered)
    for subscribe in registered.subscribers:
        subscribe(kernel)
    # Tables and indexes exist before any transaction touches them (MongoDB cannot
    # create a collection inside a multi-document transaction on older servers).
    ensure_schema(kernel)
    return kernel
