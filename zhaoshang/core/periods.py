"""The one rule for the default reporting period of every page: the last complete month.

Rankings, bulletins, the cockpit, progress pages and activity statistics all report "January to month m" of a
year. Before this rule the rankings defaulted to the current month (on the 1st of a month: a month with no data
counted as elapsed, so everyone fell onto the 黑榜; in December, the whole year) while the bulletin defaulted to the
previous month. Now every page opens on the last complete month — in January that is December of last year — shows
it in its form, and lets the user change it. Pass ``today`` in tests; pages pass nothing (``timezone.localdate()``).
"""

import calendar
from collections.abc import Mapping
from datetime import date, timedelta

from django.utils import timezone

FIRST_YEAR, LAST_YEAR = 2000, 2100


def last_complete_month(today: date | None = None) -> tuple[int, int]:
    """(year, month) of the last month that has ended: on 2026-07-01 and on 2026-07-31 alike, (2026, 6)."""
    today = today or timezone.localdate()
    last = today.replace(day=1) - timedelta(days=1)
    return last.year, last.month


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def default_date_range(today: date | None = None) -> tuple[date, date]:
    """January 1st to the end of the last complete month, for pages that take a range of dates."""
    year, month = last_complete_month(today)
    return date(year, 1, 1), month_end(year, month)


def requested_month(params: Mapping, today: date | None = None) -> tuple[int, int]:
    """(year, month) from a query string's ``year`` and ``month``; a missing or invalid part falls back to the
    last complete month's."""
    default_year, default_month = last_complete_month(today)
    try:
        year = int(params.get("year") or default_year)
        month = int(params.get("month") or default_month)
    except (TypeError, ValueError):
        return default_year, default_month
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return default_year, default_month
    return year, month
