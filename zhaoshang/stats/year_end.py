"""The year-end projection of a node's indicators for the 序时进度 page: figures from the indicator engine (this
year to month m, and up to three earlier years to month m and in full, in one query per indicator), the projection
from ``projection.py``, the alert against the annual target with the margin of ``PROJECTION_ALERT_MARGIN_PCT``."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from zhaoshang.regions.models import Region
from zhaoshang.stats.indicators import Period, actuals
from zhaoshang.stats.projection import (
    DEFAULT_MARGIN_PCT,
    Projection,
    misses_target,
    printed,
    project_year_end,
    shortfall_pct,
)

HISTORY_YEARS = 3


def margin_pct() -> Decimal:
    return Decimal(str(getattr(settings, "PROJECTION_ALERT_MARGIN_PCT", DEFAULT_MARGIN_PCT)))


@dataclass(frozen=True)
class YearEnd:
    indicator: str
    projection: Projection
    target: Decimal | None
    alert: bool
    shortfall_pct: Decimal | None

    @property
    def value(self) -> Decimal:
        return printed(self.projection.value)

    @property
    def method_name(self) -> str:
        return self.projection.method_name

    @property
    def projected_completion_pct(self) -> Decimal | None:
        if not self.target:
            return None
        return printed(self.projection.value / self.target * 100, "0.1")


def year_end(indicator: str, node: Region, period: Period, target: Decimal | None) -> YearEnd:
    years = [period.year - k for k in range(1, HISTORY_YEARS + 1)]
    periods = [period] + [p for y in years for p in (Period(y, period.month), Period(y, 12))]
    figures = actuals(indicator, node, periods)
    history = [(figures[1 + 2 * i], figures[2 + 2 * i]) for i in range(len(years))]
    projection = project_year_end(month=period.month, actual=figures[0], history=history)
    margin = margin_pct()
    short = shortfall_pct(projection, target)
    return YearEnd(
        indicator=indicator,
        projection=projection,
        target=target,
        alert=misses_target(projection, target, margin),
        shortfall_pct=None if short is None else printed(short, "0.1"),
    )


def year_end_rows(rows, period: Period) -> dict[str, YearEnd]:
    """The projection of each of the 序时进度 page's own rows (``schedule.ScheduleRow``), by indicator."""
    return {row.indicator: year_end(row.indicator, row.region, period, row.progress.target) for row in rows}
