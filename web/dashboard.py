"""The supervisors' dashboard: pendency, overdue challans, workload and outcomes.

Charts are inline SVG drawn by the server: no script (the CSP allows none
inline), nothing to download, readable by a screen reader (``<title>``,
``<desc>``, text labels and the numbers themselves) and printable. The
geometry is computed here so the templates only place what they are given;
in Urdu the charts are mirrored, bars growing from the right.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, format_number, format_percent, get_locale
from flask_babel import gettext as _
from flask_login import login_required

from casefiles.pages import filter_districts
from casefiles.report_periods import ReportError
from casefiles.reports import Dashboard, can_view_dashboard, dashboard
from mizan.accounts.service import PermissionDenied
from mizan.clock import pakistan_today
from web.domain_labels import district_name
from web.support import actor, kernel

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

#: SVG user units: about the width of half a card, so text is drawn near its natural size.
WIDTH = 520
#: Each bar sits under its label: long stage names and Urdu need the whole width.
#: Nastaliq stands taller than Latin script, so Urdu rows get more room.
ROW = {False: 42, True: 54}
#: Baselines of the label and the number, and the top of the bar, within a row.
LABEL_Y = {False: 14, True: 22}
BAR_Y = {False: 20, True: 30}
ACCENT = "#0f5c4d"
LIGHT = "#8fc1b5"
#: Oldest pendency in the warning colours.
AGE_COLOURS = ("#0f5c4d", "#3d7f6e", "#8a5a00", "#b5651d", "#a61b1b")
OUTCOME_COLOURS = {
    "convicted": "#0f5c4d",
    "partly_convicted": "#4f8f7d",
    "acquitted": "#a61b1b",
    "compromised": "#8a5a00",
    "abated": "#7a7a7a",
    "transferred": "#5b6775",
    "dormant": "#b8c0ca",
}


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    title: str


@dataclass(frozen=True)
class Row:
    label: str
    shown: str
    label_y: float
    bar_y: float
    segments: list[Segment]
    label_x: float
    value_x: float
    href: str | None = None


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, optionally stacked, each under its label."""

    rows: list[Row]
    height: float
    rtl: bool
    summary: str


def bar_chart(
    items: list[tuple[str, list[tuple[float, str, str]], str]],
    *,
    rtl: bool,
    hrefs: list[str | None] | None = None,
) -> BarChart:
    """Rows of (label, [(value, colour, tooltip), ...], shown total); mirrored for Urdu."""
    room = WIDTH - 64  # what is left for the number after the longest bar
    top = max((sum(v for v, _c, _t in segs) for _l, segs, _s in items), default=0)
    peak = top or 1
    rows = []
    for n, (label, segs, shown) in enumerate(items):
        offset = 0.0
        placed = []
        for value, colour, title in segs:
            width = room * value / peak
            x = WIDTH - offset - width if rtl else offset
            placed.append(Segment(round(x, 1), round(width, 1), colour, title))
            offset += width
        value_x = WIDTH - offset - 6 if rtl else offset + 6
        label_x = WIDTH if rtl else 0
        href = hrefs[n] if hrefs else None
        top_y = n * ROW[rtl]
        rows.append(
            Row(
                label,
                shown,
                top_y + LABEL_Y[rtl],
                top_y + BAR_Y[rtl],
                placed,
                label_x,
                round(value_x, 1),
                href,
            )
        )
    summary = "; ".join(f"{label}: {shown}" for label, _segs, shown in items)
    return BarChart(rows, len(items) * ROW[rtl] + 4, rtl, summary)


@dataclass(frozen=True)
class Column:
    label: str
    shown: str
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    height: float
    base: float
    summary: str


def column_chart(
    items: list[tuple[str, int]], *, rtl: bool, colours: tuple[str, ...] = AGE_COLOURS
) -> ColumnChart:
    """Vertical columns in reading order (right to left in Urdu)."""
    plot, base, gap = 190.0, 215.0, 16.0
    peak = max((v for _l, v in items), default=0) or 1
    slot = WIDTH / max(len(items), 1)
    columns = []
    for n, (label, value) in enumerate(items):
        place = len(items) - 1 - n if rtl else n
        height = plot * value / peak
        columns.append(
            Column(
                label=label,
                shown=format_number(value),
                x=round(place * slot + gap / 2, 1),
                y=round(base - height, 1),
                width=round(slot - gap, 1),
                height=round(height, 1),
                colour=colours[min(n, len(colours) - 1)],
            )
        )
    summary = "; ".join(f"{c.label}: {c.shown}" for c in columns)
    return ColumnChart(columns, base + 40, base, summary)


def _pct(value: float | None) -> str:
    return "—" if value is None else format_percent(value, "#,##0.0%")


def _charts(board: Dashboard, rtl: bool) -> dict[str, object]:
    stage = bar_chart(
        [
            (b.label, [(b.value, ACCENT, f"{b.label}: {b.value}")], format_number(b.value))
            for b in board.by_stage
        ],
        rtl=rtl,
    )
    age = column_chart([(b.label, b.value) for b in board.age], rtl=rtl)
    lead, helping = _("Lead"), _("Assisting")
    workload = bar_chart(
        [
            (
                w.name,
                [
                    (w.lead, ACCENT, f"{w.name} — {lead}: {w.lead}"),
                    (w.assisting, LIGHT, f"{w.name} — {helping}: {w.assisting}"),
                ],
                format_number(w.total),
            )
            for w in board.workload
        ],
        rtl=rtl,
    )
    decided = board.decided or 1
    outcome = bar_chart(
        [
            (
                _("Decided cases"),
                [
                    (
                        b.value,
                        OUTCOME_COLOURS.get(b.key, "#999"),
                        f"{b.label}: {b.value} ({_pct(b.value / decided)})",
                    )
                    for b in board.outcomes
                    if b.value
                ],
                format_number(board.decided),
            )
        ],
        rtl=rtl,
    )
    districts = None
    if board.districts:
        districts = bar_chart(
            [
                (
                    district_name(d.code),
                    [(d.pending, ACCENT, f"{district_name(d.code)}: {d.pending}")],
                    format_number(d.pending),
                )
                for d in board.districts
            ],
            rtl=rtl,
            hrefs=[url_for("dashboard.index", district=d.code) for d in board.districts],
        )
    hearings = column_chart(
        [
            (format_date(dt.date.fromisoformat(b.key), "EEE d.M"), b.value)
            for b in board.hearings_week
        ],
        rtl=rtl,
        colours=(ACCENT,),
    )
    return {
        "hearings": hearings,
        "stage": stage,
        "age": age,
        "workload": workload,
        "outcome": outcome,
        "districts": districts,
    }


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    who = actor()
    if not can_view_dashboard(who):
        abort(403)
    district = (request.args.get("district") or "").strip().upper() or None
    try:
        board = dashboard(kernel(), who, pakistan_today(), district=district)
    except PermissionDenied:
        abort(403)
    except ReportError as exc:
        title = _("The dashboard cannot be shown")
        return render_template("error.html", title=title, message=str(exc)), 400
    locale = get_locale()
    rtl = bool(locale and locale.character_order == "right-to-left")
    districts = filter_districts(kernel(), who)
    return render_template(
        "dashboard/index.html",
        board=board,
        charts=_charts(board, rtl),
        districts=districts,
        pct=_pct,
        number=format_number,
        outcome_colours=OUTCOME_COLOURS,
    )
