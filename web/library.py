"""The legal library: acts and sections, judgments with their citation graph, browsing,
collections, and the administrator's import page. Open to every signed-in user."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from library import bookmarks, browse
from library.indexing import entry_of
from library.judgment_text import reading_blocks
from library.models import Act, Judgment, Section
from library.refs import section_id
from library.service import LibraryError, citations_of, cited_by, require_librarian
from mizan.accounts.models import User
from mizan.accounts.roles import Role
from mizan.accounts.service import PermissionDenied
from mizan.i18n import lazy_gettext as _l
from mizan.storage import NotFoundError, StaleWriteError
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
def index():  # type: ignore[no-untyped-def]
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
def entry(doc_id: str):  # type: ignore[no-untyped-def]
    """Search results link here for any library entry; it forwards to the entry's page."""
    if entry_of(doc_id) is None:
        abort(404)
    return redirect(entry_url(doc_id))


@bp.route("/browse")
@login_required
def browse_page():  # type: ignore[no-untyped-def]
    return render_template("library/browse.html", facets=browse.facets(kernel(), section_limit=200))


@bp.route("/judgments/")
@login_required
def judgments():  # type: ignore[no-untyped-def]
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


def _judgment_or_404(judgment_id: str) -> Judgment:
    try:
        return kernel().store.get(Judgment, judgment_id)
    except NotFoundError:
        abort(404)


@bp.route("/judgments/<judgment_id>")
@login_required
def judgment(judgment_id: str):  # type: ignore[no-untyped-def]
    j = _judgment_or_404(judgment_id)
    store = kernel().store
    edges = citations_of(store, j.id)
    targets = {e.canonical: (e.target_type, e.target_id) for e in edges}
    titles = {}
    cited_judgments = [e.target_id for e in edges if e.target_type == "judgment" and e.target_id]
    if cited_judgments:
        titles = {x.id: x.title for x in store.find(Judgment, {"_id": {"$in": cited_judgments}})}
    blocks = reading_blocks(j.text or "")
    rendered = [(b, render_cited_text(b.text, targets, j.citation_keys)) for b in blocks]
    page = page_arg()
    total, citing = cited_by(
        store, "judgment", j.id, skip=(page - 1) * CITED_BY_PER_PAGE, limit=CITED_BY_PER_PAGE
    )
    own, _shared = bookmarks.collections_of(kernel(), actor())
    return render_template(
        "library/judgment.html",
        j=j,
        blocks=rendered,
        toc=[b for b in blocks if b.kind in ("headnote", "paragraph")],
        edges=edges,
        titles=titles,
        resolved=sum(1 for e in edges if e.target_id),
        citing=citing,
        cited_total=total,
        pagination=Pagination(page, CITED_BY_PER_PAGE, total),
        collections=own,
        copy_text=_copy_text(j),
    )


def _copy_text(j: Judgment) -> str:
    cite = j.citations[0] if j.citations else ""
    return f"{j.title} {cite}".strip() if cite else j.title


# --------------------------------------------------------------------------
# Collections


class NameForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])


class ShareForm(FlaskForm):
    username = StringField(_l("Colleague's username"), validators=[DataRequired()])


class AttachForm(FlaskForm):
    case_id = SelectField(_l("Case"), validators=[DataRequired()])


def _collection_action(collection_id: str, action, success: str):  # type: ignore[no-untyped-def]
    try:
        action()
    except bookmarks.CollectionNotFound:
        abort(404)
    except (bookmarks.CollectionError, PermissionDenied) as exc:
        flash(str(exc), "error")
    except StaleWriteError:
        flash(_("Someone changed this collection at the same time; please try again."), "error")
    else:
        flash(success, "success")
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(url_for("library.collection", collection_id=collection_id))


@bp.route("/collections/", methods=["GET", "POST"])
@login_required
def collections():  # type: ignore[no-untyped-def]
    form = NameForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                coll = bookmarks.create_collection(kernel(), actor(), form.name.data)
            except bookmarks.CollectionError as exc:
                flash(str(exc), "error")
            else:
                flash(_("Collection created."), "success")
                return redirect(url_for("library.collection", collection_id=coll.id))
        else:
            flash(_("Give the collection a name."), "error")
    own, shared = bookmarks.collections_of(kernel(), actor())
    owners = _names({c.owner_id for c in shared})
    return render_template(
        "library/collections.html", own=own, shared=shared, owners=owners, form=form
    )


def _names(user_ids: set[str]) -> dict[str, str]:
    if not user_ids:
        return {}
    users = kernel().store.find(User, {"_id": {"$in": sorted(user_ids)}})
    return {u.id: u.full_name for u in users}


@bp.route("/collections/<collection_id>")
@login_required
def collection(collection_id: str):  # type: ignore[no-untyped-def]
    who = actor()
    try:
        coll = bookmarks.get_collection(kernel(), who, collection_id)
    except bookmarks.CollectionNotFound:
        abort(404)
    from casefiles.models import Case

    cases = (
        kernel().store.find(Case, {"_id": {"$in": list(coll.case_ids)}}) if coll.case_ids else []
    )
    is_owner = coll.owner_id == who.user_id
    attach = None
    if is_owner:
        attach = AttachForm()
        attach.case_id.choices = [
            (c.id, f"{c.reference} — {c.title}")
            for c in bookmarks.attachable_cases(kernel(), who)
            if c.id not in coll.case_ids
        ]
    return render_template(
        "library/collection.html",
        coll=coll,
        cases=cases,
        is_owner=is_owner,
        names=_names({coll.owner_id, *coll.shared_with}),
        rename_form=NameForm(name=coll.name),
        share_form=ShareForm(),
        attach_form=attach,
        item_url=_item_url,
    )


def _item_url(item) -> str:  # type: ignore[no-untyped-def]
    if item.kind == "judgment":
        return url_for("library.judgment", judgment_id=item.target_id)
    code, _sep, number = item.target_id.partition(":")
    return url_for("library.section", code=code, number=number)


def _form_ok() -> bool:
    form = FlaskForm()
    if not form.validate_on_submit():
        flash(_("The form has expired; please try again."), "error")
        return False
    return True


@bp.route("/collections/<collection_id>/items", methods=["POST"])
@login_required
def add_item(collection_id: str):  # type: ignore[no-untyped-def]
    if not _form_ok():
        return redirect(url_for("library.collections"))
    kind = request.form.get("kind", "")
    target = request.form.get("target_id", "")
    return _collection_action(
        collection_id,
        lambda: bookmarks.add_item(
            kernel(), actor(), collection_id, kind, target, request.form.get("note", "")
        ),
        _("Added to the collection."),
    )


@bp.route("/items/add", methods=["POST"])
@login_required
def add_to_collection():  # type: ignore[no-untyped-def]
    """The bookmark form on section and judgment pages names the collection in a field."""
    collection_id = request.form.get("collection_id", "")
    if not collection_id:
        flash(_("Choose a collection."), "error")
        return redirect(request.form.get("next") or url_for("library.collections"))
    return add_item(collection_id)


def _post_action(collection_id: str, service, success: str, *fields: str):  # type: ignore[no-untyped-def]
    """A form post that calls ``service(kernel, actor, collection_id, *form fields)``."""
    if not _form_ok():
        return redirect(url_for("library.collection", collection_id=collection_id))
    values = [request.form.get(f, "") for f in fields]
    return _collection_action(
        collection_id, lambda: service(kernel(), actor(), collection_id, *values), success
    )


@bp.route("/collections/<collection_id>/items/remove", methods=["POST"])
@login_required
def remove_item(collection_id: str):  # type: ignore[no-untyped-def]
    return _post_action(
        collection_id,
        bookmarks.remove_item,
        _("Removed from the collection."),
        "kind",
        "target_id",
    )


@bp.route("/collections/<collection_id>/rename", methods=["POST"])
@login_required
def rename(collection_id: str):  # type: ignore[no-untyped-def]
    form = NameForm()
    if not form.validate_on_submit():
        flash(_("Give the collection a name."), "error")
        return redirect(url_for("library.collection", collection_id=collection_id))
    return _collection_action(
        collection_id,
        lambda: bookmarks.rename_collection(kernel(), actor(), collection_id, form.name.data),
        _("Collection renamed."),
    )


@bp.route("/collections/<collection_id>/delete", methods=["POST"])
@login_required
def delete(collection_id: str):  # type: ignore[no-untyped-def]
    if not _form_ok():
        return redirect(url_for("library.collection", collection_id=collection_id))
    try:
        bookmarks.delete_collection(kernel(), actor(), collection_id)
    except bookmarks.CollectionNotFound:
        abort(404)
    except (bookmarks.CollectionError, StaleWriteError) as exc:
        flash(str(exc), "error")
        return redirect(url_for("library.collection", collection_id=collection_id))
    flash(_("Collection deleted."), "success")
    return redirect(url_for("library.collections"))


@bp.route("/collections/<collection_id>/share", methods=["POST"])
@login_required
def share(collection_id: str):  # type: ignore[no-untyped-def]
    form = ShareForm()
    if not form.validate_on_submit():
        flash(_("Enter the colleague's username."), "error")
        return redirect(url_for("library.collection", collection_id=collection_id))
    return _collection_action(
        collection_id,
        lambda: bookmarks.share(kernel(), actor(), collection_id, form.username.data),
        _("Shared."),
    )


@bp.route("/collections/<collection_id>/unshare", methods=["POST"])
@login_required
def unshare(collection_id: str):  # type: ignore[no-untyped-def]
    return _post_action(
        collection_id, bookmarks.unshare, _("No longer shared with that colleague."), "user_id"
    )


@bp.route("/collections/<collection_id>/cases", methods=["POST"])
@login_required
def attach(collection_id: str):  # type: ignore[no-untyped-def]
    return _post_action(collection_id, bookmarks.attach_case, _("Attached to the case."), "case_id")


@bp.route("/collections/<collection_id>/cases/remove", methods=["POST"])
@login_required
def detach(collection_id: str):  # type: ignore[no-untyped-def]
    return _post_action(
        collection_id, bookmarks.detach_case, _("Detached from the case."), "case_id"
    )


# --------------------------------------------------------------------------
# Import (administrators)


class ImportForm(FlaskForm):
    kind = SelectField(
        _l("What the file holds"),
        choices=[
            ("act", _l("An act (Markdown, text, PDF or Word with section headings)")),
            ("judgments", _l("Judgments, one JSON object per line (.jsonl)")),
            ("judgment", _l("One judgment (PDF, Word or text)")),
        ],
    )
    file = FileField(_l("File"), validators=[FileRequired()])
    code = StringField(
        _l("Act code (for an act), e.g. ppc"), validators=[Optional(), Length(max=20)]
    )
    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)])
    court = StringField(_l("Court (for one judgment)"), validators=[Optional(), Length(max=200)])
    citation = StringField(
        _l("Citation (for one judgment), e.g. 2019 MLD 836"),
        validators=[Optional(), Length(max=120)],
    )


def _require_admin() -> None:
    try:
        require_librarian(actor())
    except PermissionDenied:
        abort(403)


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_page():  # type: ignore[no-untyped-def]
    _require_admin()
    form = ImportForm()
    job = None
    if request.method == "POST":
        if not form.validate_on_submit():
            for errors in form.errors.values():
                for error in errors:
                    flash(str(error), "error")
        else:
            try:
                outcome = _run_import(form)
            except (LibraryError, ValueError) as exc:
                flash(str(exc), "error")
            else:
                if isinstance(outcome, str):
                    flash(outcome, "success")
                    return redirect(url_for("library.import_page"))
                job = outcome
                flash(_("The file is being imported; progress is shown below."), "success")
    return render_template("library/import.html", form=form, job=job), 400 if (
        request.method == "POST" and job is None
    ) else 200


def _run_import(form: ImportForm):  # type: ignore[no-untyped-def]
    from library import importers
    from mizan.storage.blobs import BlobTooLarge

    storage = form.file.data
    filename = Path(storage.filename or "").name
    if not filename:
        raise LibraryError(_("Choose a file to upload."))
    k = kernel()
    try:
        sha, _size = k.blobs.put_stream(storage.stream, k.settings.max_upload_mb * 1024 * 1024)
    except BlobTooLarge as exc:
        raise LibraryError(
            _("The file is larger than the upload limit of %(mb)d MB.", mb=exc.limit // 1048576)
        ) from None
    path = k.blobs.path(sha)
    kind = form.kind.data
    if kind == "act":
        from library.acts import import_act_text

        if not (form.code.data or "").strip() or not (form.title.data or "").strip():
            raise LibraryError(_("Enter the act's code and title."))
        act = import_act_text(
            k,
            actor(),
            importers.read_act_text(path, filename),
            code=form.code.data,
            title=form.title.data,
            source=filename,
        )
        return _("Imported %(title)s: %(n)d sections.", title=act.title, n=act.section_count)
    if kind == "judgment":
        if not (form.court.data or "").strip():
            raise LibraryError(_("Enter the court that decided the judgment."))
        report = importers.import_judgment_file(
            k,
            actor(),
            path,
            filename=filename,
            court=form.court.data,
            title=form.title.data or "",
            citation=form.citation.data or "",
        )
        return _(
            "Imported the judgment with %(edges)d citations (%(resolved)d found in the library).",
            edges=report.edges,
            resolved=report.resolved,
        )
    if not filename.lower().endswith((".jsonl", ".json", ".ndjson")):
        raise LibraryError(_("Judgments in bulk must be a .jsonl file (one JSON object a line)."))
    first = importers.read_jsonl(path, limit=1)
    problem = next((i for i in first if isinstance(i, importers.LineError)), None)
    if problem is not None:
        raise LibraryError(
            _("This does not look like a judgments file: %(problem)s", problem=str(problem))
        )
    return _queue_jsonl(sha, filename)


def _queue_jsonl(sha: str, filename: str):  # type: ignore[no-untyped-def]
    from library.tasks import JOB_KIND, TASK
    from mizan.jobs import Job, now
    from mizan.worker import enqueue

    k = kernel()
    job = Job(
        kind=JOB_KIND,
        subject_type="blob",
        subject_id=sha,
        title=filename,
        created_by=actor().user_id,
        created_at=now(),
        updated_at=now(),
    )
    k.store.insert(job)
    enqueue(TASK, job.id)
    return job


# --------------------------------------------------------------------------
# Acts and sections (last: their URLs are the most general)


def _act_or_404(code: str) -> Act:
    act = kernel().store.find_one(Act, {"code": code.lower()})
    if act is None:
        abort(404)
    return act


@bp.route("/<code>/")
@login_required
def act(code: str):  # type: ignore[no-untyped-def]
    a = _act_or_404(code)
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
def section(code: str, number: str):  # type: ignore[no-untyped-def]
    a = _act_or_404(code)
    store = kernel().store
    try:
        s = store.get(Section, section_id(a.code, number.upper()))
    except NotFoundError:
        abort(404)
    if number != s.number:
        return redirect(url_for("library.section", code=a.code, number=s.number))
    targets = sorted({x.target for x in s.xrefs})
    known = {x.id for x in store.find(Section, {"_id": {"$in": targets}})} if targets else set()
    neighbours = store.find(
        Section, {"act_code": a.code, "order": {"$in": [s.order - 1, s.order + 1]}}
    )
    prev = next((n for n in neighbours if n.order == s.order - 1), None)
    nxt = next((n for n in neighbours if n.order == s.order + 1), None)
    chapter = next((c for c in a.chapters if c.number == s.chapter), None)
    page = page_arg()
    total, citing = cited_by(
        store, "section", s.id, skip=(page - 1) * CITED_BY_PER_PAGE, limit=CITED_BY_PER_PAGE
    )
    own, _shared = bookmarks.collections_of(kernel(), actor())
    return render_template(
        "library/section.html",
        act=a,
        s=s,
        chapter=chapter,
        body=render_section_text(s, known),
        prev=prev,
        next=nxt,
        citing=citing,
        cited_total=total,
        pagination=Pagination(page, CITED_BY_PER_PAGE, total),
        collections=own,
        copy_text=f"Section {s.number}, {a.title}",
        is_admin=actor().has_role(Role.ADMIN),
    )
