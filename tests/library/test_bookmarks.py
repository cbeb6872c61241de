"""Collections: owner-only changes, sharing, attaching to cases the owner can see."""

from __future__ import annotations

import pytest

from casefiles.models import Case
from library import bookmarks
from library.act_import import import_act_text
from library.seed import SAMPLE_DIR
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.actor import SYSTEM
from mizan.audit import AuditEntry


def act_as(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def case_of(kernel, title_part: str) -> Case:
    return next(c for c in kernel.store.find(Case) if title_part in c.title)


@pytest.fixture
def library(demo):
    text = (SAMPLE_DIR / "ppc_sample.md").read_text()
    import_act_text(demo, SYSTEM, text, code="ppc", title="Pakistan Penal Code")
    return demo


def test_owner_builds_a_collection_and_changes_are_audited(library) -> None:
    rahim = act_as(library, "pp.rahim")
    coll = bookmarks.create_collection(library, rahim, "  Murder  appeal ")
    assert coll.name == "Murder appeal"
    bookmarks.add_item(library, rahim, coll.id, "section", "ppc:302", note="main charge")
    coll = bookmarks.add_item(library, rahim, coll.id, "section", "ppc:34")
    assert [i.target_id for i in coll.items] == ["ppc:302", "ppc:34"]
    assert coll.items[0].title.startswith("PPC s. 302")
    with pytest.raises(bookmarks.CollectionError, match="already"):
        bookmarks.add_item(library, rahim, coll.id, "section", "ppc:302")
    with pytest.raises(bookmarks.CollectionError, match="does not exist"):
        bookmarks.add_item(library, rahim, coll.id, "section", "ppc:9999")
    with pytest.raises(bookmarks.CollectionError, match="already have"):
        bookmarks.create_collection(library, rahim, "Murder appeal")
    with pytest.raises(bookmarks.CollectionError, match="name"):
        bookmarks.create_collection(library, rahim, "   ")
    coll = bookmarks.remove_item(library, rahim, coll.id, "section", "ppc:34")
    assert [i.target_id for i in coll.items] == ["ppc:302"]
    actions = {e.action for e in library.store.find(AuditEntry, {"subject_id": coll.id})}
    assert {"collection.created", "collection.item_added", "collection.item_removed"} <= actions


def test_shared_colleague_reads_others_are_refused(library) -> None:
    rahim, sana, hyd = (act_as(library, u) for u in ("pp.rahim", "pp.sana", "pp.hyd"))
    coll = bookmarks.create_collection(library, rahim, "Robbery")
    with pytest.raises(bookmarks.CollectionNotFound):
        bookmarks.get_collection(library, sana, coll.id)
    bookmarks.share(library, rahim, coll.id, "pp.sana")
    assert bookmarks.get_collection(library, sana, coll.id).id == coll.id
    assert [c.id for c in bookmarks.collections_of(library, sana)[1]] == [coll.id]
    with pytest.raises(bookmarks.CollectionError, match="owner"):
        bookmarks.add_item(library, sana, coll.id, "section", "ppc:392")
    with pytest.raises(bookmarks.CollectionNotFound):
        bookmarks.get_collection(library, hyd, coll.id)
    with pytest.raises(bookmarks.CollectionError, match="no active user"):
        bookmarks.share(library, rahim, coll.id, "nobody")
    with pytest.raises(bookmarks.CollectionError, match="own"):
        bookmarks.share(library, rahim, coll.id, "pp.rahim")
    bookmarks.unshare(library, rahim, coll.id, act_as(library, "pp.sana").user_id)
    with pytest.raises(bookmarks.CollectionNotFound):
        bookmarks.get_collection(library, sana, coll.id)


def test_attach_only_to_a_case_the_owner_can_see(library) -> None:
    rahim = act_as(library, "pp.rahim")
    coll = bookmarks.create_collection(library, rahim, "Aslam trial")
    own_case = case_of(library, "Aslam")  # assigned to pp.rahim
    other_case = case_of(library, "Ali Raza")  # Hyderabad, pp.hyd's
    with pytest.raises(bookmarks.CollectionError, match="no such case"):
        bookmarks.attach_case(library, rahim, coll.id, other_case.id)
    with pytest.raises(bookmarks.CollectionError, match="no such case"):
        bookmarks.attach_case(library, rahim, coll.id, "nonexistent")
    bookmarks.attach_case(library, rahim, coll.id, own_case.id)
    assert [c.id for c in bookmarks.collections_for_case(library, rahim, own_case)] == [coll.id]
    # Whoever can open the case can read what is attached to it; others cannot.
    dpp = act_as(library, "dpp.south")
    assert bookmarks.get_collection(library, dpp, coll.id).id == coll.id
    with pytest.raises(bookmarks.CollectionNotFound):
        bookmarks.get_collection(library, act_as(library, "pp.hyd"), coll.id)
    with pytest.raises(bookmarks.CollectionError, match="owner"):
        bookmarks.detach_case(library, dpp, coll.id, own_case.id)
    bookmarks.detach_case(library, rahim, coll.id, own_case.id)
    assert bookmarks.collections_for_case(library, rahim, own_case) == []


def test_collection_view_shows_only_cases_the_reader_may_open(library) -> None:
    """A shared collection lists only the attached cases its reader may open; the others are
    counted, never named."""
    dpp = act_as(library, "dpp.south")
    aslam, shahid = case_of(library, "Aslam"), case_of(library, "Shahid")
    coll = bookmarks.create_collection(library, dpp, "Karachi South murders")
    bookmarks.attach_case(library, dpp, coll.id, aslam.id)
    bookmarks.attach_case(library, dpp, coll.id, shahid.id)
    bookmarks.share(library, dpp, coll.id, "pp.hyd")

    owner_view = bookmarks.collection_view(library, dpp, coll.id)
    assert {c.id for c in owner_view.cases} == {aslam.id, shahid.id}
    assert owner_view.hidden_cases == 0

    hyd_view = bookmarks.collection_view(library, act_as(library, "pp.hyd"), coll.id)
    assert hyd_view.cases == [] and hyd_view.hidden_cases == 2

    # pp.sana reads it through the case she is assigned to, and sees only that one.
    sana_view = bookmarks.collection_view(library, act_as(library, "pp.sana"), coll.id)
    assert [c.id for c in sana_view.cases] == [shahid.id]
    assert sana_view.hidden_cases == 1
