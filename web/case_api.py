"""Read-only JSON for signed-in users (``/api/v1/cases/…``, ``/api/v1/matters/…``).

The same services and policy as the pages decide what is returned: a case one
may not see is a 404 (audited by ``get_case``), privileged notes are left out
for clerks and supervisors, protected witnesses are given by pseudonym.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user

from casefiles.matters import Matter, MatterNotFound, get_matter, matters_for_case
from casefiles.models import Case
from casefiles.notes import CaseNote, notes_for_case
from casefiles.parties import sees_protected_identities
from casefiles.protected_identities import reveal_identities
from casefiles.service import CaseNotFound, get_case
from web.support import actor, kernel

bp = Blueprint("case_api", __name__, url_prefix="/api/v1")


def signed_in(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if not current_user.is_authenticated:
            return jsonify({"error": "Sign in first (these endpoints use the web session)."}), 401
        return view(*args, **kwargs)

    return wrapped


def _not_found() -> ResponseReturnValue:
    return jsonify({"error": "Not found, or you do not have access to it."}), 404


def _matter(m: Matter) -> dict:
    return {
        "id": m.id,
        "kind": m.kind,
        "forum": m.forum,
        "court": m.court,
        "number": m.number.canonical if m.number else None,
        "number_raw": m.number.raw if m.number else None,
        "filed_on": m.filed_on.date().isoformat() if m.filed_on else None,
        "lead_prosecutor": m.lead_prosecutor,
        "state": m.state,
        "outcome": m.outcome,
        "decided_on": m.decided_on.date().isoformat() if m.decided_on else None,
        "version": m.version,
    }


def _note(n: CaseNote) -> dict:
    return {
        "id": n.id,
        "privileged": n.privileged,
        "text": n.text,
        "by": n.created_by_name,
        "at": n.created_at.isoformat(),
        "version": n.version,
    }


def _case(case: Case) -> dict:
    who = actor()
    reveal = sees_protected_identities(who, case)
    identities = reveal_identities(kernel(), who, case, channel="api") if reveal else {}
    return {
        "id": case.id,
        "reference": case.reference,
        "district": case.district,
        "state": case.state,
        "outcome": case.outcome,
        "offences": [o.canonical for o in case.offences],
        "parties": [
            {
                "role": p.role,
                "name": identities[p.id].name if p.id in identities else p.shown_name,
                "protected": p.protected,
            }
            for p in case.parties
        ],
        "matters": [_matter(m) for m in matters_for_case(kernel(), case)],
        "notes": [_note(n) for n in notes_for_case(kernel(), who, case)],
        "version": case.version,
    }


@bp.route("/cases/<case_id>")
@signed_in
def case(case_id: str) -> ResponseReturnValue:
    try:
        found = get_case(kernel(), actor(), case_id)
    except CaseNotFound:
        return _not_found()
    return jsonify(_case(found))


@bp.route("/cases/<case_id>/notes")
@signed_in
def notes(case_id: str) -> ResponseReturnValue:
    try:
        found = get_case(kernel(), actor(), case_id)
    except CaseNotFound:
        return _not_found()
    return jsonify({"notes": [_note(n) for n in notes_for_case(kernel(), actor(), found)]})


@bp.route("/matters/<matter_id>")
@signed_in
def matter(matter_id: str) -> ResponseReturnValue:
    try:
        found = get_matter(kernel(), actor(), matter_id)[0]
    except MatterNotFound:
        return _not_found()
    return jsonify(_matter(found))
