"""Performance reports: a KPI by slice and period, its definitions, the cases behind each
number, and the same report as CSV, XLSX and PDF.

Scope and input are checked by ``casefiles.report_queries`` (a refusal is a 403
with its reason, bad input a message beside the form). The trend chart is inline
SVG drawn from geometry computed here, mirrored in Urdu like the dashboard's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, format_decimal, format_number, format_percent, get_locale
from flask_login import login_required

from casefiles.kpis import KPIS, UNAVAILABLE, Column
from casefiles.monthly_reports import monthly_report_file, monthly_reports
from casefiles.report_exports import export_report
from casefiles.report_periods import PERIOD_KINDS, ReportError
from casefiles.report_queries import (
    SLICES,
    TOTAL,
    Report,
    ReportRequest,
    drill_down,
    report_page,
)
from casefiles.scorecard import scorecard
from mizan.clock import pakistan_today
from web.support import actor, kernel

bp = Blueprint("reports", __name__, url_prefix="/reports")

WIDTH, HEIGHT, BASE, LEFT = 520.0, 240.0, 200.0, 24.0
ACCENT = "#0f5c4d"


def _request() -> ReportRequest:
    args = request.args
    return ReportRequest(
        **{
            name: (args.get(name) or "").strip()
            for name in ReportRequest.__dataclass_fields__
            if name in args
        }
    )


def _query(req: ReportRequest) -> dict[str, str]:
    """The request as URL arguments (empty ones left out), for links and exports."""
    return {k: v for k, v in vars(req).items() if v}


def shown(column: Column, value: float | None) -> str:
    """A figure in the reader's number format ("—" when there is nothing to divide)."""
    if value is None:
        return "—"
    if column.kind == "rate":
        return format_percent(value, "#,##0.0%")
    if column.kind in ("median", "p90"):
        return format_decimal(value, "#,##0.#")
    return format_number(int(value))


@dataclass(frozen=True)
class Point:
    label: str
    shown: str
    x: float
    y: float


@dataclass(frozen=True)
class LineChart:
    points: list[Point]
    path: str
    height: float
    base: float
    summary: str


def line_chart(report: Report, rtl: bool) -> LineChart:
    """The headline figure over the trend periods; right to left in Urdu."""
    column = report.headline
    values = [p.value for p in report.trend]
    peak = max((v for v in values if v is not None), default=0) or 1
    step = (WIDTH - 2 * LEFT) / max(len(values) - 1, 1)
    points = []
    for n, point in enumerate(report.trend):
        place = len(values) - 1 - n if rtl else n
        value = point.value or 0
        points.append(
            Point(
                point.period.label,
                shown(column, point.value),
                round(LEFT + place * step, 1),
                round(BASE - (BASE - 30) * value / peak, 1),
            )
        )
    path = " ".join(f"{'M' if n == 0 else 'L'}{p.x},{p.y}" for n, p in enumerate(points))
    summary = "; ".join(f"{p.label}: {p.shown}" for p in points)
    return LineChart(points, path, HEIGHT, BASE, summary)


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    req = _request()
    page = report_page(kernel(), actor(), req, pakistan_today())
    locale = get_locale()
    rtl = bool(locale and locale.character_order == "right-to-left")
    chart = line_chart(page.report, rtl) if page.report and page.report.trend else None
    return render_template(
        "reports/index.html",
        page=page,
        report=page.report,
        req=req,
        query=_query(req),
        kpis=KPIS,
        slices=SLICES,
        periods=PERIOD_KINDS,
        chart=chart,
        shown=shown,
        total=TOTAL,
    ), (400 if page.error else 200)


@bp.route("/definitions")
@login_required
def definitions() -> ResponseReturnValue:
    """Every definition in English and Urdu side by side, whatever the reader's language."""
    texts: dict[str, list[dict[str, str]]] = {}
    for lang in ("en", "ur"):
        with force_locale(lang):
            texts[lang] = [
                {
                    "name": str(k.name),
                    "definition": str(k.definition),
                    "caveat": str(k.caveat) if k.caveat else "",
                }
                for k in KPIS
            ]
            texts[f"{lang}-missing"] = [
                {"name": str(name), "definition": str(why)} for name, why in UNAVAILABLE
            ]
    return render_template("reports/definitions.html", kpis=KPIS, texts=texts)


@bp.route("/cases")
@login_required
def cases() -> ResponseReturnValue:
    req = _request()
    table = (request.args.get("table") or "current").strip()
    cell = request.args.get("cell") or ""
    try:
        found = drill_down(kernel(), actor(), req, pakistan_today(), table, cell)
    except ReportError as exc:
        return render_template("reports/cases.html", error=str(exc), query=_query(req)), 400
    return render_template(
        "reports/cases.html",
        found=found,
        error=None,
        query=_query(req),
        shown=shown,
    )


@bp.route("/export.<fmt>")
@login_required
def export(fmt: str) -> ResponseReturnValue:
    req = _request()
    table = (request.args.get("table") or "current").strip()
    try:
        content, media_type, filename = export_report(
            kernel(), actor(), req, pakistan_today(), fmt, table
        )
    except ReportError as exc:
        return render_template("reports/cases.html", error=str(exc), query=_query(req)), 400
    return Response(
        content,
        mimetype=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def cell_url(query: dict[str, str], table: str, row: str, column: str) -> str:
    args: dict[str, Any] = {**query, "table": table, "cell": f"{row}|{column}"}
    return url_for("reports.cases", **args)


bp.add_app_template_global(cell_url, "report_cell_url")


@bp.route("/prosecutors/<user_id>")
@login_required
def prosecutor(user_id: str) -> ResponseReturnValue:
    """One prosecutor's scorecard (themself, their district's supervisors, the PG)."""
    req = _request()
    try:
        card = scorecard(kernel(), actor(), user_id, req, pakistan_today())
    except ReportError as exc:
        return render_template("reports/cases.html", error=str(exc), query=_query(req)), 400
    query = {**_query(replace(req, kpi="", slice="offence", district="")), "prosecutor": user_id}
    return render_template(
        "reports/scorecard.html", card=card, query=query, req=req, periods=PERIOD_KINDS
    )


@bp.route("/monthly")
@login_required
def monthly() -> ResponseReturnValue:
    """The monthly returns the worker filed, as they were filed."""
    return render_template("reports/monthly.html", filed=monthly_reports(kernel(), actor()))


@bp.route("/monthly/<report_id>.<fmt>")
@login_required
def monthly_file(report_id: str, fmt: str) -> ResponseReturnValue:
    try:
        content, media_type, filename = monthly_report_file(kernel(), actor(), report_id, fmt)
    except ReportError as exc:
        return render_template("reports/cases.html", error=str(exc), query={}), 404
    return Response(
        content,
        mimetype=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
