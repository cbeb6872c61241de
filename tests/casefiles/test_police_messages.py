"""Messages to the police: written when a challan is returned, numbered for the feed,
replies applied once by id, and the thread's clock."""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.models import Case
from casefiles.police_messages import (
    PoliceMessage,
    PoliceMessageError,
    feed,
    police_thread,
    request_from_police,
)
from casefiles.police_replies import receive_reply
from casefiles.service import CaseError
from mizan.accounts.integrations import (
    actor_for_integration,
    create_integration,
    set_stations,
    set_webhook,
)
from mizan.accounts.service import PermissionDenied
from mizan.actor import SYSTEM
from mizan.webhooks import WebhookDelivery
from tests.casefiles.police_steps import demo_actor, return_challan


@pytest.fixture
def police(demo):
    integration, _token = create_integration(
        demo, SYSTEM, name="PSRMS", kind="police", districts=["KHI-S"]
    )
    return actor_for_integration(integration, "127.0.0.1")


def test_a_returned_challan_sends_its_objections_once(demo, frozen_clock) -> None:
    integration, _ = create_integration(
        demo, SYSTEM, name="PSRMS", kind="police", districts=["KHI-S"]
    )
    set_webhook(demo, SYSTEM, integration.id, url="http://127.0.0.1:9/hook", version=1)
    preedy, _ = create_integration(demo, SYSTEM, name="Preedy", kind="police", districts=["KHI-S"])
    preedy = set_stations(demo, SYSTEM, preedy.id, stations=[" Preedy "], version=1)
    assert preedy.stations == ["Preedy"]
    set_webhook(demo, SYSTEM, preedy.id, url="http://127.0.0.1:9/preedy", version=2)
    case = return_challan(demo, ["Site plan missing", "Recovery memo unsigned"])
    [message] = demo.store.find(PoliceMessage, {"case_id": case.id})
    assert message.kind == "objections" and message.seq == 1
    assert [(o.oid, o.text) for o in message.objections] == [
        ("1", "Site plan missing"),
        ("2", "Recovery memo unsigned"),
    ]
    assert message.police_station == "Artillery Maidan"
    [delivery] = demo.store.find(WebhookDelivery, {"event_id": message.id})
    assert delivery.integration_id == integration.id and delivery.status == "pending"
    page = feed(demo, ["KHI-S"], after=0)
    assert [m["id"] for m in page.messages] == [message.id] and page.cursor == 1
    assert page.messages[0]["objections"][1] == {"id": "2", "text": "Recovery memo unsigned"}
    assert feed(demo, ["HYD"], after=0).messages == []
    assert feed(demo, ["KHI-S"], after=0, stations=["Preedy"]).messages == []
    assert len(feed(demo, ["KHI-S"], after=0, stations=["Artillery Maidan"]).messages) == 1
    assert feed(demo, ["KHI-S"], after=1).messages == []


def test_requests_are_a_prosecutors_and_idempotent(demo) -> None:
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    rahim = demo_actor(demo, "pp.rahim")
    first = request_from_police(
        demo, rahim, case.id, kind="produce_witness", text="Produce  PW-2 on the next date."
    )
    again = request_from_police(
        demo, rahim, case.id, kind="produce_witness", text="Produce PW-2 on the next date."
    )
    assert first.id == again.id and first.text == "Produce PW-2 on the next date."
    other = request_from_police(demo, rahim, case.id, kind="produce_property", text="The pistol.")
    assert other.seq == first.seq + 1
    with pytest.raises(CaseError, match="Write what"):
        request_from_police(demo, rahim, case.id, kind="produce_witness", text="  ")
    with pytest.raises(CaseError, match="Choose"):
        request_from_police(demo, rahim, case.id, kind="objections", text="x")
    with pytest.raises(PermissionDenied):
        request_from_police(
            demo, demo_actor(demo, "clerk.south"), case.id, kind="produce_witness", text="x"
        )


def test_replies_apply_once_and_refuse_what_does_not_exist(demo, police, frozen_clock) -> None:
    case = return_challan(demo, ["Site plan missing", "Recovery memo unsigned"])
    message = demo.store.find_one(PoliceMessage, {"case_id": case.id})
    districts = ["KHI-S"]

    def reply(**record):
        return receive_reply(demo, police, districts, {"message_id": message.id, **record})

    frozen_clock.advance(dt.timedelta(hours=5))
    answer = {"id": "r-2", "type": "answer", "objection_id": "2", "text": "Memo signed."}
    assert reply(**answer).applied  # before the acknowledgement: it implies one
    frozen_clock.advance(dt.timedelta(hours=1))
    assert reply(id="r-1", type="acknowledgement").applied
    assert not reply(**answer).applied  # a replay changes nothing
    with pytest.raises(PoliceMessageError) as reused:
        reply(**{**answer, "text": "Something else."})
    assert reused.value.status == 409
    with pytest.raises(PoliceMessageError) as missing:
        reply(id="r-3", type="answer", objection_id="7", text="?")
    assert missing.value.status == 422 and "no objection '7'" in str(missing.value)
    with pytest.raises(PoliceMessageError) as early:
        reply(id="r-4", type="resubmission", challan={"submitted_on": "2025-03-03"})
    assert early.value.status == 409 and "still open: 1" in str(early.value)
    with pytest.raises(PoliceMessageError) as unknown:
        receive_reply(
            demo, police, districts, {"id": "x", "message_id": "nope", "type": "acknowledgement"}
        )
    assert unknown.value.status == 404
    with pytest.raises(PoliceMessageError) as other_station:
        receive_reply(
            demo,
            police,
            districts,
            {"id": "x", "message_id": message.id, "type": "acknowledgement"},
            stations=["Preedy"],
        )
    assert other_station.value.status == 404
    with pytest.raises(PoliceMessageError) as foreign:
        receive_reply(
            demo, police, ["HYD"], {"id": "x", "message_id": message.id, "type": "acknowledgement"}
        )
    assert foreign.value.status == 404

    frozen_clock.advance(dt.timedelta(days=2))
    reply(id="r-5", type="answer", objection_id="1", text="Site plan attached.")
    done = reply(
        id="r-6", type="resubmission", challan={"submitted_on": "2025-03-05T09:00:00+05:00"}
    )
    assert done.case_state == "REPORT_UNDER_SCRUTINY"
    assert not reply(id="r-6", type="resubmission", challan={"submitted_on": "2025-03-05"}).applied
    stored = demo.store.get(Case, case.id)
    assert len(stored.challans) == 1 and stored.state == "REPORT_UNDER_SCRUTINY"

    [entry] = police_thread(demo, stored)
    assert entry.acknowledged_after == dt.timedelta(hours=5)
    assert entry.closed_after == dt.timedelta(days=2, hours=6)
    assert entry.open_for is None
    assert [r.reply_id for r in entry.message.replies] == ["r-2", "r-1", "r-5", "r-6"]


def test_an_investigation_deadline_due_soon_is_sent_once(kernel, frozen_clock) -> None:
    from casefiles.intake import upsert_fir
    from casefiles.police_messages import warn_of_lapsing_deadlines
    from mizan.accounts.models import District

    kernel.store.insert(District(code="KHI-S", name="Karachi South"))
    record = {"district": "KHI-S", "police_station": "Preedy", "fir_year": 2025}
    # Registered 16 days ago: the interim challan (14 + 3 days) is due tomorrow.
    late = upsert_fir(
        kernel, SYSTEM, ["KHI-S"], {**record, "fir_number": 1, "registered_at": "2025-02-15"}
    ).case
    upsert_fir(
        kernel, SYSTEM, ["KHI-S"], {**record, "fir_number": 2, "registered_at": "2025-03-01"}
    )
    assert warn_of_lapsing_deadlines(kernel) == 1
    assert warn_of_lapsing_deadlines(kernel) == 0  # the next reminder run sends nothing again
    [message] = kernel.store.find(PoliceMessage, {})
    assert (message.kind, message.case_id) == ("deadline", late.id)
    assert message.due_on == dt.datetime(2025, 3, 4)
    assert "Interim challan" in message.text
