"""The user's notifications: the bell in the top bar and the notifications page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from mizan.notifications import (
    KINDS,
    NotificationError,
    inbox,
    mark_read_for,
    open_notification,
    render,
    unread_of,
)
from web.support import Pagination, actor, kernel, page_arg

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
PER_PAGE = 25


@bp.app_context_processor
def _bell() -> dict:
    """The unread count for the top bar, on every page of a signed-in user (one indexed count)."""
    if not getattr(current_user, "is_authenticated", False):
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_of(kernel(), actor())}


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    who = actor()
    page = page_arg()
    unread_only = request.args.get("show") == "unread"
    notes, total = inbox(kernel(), who, unread_only=unread_only, page=page, per_page=PER_PAGE)
    return render_template(
        "notifications/index.html",
        notes=notes,
        render=render,
        kinds=KINDS,
        unread_only=unread_only,
        pagination=Pagination(page, PER_PAGE, total),
    )


@bp.route("/<note_id>/open", methods=["POST"])
@login_required
def open_(note_id: str) -> ResponseReturnValue:
    """Mark read and follow the link (a POST, so a crafted link cannot mark things read)."""
    try:
        note = open_notification(kernel(), actor(), note_id)
    except NotificationError:
        abort(404)
    return redirect(note.link or url_for("notifications.index"))


@bp.route("/read", methods=["POST"])
@login_required
def read() -> ResponseReturnValue:
    ids = request.form.getlist("ids")
    every = bool(request.form.get("all"))
    if every or ids:
        n = mark_read_for(kernel(), actor(), ids, every=every)
    else:
        flash(_("Choose the notifications to mark as read."), "error")
        return redirect(url_for("notifications.index"))
    flash(_("%(n)d notifications marked as read.", n=n), "success")
    return redirect(url_for("notifications.index"))
