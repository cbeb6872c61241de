"""The police side of the exchange (``/api/v1/police``): pull messages, send replies.

A police system reads the messages of its districts from its cursor (so a system that
was down catches up) and answers each one; see ``casefiles.police_messages`` and the
guide ``docs/guide/police-coordination.md``.
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue

from casefiles.intake import IntakeError
from casefiles.police_messages import PoliceMessageError, feed
from casefiles.police_replies import receive_reply
from mizan.storage import StaleWriteError
from web.api import _error, _json_body, token_required
from web.app import csrf
from web.support import kernel

bp = Blueprint("police_api", __name__, url_prefix="/api/v1/police")
csrf.exempt(bp)

MAX_PAGE = 500


def _police_only() -> ResponseReturnValue | None:
    if g.integration.kind != "police":
        return _error(403, "Only police integrations read and answer police messages.")
    return None


#: A misspelt parameter ("afer=12") is refused, not ignored: ignoring it would restart the
#: feed from the beginning without a word.
FEED_PARAMETERS = ("after", "limit")


@bp.route("/messages")
@token_required
def messages() -> ResponseReturnValue:
    refused = _police_only()
    if refused:
        return refused
    errors: dict[str, str] = {
        name: "is not a parameter of this list (it takes after and limit)"
        for name in request.args
        if name not in FEED_PARAMETERS
    }
    after, limit = request.args.get("after", "0"), request.args.get("limit", "100")
    if not after.isdigit():
        errors["after"] = "must be the cursor of the last page (a whole number, 0 at first)"
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_PAGE:
        errors["limit"] = f"must be a whole number from 1 to {MAX_PAGE}"
    if errors:
        return _error(400, "The request was not understood.", errors)
    page = feed(
        kernel(),
        list(g.integration.districts),
        int(after),
        int(limit),
        stations=list(g.integration.stations),
    )
    return jsonify({"messages": page.messages, "cursor": str(page.cursor), "more": page.more})


@bp.route("/replies", methods=["POST"])
@token_required
def replies() -> ResponseReturnValue:
    refused = _police_only()
    if refused:
        return refused
    try:
        result = receive_reply(
            kernel(),
            g.api_actor,
            list(g.integration.districts),
            _json_body(),
            stations=list(g.integration.stations),
        )
    except IntakeError as exc:  # the body is not JSON
        return _error(422, "The reply was not accepted.", exc.errors)
    except PoliceMessageError as exc:
        return _error(exc.status, str(exc), exc.errors)
    except StaleWriteError:
        return _error(409, "Another reply to this message arrived at the same moment; send again.")
    message = result.message
    return jsonify(
        {
            "message_id": message.id,
            "applied": result.applied,
            "changed": result.changed,
            "acknowledged": message.acknowledged_at is not None,
            "open_objections": [o.oid for o in message.objections if not o.answered_at],
            "resubmitted": message.resubmitted_at is not None,
            "case_state": result.case_state,
        }
    ), 200
