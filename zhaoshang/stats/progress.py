"""序时进度: progress against elapsed time, computed exactly (Decimal) and written as the bureaus write it.

Formulas (DOMAIN.md): 完成全年目标进度 = A / T, 时序进度 = m / 12, 超(−滞后)序时进度 = A/T − m/12 in percentage
points; growth is against the same months of last year. With a growth target g, the annual amount target is
last year's full-year actual × (1 + g).

Figures are printed to one decimal, rounded half up; the differences in a sentence are taken between the printed
figures, so that a reader who subtracts them gets the printed difference (19.4 − 15 = 4.4; 60.2 − 50 = 10.2).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zhaoshang.core.formatting import month_range

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")


def pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    """A computed figure as bulletins print it: always one decimal (增长30.0%, 15.0个百分点)."""
    return f"{pct(value):f}"


def fmt_given(value: Decimal) -> str:
    """A target as it was set: 15 → 15, 12.5 → 12.5 (全年目标（15%）)."""
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class Progress:
    """One indicator of one jurisdiction for January to ``month`` of a year. Percentages are exact fractions × 100;
    the ``*_printed`` ones are what bulletins print."""

    month: int
    actual: Decimal
    actual_last_year: Decimal | None
    target: Decimal | None
    growth_target_pct: Decimal | None
    growth_pct: Decimal | None
    completion_pct: Decimal | None
    elapsed_pct: Decimal

    @property
    def growth_printed(self) -> Decimal | None:
        return pct(self.growth_pct)

    @property
    def completion_printed(self) -> Decimal | None:
        return pct(self.completion_pct)

    @property
    def elapsed_printed(self) -> Decimal:
        return pct(self.elapsed_pct)

    @property
    def ahead_points(self) -> Decimal | None:
        """超(+)/滞后(−)序时进度, percentage points, from the printed figures."""
        if self.completion_pct is None:
            return None
        return self.completion_printed - self.elapsed_printed

    @property
    def growth_vs_target_points(self) -> Decimal | None:
        if self.growth_pct is None or self.growth_target_pct is None:
            return None
        return self.growth_printed - pct(self.growth_target_pct)


def progress(
    *,
    month: int,
    actual: Decimal,
    actual_last_year: Decimal | None = None,
    last_year_full: Decimal | None = None,
    target: Decimal | None = None,
    growth_target_pct: Decimal | None = None,
) -> Progress:
    """``target`` is an annual amount; without it, a ``growth_target_pct`` and last year's full-year actual give one."""
    if not 1 <= month <= 12:
        raise ValueError("month must be 1–12")
    if target is None and growth_target_pct is not None and last_year_full:
        target = last_year_full * (1 + growth_target_pct / HUNDRED)
    growth = None
    if actual_last_year:
        growth = (actual - actual_last_year) / actual_last_year * HUNDRED
    completion = actual / target * HUNDRED if target else None
    return Progress(
        month=month,
        actual=actual,
        actual_last_year=actual_last_year,
        target=target,
        growth_target_pct=growth_target_pct,
        growth_pct=growth,
        completion_pct=completion,
        elapsed_pct=Decimal(month) / Decimal(12) * HUNDRED,
    )


def _compare(points: Decimal, above: str, below: str, same: str) -> str:
    if points > 0:
        return f"{above}{fmt(points)}个百分点"
    if points < 0:
        return f"{below}{fmt(-points)}个百分点"
    return same


def sentence(p: Progress, *, area: str, subject: str, end: str = "。") -> str:
    """E.g. ``1—6月，全州引进州外到位资金增长19.4%，高于全年目标（15%）4.4个百分点，完成全年目标进度60.2%，
    提前时序进度10.2个百分点。`` ``area`` is 全省 / 全州 / 全市 / 全县; ``subject`` names the indicator."""
    parts = [f"{month_range(p.month)}，{area}{subject}"]
    if p.growth_pct is not None:
        growth = p.growth_printed
        parts[0] += f"增长{fmt(growth)}%" if growth >= 0 else f"下降{fmt(-growth)}%"
        if p.growth_target_pct is not None:
            target_text = f"全年目标（{fmt_given(p.growth_target_pct)}%）"
            parts.append(
                _compare(p.growth_vs_target_points, f"高于{target_text}", f"低于{target_text}", f"与{target_text}持平")
            )
    if p.completion_pct is not None:
        parts.append(f"完成全年目标进度{fmt(p.completion_printed)}%")
        parts.append(_compare(p.ahead_points, "提前时序进度", "滞后时序进度", "与时序进度持平"))
    return "，".join(parts) + end
