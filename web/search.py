"""One search page for cases, documents and the library.

Everything that shapes a search (words, filters, mode, order, page) lives in
the URL, so a search can be bookmarked, shared and reopened; facets are plain
links that add one filter. Case records are indexed like documents (kind
"case"), so one engine query ranks, counts, facets and permission-filters
cases, documents and library items together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from search.hybrid import DEFAULT_MODE, MODES
from search.port import FACET_FIELDS, SORTS, Hit, QueryError, SearchResult
from search.saved import SavedSearch, SavedSearchError, delete_saved, list_saved, save_search
from search.service import PER_PAGE, require_searcher, search_documents
from web.domain_labels import ACT_LABELS, act_label, court_label, district_name, topic_label
from web.support import Pagination, actor, kernel, page_arg

bp = Blueprint("search", __name__, url_prefix="/search")

#: URL arguments that filter (facet fields; the year facet sets both year bounds).
FILTER_ARGS = ("kind", "doc_type", "court", "district", "section", "language")
YEAR_ARGS = ("year_from", "year_to")
MIN_YEAR, MAX_YEAR = 1800, 2100

MODE_LABELS = {
    "keyword": _l("Keywords"),
    "semantic": _l("Meaning"),
    "hybrid": _l("Keywords and meaning"),
}
#: A result's kind, as its badge shows it.
HIT_KINDS = {
    "case": _l("Case"),
    "document": _l("Document"),
    "judgment": _l("Judgment"),
    "statute": _l("Statute"),
    "course": _l("Course"),
    "lesson": _l("Lesson"),
    "case_study": _l("Case study"),
}
SORT_LABELS = {"relevance": _l("Best match"), "date": _l("Newest first (keywords)")}
FACET_LABELS = {
    "kind": _l("Kind"),
    "doc_type": _l("Document type"),
    "court": _l("Court"),
    "year": _l("Year"),
    "district": _l("District"),
    "section": _l("Section of law"),
    "language": _l("Language"),
}
VALUE_LABELS: dict[str, Mapping[str, object]] = {
    "kind": {
        "case": _l("Cases"),
        "document": _l("Case documents"),
        "judgment": _l("Judgments"),
        "statute": _l("Statutes"),
        "course": _l("Courses"),
        "lesson": _l("Lessons"),
        "case_study": _l("Case studies"),
    },
    "language": {"en": _l("English"), "ur": _l("Urdu")},
    "doc_type": {
        "case": _l("Case record"),
        "fir": _l("FIR"),
        "judgment": _l("Judgment"),
        "statute": _l("Statute"),
        "other": _l("Other"),
    },
}


@dataclass
class SearchArgs:
    """The search as read from the URL, with what was wrong in it."""

    query: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"
    mode: str = DEFAULT_MODE
    page: int = 1
    errors: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.query or self.filters)

    @property
    def engine_mode(self) -> str:
        """Newest-first lists keyword matches: meaning-based ranking has no date order."""
        return "keyword" if self.sort == "date" else self.mode


def _year(args: Mapping[str, str], name: str, label: str, errors: list[str]) -> int | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        errors.append(str(_l("“%(field)s” must be a year such as 2019.", field=label)))
        return None
    return int(raw)


def read_args(args: Mapping[str, str]) -> SearchArgs:
    """Parse and check the URL arguments; problems are explained, never guessed around."""
    out = SearchArgs(query=args.get("q", "").strip(), page=page_arg())
    for name in FILTER_ARGS:
        value = args.get(name, "").strip()
        if value:
            out.filters[name] = value
    lo = _year(args, "year_from", str(_l("From year")), out.errors)
    hi = _year(args, "year_to", str(_l("To year")), out.errors)
    if lo is not None and hi is not None and lo > hi:
        out.errors.append(str(_l("The “from” year is after the “to” year: swap them.")))
    else:
        out.filters.update({k: str(v) for k, v in zip(YEAR_ARGS, (lo, hi), strict=True) if v})
    sort = args.get("sort", "relevance")
    if sort not in SORTS:
        out.errors.append(str(_l("Choose the order from the list (best match or newest first).")))
    else:
        out.sort = sort
    mode = args.get("mode", DEFAULT_MODE)
    if mode not in MODES:
        out.errors.append(str(_l("Choose how to search from the list.")))
    else:
        out.mode = mode
    return out


def search_url(**changes: object) -> str:
    """This search with some arguments changed (None removes one); back to page 1."""
    args: dict[str, Any] = {k: v for k, v in request.args.items() if v != ""}
    args.pop("page", None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    return url_for("search.index", **args)


#: The library's page that forwards any library search hit to its entry (web.library).
LIBRARY_ENTRY = "library.entry"
#: The learning page that forwards a course, lesson or case-study hit (web.learning).
LEARNING_ENTRY = "learning.entry"


def hit_url(hit: Hit, query: str) -> str | None:
    """Where a result opens: a case, a case document, or a library entry."""
    if hit.kind == "case" and hit.case_id:
        return url_for("cases.show", case_id=hit.case_id)
    if hit.kind == "document":
        anchor = f"#page-{hit.page}" if hit.page else ""
        return url_for("documents.show", document_id=hit.doc_id, q=query or None) + anchor
    if (
        hit.kind in ("course", "lesson", "case_study")
        and LEARNING_ENTRY in current_app.view_functions
    ):
        return url_for(LEARNING_ENTRY, doc_id=hit.doc_id)
    if LIBRARY_ENTRY in current_app.view_functions:  # judgments, statutes, ...
        return url_for(LIBRARY_ENTRY, doc_id=hit.doc_id)
    return None


def _labeller() -> Callable[[str, str], str]:
    def label(field: str, value: str) -> str:
        if field == "district":
            return district_name(value)
        if field == "court":
            return court_label(value)
        known = VALUE_LABELS.get(field, {})
        if field == "doc_type" and value not in known:  # a statute's is its act, a judgment's
            return act_label(value) if value in ACT_LABELS else topic_label(value)  # its topic
        return str(known.get(value, value))

    return label


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    require_searcher(actor())  # PermissionDenied (a 403), even for the empty page
    args = read_args(request.args)
    result: SearchResult | None = None
    if args.active and not args.errors:
        try:
            result = search_documents(
                kernel(),
                actor(),
                args.query,
                page=args.page,
                mode=args.engine_mode,
                filters=args.filters,
                sort=args.sort,
                facets=True,
            )
        except QueryError as exc:
            args.errors.append(str(exc))
    pagination = Pagination(args.page, PER_PAGE, result.total) if result else None
    return render_template(
        "search/index.html",
        args=args,
        query=args.query,
        result=result,
        pagination=pagination,
        facet_fields=FACET_FIELDS,
        facet_labels=FACET_LABELS,
        filter_args=FILTER_ARGS,
        modes=MODE_LABELS,
        sorts=SORT_LABELS,
        label=_labeller(),
        search_url=search_url,
        hit_url=hit_url,
        hit_kinds=HIT_KINDS,
    ), 400 if args.errors else 200


def saved_url(saved: SavedSearch) -> str:
    """The search page URL that reruns a saved search."""
    return url_for("search.index", q=saved.query or None, mode=saved.mode, **(saved.filters or {}))


@bp.route("/saved", methods=["POST"])
@login_required
def save() -> ResponseReturnValue:
    """Save the search described by the posted fields (the page's hidden copy of its URL)."""
    require_searcher(actor())  # PermissionDenied (a 403) before the fields are read
    args = read_args(request.form)
    filters: dict[str, Any] = dict(args.filters)
    back = url_for("search.index", q=args.query or None, mode=args.mode, sort=args.sort, **filters)
    if args.errors:
        for error in args.errors:
            flash(error, "error")
        return redirect(back)
    try:
        saved = save_search(
            kernel(),
            actor(),
            name=request.form.get("name", ""),
            query=args.query,
            filters=args.filters,
            mode=args.mode,
            alert=request.form.get("alert") == "on",
        )
    except SavedSearchError as exc:
        flash(str(exc), "error")
        return redirect(back)
    message = (
        _l("Saved as “%(name)s”. You will be notified of new matches.", name=saved.name)
        if saved.alert
        else _l("Saved as “%(name)s”.", name=saved.name)
    )
    flash(str(message), "success")
    return redirect(back)


@bp.route("/saved")
@login_required
def saved_list() -> ResponseReturnValue:
    searches = list_saved(kernel(), actor())
    return render_template(
        "search/saved.html",
        searches=searches,
        saved_url=saved_url,
        facet_labels=FACET_LABELS,
        modes=MODE_LABELS,
        label=_labeller(),
    )


@bp.route("/saved/<saved_id>/delete", methods=["POST"])
@login_required
def saved_delete(saved_id: str) -> ResponseReturnValue:
    try:
        delete_saved(kernel(), actor(), saved_id)
    except SavedSearchError as exc:
        flash(str(exc), "error")
    else:
        flash(str(_l("The saved search was deleted.")), "success")
    return redirect(url_for("search.saved_list"))
