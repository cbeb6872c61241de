"""The admin-kept holiday calendar: authority per year, validation, audit, and deadlines
that move when a holiday is entered."""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.holidays import (
    HolidayError,
    NewHoliday,
    add_holiday,
    add_national_holidays,
    remove_holiday,
    working_calendar,
)
from casefiles.models import Case, FirRef
from casefiles.schedule import case_deadlines
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.audit import AuditEntry
from mizan.storage import StaleWriteError

ADMIN = Actor("a1", "admin", frozenset({"admin"}))
CLERK = Actor("c1", "clerk", frozenset({"clerk"}), district="KHI-S")
TODAY = dt.date(2025, 6, 30)


def test_fixed_national_holidays_stand_in_until_a_year_is_entered(kernel) -> None:
    calendar = working_calendar(kernel.store, TODAY)
    assert not calendar.is_working_day(dt.date(2025, 8, 14))
    add_holiday(kernel, ADMIN, NewHoliday(dt.date(2025, 3, 31), "Eid ul-Fitr", "islamic"))
    calendar = working_calendar(kernel.store, TODAY)
    assert not calendar.is_working_day(dt.date(2025, 3, 31))
    # 2025 is now the administrator's list: 14 August counts only once entered.
    assert calendar.is_working_day(dt.date(2025, 8, 14))
    assert add_national_holidays(kernel, ADMIN, 2025) == 6
    assert add_national_holidays(kernel, ADMIN, 2025) == 0
    assert not working_calendar(kernel.store, TODAY).is_working_day(dt.date(2025, 8, 14))
    # Other years keep their stand-ins.
    assert not working_calendar(kernel.store, TODAY).is_working_day(dt.date(2026, 8, 14))


def test_validation_and_permission(kernel) -> None:
    add_holiday(kernel, ADMIN, NewHoliday(dt.date(2025, 6, 7), "Eid ul-Adha", "islamic"))
    with pytest.raises(HolidayError, match="already a holiday"):
        add_holiday(kernel, ADMIN, NewHoliday(dt.date(2025, 6, 7), "Again", "islamic"))
    with pytest.raises(HolidayError, match="name"):
        add_holiday(kernel, ADMIN, NewHoliday(dt.date(2025, 6, 8), "   ", "islamic"))
    with pytest.raises(HolidayError, match="kind"):
        add_holiday(kernel, ADMIN, NewHoliday(dt.date(2025, 6, 8), "X", "party"))
    with pytest.raises(HolidayError, match="year"):
        add_holiday(kernel, ADMIN, NewHoliday(dt.date(1900, 6, 8), "X", "local"))
    with pytest.raises(PermissionDenied):
        add_holiday(kernel, CLERK, NewHoliday(dt.date(2025, 6, 9), "X", "local"))


def test_changes_are_audited_and_stale_removal_refused(kernel) -> None:
    holiday = add_holiday(kernel, ADMIN, NewHoliday(dt.date(2025, 7, 6), "Ashura", "islamic"))
    with pytest.raises(StaleWriteError):
        remove_holiday(kernel, ADMIN, holiday.id, holiday.version + 1)
    remove_holiday(kernel, ADMIN, holiday.id, holiday.version)
    actions = [e.action for e in kernel.store.find(AuditEntry, {"subject_id": holiday.id})]
    assert sorted(actions) == ["calendar.holiday_added", "calendar.holiday_removed"]
    with pytest.raises(HolidayError):
        remove_holiday(kernel, ADMIN, holiday.id, holiday.version)


def test_a_new_holiday_moves_a_working_day_deadline(kernel) -> None:
    case = Case(
        title="ATA",
        district="KHI-S",
        fir=FirRef(
            police_station="CTD", number=1, year=2025, registered_on=dt.datetime(2025, 6, 2)
        ),
        reference="FIR 1/2025 PS CTD",
        labels=["ATA"],
    )

    def due() -> dt.date:
        calendar = working_calendar(kernel.store, TODAY)
        found = case_deadlines(case, TODAY, calendar=calendar)
        return next(d.deadline.due for d in found if d.deadline.rule_id == "interim_challan_ata")

    before = due()
    add_holiday(kernel, ADMIN, NewHoliday(dt.date(2025, 6, 10), "Eid ul-Adha", "islamic"))
    assert due() == before + dt.timedelta(days=1)  # one working day later (a Tuesday span)
