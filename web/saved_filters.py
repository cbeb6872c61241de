"""Saving and deleting a person's named filters of a list (cases, deadlines)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length

from casefiles.saved_filters import (
    SavedFilterError,
    canonical_query,
    delete_filter,
    save_filter,
)
from mizan.i18n import lazy_gettext as _l
from web.support import actor, flash_form_errors, kernel

bp = Blueprint("saved_filters", __name__, url_prefix="/filters")


class SaveFilterForm(FlaskForm):
    name = StringField(
        _l("Name of this filter"),
        validators=[
            InputRequired(lazy_gettext("Give the filter a name.")),
            Length(max=60, message=lazy_gettext("The name is too long (60 letters at most).")),
        ],
    )
    query = HiddenField()
    #: The list page to return to (a path on this site).
    back = HiddenField()


class DeleteFilterForm(FlaskForm):
    version = HiddenField()
    back = HiddenField()


def _back(raw: str | None) -> str:
    """A same-site path to return to; anything else goes to the case list."""
    parts = urlsplit(raw or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return url_for("cases.index")
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.route("/<list_name>/save", methods=["POST"])
@login_required
def save(list_name: str) -> ResponseReturnValue:
    form = SaveFilterForm()
    back = _back(form.back.data or request.referrer)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(back)
    try:
        query = canonical_query(list_name, form.query.data or "")
        save_filter(kernel(), actor(), list_name, form.name.data or "", query)
    except SavedFilterError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Filter “%(name)s” saved.", name=" ".join(form.name.data.split())), "success")
    return redirect(back)


@bp.route("/<filter_id>/delete", methods=["POST"])
@login_required
def delete(filter_id: str) -> ResponseReturnValue:
    form = DeleteFilterForm()
    back = _back(form.back.data or request.referrer)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(back)
    try:
        gone = delete_filter(kernel(), actor(), filter_id, int(form.version.data or 0))
    except (SavedFilterError, ValueError) as exc:
        flash(str(exc), "error")
    else:
        flash(_("Filter “%(name)s” deleted.", name=gone.name), "success")
    return redirect(back)


def saved_filter_context(list_name: str, query: str) -> dict[str, object]:
    """What the saved-filters partial (``_saved_filters.html``) shows on a list page."""
    from casefiles.saved_filters import saved_filters

    here = request.full_path.rstrip("?")
    return {
        "saved_list": list_name,
        "saved": saved_filters(kernel(), actor(), list_name),
        "saved_query": query,
        "save_form": SaveFilterForm(query=query, back=here, formdata=None),
        "delete_form": DeleteFilterForm(back=here, formdata=None),
    }
