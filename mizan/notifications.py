"""In-app notifications: short messages to one user, with a link and a read mark.

A notification stores a *message key* (an English msgid marked for translation)
and its parameters, never the rendered sentence, so each reader sees it in the
language they read Mizan in: a prosecutor who switches to Urdu sees last week's
reminders in Urdu too. Plain ``text`` is accepted for messages that have no
translation (e.g. a saved search's own name), but a key is preferred.

Parameters are shown as given, except a parameter written ``{"t": msgid}``
(see :func:`translated`), which is itself translated when shown — for labels
such as a deadline rule's name.

Senders pass a ``dedupe`` key when the same fact could be announced twice (the
reminder job runs every hour; two workers may run it at once): the key is
unique per user, so the second announcement is silently dropped.

Notifications are not audited one by one: they are consequences of changes
that are themselves audited (an assignment, a deadline rule), and the reminder
job would otherwise fill the trail with hourly noise. Marking one read is a
personal view state, like a scroll position.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import mongoengine as me

from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import LazyString
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.storage import DocumentStore, DuplicateKeyError, Model, NotFoundError

if TYPE_CHECKING:
    from mizan.kernel import Kernel

__all__ = [
    "KINDS",
    "Notification",
    "NotificationError",
    "inbox",
    "list_notifications",
    "mark_all_read",
    "mark_read",
    "mark_read_for",
    "notify",
    "open_notification",
    "render",
    "translated",
    "unread_count",
    "unread_of",
]

#: What a notification is about; the page shows the label and can filter by it.
KINDS = {
    "info": _l("Information"),
    "assignment": _l("Assignment"),
    "deadline": _l("Deadline"),
    "hearing": _l("Hearing"),
    "search": _l("Saved search"),
    "report": _l("Report"),
}
_MAX_TEXT = 500
_MAX_LINK = 500


class NotificationError(ValueError):
    """A notification that cannot be stored (wrong kind, link or message)."""


class Notification(Model):
    label = "notification"
    user_id = me.StringField(required=True)
    kind = me.StringField(required=True, choices=list(KINDS))
    #: The English msgid; rendered with ``gettext(key) % params`` in the reader's language.
    key = me.StringField(max_length=_MAX_TEXT)
    params = me.DictField()
    #: Untranslatable text, used only when there is no key.
    text = me.StringField(max_length=_MAX_TEXT)
    #: A path inside Mizan ("/cases/…"), never another site.
    link = me.StringField(max_length=_MAX_LINK)
    #: "<user_id>|<sender's key>": the same fact is announced to a user once.
    dedupe = me.StringField()
    created_at = me.DateTimeField(required=True)
    read_at = me.DateTimeField()

    meta = {
        "collection": "notifications",
        "indexes": [
            ("user_id", "read_at", "created_at"),
            ("user_id", "created_at"),
            {"fields": ["dedupe"], "unique": True, "sparse": True},
        ],
    }


def translated(msgid: str | LazyString) -> dict[str, str]:
    """A parameter that is translated when shown: ``translated(rule.label)``."""
    return {"t": msgid.text if isinstance(msgid, LazyString) else str(msgid)}


def _check_link(link: str | None) -> str | None:
    if not link:
        return None
    if not link.startswith("/") or link.startswith("//") or "\\" in link or len(link) > _MAX_LINK:
        raise NotificationError(f"A notification links inside Mizan only, not to {link!r}.")
    return link


def _plain(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as JSON-safe values (a LazyString is stored as its msgid to translate)."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, LazyString):
            value = translated(value)
        elif isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif not isinstance(value, (str, int, float, bool, dict)) and value is not None:
            value = str(value)
        out[str(name)] = value
    return out


def notify(
    store: DocumentStore,
    user_id: str,
    key: str | LazyString | None = None,
    params: Mapping[str, Any] | None = None,
    *,
    text: str | None = None,
    link: str | None = None,
    kind: str = "info",
    dedupe: str | None = None,
    at: dt.datetime | None = None,
) -> Notification | None:
    """Leave a message for ``user_id``; None if ``dedupe`` says it was already sent.

    ``key`` is a msgid with ``%(name)s`` placeholders filled from ``params``
    (mark it with ``lazy_gettext`` so it is extracted for translation); or give
    untranslatable ``text``. Runs inside the caller's transaction if there is one.
    """
    if not user_id:
        raise NotificationError("A notification needs the user it is for.")
    if kind not in KINDS:
        raise NotificationError(f"Unknown notification kind {kind!r}; use one of {list(KINDS)}.")
    msgid = key.text if isinstance(key, LazyString) else key
    if not msgid and not (text and text.strip()):
        raise NotificationError("A notification needs a message key or a text.")
    plain = _plain(params or {})
    if msgid:
        try:
            msgid % {k: "" for k in plain}  # every placeholder has its parameter
        except (KeyError, TypeError, ValueError) as exc:
            raise NotificationError(f"The message {msgid!r} does not fit its parameters.") from exc
    note = Notification(
        user_id=user_id,
        kind=kind,
        key=msgid or None,
        params=plain,
        text=None if msgid else text.strip()[:_MAX_TEXT],  # type: ignore[union-attr]
        link=_check_link(link),
        dedupe=f"{user_id}|{dedupe}" if dedupe else None,
        created_at=at or utc_naive_now(),
    )
    if note.dedupe and store.find_one(Notification, {"dedupe": note.dedupe}) is not None:
        return None
    try:
        with store.transaction():
            store.insert(note)
    except DuplicateKeyError:
        return None  # sent meanwhile by another process
    return note


def render(note: Notification) -> str:
    """The message in the current reader's language."""
    if not note.key:
        return note.text or ""
    values = {
        k: _(v["t"]) if isinstance(v, dict) and set(v) == {"t"} else v
        for k, v in (note.params or {}).items()
    }
    try:
        return _(note.key, **values) if values else _(note.key)
    except (KeyError, TypeError, ValueError):  # a translation with a broken placeholder
        return note.key % values if values else note.key


def unread_count(store: DocumentStore, user_id: str) -> int:
    return store.count(Notification, {"user_id": user_id, "read_at": None})


def list_notifications(
    store: DocumentStore,
    user_id: str,
    *,
    unread_only: bool = False,
    page: int = 1,
    per_page: int = 25,
) -> tuple[list[Notification], int]:
    """The user's notifications, newest first, one page at a time."""
    flt: dict[str, Any] = {"user_id": user_id}
    if unread_only:
        flt["read_at"] = None
    total = store.count(Notification, flt)
    notes = store.find(
        Notification,
        flt,
        sort=[("created_at", -1), ("_id", -1)],
        skip=(max(page, 1) - 1) * per_page,
        limit=per_page,
    )
    return notes, total


def get_own(store: DocumentStore, user_id: str, note_id: str) -> Notification:
    """The notification if it is ``user_id``'s (someone else's is "not found")."""
    try:
        note = store.get(Notification, note_id)
    except NotFoundError:
        raise NotificationError(_("That notification does not exist.")) from None
    if note.user_id != user_id:
        raise NotificationError(_("That notification does not exist."))
    return note


def mark_read(store: DocumentStore, user_id: str, note_ids: Iterable[str]) -> int:
    """Mark the user's notifications read; returns how many changed (others' are ignored)."""
    ids = sorted(set(note_ids))
    if not ids:
        return 0
    changed = 0
    at = utc_naive_now()
    with store.transaction():
        for note in store.find(Notification, {"_id": {"$in": ids}, "user_id": user_id}):
            if note.read_at is None:
                note.read_at = at
                store.replace(note)
                changed += 1
    return changed


def mark_all_read(store: DocumentStore, user_id: str) -> int:
    """Mark every unread notification of the user read (in batches)."""
    total = 0
    while True:
        batch = store.find(Notification, {"user_id": user_id, "read_at": None}, limit=500)
        if not batch:
            return total
        total += mark_read(store, user_id, [n.id for n in batch])


# --------------------------------------------------------------------------
# The signed-in user's own notifications (what the pages call): each acts for
# ``actor`` alone, so no page can reach another user's notifications.


def unread_of(kernel: Kernel, actor: Actor) -> int:
    """How many of ``actor``'s notifications are unread (the bell in the top bar)."""
    return unread_count(kernel.store, actor.user_id)


def inbox(
    kernel: Kernel, actor: Actor, *, unread_only: bool = False, page: int = 1, per_page: int = 25
) -> tuple[list[Notification], int]:
    """One page of ``actor``'s notifications, newest first, and how many there are."""
    return list_notifications(
        kernel.store, actor.user_id, unread_only=unread_only, page=page, per_page=per_page
    )


def open_notification(kernel: Kernel, actor: Actor, note_id: str) -> Notification:
    """``actor``'s notification, now marked read (someone else's: NotificationError, and the
    attempt is audited like any refused id)."""
    try:
        note = get_own(kernel.store, actor.user_id, note_id)
    except NotificationError:
        if kernel.store.find_one(Notification, {"_id": note_id}) is not None:
            kernel.emit(
                DomainEvent(
                    "notification.access_denied",
                    actor,
                    "notification",
                    note_id,
                    changes_state=False,
                )
            )
        raise
    mark_read(kernel.store, actor.user_id, [note.id])
    return note


def mark_read_for(
    kernel: Kernel, actor: Actor, note_ids: Iterable[str] = (), *, every: bool = False
) -> int:
    """Mark ``note_ids`` (or, with ``every``, all) of ``actor``'s notifications read."""
    if every:
        return mark_all_read(kernel.store, actor.user_id)
    return mark_read(kernel.store, actor.user_id, note_ids)
