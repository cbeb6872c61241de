"""Collections: a user's named sets of sections and judgments, shared with colleagues and
attached to cases.

Who may do what: the owner changes a collection (items, name, sharing, cases).
Colleagues it is shared with, and anyone who can see a case it is attached to,
may read it. Attaching to a case needs the owner to see that case, so a
collection never reveals a case to someone who cannot open it.
"""

from __future__ import annotations

from dataclasses import dataclass

from casefiles.models import Case
from casefiles.policy import can_view_case, visible_cases_filter
from casefiles.service import CaseNotFound, get_case
from library.models import Collection, CollectionItem, Judgment, Section
from mizan.accounts.models import User
from mizan.actor import Actor
from mizan.clock import utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.storage import NotFoundError

MAX_ITEMS = 500


class CollectionError(ValueError):
    """A change that cannot be made; the message says why."""


class CollectionNotFound(LookupError):
    """No such collection, or one the user may not see (indistinguishable on purpose)."""


def _emit(kernel: Kernel, actor: Actor, action: str, coll: Collection, **data: object) -> None:
    kernel.emit(DomainEvent(action, actor, "collection", coll.id, {"name": coll.name, **data}))


def can_read(kernel: Kernel, actor: Actor, coll: Collection) -> bool:
    if actor.user_id == coll.owner_id or actor.user_id in coll.shared_with:
        return True
    if not coll.case_ids:
        return False
    cases = kernel.store.find(Case, {"_id": {"$in": list(coll.case_ids)}})
    return any(can_view_case(actor, case) for case in cases)


def get_collection(kernel: Kernel, actor: Actor, collection_id: str) -> Collection:
    try:
        coll = kernel.store.get(Collection, collection_id)
    except NotFoundError:
        raise CollectionNotFound(collection_id) from None
    if not can_read(kernel, actor, coll):
        # Someone else's collection asked for by id: answered as missing, but recorded.
        kernel.emit(
            DomainEvent(
                "collection.access_denied", actor, "collection", coll.id, changes_state=False
            )
        )
        raise CollectionNotFound(collection_id)
    return coll


def _owned(kernel: Kernel, actor: Actor, collection_id: str) -> Collection:
    coll = get_collection(kernel, actor, collection_id)
    if coll.owner_id != actor.user_id:
        raise CollectionError(_("Only the owner of a collection can change it."))
    return coll


def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise CollectionError(_("Give the collection a name."))
    if len(name) > 120:
        raise CollectionError(_("A collection name can be at most 120 characters."))
    return name


def create_collection(kernel: Kernel, actor: Actor, name: str) -> Collection:
    name = _check_name(name)
    store = kernel.store
    if store.find_one(Collection, {"owner_id": actor.user_id, "name": name}):
        raise CollectionError(_("You already have a collection called “%(name)s”.", name=name))
    coll = Collection(
        name=name, owner_id=actor.user_id, created_at=utc_naive_now(), updated_at=utc_naive_now()
    )
    with store.transaction():
        store.insert(coll)
        _emit(kernel, actor, "collection.created", coll)
    return coll


def rename_collection(kernel: Kernel, actor: Actor, collection_id: str, name: str) -> Collection:
    coll = _owned(kernel, actor, collection_id)
    coll.name = _check_name(name)
    return _save(kernel, actor, coll, "collection.renamed")


def delete_collection(kernel: Kernel, actor: Actor, collection_id: str) -> None:
    coll = _owned(kernel, actor, collection_id)
    with kernel.store.transaction():
        kernel.store.delete(coll)
        _emit(kernel, actor, "collection.deleted", coll)


def _save(
    kernel: Kernel, actor: Actor, coll: Collection, action: str, **data: object
) -> Collection:
    coll.updated_at = utc_naive_now()
    with kernel.store.transaction():
        kernel.store.replace(coll)  # StaleWriteError if someone changed it meanwhile
        _emit(kernel, actor, action, coll, **data)
    return coll


def entry_title(kernel: Kernel, kind: str, target_id: str) -> str:
    """A library entry's readable title; CollectionError if it does not exist."""
    try:
        if kind == "section":
            section = kernel.store.get(Section, target_id)
            return f"{section.act_code.upper()} s. {section.number} — {section.heading or ''}"
        if kind == "judgment":
            judgment = kernel.store.get(Judgment, target_id)
            cite = f" ({judgment.citations[0]})" if judgment.citations else ""
            return f"{judgment.title}{cite}"
    except NotFoundError:
        pass
    raise CollectionError(_("That library entry does not exist."))


def add_item(
    kernel: Kernel, actor: Actor, collection_id: str, kind: str, target_id: str, note: str = ""
) -> Collection:
    coll = _owned(kernel, actor, collection_id)
    title = entry_title(kernel, kind, target_id)
    if any(i.kind == kind and i.target_id == target_id for i in coll.items):
        raise CollectionError(_("It is already in “%(name)s”.", name=coll.name))
    if len(coll.items) >= MAX_ITEMS:
        raise CollectionError(_("A collection can hold at most %(n)d entries.", n=MAX_ITEMS))
    coll.items.append(
        CollectionItem(
            kind=kind,
            target_id=target_id,
            title=title[:500],
            note=(note or "").strip()[:2000],
            added_at=utc_naive_now(),
            added_by=actor.user_id,
        )
    )
    return _save(kernel, actor, coll, "collection.item_added", kind=kind, target_id=target_id)


def remove_item(
    kernel: Kernel, actor: Actor, collection_id: str, kind: str, target_id: str
) -> Collection:
    coll = _owned(kernel, actor, collection_id)
    kept = [i for i in coll.items if not (i.kind == kind and i.target_id == target_id)]
    if len(kept) == len(coll.items):
        raise CollectionError(_("That entry is not in this collection."))
    coll.items = kept
    return _save(kernel, actor, coll, "collection.item_removed", kind=kind, target_id=target_id)


def share(kernel: Kernel, actor: Actor, collection_id: str, username: str) -> Collection:
    coll = _owned(kernel, actor, collection_id)
    username = (username or "").strip().lower()
    user = kernel.store.find_one(User, {"username": username}) if username else None
    if user is None or not user.active:
        raise CollectionError(_("There is no active user called “%(name)s”.", name=username))
    if user.id == coll.owner_id:
        raise CollectionError(_("You own this collection already."))
    if user.id in coll.shared_with:
        raise CollectionError(_("It is already shared with %(name)s.", name=user.full_name))
    coll.shared_with.append(user.id)
    return _save(kernel, actor, coll, "collection.shared", user=user.username)


def unshare(kernel: Kernel, actor: Actor, collection_id: str, user_id: str) -> Collection:
    coll = _owned(kernel, actor, collection_id)
    if user_id not in coll.shared_with:
        raise CollectionError(_("It is not shared with that user."))
    coll.shared_with = [u for u in coll.shared_with if u != user_id]
    return _save(kernel, actor, coll, "collection.unshared", user_id=user_id)


def attach_case(kernel: Kernel, actor: Actor, collection_id: str, case_id: str) -> Collection:
    coll = _owned(kernel, actor, collection_id)
    try:
        case = get_case(kernel, actor, case_id)
    except CaseNotFound:
        raise CollectionError(_("There is no such case that you can open.")) from None
    if case.id in coll.case_ids:
        raise CollectionError(_("It is already attached to %(ref)s.", ref=case.reference))
    coll.case_ids.append(case.id)
    return _save(kernel, actor, coll, "collection.case_attached", case_id=case.id)


def detach_case(kernel: Kernel, actor: Actor, collection_id: str, case_id: str) -> Collection:
    coll = _owned(kernel, actor, collection_id)
    if case_id not in coll.case_ids:
        raise CollectionError(_("It is not attached to that case."))
    coll.case_ids = [c for c in coll.case_ids if c != case_id]
    return _save(kernel, actor, coll, "collection.case_detached", case_id=case_id)


def collections_of(kernel: Kernel, actor: Actor) -> tuple[list[Collection], list[Collection]]:
    """(the user's own collections, those shared with them), by name."""
    store = kernel.store
    own = store.find(Collection, {"owner_id": actor.user_id}, sort=[("name", 1)])
    shared = store.find(Collection, {"shared_with": actor.user_id}, sort=[("name", 1)])
    return own, shared


def collections_for_case(kernel: Kernel, actor: Actor, case: Case) -> list[Collection]:
    """Collections attached to a case the actor can see (the caller checked that)."""
    return kernel.store.find(Collection, {"case_ids": case.id}, sort=[("name", 1)])


def attachable_cases(kernel: Kernel, actor: Actor, limit: int = 200) -> list[Case]:
    """Cases the actor can see, newest first, to offer when attaching a collection."""
    flt = visible_cases_filter(actor)
    if flt is None:
        return []
    return kernel.store.find(Case, flt, sort=[("created_at", -1)], limit=limit)


def user_names(kernel: Kernel, user_ids: set[str]) -> dict[str, str]:
    """Full names of the given users (owners and colleagues a collection names), by id."""
    if not user_ids:
        return {}
    users = kernel.store.find(User, {"_id": {"$in": sorted(user_ids)}})
    return {u.id: u.full_name for u in users}


@dataclass(frozen=True)
class CollectionView:
    """A collection as its page shows it to ``actor``."""

    collection: Collection
    #: The attached cases ``actor`` may open; the others are only counted in ``hidden_cases``.
    cases: list[Case]
    is_owner: bool
    #: Names of the owner and the colleagues it is shared with, by user id.
    names: dict[str, str]
    #: Cases the owner could attach it to (None for anyone but the owner).
    attachable: list[Case] | None
    #: Attached cases ``actor`` may not open: counted, never named, so sharing a collection
    #: (or attaching it to one case) does not reveal the titles of the others.
    hidden_cases: int = 0


def collection_view(kernel: Kernel, actor: Actor, collection_id: str) -> CollectionView:
    """What the collection page shows; CollectionNotFound if ``actor`` may not read it."""
    coll = get_collection(kernel, actor, collection_id)
    attached = (
        kernel.store.find(Case, {"_id": {"$in": list(coll.case_ids)}}) if coll.case_ids else []
    )
    cases = [case for case in attached if can_view_case(actor, case)]
    is_owner = coll.owner_id == actor.user_id
    attachable = None
    if is_owner:
        attachable = [c for c in attachable_cases(kernel, actor) if c.id not in coll.case_ids]
    names = user_names(kernel, {coll.owner_id, *coll.shared_with})
    hidden = len(attached) - len(cases)
    return CollectionView(coll, cases, is_owner, names, attachable, hidden_cases=hidden)
