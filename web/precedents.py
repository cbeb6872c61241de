"""The precedent finder: a page for pasted facts, a page per case, and the case-page panel."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.routing import BuildError
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from casefiles.service import CaseNotFound
from search.port import QueryError
from search.precedents import (
    MAX_FACTS_CHARS,
    CasePrecedents,
    PrecedentError,
    PrecedentResult,
    find_for_facts,
    precedents_for_case,
)
from search.service import require_searcher
from web.support import actor, kernel

bp = Blueprint("precedents", __name__, url_prefix="/precedents")

#: Results shown in the case-page panel (the full page shows PER_KIND of each).
PANEL_PER_KIND = 3


class FactsForm(FlaskForm):
    facts = TextAreaField(
        _l("Facts of the case"),
        validators=[
            DataRequired(message=_l("Paste or type the facts to search with.")),
            Length(max=MAX_FACTS_CHARS),
        ],
    )


def entry_link(doc_id: str) -> str | None:
    """Where a library entry is read (None while no library pages are installed)."""
    try:
        return url_for("library.entry", doc_id=doc_id)
    except BuildError:
        return None


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    require_searcher(actor())  # PermissionDenied (a 403), even for the empty form
    form = FactsForm()
    result: PrecedentResult | None = None
    status = 200
    if form.validate_on_submit():
        try:
            result = find_for_facts(kernel(), actor(), form.facts.data)
        except (PrecedentError, QueryError) as exc:
            form.facts.errors = [str(exc)]
            status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "precedents/index.html", form=form, result=result, entry_link=entry_link
    ), status


def _for_case(case_id: str, per_kind: int | None = None) -> CasePrecedents:
    kw = {"per_kind": per_kind} if per_kind else {}
    try:
        return precedents_for_case(kernel(), actor(), case_id, **kw)
    except CaseNotFound:
        abort(404)


@bp.route("/case/<case_id>")
@login_required
def case(case_id: str) -> ResponseReturnValue:
    found = _for_case(case_id)
    return render_template(
        "precedents/case.html",
        case=found.case,
        result=found.result,
        error=found.error,
        entry_link=entry_link,
    )


@bp.route("/case/<case_id>/panel")
@login_required
def panel(case_id: str) -> ResponseReturnValue:
    """The case page loads this into its panel after the page itself has arrived."""
    found = _for_case(case_id, PANEL_PER_KIND)
    return render_template(
        "precedents/_panel.html",
        case=found.case,
        result=found.result,
        error=found.error,
        entry_link=entry_link,
    )
