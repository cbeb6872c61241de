"""Saved searches, and alerts when a new document matches one.

A prosecutor preparing a kidnapping case saves "365-A PPC" once; each new
judgment or case document that matches it afterwards leaves an in-app
notification. Rules:

* **Only what the owner may see.** A new document is tested with the
  owner's *current* permission filter inside the engine, so an alert never
  reveals a case the owner may not open (and a user who was moved to
  another district stops hearing about the old one).
* **Only new documents.** An item alerts the saved searches that existed
  when it was added (uploaded, opened, published); re-indexing never
  re-announces it (one notification per search and document, by dedupe key).
* **Keyword matching.** "Matches" means the query and filters match the
  document in the keyword engine; a semantic-mode search alerts on its
  words, because similarity has no yes/no answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import mongoengine as me

from casefiles.policy import search_principals
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.notifications import notify
from mizan.storage import Model, NotFoundError
from search.backends import search_index
from search.hybrid import DEFAULT_MODE, MODES, is_facts_query
from search.port import FILTER_FIELDS, QueryError
from search.service import require_searcher

__all__ = [
    "MAX_SAVED",
    "SavedSearch",
    "SavedSearchError",
    "alert_new_documents",
    "delete_saved",
    "list_saved",
    "save_search",
]

MAX_SAVED = 50
MAX_NAME = 120
#: Filters a saved search may keep (doc_id is for alert matching only).
SAVED_FILTERS = FILTER_FIELDS - {"doc_id"}

ALERT_MESSAGE = _l("New match for your saved search “%(name)s”: %(title)s")


class SavedSearchError(ValueError):
    """A saved search that cannot be stored or found; the message is for the user."""


class SavedSearch(Model):
    label = "saved search"
    owner_id = me.StringField(required=True)
    name = me.StringField(required=True, max_length=MAX_NAME)
    query = me.StringField(default="", max_length=1000)
    filters = me.DictField()
    mode = me.StringField(default=DEFAULT_MODE, choices=list(MODES))
    alert = me.BooleanField(default=True)
    created_at = me.DateTimeField(required=True)

    meta = {
        "collection": "saved_searches",
        "indexes": [("owner_id", "created_at"), ("alert", "created_at")],
    }


def _check(kernel: Kernel, query: str, filters: Mapping[str, str], mode: str) -> None:
    if mode not in MODES:
        raise SavedSearchError(_("Choose how to search from the list."))
    unknown = set(filters) - SAVED_FILTERS
    if unknown:
        raise SavedSearchError(_("This search has a filter Mizan does not know: %(names)s.",
                                 names=", ".join(sorted(unknown))))  # fmt: skip
    if not query.strip() and not filters:
        raise SavedSearchError(_("There is nothing to save: type some words or pick a filter."))
    if is_facts_query(query):
        raise SavedSearchError(
            _("This search is too long to save; save a few key words or sections instead.")
        )
    try:  # parse and check the filters exactly as a search would, seeing nothing
        search_index(kernel).search(query, principals=set(), filters=dict(filters), limit=0)
    except (QueryError, ValueError, TypeError) as exc:
        raise SavedSearchError(str(exc)) from exc


def save_search(
    kernel: Kernel,
    actor: Actor,
    *,
    name: str,
    query: str,
    filters: Mapping[str, str] | None = None,
    mode: str = DEFAULT_MODE,
    alert: bool = True,
) -> SavedSearch:
    """Keep a search under a name for `actor`; with `alert`, announce new matches."""
    require_searcher(actor)
    name, query, filters = " ".join(name.split()), query.strip(), dict(filters or {})
    if not name:
        raise SavedSearchError(_("Give the search a name, e.g. “Kidnapping for ransom”."))
    if len(name) > MAX_NAME:
        raise SavedSearchError(_("The name is too long (%(n)d letters at most).", n=MAX_NAME))
    _check(kernel, query, filters, mode)
    mine = kernel.store.find(SavedSearch, {"owner_id": actor.user_id})
    if len(mine) >= MAX_SAVED:
        raise SavedSearchError(
            _("You have %(n)d saved searches, the most allowed: delete one first.", n=MAX_SAVED)
        )
    for old in mine:
        if (old.query, dict(old.filters or {}), old.mode) == (query, filters, mode):
            raise SavedSearchError(
                _("You saved this search already, as “%(name)s”.", name=old.name)
            )
    saved = SavedSearch(
        owner_id=actor.user_id,
        name=name,
        query=query,
        filters=filters,
        mode=mode,
        alert=alert,
        created_at=utc_naive_now(),
    )
    with kernel.store.transaction():
        kernel.store.insert(saved)
        kernel.emit(
            DomainEvent(
                "search.saved",
                actor,
                "saved_search",
                saved.id,
                {"name": name, "query": query, "filters": filters, "mode": mode, "alert": alert},
            )
        )
    return saved


def list_saved(kernel: Kernel, actor: Actor) -> list[SavedSearch]:
    """The actor's own saved searches, newest first."""
    require_searcher(actor)
    return kernel.store.find(
        SavedSearch, {"owner_id": actor.user_id}, sort=[("created_at", -1), ("_id", -1)]
    )


def delete_saved(kernel: Kernel, actor: Actor, saved_id: str) -> None:
    """Delete one of the actor's saved searches (someone else's is "not found")."""
    require_searcher(actor)
    try:
        saved = kernel.store.get(SavedSearch, saved_id)
    except NotFoundError:
        saved = None
    if saved is not None and saved.owner_id != actor.user_id:
        kernel.emit(
            DomainEvent(
                "saved_search.access_denied",
                actor,
                "saved_search",
                saved.id,
                changes_state=False,
            )
        )
        saved = None
    if saved is None:
        raise SavedSearchError(_("That saved search does not exist (it may be deleted already)."))
    with kernel.store.transaction():
        kernel.store.delete(saved)
        kernel.emit(
            DomainEvent(
                "search.saved_deleted", actor, "saved_search", saved.id, {"name": saved.name}
            )
        )


def alert_new_documents(
    kernel: Kernel,
    items: Iterable[tuple[str, str, dt.datetime | None]],
    *,
    link: Mapping[str, str] | None = None,
) -> int:
    """Notify owners of saved searches that the new items match; returns notifications sent.

    `items` are (doc_id, title, added_at); an item alerts the searches saved
    before it was added (an item without a date never alerts). `link` maps
    doc_id to the page the notification opens. Call after the items are
    indexed: the outbox handlers do, and so should any other indexer
    (e.g. the library's) that adds items people may want to hear about.
    """
    todo = [(doc_id, title, at) for doc_id, title, at in items if at is not None]
    if not todo:
        return 0
    latest = max(at for _, _, at in todo)
    searches = kernel.store.find(SavedSearch, {"alert": True, "created_at": {"$lte": latest}})
    if not searches:
        return 0
    by_owner: dict[str, list[SavedSearch]] = {}
    for saved in searches:
        by_owner.setdefault(saved.owner_id, []).append(saved)
    sent = 0
    for owner_id, saved_list in by_owner.items():
        try:
            user = kernel.store.get(User, owner_id)
        except NotFoundError:
            continue
        if not user.active:
            continue
        principals = search_principals(kernel.store, actor_for(user, channel="system"))
        for saved in saved_list:
            for doc_id, title, at in todo:
                if saved.created_at > at or not _matches(kernel, saved, doc_id, principals):
                    continue
                note = notify(
                    kernel.store,
                    owner_id,
                    ALERT_MESSAGE,
                    {"name": saved.name, "title": title},
                    link=(link or {}).get(doc_id),
                    kind="search",
                    dedupe=f"search:{saved.id}:{doc_id}",
                )
                sent += note is not None
    return sent


def _matches(kernel: Kernel, saved: SavedSearch, doc_id: str, principals: Any) -> bool:
    filters = {**(saved.filters or {}), "doc_id": doc_id}
    try:
        found = search_index(kernel).search(
            saved.query, principals=principals, filters=filters, limit=1
        )
    except (QueryError, ValueError):
        return False  # a search saved under an older query language: never alerts wrongly
    return found.total > 0
