"""One rule for the default period of every page: the last complete month, shown in the form and changeable.

There is no freezegun or time-machine in requirements-dev: ``last_complete_month`` takes ``today``, and the page
tests pin ``timezone.localdate`` (what the pages call) with monkeypatch."""

import re
from datetime import date

import pytest
from django.utils import timezone

from zhaoshang.core.periods import default_date_range, last_complete_month, requested_month

pytestmark = pytest.mark.django_db

DAYS = [
    (date(2026, 7, 1), (2026, 6)),  # the 1st: the month that just ended, not a month with no data
    (date(2026, 7, 15), (2026, 6)),  # mid-month: the same
    (date(2026, 7, 31), (2026, 6)),  # the last day: July has not ended yet
    (date(2026, 12, 1), (2026, 11)),  # not the whole year (100 % elapsed, everyone on the 黑榜)
    (date(2026, 1, 1), (2025, 12)),  # January: December of last year
]


@pytest.mark.parametrize(("today", "expected"), DAYS)
def test_the_default_period_is_the_last_complete_month(today, expected):
    assert last_complete_month(today) == expected
    assert default_date_range(today) == (date(expected[0], 1, 1), _month_end(*expected))
    assert requested_month({}, today) == expected
    assert requested_month({"year": "2025", "month": "3"}, today) == (2025, 3)  # the user's choice wins
    assert requested_month({"year": "x", "month": "13"}, today) == expected


def _month_end(year, month):
    from zhaoshang.core.periods import month_end

    return month_end(year, month)


@pytest.mark.parametrize(("today", "expected"), [DAYS[0], DAYS[1], DAYS[3], DAYS[4]])
def test_every_page_with_a_period_opens_on_the_last_complete_month_and_shows_it(
    today, expected, monkeypatch, as_persona
):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    year, month = expected
    client = as_persona("chuxiong_officer")

    rankings = client.get("/stats/rankings/")
    assert (rankings.context["period"].year, rankings.context["period"].month) == expected
    html = rankings.content.decode()
    assert re.search(rf'name="year" value="{year}"', html) and _month_shown(html, month)

    cockpit = client.get("/dashboard/")
    assert (cockpit.context["period"].year, cockpit.context["period"].month) == expected
    assert _month_shown(cockpit.content.decode(), month)

    form = client.get("/stats/bulletins/new/")
    assert (form.context["form"].initial["year"], form.context["form"].initial["month"]) == expected
    assert f'value="{month}"' in form.content.decode()

    lock = client.get("/funds/locks/")
    assert lock.context["form"].initial["month"] == date(year, month, 1)
    assert f'value="{year}-{month:02d}"' in lock.content.decode()

    summary = client.get("/activities/summary/")
    start, end = default_date_range(today)
    assert (summary.context["counts"]["start"], summary.context["counts"]["end"]) == (start, end)
    html = summary.content.decode()
    assert f'value="{start.isoformat()}"' in html and f'value="{end.isoformat()}"' in html


def _month_shown(html: str, month: int) -> bool:
    """The month field of a period form holds the month: a number input's value or a select's chosen option."""
    return bool(
        re.search(rf'name="month"[^>]*value="{month}"', html)
        or re.search(rf'<option value="{month}"[^>]* selected', html)
    )
