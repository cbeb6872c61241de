"""The library through HTTP: section URLs, the judgment reading view, browsing, collection
permissions, attaching to cases, and the administrator's import page."""

from __future__ import annotations

import io
import re

import pytest

from casefiles.models import Case
from library.act_import import import_act_text
from library.importers import import_judgments_jsonl
from library.models import Collection, Judgment, Section
from library.seed import SAMPLE_DIR
from mizan import outbox
from mizan.actor import SYSTEM
from mizan.jobs import Job
from search.backends import search_index
from tests.conftest import SHARED_DATA

PPC = SHARED_DATA / "pakistan" / "ppc.md"


@pytest.fixture
def library(demo):
    """Demo data plus the sample PPC excerpt and the four sample judgments, indexed."""
    text = (SAMPLE_DIR / "ppc_sample.md").read_text()
    import_act_text(demo, SYSTEM, text, code="ppc", title="Pakistan Penal Code")
    import_judgments_jsonl(demo, SYSTEM, SAMPLE_DIR / "judgments_sample.jsonl")
    outbox.drain(demo)
    return demo


def signed_in(browser, username: str):
    b = browser()
    b.login(username)
    return b


def _case(kernel, title_part: str) -> Case:
    return next(c for c in kernel.store.find(Case) if title_part in c.title)


@pytest.mark.skipif(not PPC.is_file(), reason="shared data ppc.md is not on this machine")
def test_every_section_of_the_real_ppc_has_a_url(browser, demo) -> None:
    import_act_text(demo, SYSTEM, PPC.read_text(encoding="utf-8"), code="ppc", title="PPC")
    b = signed_in(browser, "pp.rahim")
    page = b.get("/library/ppc/302")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Punishment of qatl-i-amd" in html
    assert 'href="/library/ppc/304"' in html  # cross-reference linked
    assert 'class="amended"' in html and "<sup>113</sup>" in html  # amendment readable
    assert "113[" not in html
    for number, words in (("337-A", "shajjah-i-khafifah"), ("489-F", "cheque")):
        page = b.get(f"/library/ppc/{number}")
        assert page.status_code == 200 and words in page.get_data(as_text=True)
    assert b.get("/library/ppc/337-a").headers["Location"].endswith("/library/ppc/337-A")
    assert b.get("/library/ppc/9999").status_code == 404
    toc = b.get("/library/ppc/").get_data(as_text=True)
    assert "Chapter XVI" in toc and 'href="/library/ppc/489-F"' in toc


def test_library_needs_sign_in_and_is_open_to_every_role(browser, library) -> None:
    assert b"/login" in browser().get("/library/ppc/302").headers["Location"].encode()
    for user in ("trainer", "clerk.south", "admin"):
        assert signed_in(browser, user).get("/library/ppc/302").status_code == 200
    urdu = signed_in(browser, "pp.rahim")
    judgment = library.store.find_one(Judgment, {})
    for url in ("/library/?lang=ur", "/library/ppc/302", f"/library/judgments/{judgment.id}"):
        page = urdu.get(url)
        assert page.status_code == 200 and 'dir="rtl"' in page.get_data(as_text=True)


def test_judgment_reading_view_links_citations_and_shows_cited_by(browser, library) -> None:
    citing = library.store.find_one(Judgment, {"key": "pcrlj-2012-288"})
    cited = library.store.find_one(Judgment, {"key": "pcrlj-2012-281"})
    b = signed_in(browser, "pp.sana")
    html = b.get(f"/library/judgments/{citing.id}").get_data(as_text=True)
    assert f'class="cite" href="/library/judgments/{cited.id}"' in html  # in the text
    assert 'class="cite unresolved"' in html  # cited elsewhere, not in the library
    assert 'data-copy="' in html and "2012 PCrLJ 288" in html  # copy citation
    assert 'data-find-in="#judgment-text"' in html  # search within the document
    assert re.search(r'href="#(headnote-a|para-1)"', html)  # table of contents
    cited_html = b.get(f"/library/judgments/{cited.id}").get_data(as_text=True)
    assert re.search(r'id="cited-by">\s*<h2>Cited by <span class="count">1</span>', cited_html)
    assert f'href="/library/judgments/{citing.id}"' in cited_html
    assert b.get("/library/judgments/nope").status_code == 404


def test_browse_and_lists_with_counts_filters_and_sorting(browser, library) -> None:
    b = signed_in(browser, "trainer")
    html = b.get("/library/browse").get_data(as_text=True)
    assert re.search(r"Balochistan High Court</a> <span class=\"count\">4</span>", html)
    assert 'href="/library/judgments/?year=2012"' in html
    assert 'href="/library/judgments/?section=ppc:302"' in html  # by statute section
    listing = b.get("/library/judgments/?topic=Criminal+Law&sort=cited").get_data(as_text=True)
    criminal = library.store.count(Judgment, {"topic": "Criminal Law"})
    assert f'<span class="count">{criminal}</span>' in listing
    empty = b.get("/library/judgments/?year=1901").get_data(as_text=True)
    assert "No judgments match." in empty
    assert b.get("/library/judgments/?sort=bogus&page=x").status_code == 200


def test_library_search_and_global_search_reach_library_pages(browser, library) -> None:
    b = signed_in(browser, "trainer")
    html = b.get("/library/?q=cheque&kind=statute").get_data(as_text=True)
    assert 'href="/library/ppc/489-F"' in html
    found = b.get("/search/?q=cheque+dishonoured").get_data(as_text=True)
    assert 'href="/library/entry/statute:ppc:489-F"' in found
    assert (
        b.get("/library/entry/statute:ppc:489-F").headers["Location"].endswith("/library/ppc/489-F")
    )
    assert b.get("/library/entry/document:x").status_code == 404


def _create(b, name: str) -> str:
    page = b.post("/library/collections/", {"name": name}, form_url="/library/collections/")
    assert page.status_code == 302, page.data
    return page.headers["Location"].rsplit("/", 1)[1]


def test_collection_permissions_owner_shared_user_and_others(browser, library) -> None:
    rahim = signed_in(browser, "pp.rahim")
    coll_id = _create(rahim, "Murder appeal")
    rahim.post(
        "/library/items/add",
        {"collection_id": coll_id, "kind": "section", "target_id": "ppc:302", "note": "charge"},
        form_url="/library/ppc/302",
    )
    judgment = library.store.find_one(Judgment, {"key": "pcrlj-2012-288"})
    rahim.post(
        "/library/items/add",
        {"collection_id": coll_id, "kind": "judgment", "target_id": judgment.id},
        form_url=f"/library/judgments/{judgment.id}",
    )
    coll = library.store.get(Collection, coll_id)
    assert [i.target_id for i in coll.items] == ["ppc:302", judgment.id]

    sana, hyd = signed_in(browser, "pp.sana"), signed_in(browser, "pp.hyd")
    assert sana.get(f"/library/collections/{coll_id}").status_code == 404
    rahim.post(
        f"/library/collections/{coll_id}/share",
        {"username": "pp.sana"},
        form_url=f"/library/collections/{coll_id}",
    )
    page = sana.get(f"/library/collections/{coll_id}")
    assert page.status_code == 200 and "Murder appeal" in page.get_data(as_text=True)
    assert "Share with a colleague" not in page.get_data(as_text=True)  # read-only for her
    refused = sana.post(
        f"/library/collections/{coll_id}/items",
        {"kind": "section", "target_id": "ppc:34"},
        form_url=f"/library/collections/{coll_id}",
        follow_redirects=True,
    )
    assert "Only the owner" in refused.get_data(as_text=True)
    assert len(library.store.get(Collection, coll_id).items) == 2
    assert hyd.get(f"/library/collections/{coll_id}").status_code == 404
    assert (
        hyd.client.post(
            f"/library/collections/{coll_id}/share",
            data={"username": "pp.hyd", "csrf_token": hyd.token("/library/collections/")},
        ).status_code
        == 404
    )
    assert len(library.store.get(Collection, coll_id).shared_with) == 1
    assert "Murder appeal" in sana.get("/library/collections/").get_data(as_text=True)
    rahim.post(
        f"/library/collections/{coll_id}/items/remove",
        {"kind": "section", "target_id": "ppc:302"},
        form_url=f"/library/collections/{coll_id}",
    )
    assert [i.target_id for i in library.store.get(Collection, coll_id).items] == [judgment.id]


def test_attach_to_a_case_only_if_the_user_can_see_it(browser, library) -> None:
    rahim = signed_in(browser, "pp.rahim")
    coll_id = _create(rahim, "Aslam trial")
    own, other = _case(library, "Aslam"), _case(library, "Ali Raza")
    form = rahim.get(f"/library/collections/{coll_id}").get_data(as_text=True)
    assert own.id in form and other.id not in form  # only visible cases are offered
    refused = rahim.post(
        f"/library/collections/{coll_id}/cases",
        {"case_id": other.id},
        form_url=f"/library/collections/{coll_id}",
        follow_redirects=True,
    )
    assert "no such case that you can open" in refused.get_data(as_text=True)
    rahim.post(
        f"/library/collections/{coll_id}/cases",
        {"case_id": own.id},
        form_url=f"/library/collections/{coll_id}",
    )
    assert library.store.get(Collection, coll_id).case_ids == [own.id]
    case_page = rahim.get(f"/cases/{own.id}").get_data(as_text=True)
    assert "Library collections" in case_page and "Aslam trial" in case_page
    # The district prosecutor sees the case, so sees what is attached to it.
    dpp = signed_in(browser, "dpp.south")
    assert "Aslam trial" in dpp.get(f"/cases/{own.id}").get_data(as_text=True)
    assert dpp.get(f"/library/collections/{coll_id}").status_code == 200
    rahim.post(
        f"/library/collections/{coll_id}/cases/remove",
        {"case_id": own.id},
        form_url=f"/library/collections/{coll_id}",
    )
    assert "Aslam trial" not in dpp.get(f"/cases/{own.id}").get_data(as_text=True)
    assert dpp.get(f"/library/collections/{coll_id}").status_code == 404


def _import(b, data: dict, name: str, content: bytes):
    return b.client.post(
        "/library/import",
        data={
            **data,
            "file": (io.BytesIO(content), name),
            "csrf_token": b.token("/library/import"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_import_page_is_for_administrators_and_validates(browser, demo) -> None:
    assert signed_in(browser, "pp.rahim").get("/library/import").status_code == 403
    admin = signed_in(browser, "admin")
    act = (SAMPLE_DIR / "ppc_sample.md").read_bytes()
    page = _import(admin, {"kind": "act", "code": "", "title": ""}, "ppc.md", act)
    assert page.status_code == 400 and "Enter the act&#39;s code and title" in page.get_data(
        as_text=True
    )
    page = _import(admin, {"kind": "act", "code": "ppc", "title": "PPC"}, "ppc.md", act)
    assert "Imported PPC: 8 sections." in page.get_data(as_text=True)
    assert demo.store.count(Section) == 8
    bad = _import(admin, {"kind": "judgments"}, "j.jsonl", b"not json\n")
    assert bad.status_code == 400 and "does not look like a judgments file" in bad.get_data(
        as_text=True
    )
    wrong = _import(admin, {"kind": "judgments"}, "j.txt", b"{}\n")
    assert "must be a .jsonl file" in wrong.get_data(as_text=True)
    good = _import(
        admin,
        {"kind": "judgments"},
        "j.jsonl",
        (SAMPLE_DIR / "judgments_sample.jsonl").read_bytes(),
    )
    assert good.status_code == 200 and "being imported" in good.get_data(as_text=True)
    job = demo.store.find_one(Job, {"kind": "library.import"})
    from library.tasks import run_import

    assert run_import(demo, job.id) == "succeeded"
    assert demo.store.count(Judgment) == 4
    assert "4 added" in demo.store.get(Job, job.id).stage


@pytest.mark.slow
def test_uploaded_judgments_are_imported_and_indexed_by_the_worker(
    browser, demo, celery_worker
) -> None:
    import time

    admin = signed_in(browser, "admin")
    sample = (SAMPLE_DIR / "judgments_sample.jsonl").read_bytes()
    _import(admin, {"kind": "judgments"}, "bhc.jsonl", sample)
    job = demo.store.find_one(Job, {"kind": "library.import"})
    deadline = time.monotonic() + 180

    def judgments_found() -> int:
        filters = {"kind": "judgment"}
        return search_index(demo).search("court", principals={"public"}, filters=filters).total

    while time.monotonic() < deadline:
        state = admin.get(f"/jobs/{job.id}.json").get_json()
        # The worker drains the outbox after the job (case records are indexed too, so
        # "anything indexed" is no sign the judgments are).
        if state["state"] == "failed" or (state["state"] == "succeeded" and judgments_found()):
            break
        time.sleep(0.5)
    assert state["state"] == "succeeded", state
    assert demo.store.count(Judgment) == 4
    assert judgments_found() == 4


def test_library_search_says_about_when_the_total_is_estimated(
    browser, library, monkeypatch
) -> None:
    import dataclasses

    b = signed_in(browser, "trainer")
    exact = b.get("/library/?q=court").get_data(as_text=True)
    assert re.search(r"\d+ entr(y|ies) found", exact) and "About" not in exact
    search = search_index(library).search  # an estimate needs >5,000 matches: flag this one as one

    def estimated_search(*args, **kw):
        return dataclasses.replace(search(*args, **kw), total_exact=False)

    monkeypatch.setattr(search_index(library), "search", estimated_search)
    estimated = b.get("/library/?q=court").get_data(as_text=True)
    assert re.search(r"About \d+ entr(y|ies) found", estimated)


def test_shared_collection_page_hides_cases_the_reader_may_not_open(browser, library) -> None:
    """A colleague of another district reads a shared collection without learning the title,
    FIR or link of the cases it is attached to."""
    dpp = signed_in(browser, "dpp.south")
    coll_id = _create(dpp, "Karachi South murders")
    aslam, shahid = _case(library, "Aslam"), _case(library, "Shahid")
    for case in (aslam, shahid):
        dpp.post(
            f"/library/collections/{coll_id}/cases",
            {"case_id": case.id},
            form_url=f"/library/collections/{coll_id}",
        )
    dpp.post(
        f"/library/collections/{coll_id}/share",
        {"username": "pp.hyd"},
        form_url=f"/library/collections/{coll_id}",
    )
    assert aslam.title in dpp.get(f"/library/collections/{coll_id}").get_data(as_text=True)

    hyd = signed_in(browser, "pp.hyd")
    page = hyd.get(f"/library/collections/{coll_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Karachi South murders" in html
    for case in (aslam, shahid):
        assert case.title not in html
        assert case.reference not in html
        assert case.id not in html
    assert "2 attached cases are not shown: you do not have access to them." in html
    assert "Not attached to any case." not in html
