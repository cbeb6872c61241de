"""The kernel: settings plus the adapters they select, built once per process.

Everything above the adapters (services, web, tasks, CLI) receives a Kernel and
never asks which database, index or broker is behind it. The kernel knows no
domain package: the composition root (``app.bootstrap.build_kernel``) builds it
with what every package registered, and domain packages keep their own adapters
(e.g. the search index) in the kernel's per-kernel slots (``Kernel.extension``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar, cast

from mizan.events import DomainEvent, EventBus
from mizan.registry import Registry
from mizan.settings import Settings
from mizan.storage import DocumentStore
from mizan.storage.blobs import BlobStore

T = TypeVar("T")


def open_store(settings: Settings) -> DocumentStore:
    if settings.store_kind == "mongodb":
        from mizan.storage.mongo_store import MongoStore

        return MongoStore(settings.store_url)
    from mizan.storage.sqlite_store import SQLiteStore

    return SQLiteStore(settings.sqlite_path)


@dataclass
class Kernel:
    settings: Settings
    store: DocumentStore
    blobs: BlobStore
    events: EventBus = field(default_factory=EventBus)
    #: What the packages registered (models, tasks, job kinds, hooks); set by the root.
    registry: Registry = field(default_factory=Registry)
    _extensions: dict[str, object] = field(default_factory=dict, init=False, repr=False)
    _extensions_lock: threading.RLock = field(
        default_factory=threading.RLock, init=False, repr=False
    )

    def extension(self, key: str, factory: Callable[[Kernel], T]) -> T:
        """The object kept under ``key`` for this kernel, made by ``factory`` on first use.

        Lets a domain package hang its own adapter (an index opened from the settings)
        on the kernel without the kernel importing that package.
        """
        with self._extensions_lock:
            if key not in self._extensions:
                self._extensions[key] = factory(self)
            return cast(T, self._extensions[key])

    def emit(self, event: DomainEvent) -> None:
        self.events.emit(event)

    def close(self) -> None:
        self.store.close()


#: Builds a kernel from settings (None: from the environment); installed by the root.
KernelFactory = Callable[[Settings | None], Kernel]

_kernel_factory: KernelFactory | None = None
_process_kernel: Kernel | None = None
_process_lock = threading.Lock()


def set_kernel_factory(factory: KernelFactory | None) -> None:
    """The composition root installs how a kernel is built (the kernel cannot import it)."""
    global _kernel_factory
    _kernel_factory = factory


def new_kernel(settings: Settings | None = None) -> Kernel:
    """A kernel built by the installed factory, wired with every package's contributions."""
    if _kernel_factory is None:
        raise RuntimeError(
            "No kernel factory is installed: start Mizan from its composition root "
            "(the `mizan` command, `mizan run-worker`, or `import app`), which installs "
            "app.bootstrap.build_kernel."
        )
    return _kernel_factory(settings)


def process_kernel() -> Kernel:
    """The kernel of this process (worker tasks and CLI use it), built from the environment."""
    global _process_kernel
    with _process_lock:
        if _process_kernel is None:
            _process_kernel = new_kernel()
        return _process_kernel


def set_process_kernel(kernel: Kernel | None) -> None:
    """Tests and the web app point tasks at the kernel they built."""
    global _process_kernel
    with _process_lock:
        _process_kernel = kernel
