"""The base of every stored document: a sortable string id and a version counter."""

from __future__ import annotations

import itertools
import os
import threading
import time
from typing import Any, ClassVar

import mongoengine as me

_counter = itertools.count(int.from_bytes(os.urandom(3), "big") >> 1)  # wraps only after 8M ids
_counter_lock = threading.Lock()


def new_id() -> str:
    """A 24-hex-digit id that sorts by creation time (like an ObjectId, but a plain string).

    Milliseconds, then a per-process counter, then random bytes: two ids made by one process
    in the same millisecond still sort in the order they were made, so "newest first" lists
    are stable (a random tail alone made such ties flip at random).
    """
    with _counter_lock:
        count = next(_counter) % 0x1000000
    return f"{time.time_ns() // 1_000_000:012x}{count:06x}{os.urandom(3).hex()}"


class Model(me.Document):
    """Abstract base: ``id`` is the primary key, ``version`` guards against lost updates."""

    meta: ClassVar[dict[str, Any]] = {"abstract": True}

    id = me.StringField(primary_key=True, default=new_id)
    version = me.IntField(default=0, min_value=0)

    #: What a person calls one of these ("case", "user"); used in error messages.
    label = "record"

    @classmethod
    def collection_name(cls) -> str:
        return cls._get_collection_name()
