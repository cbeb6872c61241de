"""Storage: one schema (mongoengine Documents), one port, two adapters.

Services talk only to :class:`~mizan.storage.port.DocumentStore`; which adapter
is behind it (SQLite by default, MongoDB by URI) is a configuration choice.
"""

from mizan.storage.errors import (
    DuplicateKeyError,
    FilterError,
    NotFoundError,
    StaleWriteError,
    StoreError,
)
from mizan.storage.model import Model, new_id
from mizan.storage.port import DocumentStore, Filter, Sort

__all__ = [
    "DocumentStore",
    "DuplicateKeyError",
    "Filter",
    "FilterError",
    "Model",
    "NotFoundError",
    "Sort",
    "StaleWriteError",
    "StoreError",
    "new_id",
]
