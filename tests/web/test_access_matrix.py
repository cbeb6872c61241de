"""The product walked against the access matrix (``tests/web/access_matrix.py``).

One seeded province (Karachi South with the case, Karachi East, Hyderabad), every actor
signed in once; each row of the table is tried for every actor through the Flask test
client and the outcome seen is compared with the one written down. A row's probe returns
the outcome it saw (``ok``, ``hid``, ``403`` …); refusals must also be in the audit trail.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from app.bootstrap import build_kernel
from app.demo_learning import seed_demo_course
from casefiles.approvals import OPEN_STATES, AppealApproval, decide, propose_appeal
from casefiles.assignment import add_posting
from casefiles.calendar_tokens import issue_calendar_token
from casefiles.cause_list_reviews import stage_cause_list
from casefiles.hearing_service import schedule_hearing
from casefiles.hearings import NewHearing
from casefiles.letters import list_templates
from casefiles.matters import MatterInput, create_matter
from casefiles.models import Case, CaseDocument
from casefiles.monthly_reports import MonthlyReport, previous_month
from casefiles.notes import add_note
from casefiles.parties import PartyInput, add_party
from casefiles.police_messages import request_from_police
from casefiles.service import assign
from ingestion.service import upload_document
from ingestion.tasks import process_document
from learning import case_studies
from learning.case_study_models import CaseStudy
from learning.enrolment import self_enrol
from learning.quizzes import start_attempt
from learning.reading import ordered_lessons
from learning.releases import newest_release
from library import bookmarks
from library.act_import import import_act_text
from library.seed import SAMPLE_DIR
from mizan import outbox
from mizan.accounts.integrations import create_integration
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for, create_user, update_user
from mizan.actor import SYSTEM
from mizan.audit import AuditEntry
from mizan.clock import pakistan_today, utc_naive_now
from mizan.kernel import Kernel, set_process_kernel
from mizan.notifications import Notification
from search.saved import SavedSearch, save_search
from tests.casefiles.case_steps import decide as decide_case
from tests.casefiles.case_steps import demo_case
from tests.conftest import DEMO_PASSWORD, Browser, make_settings
from tests.web.access_matrix import ACTORS, MATRIX, ROWS, Row, splice

SECRET = "Privileged opinion: PW-2 will not support the prosecution."
WITNESS, PSEUDONYM = "Zubair Ahmed Khoso", "PW-7"
ATC = "ATC-XII Karachi"
ACCUSED = "Qurban Ali Lashari"
GROUNDS = "The ocular account was discarded without any reasons being given."
#: A word found only in the case's document, so any hit, count or snippet of it is a leak.
MARKER = "quindecagon"
ALERT_NAME = "Quindecagon watch"
STUDY = "Acquittal on a discarded ocular account"
POLICE_TEXT = "Produce the recovered Honda CD70 before the court."
DENIALS = (
    "access.denied",
    "case.access_denied",
    "collection.access_denied",
    "cause_list.access_denied",
    "document.access_denied",
    "learning.attempt.access_denied",
    "learning.case_study.access_denied",
    "monthly_report.access_denied",
    "matter.access_denied",
    "note.access_denied",
    "notification.access_denied",
    "saved_search.access_denied",
)
#: Rows whose refusals are not audited, and why.
UNAUDITED = {
    "case.forged-id": "the id names nothing that exists",
    "course.page": "a course outside one's audience is not a case file (learning's own 404)",
    "lesson.page": "as the course: the catalogue hides what is not for one's audience",
    "quiz.page": "as the course: the catalogue hides what is not for one's audience",
}
FIR = {
    "police_station": "Preedy",
    "fir_number": 77,
    "fir_year": 2025,
    "registered_at": "2025-03-03T10:30:00+05:00",
    "sections": "324/34 PPC",
    "accused": [{"name": "Akbar @ Kaka", "parentage": "s/o Noor Muhammad"}],
}
ROOT = Path(__file__).resolve().parents[2]
PPC_SAMPLE = SAMPLE_DIR / "ppc_sample.md"


@dataclass
class World:
    kernel: Kernel
    app: object
    case_id: str
    reference: str
    document_id: str
    job_id: str
    note_id: str
    matter_id: str
    hearing_id: str
    deadline_case_id: str
    deadline_reference: str
    notification_id: str
    token: str
    course_id: str
    feeds: dict[str, str]
    res: Resources
    browsers: dict[str, Browser] = field(default_factory=dict)

    def browser(self, code: str) -> Browser:
        """The actor's signed-in browser (one sign-in per actor for the whole module)."""
        if code not in self.browsers:
            b = Browser(self.app)
            if code == "api":  # the police system: a token, no web session
                b.client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
            else:
                assert b.login(ACTORS[code][0], DEMO_PASSWORD).status_code == 302
            self.browsers[code] = b
        return self.browsers[code]

    def actor(self, username: str):
        return actor_for(self.kernel.store.find_one(User, {"username": username}))


def _new_user(kernel: Kernel, username: str, role: str, district: str | None) -> None:
    create_user(
        kernel,
        SYSTEM,
        username=username,
        full_name=username,
        password=DEMO_PASSWORD,
        roles=[role],
        district=district,
    )


@dataclass
class Resources:
    """The records of the later rows: learning, library, reports, files and the police."""

    private_collection_id: str
    shared_collection_id: str
    lesson_id: str
    attempt_id: str
    published_study_id: str
    draft_study_id: str
    monthly_report_id: str
    cause_list_id: str
    letter_template_id: str
    scan_id: str
    police_text: str
    other_police_token: str


def _scan() -> bytes:
    """A small scanned page (PNG) with a few words, so its page image can be asked for."""
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", size=36)
    image = Image.new("L", (1200, 110), 255)
    ImageDraw.Draw(image).text((36, 36), "Site plan of the place of occurrence", font=font)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


def _published_study(kernel: Kernel, trainer, case_id: str) -> str:
    """A study of the case, every redaction accepted, published for Karachi South only."""
    study = case_studies.draft_case_study(kernel, trainer, case_id)
    study = case_studies.edit_case_study(
        kernel, trainer, study.id, version=study.version, title=STUDY, districts=["KHI-S"]
    )
    for label in case_studies.pending_labels(study):
        study = case_studies.accept_label(
            kernel, trainer, study.id, version=study.version, label=label
        )
    return case_studies.publish_case_study(kernel, trainer, study.id, version=study.version).id


def _filed_return(kernel: Kernel, scope: str, name: str) -> MonthlyReport:
    """A district's filed monthly return. Stored directly: the worker's filing builds every
    district's reports (~10 s of CPU here), and the row is about who may download one."""
    record = MonthlyReport(
        month=previous_month(pakistan_today()),
        scope=scope,
        scope_name=name,
        figures=[],
        pdf=kernel.blobs.put_bytes(b"%PDF-1.4 monthly return"),
        xlsx=kernel.blobs.put_bytes(b"PK monthly return"),
        created_at=utc_naive_now(),
    )
    kernel.store.insert(record)
    return record


def _seed_resources(kernel: Kernel, actors: dict, case: Case, course_id: str) -> Resources:
    rahim, trainer = actors["pp"], actors["trainer"]
    private = bookmarks.create_collection(kernel, rahim, "Rahim's own reading")
    shared = bookmarks.create_collection(kernel, rahim, "Artillery Maidan research")
    bookmarks.attach_case(kernel, rahim, shared.id, case.id)
    for code, (username, _who) in ACTORS.items():
        if code not in ("pp", "api"):
            bookmarks.share(kernel, rahim, shared.id, username)
    release = newest_release(kernel, course_id)
    assert release is not None
    self_enrol(kernel, rahim, course_id)
    attempt = start_attempt(kernel, rahim, course_id)
    draft = case_studies.draft_case_study(kernel, actors["dpp"], case.id)
    monthly = _filed_return(kernel, "KHI-S", "Karachi South")
    cause_list = stage_cause_list(
        kernel,
        actors["clerk"],
        [{"case_number": "338/2024", "parties": f"State v. {ACCUSED}", "purpose": "arguments"}],
        court="Sessions Court Karachi South",
        day=(pakistan_today() + dt.timedelta(days=7)).isoformat(),
    )
    scan = upload_document(
        kernel, rahim, case.id, filename="site-plan.png", stream=io.BytesIO(_scan())
    )
    process_document(kernel, scan.job_id)
    request_from_police(kernel, rahim, case.id, kind="produce_property", text=POLICE_TEXT)
    _other, other_token = create_integration(
        kernel, SYSTEM, name="Hyderabad police", kind="police", districts=["HYD"]
    )
    return Resources(
        private.id,
        shared.id,
        ordered_lessons(release)[0].lesson_id,
        attempt.id,
        _published_study(kernel, trainer, case.id),
        draft.id,
        monthly.id,
        cause_list.id,
        list_templates(kernel)[0].id,
        scan.id,
        POLICE_TEXT,
        other_token,
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    from app.demo import seed
    from web import create_app

    kernel = build_kernel(make_settings(tmp_path_factory.mktemp("matrix") / "data"))
    set_process_kernel(kernel)
    seed(kernel)
    _new_user(kernel, "dpp.east", "district_public_prosecutor", "KHI-E")
    _new_user(kernel, "clerk.east", "clerk", "KHI-E")
    users = {code: name for code, (name, _) in ACTORS.items() if code != "api"}
    actors = {c: actor_for(kernel.store.find_one(User, {"username": u})) for c, u in users.items()}
    for who in actors.values():  # saved before the document arrives, so it alerts
        with contextlib.suppress(PermissionDenied):  # those who may not search
            save_search(kernel, who, name=ALERT_NAME, query=MARKER, mode="keyword")
    case = demo_case(kernel)
    rahim = actors["pp"]
    add_party(
        kernel,
        rahim,
        case.id,
        version=case.version,
        data=PartyInput(role="witness", name=WITNESS, protected=True, pseudonym=PSEUDONYM),
    )
    case = demo_case(kernel)
    add_party(kernel, rahim, case.id, version=case.version, data=PartyInput("accused", ACCUSED))
    doc = upload_document(
        kernel,
        rahim,
        case.id,
        filename="memo.txt",
        stream=io.BytesIO(f"Recovery memo: a {MARKER} stamp on the Honda CD70.".encode()),
    )
    process_document(kernel, doc.job_id)
    outbox.drain(kernel)
    assert kernel.store.get(CaseDocument, doc.id).state == "ready"
    note = add_note(kernel, rahim, case.id, text=SECRET, privileged=True)
    matter = create_matter(
        kernel,
        rahim,
        case.id,
        MatterInput(
            kind="bail_post_arrest",
            forum="sessions_court",
            number="Crl. Bail Application No. 77 of 2025",
            filed_on=dt.date(2025, 2, 1),
        ),
    )
    tomorrow = dt.datetime.combine(pakistan_today() + dt.timedelta(days=1), dt.time(4, 30))
    hearing = schedule_hearing(
        kernel,
        rahim,
        case.id,
        NewHearing(starts_at=tomorrow, court="Sessions Court Karachi South", purpose="arguments"),
    )
    case = decide_case(kernel, demo_case(kernel))
    later = demo_case(kernel, "Darakhshan")  # under investigation: its challan is overdue
    later = _assign(kernel, later, lead=rahim.user_id, assisting=[])
    outbox.drain(kernel)
    alert = kernel.store.find_one(Notification, {"user_id": rahim.user_id, "kind": "search"})
    assert alert is not None, "the assigned prosecutor's alert was not sent"
    _integration, token = create_integration(
        kernel, SYSTEM, name="Sindh Police PSRMS", kind="police", districts=["KHI-S"]
    )
    import_act_text(kernel, SYSTEM, PPC_SAMPLE.read_text(), code="ppc", title="Pakistan Penal Code")
    course_id = seed_demo_course(kernel)
    add_posting(kernel, SYSTEM, rahim.user_id, ATC, atc=True)
    resources = _seed_resources(kernel, actors, case, course_id)
    outbox.drain(kernel)

    feeds = {code: issue_calendar_token(kernel, who) for code, who in actors.items()}
    app = create_app(kernel.settings, kernel=kernel)
    app.config["TESTING"] = True
    yield World(
        kernel,
        app,
        case.id,
        case.reference,
        doc.id,
        doc.job_id,
        note.id,
        matter.id,
        hearing.id,
        later.id,
        later.reference,
        alert.id,
        token,
        course_id,
        feeds,
        resources,
    )
    set_process_kernel(None)
    kernel.close()


# -- how each row is tried: a probe returns the outcome it saw -----------------------------------

Probe = Callable[[World, Browser, str], str]


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _outcome(response) -> str:
    """The outcome a plain request shows: ok, login, or the refusal's status."""
    if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
        return "login"
    if response.status_code in (200, 201, 302):
        return "ok"
    return str(response.status_code)


def _shown(response, present: Callable[[str], bool]) -> str:
    """``ok`` or ``hid`` when the page answered, else the refusal."""
    seen = _outcome(response)
    if seen != "ok":
        return seen
    return "ok" if present(_text(response)) else "hid"


def _get(path: str) -> Probe:
    def run(w: World, b: Browser, code: str) -> str:
        return _outcome(b.get(path.format(w=w)))

    return run


def _case_list(w: World, b: Browser, code: str) -> str:
    return _shown(b.get("/cases/"), lambda page: w.reference in page)


def _csrf(b: Browser) -> str:
    """A CSRF token for a POST (the integration has no session and so no token)."""
    page = b.get("/account/")
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    return match.group(1) if match else ""


def _case_edit(w: World, b: Browser, code: str) -> str:
    return _outcome(b.get(f"/cases/{w.case_id}/fir"))


def _witness(w: World, b: Browser, code: str) -> str:
    response = b.get(f"/cases/{w.case_id}")
    seen = _shown(response, lambda page: WITNESS in page)
    if seen in ("ok", "hid"):
        assert PSEUDONYM in _text(response), code
        api = b.get(f"/api/v1/cases/{w.case_id}").get_data(as_text=True)
        assert (WITNESS in api) == (seen == "ok"), f"{code}: the API disagrees with the page"
    return seen


def _break_glass(w: World, b: Browser, code: str) -> str:
    response = b.client.post(
        f"/cases/{w.case_id}/break-glass",
        data={"reason": "Threat assessment requested by the court.", "csrf_token": _csrf(b)},
    )
    seen = _outcome(response)
    if seen == "ok":
        assert WITNESS in _text(response)
        viewed = {"action": "case.protected_identities_viewed", "actor_name": ACTORS[code][0]}
        assert w.kernel.store.count(AuditEntry, viewed) >= 1, "a reveal was not audited"
    return seen


def _note_on_case_page(w: World, b: Browser, code: str) -> str:
    return _shown(b.get(f"/cases/{w.case_id}"), lambda page: SECRET in page)


def _note_api(w: World, b: Browser, code: str) -> str:
    response = b.get(f"/api/v1/cases/{w.case_id}/notes")
    return _shown(response, lambda body: SECRET in body)


def _ical(w: World, b: Browser, code: str) -> str:
    if code == "api":  # no account, so no calendar link: the sign-in page for the link page
        return _outcome(b.get("/hearings/ical"))
    response = b.client.get(f"/hearings/ical/{w.feeds[code]}.ics")
    return _shown(response, lambda body: w.reference in body)


def _deadlines(w: World, b: Browser, code: str) -> str:
    response = b.get("/deadlines/", follow_redirects=True)
    if code == "api":
        return "login" if "/login" in response.request.path else _outcome(response)
    return _shown(response, lambda page: w.deadline_reference in page)


def _close_open_approvals(w: World) -> None:
    """Set-up only: end earlier proposals so the next try starts clean."""
    store = w.kernel.store
    for approval in store.find(AppealApproval, {"state": {"$in": [*OPEN_STATES, "approved"]}}):
        approval.state = "declined"
        store.replace(approval)


def _proposal(w: World, *, recommended: bool) -> AppealApproval:
    _close_open_approvals(w)
    approval = propose_appeal(w.kernel, w.actor("pp.rahim"), w.case_id, grounds=GROUNDS)
    if recommended:
        approval = decide(
            w.kernel,
            w.actor("dpp.south"),
            approval.id,
            version=approval.version,
            action="recommend",
            reason="Recommended.",
        )
    return approval


def _approval_page(w: World, b: Browser, code: str) -> str:
    return _outcome(b.get(f"/approvals/{_proposal(w, recommended=False).id}"))


def _approval_propose(w: World, b: Browser, code: str) -> str:
    _close_open_approvals(w)
    before = w.kernel.store.count(AppealApproval, {})
    response = b.client.post(
        f"/cases/{w.case_id}/appeal-approval",
        data={"appeal-grounds": GROUNDS, "appeal-forum": "high_court", "csrf_token": _csrf(b)},
    )
    seen = _outcome(response)
    created = w.kernel.store.count(AppealApproval, {}) - before
    assert created == (1 if seen == "ok" else 0), code
    return seen


def _decision(action: str, recommended: bool) -> Probe:
    def run(w: World, b: Browser, code: str) -> str:
        approval = _proposal(w, recommended=recommended)
        response = b.client.post(
            f"/approvals/{approval.id}/decide",
            data={
                "action": action,
                "reason": "Decided on the record.",
                "version": approval.version,
                "csrf_token": _csrf(b),
            },
        )
        seen = _outcome(response)
        state = w.kernel.store.get(AppealApproval, approval.id).state
        assert (state != approval.state) == (seen == "ok"), (code, state)
        return seen

    return run


def _open_notification(w: World, b: Browser, code: str) -> str:
    response = b.client.post(
        f"/notifications/{w.notification_id}/open", data={"csrf_token": _csrf(b)}
    )
    return _outcome(response)


def _saved_alert(w: World, b: Browser, code: str) -> str:
    if code == "admin":  # may not search, so could not save one: the saving is refused
        response = b.post("/search/saved", {"name": ALERT_NAME, "q": MARKER}, form_url="/account/")
        return _outcome(response)
    return _shown(b.get("/notifications/"), lambda page: ALERT_NAME in page)


def _saved_delete(w: World, b: Browser, code: str) -> str:
    """Delete pp.rahim's saved search by its id; it is put back after a successful try."""
    store = w.kernel.store
    rahim = w.actor("pp.rahim")
    saved = store.find_one(SavedSearch, {"owner_id": rahim.user_id})
    if saved is None:
        saved = save_search(w.kernel, rahim, name=ALERT_NAME, query=MARKER, mode="keyword")
    response = b.client.post(f"/search/saved/{saved.id}/delete", data={"csrf_token": _csrf(b)})
    seen = _outcome(response)
    if seen == "ok" and store.find_one(SavedSearch, {"_id": saved.id}) is not None:
        return "no"
    return seen


def _search(present: Callable[[World, str], bool], query: str = MARKER) -> Probe:
    def run(w: World, b: Browser, code: str) -> str:
        response = b.get("/search/", query_string={"q": query, "mode": "keyword"})
        return _shown(response, lambda page: present(w, page))

    return run


def _count(page: str) -> int:
    match = re.search(r'class="muted result-count">(\d+) result', page)
    assert match, "no result count on the search page"
    return int(match.group(1))


def _facet_counts(w: World, b: Browser, code: str) -> str:
    """Only filters, no words: the district facet and the total of case documents."""
    response = b.get("/search/", query_string={"kind": "document", "mode": "keyword"})
    seen = _outcome(response)
    if seen != "ok":
        return seen
    page = _text(response)
    facets = page.split('class="facets"', 1)[1].split("</aside>", 1)[0]
    listed = "Karachi South" in facets
    assert listed == (_count(page) > 0), f"{code}: facets and count disagree"
    return "ok" if listed else "hid"


def _disposed(csv: str) -> int:
    """The total of the report's Disposed column: the case is the only one decided."""
    total = next(line for line in csv.splitlines() if line.startswith("Total,"))
    return int(total.split(",")[2])


def _report_export(w: World, b: Browser, code: str) -> str:
    response = b.get("/reports/export.csv", query_string={"slice": "district"})
    return _shown(response, lambda body: _disposed(body) > 0)


def _intake(district: str) -> Probe:
    def run(w: World, b: Browser, code: str) -> str:
        record = {**FIR, "district": district}
        seen = _outcome(b.client.post("/api/v1/firs", json=record))
        made = w.kernel.store.count(Case, {"district": district, "fir.police_station": "Preedy"})
        assert made == (1 if seen == "ok" else 0), (code, district, made)
        return seen

    return run


def _posting(w: World, b: Browser, code: str) -> str:
    return _shown(b.get("/postings/"), lambda page: ATC in page)


def _persons(w: World, b: Browser, code: str) -> str:
    response = b.get("/persons/", query_string={"q": ACCUSED})
    return _shown(response, lambda page: w.reference in page)


def _case_study_draft(w: World, b: Browser, code: str) -> str:
    before = w.kernel.store.count(CaseStudy, {})
    response = b.client.post(
        "/learning/case-studies/new", data={"case_id": w.case_id, "csrf_token": _csrf(b)}
    )
    seen = _outcome(response)
    made = w.kernel.store.count(CaseStudy, {}) - before
    if seen == "ok" and not made:
        return "no"
    return seen


def _shared_collection(w: World, b: Browser, code: str) -> str:
    """The collection opens for everyone it is shared with; the case only for its readers."""
    response = b.get(f"/library/collections/{w.res.shared_collection_id}")
    seen = _shown(response, lambda page: w.reference in page)
    if seen == "hid":
        page = _text(response)
        assert ACCUSED not in page and w.case_id not in page, f"{code}: the case leaks"
    return seen


def _scorecard(w: World, b: Browser, code: str) -> str:
    return _outcome(b.get(f"/reports/prosecutors/{w.actor('pp.rahim').user_id}"))


def _letter_download(w: World, b: Browser, code: str) -> str:
    response = b.client.post(
        f"/cases/{w.case_id}/letters/{w.res.letter_template_id}/download",
        data={"format": "docx", "csrf_token": _csrf(b)},
    )
    seen = _outcome(response)
    if seen == "ok":
        assert response.headers["Content-Disposition"].startswith("attachment"), code
    return seen


def _police_feed(w: World, b: Browser, code: str) -> str:
    """The case's district's police system reads the request; another district's never."""
    response = b.get("/api/v1/police/messages")
    seen = _shown(response, lambda body: w.res.police_text in body)
    if code == "api":
        other = Browser(w.app)
        other.client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {w.res.other_police_token}"
        elsewhere = other.get("/api/v1/police/messages")
        assert elsewhere.status_code == 200 and w.res.police_text not in _text(elsewhere)
    return seen


PROBES: dict[str, Probe] = {
    "case.page": _get("/cases/{w.case_id}"),
    "case.list": _case_list,
    "case.api": _get("/api/v1/cases/{w.case_id}"),
    "case.edit": _case_edit,
    "case.forged-id": _get("/cases/0123456789abcdef01234567"),
    "witness.identity": _witness,
    "witness.break-glass": _break_glass,
    "document.page": _get("/documents/{w.document_id}"),
    "document.download": _get("/documents/{w.document_id}/download"),
    "document.job": _get("/jobs/{w.job_id}.json"),
    "note.page": _get("/notes/{w.note_id}"),
    "note.case-page": _note_on_case_page,
    "note.api": _note_api,
    "hearing.page": _get("/hearings/{w.hearing_id}"),
    "hearing.case": _get("/hearings/case/{w.case_id}"),
    "hearing.ical": _ical,
    "deadline.list": _deadlines,
    "matter.page": _get("/matters/{w.matter_id}"),
    "matter.api": _get("/api/v1/matters/{w.matter_id}"),
    "approval.page": _approval_page,
    "approval.propose": _approval_propose,
    "approval.recommend": _decision("recommend", recommended=False),
    "approval.approve": _decision("approve", recommended=True),
    "notification.open": _open_notification,
    "saved.alert": _saved_alert,
    "saved.delete": _saved_delete,
    "search.hits": _search(lambda w, page: f"/documents/{w.document_id}" in page),
    "search.count": _search(lambda w, page: _count(page) > 0),
    "search.facets": _facet_counts,
    "search.snippets": _search(lambda w, page: "Honda" in page),
    "precedents.case": _get("/precedents/case/{w.case_id}"),
    "letters.case": _get("/cases/{w.case_id}/letters"),
    "report.export": _report_export,
    "intake.fir": _intake("KHI-S"),
    "intake.fir-x": _intake("HYD"),
    "posting.list": _posting,
    "persons.index": _persons,
    "library.section": _get("/library/ppc/302"),
    "course.page": _get("/learning/courses/{w.course_id}"),
    "case_study.draft": _case_study_draft,
    "audit.page": _get("/admin/audit"),
    "collection.private": _get("/library/collections/{w.res.private_collection_id}"),
    "collection.shared": _shared_collection,
    "lesson.page": _get("/learning/courses/{w.course_id}/lessons/{w.res.lesson_id}"),
    "quiz.page": _get("/learning/courses/{w.course_id}/quiz"),
    "quiz.attempt": _get("/learning/courses/{w.course_id}/quiz/attempts/{w.res.attempt_id}"),
    "case_study.published": _get("/learning/case-studies/{w.res.published_study_id}"),
    "case_study.draft-page": _get("/learning/case-studies/{w.res.draft_study_id}"),
    "dashboard.district": _get("/dashboard/?district=KHI-S"),
    "scorecard.page": _scorecard,
    "monthly.file": _get("/reports/monthly/{w.res.monthly_report_id}.pdf"),
    "page.image": _get("/documents/{w.res.scan_id}/pages/1/image"),
    "letter.download": _letter_download,
    "cause_list.review": _get("/cause-lists/{w.res.cause_list_id}"),
    "police.feed": _police_feed,
}


def _denials(w: World, username: str) -> int:
    return w.kernel.store.count(
        AuditEntry, {"actor_name": username, "action": {"$in": list(DENIALS)}}
    )


@pytest.mark.parametrize("row", MATRIX, ids=[row.key for row in MATRIX])
def test_row(world: World, row: Row) -> None:
    """Every actor gets exactly the row's outcome; a refusal of a case's part is audited."""
    wrong = []
    for code, expected in row.outcomes.items():
        b = world.browser(code)
        username = ACTORS[code][0]
        before = _denials(world, username)
        seen = PROBES[row.key](world, b, code)
        if seen != expected:
            wrong.append(f"{code}: expected {expected}, saw {seen}")
        elif (
            seen in ("403", "404", "no")
            and code != "api"
            and row.key not in UNAUDITED
            and _denials(world, username) == before
        ):
            wrong.append(f"{code}: refused ({seen}) but the refusal is not in the audit trail")
    assert not wrong, f"{row.key}: " + "; ".join(wrong)


def _leaks(w: World, b: Browser, case_id: str, reference: str) -> list[str]:
    """Every channel that still shows the case (empty when none does)."""
    found = []
    if b.get(f"/cases/{case_id}").status_code != 404:
        found.append("case page")
    if reference in _text(b.get("/cases/")):
        found.append("case list")
    if b.get(f"/api/v1/cases/{case_id}").status_code != 404:
        found.append("API")
    words = {"q": reference.split()[1], "mode": "keyword", "kind": "case"}
    if _count(_text(b.get("/search/", query_string=words))):
        found.append("search count")
    return found


def _move(kernel: Kernel, username: str, district: str) -> None:
    user = kernel.store.find_one(User, {"username": username})
    update_user(
        kernel,
        SYSTEM,
        user.id,
        version=user.version,
        full_name=user.full_name,
        roles=list(user.roles),
        district=district,
        active=True,
    )


def _assign(kernel: Kernel, case: Case, *, lead: str | None, assisting: list[str]) -> Case:
    return assign(
        kernel,
        SYSTEM,
        case.id,
        version=case.version,
        lead=lead,
        assisting=assisting,
        reason="Posting changed.",
    )


def test_a_posting_changed_mid_session_takes_effect_at_once(world: World) -> None:
    """A DPP moved to another district, and a prosecutor taken off a case, while signed in:
    their very next request no longer shows the case, on any channel."""
    kernel = world.kernel
    _new_user(kernel, "dpp.moving", "district_public_prosecutor", "KHI-S")
    _new_user(kernel, "pp.moving", "prosecutor", "KHI-S")
    case = kernel.store.get(Case, world.deadline_case_id)
    moving = kernel.store.find_one(User, {"username": "pp.moving"})
    case = _assign(kernel, case, lead=case.lead_prosecutor, assisting=[moving.id])
    outbox.drain(kernel)
    dpp, pp = Browser(world.app), Browser(world.app)
    assert dpp.login("dpp.moving").status_code == pp.login("pp.moving").status_code == 302
    for b in (dpp, pp):
        assert len(_leaks(world, b, case.id, case.reference)) == 4, "the set-up is wrong"

    _move(kernel, "dpp.moving", "KHI-E")
    case = _assign(kernel, case, lead=case.lead_prosecutor, assisting=[])
    outbox.drain(kernel)

    for b in (dpp, pp):
        assert b.get("/account/").status_code == 200  # still signed in: the same session
        assert _leaks(world, b, case.id, case.reference) == []


def test_a_hidden_case_and_a_missing_one_answer_alike(world: World) -> None:
    """An id changed by hand learns nothing: someone else's case and no case at all give
    the same 404 page and the same API answer."""
    b = world.browser("pp-x")
    missing = "0123456789abcdef01234567"
    for path in ("/cases/{}", "/api/v1/cases/{}", "/precedents/case/{}"):
        hidden, absent = b.get(path.format(world.case_id)), b.get(path.format(missing))
        assert hidden.status_code == absent.status_code == 404
        assert hidden.get_data().replace(world.case_id.encode(), b"") == absent.get_data().replace(
            missing.encode(), b""
        )


def test_someone_elses_record_and_a_missing_one_answer_alike(world: World) -> None:
    """The later rows' records, asked for by id by someone who may not see them, answer
    exactly as an id that names nothing: a collection, a quiz attempt, a draft study, a
    monthly return, a cause list and a page image."""
    missing = "0123456789abcdef01234567"
    r = world.res
    tries = [
        ("pp-x", "/library/collections/{}", r.private_collection_id),
        ("pp-x", f"/learning/courses/{world.course_id}/quiz/attempts/{{}}", r.attempt_id),
        ("pp-x", "/learning/case-studies/{}", r.draft_study_id),
        ("dpp-x", "/reports/monthly/{}.pdf", r.monthly_report_id),
        ("clerk-x", "/cause-lists/{}", r.cause_list_id),
        ("pp-x", "/documents/{}/pages/1/image", r.scan_id),
    ]
    for code, path, hidden_id in tries:
        b = world.browser(code)
        hidden, absent = b.get(path.format(hidden_id)), b.get(path.format(missing))
        assert hidden.status_code == absent.status_code == 404, path
        shown = hidden.get_data().replace(hidden_id.encode(), b"")
        assert shown == absent.get_data().replace(missing.encode(), b""), path
    # A colleague's scorecard is refused (403, audited) as a made-up prosecutor id is, so
    # the refusal does not tell whether the id is someone's.
    rahim = world.actor("pp.rahim").user_id
    for code in ("dpp-x", "pp-x", "clerk", "trainer"):
        b = world.browser(code)
        colleague, made_up = (
            b.get(f"/reports/prosecutors/{rahim}"),
            b.get(f"/reports/prosecutors/{missing}"),
        )
        assert colleague.status_code == made_up.status_code == 403, code
        assert colleague.get_data() == made_up.get_data(), code


def test_every_row_has_a_probe() -> None:
    assert set(PROBES) == set(ROWS)


def test_security_document_carries_the_matrix() -> None:
    """docs/security.md is regenerated from the table (scripts/render_access_matrix.py)."""
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert splice(doc) == doc, "stale: run scripts/render_access_matrix.py"
    assert "| Case | page: open the case file | ok | ok | 404 |" in doc
