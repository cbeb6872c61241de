"""Who may see and do what, through HTTP: one test per role × resource, from one table.

Each row is a role (and where it sits relative to the case), each column a
resource. Expectations:

- ``ok``     — allowed: the page, data or action goes through;
- ``hidden`` — the page is allowed but this part is withheld (privileged notes, a
  protected witness's name, search hits, a case missing from the list);
- ``403`` / ``404`` — refused, and the refusal is in the audit trail.

The case is FIR 189/2024 PS Artillery Maidan in Karachi South, led by pp.rahim, with a
protected witness, a privileged note, a document, a bail application, and an acquittal.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from app.bootstrap import build_kernel
from casefiles.approvals import OPEN_STATES, AppealApproval, decide, propose_appeal
from casefiles.matters import MatterInput, create_matter
from casefiles.models import CaseDocument
from casefiles.notes import add_note
from casefiles.parties import PartyInput, add_party
from ingestion.service import upload_document
from ingestion.tasks import process_document
from mizan import outbox
from mizan.accounts.models import User
from mizan.accounts.service import actor_for, create_user
from mizan.actor import SYSTEM
from mizan.audit import AuditEntry
from mizan.kernel import Kernel, set_process_kernel
from tests.casefiles.case_steps import decide as decide_case
from tests.casefiles.case_steps import demo_case
from tests.conftest import DEMO_PASSWORD, Browser, make_settings

SECRET = "Privileged opinion: PW-2 will not support the prosecution."
WITNESS, PSEUDONYM = "Zubair Ahmed Khoso", "PW-7"
GROUNDS = "The ocular account was discarded without any reasons being given."

ROLES = {
    # role → demo username
    "prosecutor_general": "pg.sindh",
    "dpp_of_district": "dpp.south",
    "dpp_other_district": "dpp.east",
    "assigned_prosecutor": "pp.rahim",
    "unassigned_prosecutor": "pp.sana",
    "clerk_of_district": "clerk.south",
    "clerk_other_district": "clerk.east",
    "supervisor": "supervisor",
    "trainer": "trainer",
    "admin": "admin",
}

# Columns: case page, case list, document page, document download, privileged note, protected
# witness identity, break-glass, child matter, approval: propose / recommend / approve, API case,
# API notes, search hits. "hid" = hidden (see the module docstring).
TABLE = """
role                   case list doc  dl   note wit  bg   mat  prop rec  appr api  apin srch
prosecutor_general     ok   ok   ok   ok   ok   hid  ok   ok   403  403  ok   ok   ok   ok
dpp_of_district        ok   ok   ok   ok   ok   hid  ok   ok   403  ok   403  ok   ok   ok
dpp_other_district     404  hid  404  404  404  404  404  404  404  404  404  404  404  hid
assigned_prosecutor    ok   ok   ok   ok   ok   ok   403  ok   ok   403  403  ok   ok   ok
unassigned_prosecutor  404  hid  404  404  404  404  404  404  404  404  404  404  404  hid
clerk_of_district      ok   ok   ok   ok   404  hid  403  ok   403  403  403  ok   hid  ok
clerk_other_district   404  hid  404  404  404  404  404  404  404  404  404  404  404  hid
supervisor             ok   ok   ok   ok   404  hid  403  ok   403  403  403  ok   hid  ok
trainer                404  hid  404  404  404  404  404  404  404  404  404  404  404  hid
admin                  404  hid  404  404  404  404  404  404  404  404  404  404  404  403
"""
RESOURCES = (
    "case_page", "case_list", "document_page", "document_download", "privileged_note",
    "protected_identity", "break_glass", "child_matter", "approval_propose",
    "approval_recommend", "approval_approve", "api_case", "api_notes", "search",
)  # fmt: skip
MATRIX = {
    line.split()[0]: tuple("hidden" if v == "hid" else v for v in line.split()[1:])
    for line in TABLE.strip().splitlines()[1:]
}
CASES = [
    pytest.param(role, resource, row[i], id=f"{role}-{resource}")
    for role, row in MATRIX.items()
    for i, resource in enumerate(RESOURCES)
]
DENIALS = (
    "access.denied",
    "case.access_denied",
    "document.access_denied",
    "matter.access_denied",
    "note.access_denied",
)


@dataclass
class World:
    kernel: Kernel
    app: object
    case_id: str
    reference: str
    document_id: str
    note_id: str
    matter_id: str

    def login(self, username: str) -> Browser:
        b = Browser(self.app)
        assert b.login(username, DEMO_PASSWORD).status_code == 302
        return b

    def actor(self, username: str):
        return actor_for(self.kernel.store.find_one(User, {"username": username}))


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    from app.demo import seed
    from web import create_app

    kernel = build_kernel(make_settings(tmp_path_factory.mktemp("matrix") / "data"))
    set_process_kernel(kernel)
    seed(kernel)
    for username, role, district in (
        ("dpp.east", "district_public_prosecutor", "KHI-E"),
        ("clerk.east", "clerk", "KHI-E"),
    ):
        create_user(
            kernel,
            SYSTEM,
            username=username,
            full_name=username,
            password=DEMO_PASSWORD,
            roles=[role],
            district=district,
        )
    case = demo_case(kernel)
    rahim = actor_for(kernel.store.find_one(User, {"username": "pp.rahim"}))
    add_party(
        kernel,
        rahim,
        case.id,
        version=case.version,
        data=PartyInput(role="witness", name=WITNESS, protected=True, pseudonym=PSEUDONYM),
    )
    doc = upload_document(
        kernel,
        rahim,
        case.id,
        filename="memo.txt",
        stream=io.BytesIO(b"Recovery memo: the motorcycle was a Honda CD70."),
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
            filed_on=__import__("datetime").date(2025, 2, 1),
        ),
    )
    case = decide_case(kernel, demo_case(kernel))
    app = create_app(kernel.settings, kernel=kernel)
    app.config["TESTING"] = True
    yield World(kernel, app, case.id, case.reference, doc.id, note.id, matter.id)
    set_process_kernel(None)
    kernel.close()


# -- how each resource is tried -------------------------------------------------------------


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _get(path: str) -> Callable:
    def run(w: World, b: Browser, username: str):
        return b.get(path.format(w=w)).status_code, None

    return run


def _case_list(w: World, b: Browser, username: str):
    response = b.get("/cases/")
    return response.status_code, w.reference in _text(response)


def _privileged_note(w: World, b: Browser, username: str):
    status = b.get(f"/notes/{w.note_id}").status_code
    page = b.get(f"/cases/{w.case_id}")
    if page.status_code == 200:  # withheld from the case page and its timeline too
        assert (SECRET in _text(page)) == (status == 200), username
    return status, None


def _protected_identity(w: World, b: Browser, username: str):
    response = b.get(f"/cases/{w.case_id}")
    if response.status_code != 200:
        return response.status_code, None
    page = _text(response)
    assert PSEUDONYM in page
    api = b.get(f"/api/v1/cases/{w.case_id}").get_data(as_text=True)
    assert (WITNESS in api) == (WITNESS in page), username
    return 200, WITNESS in page


def _break_glass(w: World, b: Browser, username: str):
    response = b.client.post(
        f"/cases/{w.case_id}/break-glass",
        data={
            "reason": "Threat assessment requested by the court.",
            "csrf_token": b.token("/account/"),
        },
    )
    if response.status_code == 200:
        assert WITNESS in _text(response)
        assert (
            w.kernel.store.count(
                AuditEntry, {"action": "case.protected_identities_viewed", "actor_name": username}
            )
            >= 1
        )
    return response.status_code, None


def _child_matter(w: World, b: Browser, username: str):
    return b.get(f"/matters/{w.matter_id}").status_code, None


def _close_open_approvals(w: World) -> None:
    """Test set-up only: end earlier proposals so the next test starts clean."""
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


def _approval_propose(w: World, b: Browser, username: str):
    _close_open_approvals(w)
    before = w.kernel.store.count(AppealApproval, {})
    response = b.client.post(
        f"/cases/{w.case_id}/appeal-approval",
        data={
            "appeal-grounds": GROUNDS,
            "appeal-forum": "high_court",
            "csrf_token": b.token("/account/"),
        },
    )
    created = w.kernel.store.count(AppealApproval, {}) - before
    assert created == (1 if response.status_code == 302 else 0)
    return response.status_code, None


def _decision(action: str, recommended: bool) -> Callable:
    def run(w: World, b: Browser, username: str):
        approval = _proposal(w, recommended=recommended)
        response = b.client.post(
            f"/approvals/{approval.id}/decide",
            data={
                "action": action,
                "reason": "Decided on the record.",
                "version": approval.version,
                "csrf_token": b.token("/account/"),
            },
        )
        state = w.kernel.store.get(AppealApproval, approval.id).state
        assert (state != approval.state) == (response.status_code == 302), (username, state)
        return response.status_code, None

    return run


def _api_notes(w: World, b: Browser, username: str):
    response = b.get(f"/api/v1/cases/{w.case_id}/notes")
    if response.status_code != 200:
        return response.status_code, None
    return 200, SECRET in response.get_data(as_text=True)


def _search(w: World, b: Browser, username: str):
    response = b.get("/search/?q=motorcycle")
    if response.status_code != 200:
        return response.status_code, None
    # Shown = the document is among the hits (in the default, hybrid, mode).
    return 200, f"/documents/{w.document_id}" in response.get_data(as_text=True)


TRY: dict[str, Callable] = {
    "case_page": _get("/cases/{w.case_id}"),
    "case_list": _case_list,
    "document_page": _get("/documents/{w.document_id}"),
    "document_download": _get("/documents/{w.document_id}/download"),
    "privileged_note": _privileged_note,
    "protected_identity": _protected_identity,
    "break_glass": _break_glass,
    "child_matter": _child_matter,
    "approval_propose": _approval_propose,
    "approval_recommend": _decision("recommend", recommended=False),
    "approval_approve": _decision("approve", recommended=True),
    "api_case": _get("/api/v1/cases/{w.case_id}"),
    "api_notes": _api_notes,
    "search": _search,
}


def _denials(w: World, username: str) -> int:
    return w.kernel.store.count(
        AuditEntry, {"actor_name": username, "action": {"$in": list(DENIALS)}}
    )


@pytest.mark.parametrize(("role", "resource", "expected"), CASES)
def test_access(world: World, role: str, resource: str, expected: str) -> None:
    username = ROLES[role]
    b = world.login(username)
    before = _denials(world, username)
    status, shown = TRY[resource](world, b, username)
    denied_audited = _denials(world, username) > before
    if expected in ("403", "404"):
        assert status == int(expected), (role, resource, status)
        assert denied_audited, f"{role} was refused {resource} but no audit entry was written"
        return
    assert status in (200, 302), (role, resource, status)
    assert not denied_audited, (role, resource)
    if shown is not None:
        assert shown == (expected == "ok"), (role, resource, expected)


def test_every_role_and_resource_is_in_the_table() -> None:
    assert set(MATRIX) == set(ROLES)
    assert all(len(row) == len(RESOURCES) for row in MATRIX.values())
