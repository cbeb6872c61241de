"""/healthz: is each part of Mizan up? For monitoring and for the status page."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ingestion.service import health_checks as ingestion_checks
from mizan.health import health_report
from search.service import health_checks as search_checks
from web.app import csrf
from web.support import kernel

bp = Blueprint("health", __name__)


@bp.route("/healthz")
@csrf.exempt
def healthz() -> ResponseReturnValue:
    k = kernel()
    report = health_report(k, [*search_checks(k), *ingestion_checks()])
    body = {"status": report.status, "components": report.components}
    return jsonify(body), 200 if report.ok else 503
