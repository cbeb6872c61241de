"""Saved searches and their alerts, with the real index, store and notifications."""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.models import Case, CaseDocument, DocumentPage, DocumentState
from casefiles.service import NewCase, create_case
from mizan import outbox
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.actor import SYSTEM, Actor
from mizan.audit import AuditEntry
from mizan.kernel import Kernel
from mizan.notifications import Notification, render
from search.backends import search_index
from search.indexing import case_doc_id, index_document
from search.saved import (
    MAX_SAVED,
    SavedSearch,
    SavedSearchError,
    delete_saved,
    list_saved,
    save_search,
)


def who(kernel: Kernel, username: str) -> Actor:
    return actor_for(kernel.store.find_one(User, {"username": username}))


def notes(kernel: Kernel, username: str) -> list[Notification]:
    flt = {"user_id": who(kernel, username).user_id, "kind": "search"}
    return kernel.store.find(Notification, flt)


def new_document(kernel: Kernel, case: Case, text: str, title: str = "Recovery memo") -> str:
    doc = CaseDocument(
        case_id=case.id, district=case.district, title=title, filename="memo.pdf",
        sha256="b" * 64, state=DocumentState.READY, page_count=1,
        uploaded_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
    )  # fmt: skip
    kernel.store.insert(doc)
    kernel.store.insert(DocumentPage(document_id=doc.id, number=1, text=text))
    index_document(kernel, {"document_id": doc.id})
    return doc.id


def test_save_list_and_delete_own_searches(demo: Kernel) -> None:
    me = who(demo, "pp.rahim")
    first = save_search(demo, me, name="Kidnapping  for ransom", query="365-A PPC")
    atc = {"court": "ATC Karachi", "year_from": "2020"}
    second = save_search(demo, me, name="Bail in ATC", query="bail", filters=atc, mode="keyword")
    assert first.name == "Kidnapping for ransom"
    assert [s.id for s in list_saved(demo, me)] == [second.id, first.id]
    assert list_saved(demo, who(demo, "pp.sana")) == []
    with pytest.raises(SavedSearchError, match="does not exist"):
        delete_saved(demo, who(demo, "pp.sana"), first.id)  # not hers
    delete_saved(demo, me, first.id)
    assert [s.id for s in list_saved(demo, me)] == [second.id]
    actions = [e.action for e in demo.store.find(AuditEntry, {"subject_id": first.id})]
    assert sorted(actions) == ["saved_search.access_denied", "search.saved", "search.saved_deleted"]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"name": " ", "query": "bail"}, "Give the search a name"),
        ({"name": "x" * 121, "query": "bail"}, "too long"),
        ({"name": "x", "query": ""}, "nothing to save"),
        ({"name": "x", "query": '"open phrase'}, "not closed"),
        ({"name": "x", "query": "bail", "filters": {"year_from": "soon"}}, "needs a year"),
        ({"name": "x", "query": "bail", "filters": {"acl": "public"}}, "does not know"),
        ({"name": "x", "query": "bail", "mode": "psychic"}, "from the list"),
        ({"name": "x", "query": "word " * 300}, "too long to save"),
    ],
)
def test_bad_saved_searches_are_explained(demo: Kernel, kw: dict, message: str) -> None:
    with pytest.raises(SavedSearchError, match=message):
        save_search(demo, who(demo, "pp.rahim"), **kw)


def test_duplicates_and_the_limit(demo: Kernel) -> None:
    me = who(demo, "pp.sana")
    save_search(demo, me, name="Robbery", query="robbery")
    with pytest.raises(SavedSearchError, match="already, as “Robbery”"):
        save_search(demo, me, name="Again", query="robbery")
    for i in range(MAX_SAVED - 1):
        save_search(demo, me, name=f"s{i}", query=f"word{i}")
    with pytest.raises(SavedSearchError, match="the most allowed"):
        save_search(demo, me, name="one more", query="extra")


def test_new_matching_document_alerts_only_owners_who_may_see_it(demo: Kernel) -> None:
    aslam = next(c for c in demo.store.find(Case) if "Aslam" in c.title)  # Karachi South
    save_search(demo, who(demo, "dpp.south"), name="Pistols", query="pistol")
    save_search(demo, who(demo, "pp.hyd"), name="Pistols", query="pistol")  # Hyderabad
    save_search(demo, who(demo, "supervisor"), name="Quiet", query="pistol", alert=False)
    save_search(demo, who(demo, "clerk.south"), name="Knives", query="knife")

    doc_id = new_document(demo, aslam, "A 30 bore pistol was recovered from the accused.")
    (note,) = notes(demo, "dpp.south")
    assert note.kind == "search" and note.link == f"/documents/{doc_id}"
    assert render(note) == "New match for your saved search “Pistols”: Recovery memo"
    assert notes(demo, "pp.hyd") == []  # may not see a Karachi case
    assert notes(demo, "supervisor") == []  # alert switched off
    assert notes(demo, "clerk.south") == []  # does not match

    index_document(demo, {"document_id": doc_id})  # re-indexed: not announced again
    assert len(notes(demo, "dpp.south")) == 1


def test_only_items_added_after_the_search_was_saved_alert(demo: Kernel) -> None:
    aslam = next(c for c in demo.store.find(Case) if "Aslam" in c.title)
    doc_id = new_document(demo, aslam, "The pistol was sent to the forensic laboratory.")
    save_search(demo, who(demo, "dpp.south"), name="Pistols", query="pistol")
    index_document(demo, {"document_id": doc_id})
    assert notes(demo, "dpp.south") == []


def test_a_new_case_alerts_saved_searches_with_its_filters(demo: Kernel) -> None:
    save_search(demo, who(demo, "dpp.south"), name="Darakhshan cases", query="Darakhshan",
                filters={"kind": "case", "district": "KHI-S"})  # fmt: skip
    save_search(demo, who(demo, "pg.sindh"), name="Hyderabad only", query="Darakhshan",
                filters={"district": "HYD"})  # fmt: skip
    case = create_case(demo, SYSTEM, NewCase(
        district="KHI-S", police_station="Darakhshan", fir_number=99, fir_year=2026,
        title="State v. New Accused", registered_on=dt.date(2026, 1, 2)))  # fmt: skip
    outbox.drain(demo)
    (note,) = notes(demo, "dpp.south")
    assert note.link == f"/cases/{case.id}"
    assert "State v. New Accused" in render(note)
    assert notes(demo, "pg.sindh") == []  # the district filter does not match
    assert demo.store.count(SavedSearch) == 2
    assert (
        search_index(demo)
        .search("Darakhshan", principals=None, filters={"doc_id": case_doc_id(case.id)})
        .total
        == 1
    )
