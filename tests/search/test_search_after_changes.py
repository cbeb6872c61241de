"""Search stays true after every change, through a real ``mizan run-worker`` process.

A case made on the web or through the intake API, a party renamed and a hearing
scheduled each queue an ``index.case`` outbox entry; the worker must apply it on
its own, not when some unrelated document job happens to drain the outbox.
No document is uploaded here, so no document job can do it for them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest

from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import NewHearing
from casefiles.intake import upsert_fir
from casefiles.parties import PartyInput, add_party, remove_party
from casefiles.service import NewCase, create_case
from mizan import outbox
from mizan.accounts.integrations import actor_for_integration, create_integration
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.actor import SYSTEM, Actor
from mizan.clock import utc_naive_now
from mizan.jobs import Job
from search.service import search_documents
from tests.mizan.test_worker_process import start_worker, stop

pytestmark = pytest.mark.slow

#: How long one change may take to become searchable on a busy 2-core test machine.
FOUND_WITHIN = 60.0


def eventually(found: Callable[[], bool], what: str, timeout: float = FOUND_WITHIN) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found():
            return
        time.sleep(0.25)
    raise AssertionError(f"not found by search in {timeout:.0f} s: {what}")


def case_ids(kernel, actor: Actor, query: str, **filters: str) -> set[str | None]:
    result = search_documents(
        kernel, actor, query, mode="keyword", filters={"kind": "case", **filters}
    )
    return {hit.case_id for hit in result.hits}


def user(kernel, username: str) -> Actor:
    return actor_for(kernel.store.find_one(User, {"username": username}))


def test_new_and_edited_cases_are_found_without_any_document_job(demo) -> None:
    clerk, dpp = user(demo, "clerk.south"), user(demo, "dpp.south")
    integration, _token = create_integration(
        demo, SYSTEM, name="Sindh Police PSRMS", kind="police", districts=["KHI-S"]
    )
    police = actor_for_integration(integration, "10.0.0.7")
    worker = start_worker(demo.settings)
    try:
        # The worker is up once its start-up sweep has applied the demo's entries (this
        # also loads the embedding model, which may take long on a busy machine).
        eventually(lambda: outbox.pending(demo.store) == 0, "the demo cases", timeout=240)

        # A case opened on the web (the view calls this service).
        web = create_case(
            demo,
            clerk,
            NewCase(
                district="KHI-S",
                police_station="Kharadar",
                fir_number=611,
                fir_year=2025,
                title="State v. Zarghoon Khattak",
            ),
        )
        eventually(lambda: web.id in case_ids(demo, dpp, "Zarghoon"), "a case made on the web")

        # A case sent by the police through the intake API.
        api = upsert_fir(
            demo,
            police,
            list(integration.districts),
            {
                "district": "KHI-S",
                "police_station": "Docks",
                "fir_number": 612,
                "fir_year": 2025,
                "title": "State v. Baluch Khan Jamali",
                "sections": "392 PPC",
                "accused": [{"name": "Baluch Khan Jamali"}],
            },
        ).case
        eventually(lambda: api.id in case_ids(demo, dpp, "Jamali"), "a case sent through the API")

        # A party's name corrected on the web: the new name is found, the old one no more.
        case = add_party(
            demo,
            clerk,
            web.id,
            version=web.version,
            data=PartyInput(role="accused", name="Sher Zamaan"),
        )
        eventually(lambda: web.id in case_ids(demo, dpp, "Zamaan"), "a party added")
        case = remove_party(demo, clerk, web.id, version=case.version, party_id=case.parties[0].id)
        add_party(
            demo,
            clerk,
            web.id,
            version=case.version,
            data=PartyInput(role="accused", name="Sher Zaman Khoso"),
        )
        eventually(lambda: web.id in case_ids(demo, dpp, "Khoso"), "an edited party name")
        assert web.id not in case_ids(demo, dpp, "Zamaan")

        # A hearing listed before a court: the case is found under that court.
        court = "Anti-Terrorism Court Karachi-XIX"
        schedule_hearing(
            demo,
            clerk,
            api.id,
            NewHearing(utc_naive_now() + dt.timedelta(days=30), court, "charge"),
        )
        eventually(
            lambda: api.id in case_ids(demo, dpp, "Jamali", court=court), "a new hearing's court"
        )
    finally:
        stop(worker)
    assert demo.store.count(Job) == 0  # no document (or any other) job did the draining
