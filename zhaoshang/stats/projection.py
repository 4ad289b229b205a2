"""Year-end projection (全年预计): from January to month m of this year, the figure the year will likely end on.

Pure functions on Decimals (no database), as ``progress.py``:

- 历年同期占比 (same-month share): where earlier years have figures, each such year's share
  s_y = cumulative to month m ÷ full year; the shares are averaged (s̄), and the projection is A ÷ s̄.
  A year counts where both its full-year figure and its cumulative to month m are above zero.
- 线性外推 (linear): without such a year, A × 12 ÷ m.

A region is flagged when its projection misses its annual target by more than the margin (default 10 %, the
setting ``PROJECTION_ALERT_MARGIN_PCT``): projection < target × (1 − margin ÷ 100).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
TWELVE = Decimal(12)
DEFAULT_MARGIN_PCT = Decimal(10)
METHOD_NAMES = {"share": "历年同期占比", "linear": "线性外推"}


@dataclass(frozen=True)
class Projection:
    month: int
    actual: Decimal
    value: Decimal  # the projected full-year figure
    method: str  # "share" or "linear"
    share: Decimal | None = None  # the averaged same-month share (0–1), for "share"
    years: int = 0  # how many earlier years the share averages

    @property
    def method_name(self) -> str:
        return METHOD_NAMES[self.method]


def same_month_shares(history: list[tuple[Decimal, Decimal]]) -> list[Decimal]:
    """The share of each earlier year, from (cumulative to month m, full year) pairs; years without figures are
    left out."""
    return [Decimal(upto) / Decimal(full) for upto, full in history if full and upto and Decimal(full) > 0]


def project_year_end(*, month: int, actual: Decimal, history: list[tuple[Decimal, Decimal]] = ()) -> Projection:
    """The full-year projection of ``actual`` (January to ``month``); ``history`` holds (cumulative to the same
    month, full year) of earlier years."""
    if not 1 <= month <= 12:
        raise ValueError("month must be 1–12")
    actual = Decimal(actual)
    shares = same_month_shares(list(history))
    if shares:
        share = sum(shares, Decimal(0)) / Decimal(len(shares))
        return Projection(month, actual, actual / share, "share", share=share, years=len(shares))
    return Projection(month, actual, actual * TWELVE / Decimal(month), "linear")


def shortfall_pct(projection: Projection, target: Decimal | None) -> Decimal | None:
    """How far the projection falls short of the target, in % of the target (negative: above it); None without
    a target."""
    if not target:
        return None
    return (Decimal(target) - projection.value) / Decimal(target) * HUNDRED


def misses_target(projection: Projection, target: Decimal | None, margin_pct: Decimal = DEFAULT_MARGIN_PCT) -> bool:
    """True when the projection falls short of the target by more than ``margin_pct`` % of it."""
    short = shortfall_pct(projection, target)
    return short is not None and short > margin_pct


def printed(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)
