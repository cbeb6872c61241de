"""Library entries are searchable with the rest: indexed through the outbox, rebuilt by
reindex, public to every user, dated and titled."""

from __future__ import annotations

import datetime as dt

from library.act_import import import_act_text
from library.importers import import_judgments_jsonl
from library.seed import SAMPLE_DIR
from mizan import outbox
from mizan.actor import SYSTEM
from search.backends import search_index
from search.indexing import reindex_all
from search.service import search_documents


def load(kernel) -> None:
    text = (SAMPLE_DIR / "ppc_sample.md").read_text()
    import_act_text(kernel, SYSTEM, text, code="ppc", title="Pakistan Penal Code")
    import_judgments_jsonl(kernel, SYSTEM, SAMPLE_DIR / "judgments_sample.jsonl")


def test_sections_and_judgments_are_found_by_keyword_after_the_outbox_drains(demo) -> None:
    from mizan.accounts.models import User
    from mizan.accounts.service import actor_for

    load(demo)
    assert search_index(demo).count() == 0  # queued, not yet applied
    assert outbox.drain(demo) >= 2
    trainer = actor_for(demo.store.find_one(User, {"username": "trainer"}))
    hits = search_documents(demo, trainer, "cheque dishonoured").hits
    assert hits[0].doc_id == "statute:ppc:489-F"
    assert hits[0].kind == "statute" and hits[0].title.startswith("PPC s. 489-F")
    judgment = search_index(demo).search(
        "court", principals={"public"}, filters={"kind": "judgment"}
    )
    assert judgment.total == 4
    assert all(h.doc_id.startswith("judgment:") for h in judgment.hits)


def test_reindex_rebuilds_library_entries_too(kernel) -> None:
    load(kernel)
    outbox.drain(kernel)
    before = search_index(kernel).count()
    search_index(kernel).clear()
    assert reindex_all(kernel) == 8 + 4  # sections + judgments
    assert search_index(kernel).count() == before


def test_judgment_passages_carry_date_and_readable_title(kernel) -> None:
    from library.indexing import judgment_passages
    from library.models import Judgment

    load(kernel)
    j = kernel.store.find_one(Judgment, {"key": "pcrlj-2012-288"})
    passages = judgment_passages(j)
    assert passages and passages[0].acl == ("public",)
    assert passages[0].date == j.decided_on.date()
    assert isinstance(passages[0].date, dt.date)
    assert passages[0].title.endswith("(2012 PCrLJ 288)")
