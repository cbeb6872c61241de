"""Store errors whose messages can be shown to the person who caused them."""


class StoreError(Exception):
    """Base class for every error a document store raises on purpose."""


class NotFoundError(StoreError, LookupError):
    """The record does not exist (or was deleted meanwhile)."""


class StaleWriteError(StoreError):
    """Someone else saved the record after it was read: the write is refused, not merged."""

    def __init__(self, kind: str, doc_id: str, expected: int, current: int | None) -> None:
        self.kind, self.doc_id, self.expected, self.current = kind, doc_id, expected, current
        super().__init__(
            f"This {kind} was changed by someone else after you opened it "
            f"(you had version {expected}, it is now version {current}). "
            "Your changes were not saved: reload it and apply them again."
        )


class DuplicateKeyError(StoreError):
    """A unique field already holds this value."""


class FilterError(StoreError, ValueError):
    """A filter uses a field or operator outside the documented subset."""
