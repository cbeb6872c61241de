"""The gazetted holiday list an administrator keeps, and the working calendar built from it.

Deadline arithmetic (``casefiles.deadlines``) needs to know which days are
holidays. Fixed-date national holidays can be computed, but the Islamic
holidays move with the moon and are notified each year, and the Sindh
Government adds holidays at short notice — so the list is data, entered here.

Authority per year: once an administrator has entered any holiday for a year,
that year's list is exactly what they entered (Iqbal Day has been dropped and
restored; the list decides). For a year with no entries at all, the fixed-date
national holidays stand in, so deadlines never silently ignore 14 August.

Deadlines are derived every time they are shown, so a changed holiday moves
every deadline at once; nothing needs recomputing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import mongoengine as me

from casefiles.calendar import fixed_national_holidays
from mizan.accounts.roles import Role
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.clock import WorkingCalendar, pakistan_today, utc_naive_now
from mizan.events import DomainEvent
from mizan.i18n import gettext as _
from mizan.i18n import lazy_gettext as _l
from mizan.kernel import Kernel
from mizan.storage import DocumentStore, DuplicateKeyError, Model, NotFoundError

HOLIDAY_KINDS = {
    "national": _l("National (fixed date)"),
    "islamic": _l("Islamic (moon sighting)"),
    "provincial": _l("Sindh Government"),
    "local": _l("Local or court holiday"),
}
#: Years for which the stand-in national holidays are supplied around today.
_YEARS_BACK, _YEARS_AHEAD = 10, 3
FIRST_YEAR, LAST_YEAR = 1947, 2100


class Holiday(Model):
    label = "holiday"
    #: Midnight of the holiday (a whole Pakistan day).
    day = me.DateTimeField(required=True, unique=True)
    year = me.IntField(required=True)
    name = me.StringField(required=True, max_length=120)
    kind = me.StringField(required=True, choices=list(HOLIDAY_KINDS))
    created_by = me.StringField()
    created_at = me.DateTimeField()

    meta = {"collection": "holidays", "indexes": ["year"]}

    @property
    def date(self) -> dt.date:
        return self.day.date()


class HolidayError(ValueError):
    """Input that cannot be accepted; the message says what to fix."""


@dataclass(frozen=True)
class NewHoliday:
    day: dt.date
    name: str
    kind: str


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def _require_admin(actor: Actor) -> None:
    if not actor.has_role("system", Role.ADMIN):
        raise PermissionDenied(_("Only an administrator can change the holiday calendar."))


def working_calendar(store: DocumentStore, today: dt.date | None = None) -> WorkingCalendar:
    """Saturday and Sunday off, plus the holidays entered (or the stand-ins, see above)."""
    today = today or pakistan_today()
    entered: dict[dt.date, str] = {h.date: h.name for h in store.find(Holiday, {})}
    years_entered = {d.year for d in entered}
    holidays = dict(entered)
    for year in range(today.year - _YEARS_BACK, today.year + _YEARS_AHEAD + 1):
        if year not in years_entered:
            holidays.update(fixed_national_holidays(year))
    return WorkingCalendar(holidays=holidays)


def holidays_of(store: DocumentStore, year: int) -> list[Holiday]:
    return store.find(Holiday, {"year": year}, sort=[("day", 1)])


def years_entered(store: DocumentStore) -> list[int]:
    return sorted(int(y) for y in store.group_count(Holiday, "year"))


def add_holiday(kernel: Kernel, actor: Actor, data: NewHoliday) -> Holiday:
    """Enter one holiday; a second entry for the same day is refused."""
    _require_admin(actor)
    name = " ".join(data.name.split())
    if not name:
        raise HolidayError(_("Enter the name of the holiday, e.g. “Eid ul-Fitr”."))
    if len(name) > 120:
        raise HolidayError(_("The name is too long (120 letters at most)."))
    if data.kind not in HOLIDAY_KINDS:
        raise HolidayError(_("Choose what kind of holiday this is."))
    if not FIRST_YEAR <= data.day.year <= LAST_YEAR:
        raise HolidayError(
            _("The year must be between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
        )
    holiday = Holiday(
        day=_midnight(data.day),
        year=data.day.year,
        name=name,
        kind=data.kind,
        created_by=actor.user_id,
        created_at=utc_naive_now(),
    )
    try:
        with kernel.store.transaction():
            kernel.store.insert(holiday)
            kernel.emit(
                DomainEvent(
                    "calendar.holiday_added",
                    actor,
                    "holiday",
                    holiday.id,
                    {"date": data.day.isoformat(), "name": name, "kind": data.kind},
                )
            )
    except DuplicateKeyError:
        existing = kernel.store.find_one(Holiday, {"day": _midnight(data.day)})
        raise HolidayError(
            _(
                "%(date)s is already a holiday (%(name)s).",
                date=data.day.strftime("%d.%m.%Y"),
                name=existing.name if existing else "?",
            )
        ) from None
    return holiday


def remove_holiday(kernel: Kernel, actor: Actor, holiday_id: str, version: int) -> Holiday:
    """Remove an entry (e.g. a holiday the government withdrew); refused if it changed meanwhile."""
    _require_admin(actor)
    try:
        holiday = kernel.store.get(Holiday, holiday_id)
    except NotFoundError:
        raise HolidayError(_("That holiday is not in the calendar (any more).")) from None
    holiday.version = version
    with kernel.store.transaction():
        kernel.store.delete(holiday)
        kernel.emit(
            DomainEvent(
                "calendar.holiday_removed",
                actor,
                "holiday",
                holiday.id,
                {"date": holiday.date.isoformat(), "name": holiday.name},
            )
        )
    return holiday


def add_national_holidays(kernel: Kernel, actor: Actor, year: int) -> int:
    """Enter the fixed-date national holidays of ``year`` (those missing); returns how many."""
    _require_admin(actor)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise HolidayError(
            _("The year must be between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
        )
    added = 0
    for day, name in sorted(fixed_national_holidays(year).items()):
        if kernel.store.find_one(Holiday, {"day": _midnight(day)}) is None:
            add_holiday(kernel, actor, NewHoliday(day, name, "national"))
            added += 1
    return added
