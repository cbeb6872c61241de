"""A report as the files officials pass around: CSV and XLSX of every table, and a printable PDF.

The files are built from the same ``Report`` the page shows, so their figures
are the page's figures. Figures are written plainly (12, 61.5%, 40.5 days),
not in the reader's number format, so spreadsheets can add them up.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from casefiles.kpis import Column
from casefiles.report_periods import ReportError
from casefiles.report_queries import SLICES, Report, ReportRequest, Table, TableRow, build_report
from mizan.accounts.models import User
from mizan.actor import Actor
from mizan.clock import pakistan_now
from mizan.i18n import gettext as _
from mizan.kernel import Kernel
from mizan.pdf import Bar, PdfDocument
from mizan.spreadsheets import csv_text, inert

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def table_title(report: Report, name: str) -> str:
    titles = {
        "current": _("This period"),
        "previous": _("Previous period"),
        "last_year": _("Same period last year"),
    }
    return f"{titles[name]} ({report.tables[name].period.label})"


def shown(column: Column, value: float | None) -> str:
    """A figure as every export prints it: "—" when there is nothing to divide."""
    if value is None:
        return "—"
    if column.kind == "rate":
        return f"{value * 100:.1f}%"
    if column.kind in ("median", "p90"):
        return f"{value:g}"
    return str(int(value))


def header(report: Report) -> list[str]:
    return [str(SLICES[report.slice])] + [str(c.label) for c in report.kpi.columns]


def _line(table: Table, row: TableRow) -> list[str]:
    return [row.label] + [shown(c, row.cells[c.key].value) for c in table.columns]


def lines(table: Table) -> list[list[str]]:
    """The table's rows and its total, as printed."""
    return [_line(table, row) for row in [*table.rows, table.total]]


def to_csv(report: Report, name: str = "current") -> str:
    return csv_text([header(report), *lines(report.tables[name])])


def _sheet_value(column: Column, value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if column.kind == "count" else value


_SHEETS = {"current": "Period", "previous": "Previous", "last_year": "Last year"}


def _add_sheets(book: Workbook, report: Report, prefix: str = "") -> None:
    """The report's tables, trend and definition as sheets (names start with ``prefix``)."""
    for name, table in report.tables.items():
        sheet = book.create_sheet(f"{prefix}{_SHEETS[name]}")
        sheet.append([f"{report.kpi.name} — {report.scope.label}"])
        sheet.append([table_title(report, name)])
        sheet.append(header(report))
        for row in [*table.rows, table.total]:
            sheet.append(
                [inert(row.label)]
                + [_sheet_value(c, row.cells[c.key].value) for c in table.columns]
            )
            for n, column in enumerate(table.columns, start=2):
                if column.kind == "rate":
                    sheet.cell(row=sheet.max_row, column=n).number_format = "0.0%"
    if report.trend:
        trend = book.create_sheet(f"{prefix}Trend")
        trend.append([_("Period"), str(report.headline.label)])
        for point in report.trend:
            trend.append([point.period.label, point.value])
    notes = book.create_sheet(f"{prefix}Definitions")
    notes.append([str(report.kpi.name)])
    notes.append([str(report.kpi.definition)])
    if report.kpi.caveat:
        notes.append([str(report.kpi.caveat)])


def to_xlsx(report: Report) -> bytes:
    """One sheet per table (numbers as numbers, rates as percentages), the trend and the
    definitions used."""
    return reports_xlsx([report], prefixed=False)


def reports_xlsx(reports: list[Report], *, prefixed: bool = True) -> bytes:
    """Several reports in one workbook (the monthly return): each report's sheets are
    named after its KPI ("outcomes Period"), Excel's 31-letter limit kept."""
    book = Workbook()
    first = book.active
    for report in reports:
        _add_sheets(book, report, f"{report.kpi.id[:18]} " if prefixed else "")
    if first is not None and len(book.worksheets) > 1:
        book.remove(first)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _pdf_title(report: Report) -> str:
    title = str(report.kpi.name)
    if report.variant_label:
        title += f" — {report.variant_label}"
    return title


def _write_report(pdf: PdfDocument, report: Report) -> None:
    """The definition, each table, and bar charts of the headline figure."""
    pdf.paragraph(_("Definition"), bold=True)
    pdf.paragraph(str(report.kpi.definition), size=9)
    if report.kpi.caveat:
        pdf.paragraph(str(report.kpi.caveat), size=9)
    for name, table in report.tables.items():
        pdf.space()
        pdf.paragraph(table_title(report, name), bold=True)
        pdf.table(header(report), lines(table))
    headline = report.headline
    pdf.bars(
        f"{headline.label} ({report.period.label})",
        [
            Bar(
                row.label,
                row.cells[headline.key].value or 0,
                shown(headline, row.cells[headline.key].value),
            )
            for row in report.current.rows
        ],
    )
    if report.trend:
        pdf.bars(
            _("Trend: %(figure)s", figure=str(headline.label)),
            [Bar(p.period.label, p.value or 0, shown(headline, p.value)) for p in report.trend],
        )


def to_pdf(report: Report, generated_by: str, generated_at: dt.datetime) -> bytes:
    """The monthly return: title, period, who generated it and when, the definition, each
    table, and a bar chart of the headline figure by slice."""
    title = _pdf_title(report)
    pdf = PdfDocument(title, footer=f"Mizan · {report.scope.label}")
    pdf.heading(title)
    pdf.key_values(
        [
            (_("Scope"), report.scope.label),
            (_("Period"), report.period.label),
            (_("Broken down by"), str(SLICES[report.slice])),
            (_("Generated by"), generated_by),
            (_("Generated at"), generated_at.strftime("%d.%m.%Y %H:%M") + " PKT"),
        ]
    )
    pdf.space()
    _write_report(pdf, report)
    return pdf.output()


def reports_pdf(
    title: str, reports: list[Report], generated_by: str, generated_at: dt.datetime
) -> bytes:
    """Several reports of one scope and period in one PDF, a page (or more) each."""
    first = reports[0]
    pdf = PdfDocument(title, footer=f"Mizan · {first.scope.label}")
    pdf.heading(title)
    pdf.key_values(
        [
            (_("Scope"), first.scope.label),
            (_("Period"), first.period.label),
            (_("Broken down by"), str(SLICES[first.slice])),
            (_("Generated by"), generated_by),
            (_("Generated at"), generated_at.strftime("%d.%m.%Y %H:%M") + " PKT"),
        ]
    )
    for report in reports:
        pdf.page_break()
        pdf.heading(_pdf_title(report), size=14)
        _write_report(pdf, report)
    return pdf.output()


def export_report(
    kernel: Kernel,
    actor: Actor,
    request: ReportRequest,
    today: dt.date,
    fmt: str,
    table: str = "current",
) -> tuple[bytes, str, str]:
    """(content, media type, file name) of one report in ``fmt``, under the page's checks."""
    if fmt not in FORMATS:
        raise ReportError(_("Choose CSV, XLSX or PDF."))
    report = build_report(kernel, actor, request, today, trend=fmt != "csv")
    if table not in report.tables:
        raise ReportError(_("That table is not in the report."))
    period = report.period
    stem = f"mizan-{report.kpi.id}-{report.slice}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if fmt == "csv":
        return to_csv(report, table).encode("utf-8-sig"), FORMATS[fmt], f"{stem}-{table}.csv"
    if fmt == "xlsx":
        return to_xlsx(report), FORMATS[fmt], f"{stem}.xlsx"
    user = kernel.store.find_one(User, {"_id": actor.user_id})
    who = user.full_name if user else actor.username
    return to_pdf(report, who, pakistan_now()), FORMATS[fmt], f"{stem}.pdf"
