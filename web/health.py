"""/healthz: is each part of Mizan up? For monitoring, and a detailed page for administrators.

Anyone (a load balancer, a monitor) gets the overall status and each part's up or down;
the details (paths, versions, server addresses, counts) are for administrators only:
``/healthz?detail=1`` (JSON) and ``/admin/health`` (a page). ``mizan.health`` decides who.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import login_required

from ingestion.service import health_checks as ingestion_checks
from mizan.health import HealthCheck, detailed_report, health_report
from search.service import health_checks as search_checks
from web.app import csrf
from web.support import actor, kernel

bp = Blueprint("health", __name__)


def _checks() -> list[HealthCheck]:
    return [*search_checks(kernel()), *ingestion_checks()]


@bp.route("/healthz")
@csrf.exempt
def healthz() -> ResponseReturnValue:
    if request.args.get("detail"):
        return _healthz_detail()
    report = health_report(kernel(), _checks())
    return jsonify(report.summary()), 200 if report.ok else 503


@login_required
def _healthz_detail() -> ResponseReturnValue:
    report = detailed_report(kernel(), actor(), _checks())
    return jsonify(report.details()), 200 if report.ok else 503


@bp.route("/admin/health")
@login_required
def admin_health() -> ResponseReturnValue:
    report = detailed_report(kernel(), actor(), _checks())
    return render_template("admin/health.html", report=report), 200 if report.ok else 503
