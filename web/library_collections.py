"""Library collections in the browser: create, bookmark entries, share, attach to cases.
Routes of the ``library`` blueprint; permissions are decided in ``library.bookmarks``."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from library import bookmarks
from library.models import CollectionItem
from mizan.accounts.service import PermissionDenied
from mizan.i18n import lazy_gettext as _l
from mizan.storage import StaleWriteError
from web.library import bp
from web.support import actor, kernel


class NameForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])


class ShareForm(FlaskForm):
    username = StringField(_l("Colleague's username"), validators=[DataRequired()])


class AttachForm(FlaskForm):
    case_id = SelectField(_l("Case"), validators=[DataRequired()])


def _collection_action(collection_id: str, action: Callable[[], object], success: str) -> Response:
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
def collections() -> ResponseReturnValue:
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
    owners = bookmarks.user_names(kernel(), {c.owner_id for c in shared})
    return render_template(
        "library/collections.html", own=own, shared=shared, owners=owners, form=form
    )


@bp.route("/collections/<collection_id>")
@login_required
def collection(collection_id: str) -> ResponseReturnValue:
    try:
        view = bookmarks.collection_view(kernel(), actor(), collection_id)
    except bookmarks.CollectionNotFound:
        abort(404)
    coll = view.collection
    attach = None
    if view.attachable is not None:
        attach = AttachForm()
        attach.case_id.choices = [(c.id, f"{c.reference} — {c.title}") for c in view.attachable]
    return render_template(
        "library/collection.html",
        coll=coll,
        cases=view.cases,
        hidden_cases=view.hidden_cases,
        is_owner=view.is_owner,
        names=view.names,
        rename_form=NameForm(name=coll.name),
        share_form=ShareForm(),
        attach_form=attach,
        item_url=_item_url,
    )


def _item_url(item: CollectionItem) -> str:
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
def add_item(collection_id: str) -> ResponseReturnValue:
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
def add_to_collection() -> ResponseReturnValue:
    """The bookmark form on section and judgment pages names the collection in a field."""
    collection_id = request.form.get("collection_id", "")
    if not collection_id:
        flash(_("Choose a collection."), "error")
        return redirect(request.form.get("next") or url_for("library.collections"))
    return add_item(collection_id)


def _post_action(
    collection_id: str, service: Callable[..., object], success: str, *fields: str
) -> Response:
    """A form post that calls ``service(kernel, actor, collection_id, *form fields)``."""
    if not _form_ok():
        return redirect(url_for("library.collection", collection_id=collection_id))
    values = [request.form.get(f, "") for f in fields]
    return _collection_action(
        collection_id, lambda: service(kernel(), actor(), collection_id, *values), success
    )


@bp.route("/collections/<collection_id>/items/remove", methods=["POST"])
@login_required
def remove_item(collection_id: str) -> ResponseReturnValue:
    return _post_action(
        collection_id,
        bookmarks.remove_item,
        _("Removed from the collection."),
        "kind",
        "target_id",
    )


@bp.route("/collections/<collection_id>/rename", methods=["POST"])
@login_required
def rename(collection_id: str) -> ResponseReturnValue:
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
def delete(collection_id: str) -> ResponseReturnValue:
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
def share(collection_id: str) -> ResponseReturnValue:
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
def unshare(collection_id: str) -> ResponseReturnValue:
    return _post_action(
        collection_id, bookmarks.unshare, _("No longer shared with that colleague."), "user_id"
    )


@bp.route("/collections/<collection_id>/cases", methods=["POST"])
@login_required
def attach(collection_id: str) -> ResponseReturnValue:
    return _post_action(collection_id, bookmarks.attach_case, _("Attached to the case."), "case_id")


@bp.route("/collections/<collection_id>/cases/remove", methods=["POST"])
@login_required
def detach(collection_id: str) -> ResponseReturnValue:
    return _post_action(
        collection_id, bookmarks.detach_case, _("Detached from the case."), "case_id"
    )
