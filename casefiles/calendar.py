"""Pakistan's fixed-date national holidays: the part of the holiday list that can be computed.

The Islamic holidays (Eid
ul-Fitr, Eid ul-Adha, Ashura, Eid Milad-un-Nabi) follow the lunar calendar and are
notified each year after moon sighting, and the Sindh Government adds provincial and
local holidays at short notice. Those cannot be derived: they come from the
admin-edited holiday list (``casefiles.holidays``), which is the authority for a year.
The working-day arithmetic over them is ``mizan.clock.WorkingCalendar``.
"""

from __future__ import annotations

from datetime import date

__all__ = ["fixed_national_holidays"]


#: Fixed-date national holidays: (month, day, name). A sample, not the gazette.
_FIXED_NATIONAL = (
    (2, 5, "Kashmir Solidarity Day"),
    (3, 23, "Pakistan Day"),
    (5, 1, "Labour Day"),
    (8, 14, "Independence Day"),
    (11, 9, "Iqbal Day"),
    (12, 25, "Quaid-e-Azam Day / Christmas"),
)


def fixed_national_holidays(year: int) -> dict[date, str]:
    """Pakistan's fixed-date national holidays for `year`, as a starting point.

    Only the dates that never move. The federal and Sindh governments change
    the list from year to year (Iqbal Day, for one, has been dropped and
    restored), and the Islamic holidays move with the lunar calendar, so the
    admin-edited holiday list remains the authority; merge this into it rather
    than relying on it alone.
    """
    return {date(year, m, d): name for m, d, name in _FIXED_NATIONAL}
