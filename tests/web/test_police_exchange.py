"""End to end with a police system (a TEST STUB on loopback, tests/web/police_stub.py):
signed webhooks, the system down and back, catching up from its cursor, answers and the
resubmitted challan; the case thread and its clocks; nothing lost or applied twice."""

from __future__ import annotations

import datetime as dt

from casefiles.models import Case
from casefiles.police_messages import PoliceMessage, request_from_police
from mizan import webhooks
from mizan.accounts.integrations import Integration, create_integration, set_webhook
from mizan.actor import SYSTEM
from mizan.outbox import OutboxEntry
from mizan.webhooks import WebhookDelivery
from tests.casefiles.police_steps import demo_actor, return_challan
from tests.web.police_stub import PoliceStub

T0 = dt.datetime(2025, 3, 3, 5, 0)  # the frozen clock's start


def _delivery(kernel, message_id: str) -> WebhookDelivery:
    return kernel.store.find_one(WebhookDelivery, {"event_id": message_id})


def test_police_exchange_end_to_end(app, demo, browser, frozen_clock, monkeypatch) -> None:
    monkeypatch.setattr(webhooks, "TIMEOUT", 0.3)
    integration, token = create_integration(
        demo, SYSTEM, name="PSRMS", kind="police", districts=["KHI-S"]
    )
    stub = PoliceStub().start()
    _, stub.secret = set_webhook(
        demo, SYSTEM, integration.id, url=stub.url, version=integration.version
    )
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    cursor = "0"

    def pull() -> list[dict]:
        """The stub reads the feed from its cursor, two at a time, and keeps what it reads."""
        nonlocal cursor
        read: list[dict] = []
        while True:
            response = api.get(f"/api/v1/police/messages?after={cursor}&limit=2", headers=headers)
            assert response.status_code == 200, response.get_json()
            page = response.get_json()
            read += page["messages"]
            cursor = page["cursor"]
            for message in page["messages"]:
                stub.messages.setdefault(message["id"], message)
            if not page["more"]:
                return read

    def reply(**record):
        return api.post("/api/v1/police/replies", json=record, headers=headers)

    try:
        # The challan is returned: the worker's outbox handler signs and delivers at once.
        case = return_challan(demo, ["Site plan missing", "Recovery memo unsigned"])
        objections = demo.store.find_one(PoliceMessage, {"case_id": case.id})
        [entry] = demo.store.find(OutboxEntry, {"topic": webhooks.TOPIC})
        webhooks.deliver_from_outbox(demo, entry.payload)
        assert list(stub.messages) == [objections.id] and stub.refused_signatures == 0
        assert stub.messages[objections.id]["objections"][0]["text"] == "Site plan missing"
        assert [m["id"] for m in pull()] == [objections.id] and cursor == "1"

        # The police system goes down: the next message waits, visible, and backs off.
        stub.stop()
        witness = request_from_police(
            demo,
            demo_actor(demo, "pp.rahim"),
            case.id,
            kind="produce_witness",
            text="Produce PW-2 Ghulam Nabi on the next date.",
        )
        assert webhooks.retry_due(demo) == 0
        waiting = _delivery(demo, witness.id)
        assert waiting.status == "pending" and "could not be reached" in waiting.last_error
        assert webhooks.retry_due(demo) == 0  # not due again before its back-off
        assert _delivery(demo, witness.id).attempts == 1
        stub.start()  # back on the same port, but failing: 500, then too slow
        stub.mode = "error"
        frozen_clock.advance(webhooks.backoff(1))
        assert webhooks.retry_due(demo) == 0
        stub.mode = "slow"
        frozen_clock.advance(webhooks.backoff(2))
        assert webhooks.retry_due(demo) == 0
        waiting = _delivery(demo, witness.id)
        assert (waiting.status, waiting.attempts) == ("pending", 3)
        assert "did not answer" in waiting.last_error
        admin = browser()
        admin.login("admin")
        page = admin.get("/admin/webhooks").data.decode()
        assert witness.id in page and "did not answer" in page

        # After the last attempt it is a dead letter, until the administrator replays it.
        monkeypatch.setattr(webhooks, "MAX_ATTEMPTS", 4)
        stub.mode = "error"
        frozen_clock.advance(webhooks.backoff(3))
        webhooks.retry_due(demo)
        assert _delivery(demo, witness.id).status == "dead"
        frozen_clock.advance(dt.timedelta(days=2))
        assert webhooks.retry_due(demo) == 0  # a dead letter is not retried by itself
        stub.mode = "ok"
        replay_url = f"/admin/webhooks/deliveries/{waiting.id}/replay"
        assert admin.post(replay_url, {}, form_url="/admin/webhooks").status_code == 302
        assert webhooks.retry_due(demo) == 1
        assert _delivery(demo, witness.id).status == "delivered"
        # The slow attempt did arrive after Mizan stopped waiting: delivery is at least once,
        # and the receiver keeps messages by id, so it holds each message once.
        assert stub.wait_received(3) == 3 and stub.refused_signatures == 0
        assert sorted(stub.messages) == sorted([objections.id, witness.id])

        # Catching up from the cursor finds exactly the message it missed.
        assert [m["id"] for m in pull()] == [witness.id] and cursor == "2"
        assert pull() == []
        assert sorted(stub.messages) == sorted([objections.id, witness.id])

        # The police answer (one answer sent twice, one out of order, one to nothing).
        frozen_clock.set(T0 + dt.timedelta(days=2, hours=3))
        first = {"id": "ps-2", "message_id": objections.id, "type": "answer"}
        first |= {"objection_id": "1", "text": "Site plan attached."}
        assert reply(**first).get_json()["open_objections"] == ["2"]
        assert reply(**first).get_json()["applied"] is False
        late_ack = reply(id="ps-1", message_id=objections.id, type="acknowledgement")
        assert late_ack.get_json()["changed"] == []  # the answer already acknowledged it
        missing = {"id": "ps-3", "message_id": objections.id, "type": "answer"}
        missing = reply(**missing, objection_id="9", text="Done.")
        assert missing.status_code == 422
        assert "no objection '9'" in missing.get_json()["error"]
        early = reply(id="ps-4", message_id=objections.id, type="resubmission")
        assert early.status_code == 409 and "still open: 2" in early.get_json()["error"]
        second = {"id": "ps-5", "message_id": objections.id, "type": "answer"}
        second |= {"objection_id": "2", "text": "Memo signed by both witnesses."}
        assert reply(**second).status_code == 200
        frozen_clock.set(T0 + dt.timedelta(days=3, hours=5))
        resubmit = {"id": "ps-6", "message_id": objections.id, "type": "resubmission"}
        resubmit |= {
            "challan": {"submitted_on": "2025-03-06T09:30:00+05:00", "io_name": "SI Aslam"}
        }
        done = reply(**resubmit)
        assert done.status_code == 200, done.get_json()
        assert done.get_json()["case_state"] == "REPORT_UNDER_SCRUTINY"
        assert reply(**resubmit).get_json()["applied"] is False
        assert reply(**{**resubmit, "type": "answer", "text": "x"}).status_code == 409
        witness_answer = {"id": "ps-7", "message_id": witness.id, "type": "answer"}
        witness_answer |= {"text": "PW-2 will be produced."}
        assert reply(**witness_answer).status_code == 200

        stored = demo.store.get(Case, case.id)
        assert stored.state == "REPORT_UNDER_SCRUTINY" and len(stored.challans) == 1
        thread = demo.store.get(PoliceMessage, objections.id)
        assert [r.reply_id for r in thread.replies] == ["ps-2", "ps-1", "ps-5", "ps-6"]
        assert thread.acknowledged_at == T0 + dt.timedelta(days=2, hours=3)

        prosecutor = browser()
        prosecutor.login("pp.rahim")
        page = prosecutor.get(f"/cases/{case.id}").data.decode()
        assert "Memo signed by both witnesses." in page
        assert "Acknowledged after 2 days 3 hours." in page
        assert "The police took 3 days 5 hours." in page  # the objections, to resubmission
        assert page.count("The police took") == 2
    finally:
        stub.stop()


def test_feed_is_for_police_systems_and_checks_its_cursor(app, demo) -> None:
    _court, court_token = create_integration(
        demo, SYSTEM, name="Courts", kind="court", districts=["KHI-S"]
    )
    _police, token = create_integration(
        demo, SYSTEM, name="PSRMS", kind="police", districts=["KHI-S"]
    )
    client = app.test_client()
    court = {"Authorization": f"Bearer {court_token}"}
    assert client.get("/api/v1/police/messages", headers=court).status_code == 403
    police = {"Authorization": f"Bearer {token}"}
    bad = client.get("/api/v1/police/messages?after=-1&limit=9999", headers=police)
    assert bad.status_code == 400 and set(bad.get_json()["errors"]) == {"after", "limit"}
    misspelt = client.get("/api/v1/police/messages?afer=12", headers=police)  # not from 0
    assert misspelt.status_code == 400 and set(misspelt.get_json()["errors"]) == {"afer"}
    empty = client.get("/api/v1/police/messages", headers=police).get_json()
    assert empty == {"messages": [], "cursor": "0", "more": False}
    not_json = client.post("/api/v1/police/replies", data="x", headers=police)
    assert not_json.status_code == 422
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/police/messages", "/api/v1/police/replies"} <= set(paths)


def test_pages_ask_the_police_and_set_the_address(app, demo, browser) -> None:
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    clerk = browser()
    clerk.login("clerk.south")
    assert "Ask the police" not in clerk.get(f"/cases/{case.id}").data.decode()
    prosecutor = browser()
    prosecutor.login("pp.rahim")
    url = f"/cases/{case.id}"
    form = {"police-kind": "produce_property", "police-text": "Produce the 30-bore pistol."}
    prosecutor.post(f"/cases/{case.id}/police", form, form_url=url)
    blank = prosecutor.post(f"/cases/{case.id}/police", {**form, "police-text": ""}, form_url=url)
    assert blank.status_code == 302
    page = prosecutor.get(url).data.decode()
    assert "Produce the 30-bore pistol." in page and "Waiting for the police for" in page
    assert demo.store.count(PoliceMessage, {"case_id": case.id}) == 1

    integration, _token = create_integration(
        demo, SYSTEM, name="PSRMS", kind="police", districts=["KHI-S"]
    )
    admin = browser()
    admin.login("admin")
    fields = {
        f"{integration.id}-url": "http://10.0.0.5:8080/hook",
        f"{integration.id}-version": "1",
    }
    done = admin.post(
        f"/admin/webhooks/{integration.id}/address", fields, form_url="/admin/webhooks"
    )
    assert done.status_code == 302
    page = admin.get("/admin/webhooks").data.decode()
    assert "whsec_" in page and "http://10.0.0.5:8080/hook" in page
    stale = admin.post(
        f"/admin/webhooks/{integration.id}/address", fields, form_url="/admin/webhooks"
    )
    assert stale.status_code == 302
    assert "changed by someone else" in admin.get("/admin/webhooks").data.decode()
    stations = {f"{integration.id}-st-stations": "Preedy\nArtillery Maidan"}
    stations[f"{integration.id}-st-version"] = "2"
    admin.post(f"/admin/webhooks/{integration.id}/stations", stations, form_url="/admin/webhooks")
    assert demo.store.get(Integration, integration.id).stations == ["Artillery Maidan", "Preedy"]
    assert prosecutor.get("/admin/webhooks").status_code == 403
