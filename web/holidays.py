"""The holiday calendar an administrator keeps (gazetted, Islamic, provincial holidays)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from casefiles.holidays import (
    FIRST_YEAR,
    HOLIDAY_KINDS,
    LAST_YEAR,
    HolidayError,
    NewHoliday,
    add_holiday,
    add_national_holidays,
    remove_holiday,
)
from casefiles.pages import holiday_year
from casefiles.policy import may_manage_holidays
from mizan.accounts.service import PermissionDenied
from mizan.clock import pakistan_today
from mizan.i18n import lazy_gettext as _l
from mizan.storage import StaleWriteError
from web.support import actor, flash_form_errors, kernel

bp = Blueprint("holidays", __name__, url_prefix="/admin/holidays")


class HolidayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(lazy_gettext("Enter the date."))])
    name = StringField(
        _l("Name"),
        validators=[
            InputRequired(lazy_gettext("Enter the name of the holiday.")),
            Length(max=120, message=lazy_gettext("The name is too long (120 letters at most).")),
        ],
    )
    kind = SelectField(_l("Kind"), validators=[InputRequired()])


class YearForm(FlaskForm):
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(lazy_gettext("Enter the year.")),
            NumberRange(FIRST_YEAR, LAST_YEAR, lazy_gettext("Enter a year such as 2026.")),
        ],
    )


class RemoveForm(FlaskForm):
    version = HiddenField()


def _check() -> None:
    """The working calendar is kept by administrators (else 403)."""
    if not may_manage_holidays(actor()):
        abort(403)


def _holiday_form() -> HolidayForm:
    form = HolidayForm(prefix="holiday")
    form.kind.choices = [(k, str(v)) for k, v in HOLIDAY_KINDS.items()]
    return form


def _year() -> int:
    try:
        year = int(request.args.get("year", ""))
    except ValueError:
        return pakistan_today().year
    return year if FIRST_YEAR <= year <= LAST_YEAR else pakistan_today().year


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    _check()
    year = _year()
    form = _holiday_form()
    if not form.day.data:
        form.day.data = pakistan_today() if year == pakistan_today().year else dt.date(year, 1, 1)
    page = holiday_year(kernel(), year, pakistan_today())
    effective = page.calendar.holidays_in(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return render_template(
        "admin/holidays.html",
        year=year,
        years=page.years,
        entries=page.entries,
        effective=effective,
        form=form,
        year_form=YearForm(prefix="national", year=year),
        remove_form=RemoveForm(),
        kinds=HOLIDAY_KINDS,
    )


@bp.route("/add", methods=["POST"])
@login_required
def add() -> ResponseReturnValue:
    _check()
    form = _holiday_form()
    year = form.day.data.year if form.day.data else pakistan_today().year
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("holidays.index", year=year))
    try:
        add_holiday(kernel(), actor(), NewHoliday(form.day.data, form.name.data, form.kind.data))
    except (HolidayError, PermissionDenied) as exc:
        flash(str(exc), "error")
    else:
        flash(
            _(
                "%(date)s added as a holiday. Deadlines now count it.",
                date=form.day.data.strftime("%d.%m.%Y"),
            ),
            "success",
        )
    return redirect(url_for("holidays.index", year=year))


@bp.route("/national", methods=["POST"])
@login_required
def national() -> ResponseReturnValue:
    _check()
    form = YearForm(prefix="national")
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("holidays.index"))
    try:
        n = add_national_holidays(kernel(), actor(), form.year.data)
    except (HolidayError, PermissionDenied) as exc:
        flash(str(exc), "error")
    else:
        flash(_("%(n)d fixed-date national holidays added.", n=n), "success")
    return redirect(url_for("holidays.index", year=form.year.data))


@bp.route("/<holiday_id>/remove", methods=["POST"])
@login_required
def remove(holiday_id: str) -> ResponseReturnValue:
    _check()
    form = RemoveForm()
    year = _year()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("holidays.index", year=year))
    try:
        holiday = remove_holiday(kernel(), actor(), holiday_id, int(form.version.data or 0))
    except (HolidayError, PermissionDenied) as exc:
        flash(str(exc), "error")
    except StaleWriteError:
        flash(_("Someone changed this holiday meanwhile; look again and retry."), "error")
    else:
        flash(
            _("%(date)s is no longer a holiday.", date=holiday.date.strftime("%d.%m.%Y")),
            "success",
        )
    return redirect(url_for("holidays.index", year=year))
