"""The base of every stored document: a sortable string id and a version counter."""

from __future__ import annotations

import os
import time

import mongoengine as me


def new_id() -> str:
    """A 24-hex-digit id that sorts by creation time (like an ObjectId, but a plain string)."""
    return f"{time.time_ns() // 1_000_000:012x}{os.urandom(6).hex()}"


class Model(me.Document):
    """Abstract base: ``id`` is the primary key, ``version`` guards against lost updates."""

    meta = {"abstract": True}

    id = me.StringField(primary_key=True, default=new_id)
    version = me.IntField(default=0, min_value=0)

    #: What a person calls one of these ("case", "user"); used in error messages.
    label = "record"

    @classmethod
    def collection_name(cls) -> str:
        return cls._get_collection_name()
