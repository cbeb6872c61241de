"""Saved filters: a person names a list's filters to apply them again with one click.

A saved filter belongs to the person who saved it; nobody else sees, applies or
deletes it. It stores only the list's arguments, so applying it runs the list
under the viewer's permissions of the day, never those of the day it was saved.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import mongoengine as me

from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import DuplicateKeyError, Model, NotFoundError, StaleWriteError

#: The lists that keep saved filters.
LISTS = ("cases", "deadlines")
MAX_NAME = 60
MAX_PER_LIST = 30
MAX_QUERY = 1000


class SavedFilter(Model):
    label = "saved filter"
    user_id = me.StringField(required=True)
    list_name = me.StringField(required=True, choices=LISTS)
    name = me.StringField(required=True, max_length=MAX_NAME)
    #: The list's URL arguments, URL-encoded (e.g. "stage=ARGUMENTS&ata=1").
    query = me.StringField(required=True, max_length=MAX_QUERY)
    created_at = me.DateTimeField()

    meta = {
        "collection": "saved_filters",
        "indexes": [{"fields": ["user_id", "list_name", "name"], "unique": True}],
    }


class SavedFilterError(ValueError):
    """A filter that cannot be saved or deleted; the message says why."""


def canonical_query(list_name: str, query: str) -> str:
    """The list's own reading of ``query`` (URL arguments), page left out; SavedFilterError
    if the list would refuse it, so a saved filter always opens."""
    from casefiles.case_lists import CaseQueryError, parse_query
    from casefiles.deadline_lists import SORTS, STATUSES

    args = dict(parse_qsl(query))
    if list_name == "cases":
        try:
            return parse_query(args).query_string()
        except CaseQueryError as exc:
            raise SavedFilterError(str(exc)) from None
    if list_name == "deadlines":
        kept = {
            "status": args.get("status") if args.get("status") in STATUSES else None,
            "sort": args.get("sort") if args.get("sort") in SORTS else None,
            "district": (args.get("district") or "").strip().upper()[:20] or None,
            "prosecutor": (args.get("prosecutor") or "").strip()[:40] or None,
        }
        return urlencode({k: v for k, v in kept.items() if v})
    raise SavedFilterError(_("This list cannot keep saved filters."))


def saved_filters(kernel: Kernel, actor: Actor, list_name: str) -> list[SavedFilter]:
    """The actor's own saved filters of one list, by name."""
    return kernel.store.find(
        SavedFilter, {"user_id": actor.user_id, "list_name": list_name}, sort=[("name", 1)]
    )


def save_filter(kernel: Kernel, actor: Actor, list_name: str, name: str, query: str) -> SavedFilter:
    """Keep ``query`` under ``name`` for the actor; a name is used once per list."""
    name = " ".join(name.split())
    if list_name not in LISTS:
        raise SavedFilterError(_("This list cannot keep saved filters."))
    if not name:
        raise SavedFilterError(_("Give the filter a name."))
    if len(name) > MAX_NAME:
        raise SavedFilterError(_("The name is too long (%(n)d letters at most).", n=MAX_NAME))
    if not query:
        raise SavedFilterError(_("Choose at least one filter before saving."))
    if len(query) > MAX_QUERY:
        raise SavedFilterError(_("These filters are too long to save."))
    owned = {"user_id": actor.user_id, "list_name": list_name}
    if kernel.store.count(SavedFilter, owned) >= MAX_PER_LIST:
        raise SavedFilterError(
            _("You can keep %(n)d saved filters; delete one first.", n=MAX_PER_LIST)
        )
    saved = SavedFilter(
        user_id=actor.user_id,
        list_name=list_name,
        name=name,
        query=query,
        created_at=utc_naive_now(),
    )
    try:
        with kernel.store.transaction():
            kernel.store.insert(saved)
            kernel.emit(
                DomainEvent(
                    "saved_filter.created",
                    actor,
                    "saved_filter",
                    saved.id,
                    {"list": list_name, "name": name},
                )
            )
    except DuplicateKeyError:
        raise SavedFilterError(
            _("You already have a filter named “%(name)s”.", name=name)
        ) from None
    return saved


def delete_filter(kernel: Kernel, actor: Actor, filter_id: str, version: int) -> SavedFilter:
    """Delete one of the actor's own saved filters; someone else's is as if missing."""
    try:
        saved = kernel.store.get(SavedFilter, filter_id)
    except NotFoundError:
        saved = None
    if saved is None or saved.user_id != actor.user_id:
        raise SavedFilterError(_("There is no such saved filter."))
    saved.version = version
    try:
        with kernel.store.transaction():
            kernel.store.delete(saved)
            kernel.emit(
                DomainEvent(
                    "saved_filter.deleted",
                    actor,
                    "saved_filter",
                    saved.id,
                    {"list": saved.list_name, "name": saved.name},
                )
            )
    except StaleWriteError:
        raise SavedFilterError(
            _("This filter was changed meanwhile; look again and retry.")
        ) from None
    return saved
