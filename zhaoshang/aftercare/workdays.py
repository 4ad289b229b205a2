"""Working days: Chinese public holidays and 调休 (make-up working weekends) from the ``chinese-calendar`` package.

The State Council publishes each year's holiday schedule in November or December; the package gets a release
with it, and ``requirements.txt`` is bumped then (docs/decisions.md, "Working days"). For a year the installed
package does not know yet, weekends are the only days off (and ``calendar_known`` says so, for the page and the
log), rather than stopping every clock on 1 January."""

import logging
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        logger.warning("chinese-calendar has no holiday data for %s; weekends only", day.year)
        return day.weekday() < 5


def calendar_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def next_workday(day: date) -> date:
    """The day itself if it is a working day, else the next one (a request filed on a holiday starts then)."""
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def add_workdays(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (0: the start day itself, or the next working day)."""
    day = next_workday(start)
    while days > 0:
        day += timedelta(days=1)
        if is_workday(day):
            days -= 1
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count
