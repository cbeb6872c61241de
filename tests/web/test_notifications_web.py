"""Notifications over HTTP: the bell's count, the page, opening one, and privacy."""

from __future__ import annotations

import re

from mizan.i18n import lazy_gettext as _l
from mizan.notifications import Notification, notify, unread_count
from tests.conftest import user_id


def _bell(html: str) -> str:
    match = re.search(r'class="bell"[^>]*aria-label="[^"]*: (\d+)"', html)
    assert match, "no bell in the top bar"
    return match.group(1)


def test_bell_page_open_and_mark_all(browser, demo) -> None:
    sana = user_id(demo, "pp.sana")
    base = unread_count(demo.store, sana)
    note = notify(
        demo.store, sana, _l("Case %(ref)s opened."), {"ref": "FIR 9/2025"}, link="/cases/"
    )
    notify(demo.store, sana, text="Second")
    b = browser()
    b.login("pp.sana")
    assert _bell(b.get("/").get_data(as_text=True)) == str(base + 2)
    page = b.get("/notifications/").get_data(as_text=True)
    assert "Case FIR 9/2025 opened." in page
    opened = b.post(f"/notifications/{note.id}/open", {}, form_url="/notifications/")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/cases/")
    assert demo.store.get(Notification, note.id).read_at is not None
    unread = b.get("/notifications/?show=unread").get_data(as_text=True)
    assert "FIR 9/2025" not in unread and "Second" in unread
    b.post("/notifications/read", {"all": "1"}, form_url="/notifications/")
    assert unread_count(demo.store, sana) == 0


def test_urdu_reader_sees_urdu(browser, demo) -> None:
    sana = user_id(demo, "pp.sana")
    notify(demo.store, sana, _l("Case %(ref)s opened."), {"ref": "FIR 9/2025"})
    b = browser()
    b.login("pp.sana")
    page = b.get("/notifications/?lang=ur").get_data(as_text=True)
    assert "کی فائل کھول دی گئی ہے" in page


def test_someone_elses_notification_cannot_be_opened(browser, demo) -> None:
    note = notify(demo.store, user_id(demo, "pp.rahim"), text="private", link="/cases/")
    b = browser()
    b.login("pp.sana")
    assert "private" not in b.get("/notifications/").get_data(as_text=True)
    response = b.post(f"/notifications/{note.id}/open", {}, form_url="/notifications/")
    assert response.status_code == 404
    assert demo.store.get(Notification, note.id).read_at is None


def test_assignment_notifies_the_new_prosecutors(browser, demo) -> None:
    from casefiles.models import Case
    from casefiles.service import assign
    from mizan.actor import SYSTEM

    case = demo.store.find_one(Case, {"fir.police_station": "Darakhshan"})
    sana, rahim = user_id(demo, "pp.sana"), user_id(demo, "pp.rahim")
    before = unread_count(demo.store, sana), unread_count(demo.store, rahim)
    case = assign(demo, SYSTEM, case.id, version=case.version, lead=sana, assisting=[rahim])
    assert unread_count(demo.store, sana) == before[0] + 1
    assert unread_count(demo.store, rahim) == before[1] + 1
    assign(demo, SYSTEM, case.id, version=case.version, lead=sana, assisting=[], reason="leave")
    notes = demo.store.find(Notification, {"user_id": rahim}, sort=[("created_at", -1)])
    assert notes[0].key == "You are no longer a prosecutor of %(case)s."
    assert unread_count(demo.store, sana) == before[0] + 1  # unchanged lead: no new notice
