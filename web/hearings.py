"""Hearings: my week and month, a court's printable cause list, scheduling and outcomes,
and the personal calendar feed.

People type and read Pakistan time; the services get aware datetimes (see
``casefiles.hearings``), so the conversion happens here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields import TimeField
from wtforms.validators import InputRequired, Length, Optional

from casefiles.calendar_tokens import calendar_token, issue_calendar_token, user_for_token
from casefiles.hearing_access import get_hearing
from casefiles.hearing_calendars import calendar, cause_list, courts_on, known_courts, reminders
from casefiles.hearing_clashes import HearingClash
from casefiles.hearing_service import record_outcome, schedule_hearing
from casefiles.hearings import (
    ADJOURNMENT_REASONS,
    OUTCOMES,
    PURPOSES,
    Hearing,
    HearingError,
    HearingNotFound,
    NewHearing,
)
from casefiles.ical import hearings_calendar
from casefiles.models import Case
from casefiles.pages import (
    case_hearings,
    case_references,
    hearing_context,
    hearing_neighbours,
    names_of,
    prosecutors_for,
)
from casefiles.policy import can_edit_case, may_import_cause_lists, own_prosecutor_id
from casefiles.service import CaseNotFound, get_case
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.actor import Actor
from mizan.clock import pakistan_moment, pakistan_today, utc_naive_now
from mizan.storage import StaleWriteError
from web.support import actor, client_address, kernel

bp = Blueprint("hearings", __name__, url_prefix="/hearings")

#: The feed covers a month back (recent outcomes) and a year ahead.
FEED_PAST = dt.timedelta(days=31)
FEED_DAYS = 31 + 366


# -- forms -------------------------------------------------------------------------------------


class ScheduleForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date of the hearing."))])
    time = TimeField(
        _l("Time (Pakistan)"), validators=[InputRequired(_l("Enter the time, e.g. 09:30."))]
    )
    court = StringField(
        _l("Court"),
        validators=[
            InputRequired(_l("Enter the court, e.g. “ATC-XII Karachi”.")),
            Length(max=120, message=_l("The court name is too long (120 letters at most).")),
        ],
    )
    purpose = SelectField(
        _l("Purpose"),
        default="evidence",
        validators=[InputRequired(_l("Choose what the hearing is for."))],
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=2000, message=_l("The notes are too long."))],
    )
    history = BooleanField(_l("Recording a past hearing"))
    override_clash = BooleanField(_l("Schedule it anyway: I know it clashes"))
    back = HiddenField()
    #: Set when the form is on a child matter's page (see web/matters.py).
    matter_id = HiddenField()


class OutcomeForm(FlaskForm):
    outcome = SelectField(
        _l("What happened"),
        validators=[InputRequired(_l("Choose what happened at the hearing."))],
    )
    adjournment_reason = SelectField(_l("Reason for adjournment"), validators=[Optional()])
    note = TextAreaField(
        _l("Note"), validators=[Optional(), Length(max=2000, message=_l("The note is too long."))]
    )
    next_day = DateField(_l("Next date"), validators=[Optional()])
    next_time = TimeField(_l("Time (Pakistan)"), validators=[Optional()])
    next_purpose = SelectField(_l("Next hearing is for"), validators=[Optional()])
    version = HiddenField()
    override_clash = BooleanField(_l("Record it anyway: I know the next date clashes"))
    back = HiddenField()


def _choices(labels: dict, blank: str | None = None) -> list[tuple[str, str]]:
    items = [(key, str(label)) for key, label in labels.items()]
    return [("", blank), *items] if blank is not None else items


def schedule_form(**kwargs: object) -> ScheduleForm:
    form = ScheduleForm(prefix="hearing", **kwargs)
    form.purpose.choices = _choices(PURPOSES)
    return form


def outcome_form(**kwargs: object) -> OutcomeForm:
    form = OutcomeForm(**kwargs)
    form.outcome.choices = _choices(OUTCOMES)
    form.adjournment_reason.choices = _choices(ADJOURNMENT_REASONS, "—")
    form.next_purpose.choices = _choices(PURPOSES, _("— same as this hearing —"))
    return form


def case_panel_context(case: Case) -> dict[str, object]:
    """What ``hearings/_case_panel.html`` needs besides ``case`` (for the case page)."""
    panel = case_hearings(kernel(), actor(), case)
    form = schedule_form(formdata=None, back="case") if panel.can_schedule else None
    return {
        "hearings": panel.hearings,
        "hearing_form": form,
        "hearing_courts": panel.courts,
    }


@bp.app_context_processor
def _hearing_labels() -> dict[str, object]:
    """Labels the case panel needs wherever it is included."""
    return {
        "hearing_purposes": PURPOSES,
        "hearing_outcomes": OUTCOMES,
        "adjournment_reasons": ADJOURNMENT_REASONS,
    }


# -- helpers -----------------------------------------------------------------------------------


def _date_arg(name: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return default


def _month_arg(default: dt.date) -> dt.date:
    try:
        return dt.datetime.strptime(request.args.get("month", ""), "%Y-%m").date()
    except ValueError:
        return default.replace(day=1)


def _context(hearings: Iterable[Hearing]) -> dict[str, object]:
    """Cases (for references and links) and prosecutor names of some hearings."""
    return hearing_context(kernel(), list(hearings))


def _prosecutor_choices(who: Actor) -> list[tuple[str, str]]:
    return [(u.id, u.full_name) for u in prosecutors_for(kernel(), who)]


def _back_to(case: Case, back: str | None, anchor: str = "hearings") -> ResponseReturnValue:
    """Back to the case page (when the form was on it) or to the case's hearings page."""
    if back == "case":
        return redirect(url_for("cases.show", case_id=case.id) + f"#{anchor}")
    if back and back.startswith("matter:"):
        return redirect(url_for("matters.show", matter_id=back.removeprefix("matter:")))
    return redirect(url_for("hearings.for_case", case_id=case.id))


def _case_or_404(case_id: str) -> Case:
    try:
        return get_case(kernel(), actor(), case_id)
    except CaseNotFound:
        abort(404)


# -- calendars ---------------------------------------------------------------------------------


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    """My week (or month): hearings grouped by Pakistan day, with the next 24 hours on top."""
    who = actor()
    today = pakistan_today()
    view = "month" if request.args.get("view") == "month" else "week"
    own = own_prosecutor_id(who) or ""
    prosecutor = request.args.get("prosecutor", own)
    court = " ".join(request.args.get("court", "").split())
    if view == "month":
        first = _month_arg(today)
        start = first - dt.timedelta(days=first.weekday())
        next_month = (first + dt.timedelta(days=32)).replace(day=1)
        last = next_month - dt.timedelta(days=1)
        days = (last + dt.timedelta(days=6 - last.weekday()) - start).days + 1
        prev_month = (first - dt.timedelta(days=1)).replace(day=1)
        nav = {"prev": prev_month.strftime("%Y-%m"), "next": next_month.strftime("%Y-%m")}
    else:
        chosen = _date_arg("start", today)
        start = chosen - dt.timedelta(days=chosen.weekday())
        first, days = start, 7
        nav = {
            "prev": (start - dt.timedelta(days=7)).isoformat(),
            "next": (start + dt.timedelta(days=7)).isoformat(),
        }
    hearings = calendar(
        kernel(), who, start=start, days=days, prosecutor_id=prosecutor or None, court=court
    )
    by_day: dict[dt.date, list[Hearing]] = {start + dt.timedelta(days=n): [] for n in range(days)}
    for hearing in hearings:
        by_day.setdefault(hearing.local_starts_at.date(), []).append(hearing)
    soon = reminders(kernel(), who, utc_naive_now())
    return render_template(
        "hearings/index.html",
        view=view,
        start=start,
        first=first,
        days=by_day,
        weeks=[list(by_day)[i : i + 7] for i in range(0, len(by_day), 7)],
        nav=nav,
        today=today,
        prosecutor=prosecutor,
        court=court,
        prosecutors=_prosecutor_choices(who),
        courts=known_courts(kernel(), who),
        soon=soon,
        **_context([*hearings, *soon]),
    )


@bp.route("/court")
@login_required
def court_list() -> ResponseReturnValue:
    """The printable cause list of one court for one day (or the courts sitting that day)."""
    who = actor()
    day = _date_arg("day", pakistan_today())
    court = " ".join(request.args.get("court", "").split())
    hearings = cause_list(kernel(), who, court, day) if court else []
    return render_template(
        "hearings/cause_list.html",
        day=day,
        court=court,
        hearings=hearings,
        sitting=[] if court else courts_on(kernel(), who, day),
        courts=known_courts(kernel(), who),
        prev_day=(day - dt.timedelta(days=1)).isoformat(),
        next_day=(day + dt.timedelta(days=1)).isoformat(),
        may_import=may_import_cause_lists(who),
        **_context(hearings),
    )


@bp.route("/hearings.css")
def stylesheet() -> ResponseReturnValue:
    """Calendar grid and print rules (served from here: inline styles are blocked by the CSP)."""
    response = Response(render_template("hearings/hearings.css"), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


# -- one case --------------------------------------------------------------------------------


@bp.route("/case/<case_id>")
@login_required
def for_case(case_id: str) -> ResponseReturnValue:
    case = _case_or_404(case_id)
    panel = case_hearings(kernel(), actor(), case)
    form = schedule_form(formdata=None) if panel.can_schedule else None
    return render_template(
        "hearings/case.html",
        case=case,
        hearings=panel.hearings,
        hearing_form=form,
        hearing_courts=panel.courts,
    )


@bp.route("/case/<case_id>/new", methods=["GET", "POST"])
@login_required
def schedule(case_id: str) -> ResponseReturnValue:
    """Schedule a hearing; errors and clashes come back on this page with what was typed."""
    who = actor()
    case = _case_or_404(case_id)
    if not can_edit_case(who, case):
        abort(403)
    form = schedule_form()
    clash = None
    if form.validate_on_submit():
        try:
            hearing = schedule_hearing(
                kernel(),
                who,
                case.id,
                NewHearing(
                    starts_at=pakistan_moment(form.day.data, form.time.data),
                    court=form.court.data,
                    purpose=form.purpose.data,
                    notes=form.notes.data or "",
                    history=form.history.data,
                    matter_id=form.matter_id.data or None,
                ),
                override_clash=form.override_clash.data,
            )
        except HearingClash as exc:
            clash = exc
            form.form_errors.append(str(exc))
        except (HearingError, PermissionDenied) as exc:
            form.form_errors.append(str(exc))
        else:
            flash(
                _(
                    "Hearing on %(when)s in %(court)s scheduled.",
                    when=hearing.local_starts_at.strftime("%d.%m.%Y %H:%M"),
                    court=hearing.court,
                ),
                "success",
            )
            return _back_to(case, form.back.data)
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "hearings/schedule.html",
        case=case,
        form=form,
        clash=clash,
        courts=known_courts(kernel(), who),
    ), status


# -- one hearing -------------------------------------------------------------------------------


def _hearing_or_404(hearing_id: str) -> tuple[Hearing, Case]:
    try:
        return get_hearing(kernel(), actor(), hearing_id)
    except HearingNotFound:
        abort(404)


def _render_hearing(
    hearing: Hearing,
    case: Case,
    form: OutcomeForm | None,
    clash: HearingClash | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    previous, following = hearing_neighbours(kernel(), hearing)
    return render_template(
        "hearings/show.html",
        hearing=hearing,
        case=case,
        form=form,
        clash=clash,
        previous=previous,
        following=following,
        names=names_of(kernel(), [*hearing.prosecutor_ids, hearing.created_by or ""]),
    ), status


@bp.route("/<hearing_id>")
@login_required
def show(hearing_id: str) -> ResponseReturnValue:
    hearing, case = _hearing_or_404(hearing_id)
    form = None
    if hearing.awaiting_outcome and can_edit_case(actor(), case):
        form = outcome_form(formdata=None, version=str(hearing.version))
    return _render_hearing(hearing, case, form)


@bp.route("/<hearing_id>/outcome", methods=["POST"])
@login_required
def outcome(hearing_id: str) -> ResponseReturnValue:
    who = actor()
    hearing, case = _hearing_or_404(hearing_id)
    if not can_edit_case(who, case):
        abort(403)
    form = outcome_form()
    clash = None
    if form.validate_on_submit():
        next_date: dt.datetime | dt.date | None = form.next_day.data
        if form.next_day.data and form.next_time.data:
            next_date = pakistan_moment(form.next_day.data, form.next_time.data)
        try:
            version = int(form.version.data or 0)
        except ValueError:
            version = 0
        try:
            record_outcome(
                kernel(),
                who,
                hearing.id,
                version,
                form.outcome.data,
                form.adjournment_reason.data or None,
                next_date,
                note=form.note.data or "",
                next_purpose=form.next_purpose.data or None,
                override_clash=form.override_clash.data,
            )
        except HearingClash as exc:
            clash = exc
            form.form_errors.append(str(exc))
        except (HearingError, StaleWriteError, PermissionDenied) as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("Outcome recorded."), "success")
            if form.back.data == "case":
                return _back_to(case, "case")
            return redirect(url_for("hearings.show", hearing_id=hearing.id))
    return _render_hearing(hearing, case, form, clash, 400)


# -- calendar feed -----------------------------------------------------------------------------


@bp.route("/ical", methods=["GET", "POST"])
@login_required
def ical() -> ResponseReturnValue:
    """The feed link: made (or replaced) on POST and shown once; only its hash is kept."""
    who = actor()
    url = None
    if request.method == "POST":
        # CSRF is checked by CSRFProtect before this runs.
        token = issue_calendar_token(kernel(), who)
        url = url_for("hearings.feed", token=token, _external=True)
    return render_template("hearings/ical.html", url=url, record=calendar_token(kernel(), who))


@bp.route("/ical/<token>.ics")
def feed(token: str) -> ResponseReturnValue:
    """The user's hearings as iCalendar, for calendar programs (no sign-in: the URL is the key)."""
    user = user_for_token(kernel(), token)
    if user is None:
        abort(404)
    who = actor_for(user, client_address(), "ical")
    start = pakistan_today() - FEED_PAST
    own = own_prosecutor_id(who)
    hearings = calendar(kernel(), who, start=start, days=FEED_DAYS, prosecutor_id=own)
    refs = case_references(kernel(), hearings)
    body = hearings_calendar(
        hearings,
        refs,
        name=_("Hearings of %(name)s", name=user.full_name),
        stamp=utc_naive_now(),
    )
    response = Response(body.encode("utf-8"), mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="hearings.ics"'
    return response
