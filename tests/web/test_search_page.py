"""The search page through HTTP: filters, facets, sort, mode and page live in the URL."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from casefiles.models import Case
from casefiles.parties import set_offences
from mizan import outbox
from mizan.actor import SYSTEM
from mizan.kernel import Kernel
from search.indexing import upsert_indexed
from search.port import Passage


def html(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.fixture
def indexed(demo: Kernel) -> Kernel:
    """Demo cases indexed (two charged), plus public judgments as the library would add them."""
    for title, text in (("Aslam", "302/34 PPC"), ("Unknown", "365-A PPC, 7 ATA")):
        case = next(c for c in demo.store.find(Case) if title in c.title)
        set_offences(demo, SYSTEM, case.id, version=case.version, text=text)
    for case in demo.store.find(Case):  # cases without a change are indexed by reindex
        outbox.enqueue(demo.store, "index.case", {"case_id": case.id})
    outbox.drain(demo)
    upsert_indexed(demo, [
        Passage(id=f"j{i}:0", doc_id=f"j{i}", kind="judgment", title=f"Judgment {i}",
                text=f"Appeal {i}: conviction under 302 PPC for murder upheld.",
                acl=("public",), court="High Court", year=2010 + i, doc_type="judgment",
                sections=("302 PPC", "302"), date=dt.date(2010 + i, 1, 5))
        for i in range(25)
    ])  # fmt: skip
    return demo


def test_blank_page_explains_the_query_language(app, browser) -> None:
    b = browser()
    b.login("pp.rahim")
    page = html(b.get("/search/"))
    assert "How to search" in page and "302 PPC" in page
    assert 'name="q"' in page and "autofocus" in page


def test_results_facets_and_links_kept_in_the_url(indexed, browser) -> None:
    b = browser()
    b.login("pg.sindh")
    resp = b.get("/search/?q=302+PPC&mode=keyword")
    page = html(resp)
    assert resp.status_code == 200
    assert "26 results" in page  # 25 judgments and the Aslam case record
    # facet links add one filter and keep the query
    link = re.search(r'href="([^"]*kind=case[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "q=302+PPC" in link and "mode=keyword" in link
    page = html(b.get(link))
    assert "1 result" in page and "Judgment 3" not in page
    assert "State v. Muhammad Aslam" in page
    assert "Clear all filters" in page and 'aria-current="true"' in page
    # the case result opens the case
    case = next(c for c in indexed.store.find(Case) if "Aslam" in c.title)
    assert f'href="/cases/{case.id}"' in page


def test_year_range_sort_and_pagination(indexed, browser) -> None:
    b = browser()
    b.login("pg.sindh")
    page = html(b.get("/search/?q=murder&kind=judgment&year_from=2020&sort=date&mode=hybrid"))
    assert "15 results" in page  # 2020..2034
    assert "Newest first lists the documents that contain your words." in page
    titles = re.findall(r">(Judgment \d+)<", page)
    assert titles[:3] == ["Judgment 24", "Judgment 23", "Judgment 22"]
    page = html(b.get("/search/?q=murder&kind=judgment&sort=date&page=2"))
    assert "Page 2 of 2" in page
    assert re.findall(r">(Judgment \d+)<", page) == ["Judgment 4", "Judgment 3", "Judgment 2",
                                                      "Judgment 1", "Judgment 0"]  # fmt: skip
    prev = re.search(r'href="([^"]*)" rel="prev"', page).group(1)
    assert "sort=date" in prev and "kind=judgment" in prev


def test_permissions_hold_on_the_page_and_in_the_counts(indexed, browser) -> None:
    b = browser()
    b.login("pp.hyd")  # a Hyderabad prosecutor: no Karachi case
    page = html(b.get("/search/?q=302+PPC&mode=keyword"))
    assert "25 results" in page and "Aslam" not in page
    assert "kind=case" not in page  # no "Cases" facet: the invisible case is not counted
    assert "kind=judgment" in page
    page = html(b.get("/search/?q=&kind=case&mode=keyword"))
    assert "Aslam" not in page and "Unknown" not in page


def test_bad_input_is_explained(indexed, browser) -> None:
    b = browser()
    b.login("pg.sindh")
    resp = b.get("/search/?q=%22open+phrase")
    assert resp.status_code == 400 and "is not closed" in html(resp)
    resp = b.get("/search/?q=murder&year_from=20x0")
    assert resp.status_code == 400 and "must be a year" in html(resp)
    resp = b.get("/search/?q=murder&year_from=2020&year_to=2010")
    assert resp.status_code == 400 and "swap them" in html(resp)
    resp = b.get("/search/?q=murder&sort=sideways")
    assert resp.status_code == 400


def test_nothing_found_offers_a_way_out(indexed, browser) -> None:
    b = browser()
    b.login("pg.sindh")
    page = html(b.get("/search/?q=zebra&court=High+Court&mode=keyword"))
    assert "Nothing matched." in page and "Search again without filters" in page


def kind_facet_total(page: str) -> int:
    """The sum of the counts in the "Kind" facet: every listed document has one kind."""
    section = re.search(r"<h2>Kind</h2>(.*?)</section>", page, re.S).group(1)
    return sum(int(n) for n in re.findall(r'<span class="count">(\d+)</span>', section))


@pytest.mark.slow  # loads the embedding model
def test_mode_is_kept_in_the_url(indexed, browser) -> None:
    b = browser()
    b.login("pg.sindh")
    page = html(b.get("/search/?q=killing+of+a+person&mode=semantic"))
    assert '<option value="semantic" selected>' in page
    assert "Judgment" in page  # found by meaning: no passage says "killing"
    shown = int(re.search(r"(\d+) documents? close in meaning", page).group(1))
    assert 0 < shown == kind_facet_total(page)
    assert page.count('class="hit card"') == min(shown, 20)  # one page of them
    page = html(b.get("/search/?q=murder&mode=hybrid"))
    assert '<option value="hybrid" selected>' in page
    assert "documents close in meaning to your search" in page
    total = int(re.search(r"(\d+) results?", page).group(1))
    assert total == kind_facet_total(page)  # the facets count the documents counted
    link = re.search(r'href="([^"]*kind=judgment[^"]*)"', page).group(1)
    assert "mode=hybrid" in link
    assert b.get("/search/?q=murder&mode=telepathy").status_code == 400


def test_urdu_page_is_right_to_left(indexed, browser) -> None:
    b = browser()
    b.login("pg.sindh")
    page = html(b.get("/search/?q=302+PPC&lang=ur&mode=keyword"))
    assert 'dir="rtl"' in page and 'class="snippet" dir="auto"' in page


def test_save_a_search_list_and_delete_it(indexed, browser) -> None:
    b = browser()
    b.login("pp.rahim")
    url = "/search/?q=302+PPC&mode=keyword&kind=judgment&year_from=2015"
    page = html(b.get(url))
    assert "Save this search" in page
    resp = b.post("/search/saved", {"q": "302 PPC", "mode": "keyword", "kind": "judgment",
                                    "year_from": "2015", "name": "Murder appeals",
                                    "alert": "on"}, form_url=url)  # fmt: skip
    assert resp.status_code == 302 and "kind=judgment" in resp.headers["Location"]
    page = html(b.get(resp.headers["Location"]))
    assert "Saved as “Murder appeals”. You will be notified of new matches." in page
    # saving it twice is explained
    again = {"q": "302 PPC", "mode": "keyword", "kind": "judgment", "year_from": "2015"}
    resp = b.post("/search/saved", {**again, "name": "Again"}, form_url=url)
    assert "already" in html(b.get(resp.headers["Location"]))
    page = html(b.get("/search/saved"))
    assert "Murder appeals" in page and "From year: 2015" in page and "Judgments" in page
    rerun = re.search(r'href="([^"]*)" dir="auto">Murder appeals', page).group(1)
    assert "20 results" in html(b.get(rerun.replace("&amp;", "&")))  # 2015..2034
    delete = re.search(r'action="(/search/saved/[^"]+/delete)"', page).group(1)
    assert b.post(delete, {}, form_url="/search/saved").status_code == 302
    assert "You have no saved searches" in html(b.get("/search/saved"))
    # deleting it again is explained
    assert b.post(delete, {}, form_url="/search/saved").status_code == 302
    assert "does not exist" in html(b.get("/search/saved"))
