"""The legal library: acts and sections, judgments with their citation graph, browsing
and search. Open to every signed-in user. Collections and the import page add their
routes to this blueprint from ``web.library_collections`` and ``web.library_import``."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from library import bookmarks, browse
from library.indexing import entry_of
from library.judgment_text import reading_blocks
from library.models import Judgment, Section
from library.service import may_import
from mizan.storage import NotFoundError
from search.port import QueryError
from web.library_render import render_cited_text, render_section_text
from web.support import Pagination, actor, kernel, page_arg

bp = Blueprint("library", __name__, url_prefix="/library")
PER_PAGE = 25
CITED_BY_PER_PAGE = 20


# --------------------------------------------------------------------------
# Home, browse, search


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    query = request.args.get("q", "").strip()
    kind = request.args.get("kind") or ""
    page = page_arg()
    result, error = None, None
    if query:
        try:
            result = browse.search_library(
                kernel(), query, kind=kind or None, page=page, per_page=PER_PAGE
            )
        except QueryError as exc:
            error = str(exc)
    return render_template(
        "library/index.html",
        query=query,
        kind=kind,
        result=result,
        error=error,
        pagination=Pagination(page, PER_PAGE, result.total) if result else None,
        acts=browse.acts(kernel()),
        facets=browse.facets(kernel(), section_limit=20),
        entry_url=entry_url,
    ), 400 if error else 200


def entry_url(doc_id: str) -> str:
    """Where a library search hit (``statute:ppc:302``, ``judgment:<id>``) lives."""
    entry = entry_of(doc_id)
    if entry is None:
        return url_for("library.index")
    kind, target = entry
    if kind == "judgment":
        return url_for("library.judgment", judgment_id=target)
    code, _sep, number = target.partition(":")
    return url_for("library.section", code=code, number=number)


@bp.route("/entry/<path:doc_id>")
@login_required
def entry(doc_id: str) -> ResponseReturnValue:
    """Search results link here for any library entry; it forwards to the entry's page."""
    if entry_of(doc_id) is None:
        abort(404)
    return redirect(entry_url(doc_id))


@bp.route("/browse")
@login_required
def browse_page() -> ResponseReturnValue:
    return render_template("library/browse.html", facets=browse.facets(kernel(), section_limit=200))


@bp.route("/judgments/")
@login_required
def judgments() -> ResponseReturnValue:
    args = {k: request.args.get(k, "").strip() for k in browse.FILTERS}
    sort = request.args.get("sort", "newest")
    if sort not in browse.SORTS:
        sort = "newest"
    page = page_arg()
    total, rows = browse.list_judgments(kernel(), args, sort=sort, page=page, per_page=PER_PAGE)
    return render_template(
        "library/judgments.html",
        judgments=rows,
        args=args,
        sort=sort,
        sorts={
            "newest": _("Newest first"),
            "oldest": _("Oldest first"),
            "cited": _("Most cited"),
            "title": _("Title"),
        },
        pagination=Pagination(page, PER_PAGE, total),
        total=total,
    )


# --------------------------------------------------------------------------
# Judgments


@bp.route("/judgments/<judgment_id>")
@login_required
def judgment(judgment_id: str) -> ResponseReturnValue:
    page = page_arg()
    try:
        view = browse.judgment_view(kernel(), judgment_id, page=page, per_page=CITED_BY_PER_PAGE)
    except NotFoundError:
        abort(404)
    j, edges, total = view.judgment, view.edges, view.cited_total
    targets = {e.canonical: (e.target_type, e.target_id) for e in edges}
    blocks = reading_blocks(j.text or "")
    rendered = [(b, render_cited_text(b.text, targets, j.citation_keys)) for b in blocks]
    own, _shared = bookmarks.collections_of(kernel(), actor())
    return render_template(
        "library/judgment.html",
        j=j,
        blocks=rendered,
        toc=[b for b in blocks if b.kind in ("headnote", "paragraph")],
        edges=edges,
        titles=view.titles,
        resolved=sum(1 for e in edges if e.target_id),
        citing=view.citing,
        cited_total=total,
        pagination=Pagination(page, CITED_BY_PER_PAGE, total),
        collections=own,
        copy_text=_copy_text(j),
    )


def _copy_text(j: Judgment) -> str:
    cite = j.citations[0] if j.citations else ""
    return f"{j.title} {cite}".strip() if cite else j.title


# --------------------------------------------------------------------------
# Acts and sections (last: their URLs are the most general)


@bp.route("/<code>/")
@login_required
def act(code: str) -> ResponseReturnValue:
    try:
        a = browse.act_by_code(kernel(), code)
    except NotFoundError:
        abort(404)
    sections = browse.act_sections(kernel(), a.code)
    by_chapter: dict[str, list[Section]] = {}
    for s in sections:
        by_chapter.setdefault(s.chapter or "", []).append(s)
    return render_template(
        "library/act.html",
        act=a,
        by_chapter=by_chapter,
        titles={c.number: c.title for c in a.chapters},
    )


@bp.route("/<code>/<number>")
@login_required
def section(code: str, number: str) -> ResponseReturnValue:
    page = page_arg()
    try:
        view = browse.section_view(kernel(), code, number, page=page, per_page=CITED_BY_PER_PAGE)
    except NotFoundError:
        abort(404)
    a, s, total = view.act, view.section, view.cited_total
    if number != s.number:
        return redirect(url_for("library.section", code=a.code, number=s.number))
    own, _shared = bookmarks.collections_of(kernel(), actor())
    return render_template(
        "library/section.html",
        act=a,
        s=s,
        chapter=view.chapter,
        body=render_section_text(s, view.known),
        prev=view.prev,
        next=view.next,
        citing=view.citing,
        cited_total=total,
        pagination=Pagination(page, CITED_BY_PER_PAGE, total),
        collections=own,
        copy_text=f"Section {s.number}, {a.title}",
        is_admin=may_import(actor()),
    )


# The other library pages register their routes on ``bp`` when imported.
from web import library_collections, library_import  # noqa: E402, F401
