"""序时进度 of a jurisdiction and its children, indicator by indicator: plain data for the 序时进度 page, its chart,
its export and the 工作台's headline.

The figures come from the functions every other surface uses — ``indicators.node_progress`` for the node,
``rankings.ranking`` for its children — so the page, the cockpit, the rankings and the bulletins print the same
numbers and sentences. Amounts are cent-exact Decimals in 万元; percentages are the printed ones (one decimal,
half up), and 超/滞后 is the difference of the printed figures (``stats/progress.py``).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zhaoshang.core.formatting import measure, wan_exact
from zhaoshang.regions.models import Region
from zhaoshang.stats.choices import INDICATORS
from zhaoshang.stats.indicators import Period, area_word, node_progress
from zhaoshang.stats.progress import Progress, fmt_given, sentence
from zhaoshang.stats.rankings import ranking

# 入滇世界500强 is a province-wide count of the enterprise library, not a figure of January to month m.
SCHEDULE_INDICATORS = [code for code in INDICATORS if code != "fortune500_present"]
DEFAULT_INDICATOR = "funds_outside_province"


def indicators_for(node: Region) -> list[str]:
    """The indicators of a node: 州外到位资金 is a prefecture's and a county's figure (for the province it would be
    its 省外 money again, as the cockpit says)."""
    return [code for code in SCHEDULE_INDICATORS if not (code == "funds_outside_prefecture" and node.level == 1)]


def unit_of(indicator: str) -> str:
    return "万元" if INDICATORS[indicator].kind == "money" else "个"


@dataclass(frozen=True)
class ScheduleRow:
    """One indicator of one jurisdiction for January to the period's month."""

    region: Region
    indicator: str
    progress: Progress
    rank: int | None = None
    sentence: str = ""

    @property
    def name(self) -> str:
        return INDICATORS[self.indicator].name

    @property
    def unit(self) -> str:
        return unit_of(self.indicator)

    @property
    def is_money(self) -> bool:
        return self.unit == "万元"

    def _amount(self, value):
        if value is None:
            return None
        return wan_exact(value) if self.is_money else Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)

    @property
    def target(self) -> Decimal | None:
        """The annual target as an amount (a growth target becomes last year's full-year actual × (1 + g))."""
        return self._amount(self.progress.target)

    @property
    def actual(self) -> Decimal:
        return self._amount(self.progress.actual)

    @property
    def actual_last_year(self) -> Decimal | None:
        return self._amount(self.progress.actual_last_year)

    @property
    def growth_target_pct(self) -> Decimal | None:
        return self.progress.growth_target_pct

    @property
    def growth_target_text(self) -> str:
        """A growth target as it was set: ``增长15%`` (empty without one)."""
        if self.progress.growth_target_pct is None:
            return ""
        return f"增长{fmt_given(self.progress.growth_target_pct)}%"

    @property
    def growth_pct(self) -> Decimal | None:
        return self.progress.growth_printed

    @property
    def completion_pct(self) -> Decimal | None:
        return self.progress.completion_printed

    @property
    def elapsed_pct(self) -> Decimal:
        return self.progress.elapsed_printed

    @property
    def ahead_points(self) -> Decimal | None:
        return self.progress.ahead_points

    @property
    def statement(self) -> str:
        """The bulletin's sentence when it says something (a growth or a completion), else empty."""
        if self.progress.growth_pct is None and self.progress.completion_pct is None:
            return ""
        return self.sentence

    @property
    def status(self) -> str:
        """ahead / behind / level against elapsed time, or none without a target."""
        points = self.ahead_points
        if points is None:
            return "none"
        return "ahead" if points > 0 else "behind" if points < 0 else "level"

    @property
    def status_label(self) -> str:
        points = self.ahead_points
        if points is None:
            return "未设全年目标"
        if points > 0:
            return f"超序时{measure(points, '百分点')}"
        if points < 0:
            return f"滞后序时{measure(-points, '百分点')}"
        return "与序时进度持平"

    def as_json(self) -> dict:
        """What the chart draws (numbers as strings, texts written by the one formatting helper)."""
        return {
            "code": self.region.code,
            "region": self.region.name,
            "indicator": self.indicator,
            "name": self.name,
            "unit": self.unit,
            "completion": None if self.completion_pct is None else str(self.completion_pct),
            "elapsed": str(self.elapsed_pct),
            "ahead": None if self.ahead_points is None else str(self.ahead_points),
            "actual_text": measure(self.actual, self.unit),
            "target_text": measure(self.target, self.unit) if self.target is not None else "未设全年目标",
            "status": self.status_label,
        }


def node_rows(node: Region, period: Period, indicators: list[str] | None = None) -> list[ScheduleRow]:
    """Every indicator of the node itself, each with the sentence bulletins print."""
    rows = []
    for code in indicators or indicators_for(node):
        p = node_progress(code, node, period)
        text = sentence(p, area=area_word(node), subject=INDICATORS[code].subject)
        rows.append(ScheduleRow(region=node, indicator=code, progress=p, sentence=text))
    return rows


def children_rows(node: Region, period: Period, indicator: str) -> list[ScheduleRow]:
    """The node's prefectures (province) or counties (prefecture) on one indicator, in the order of the rankings
    (completion, else growth, then the amount). A county has no children: an empty list."""
    if node.level >= 3:
        return []
    return [
        ScheduleRow(region=row.region, indicator=indicator, progress=row.progress, rank=row.rank)
        for row in ranking(indicator, node, period)
    ]


def schedule(node: Region, period: Period, indicator: str) -> dict:
    """The 序时进度 page's data: the node's indicators, and its children on ``indicator``."""
    indicators = indicators_for(node)
    if indicator not in indicators:
        indicator = DEFAULT_INDICATOR
    own = node_rows(node, period, indicators)
    children = children_rows(node, period, indicator)
    return {
        "node": node,
        "period": period,
        "indicator": indicator,
        "indicators": [(code, INDICATORS[code].name) for code in indicators],
        "own": own,
        "children": children,
        "chart": {
            "elapsed": str(own[0].elapsed_pct) if own else None,
            "own": [row.as_json() for row in own],
            "children": [row.as_json() for row in children],
            "indicator_name": INDICATORS[indicator].name,
        },
    }


SHEET_HEADERS = [
    "地区",
    "指标",
    "单位",
    "全年目标",
    "增长目标（%）",
    "完成",
    "上年同期",
    "增长（%）",
    "完成全年目标进度（%）",
    "时序进度（%）",
    "超/滞后（百分点）",
]


def sheet_row(row: ScheduleRow) -> list:
    """One row of the export: figures typed (money to the cent, counts whole), the unit in its own column."""
    from zhaoshang.core import excel

    figure = excel.money if row.is_money else excel.count
    return [
        row.region.name,
        row.name,
        row.unit,
        figure(row.target) if row.target is not None else None,
        row.growth_target_pct,
        figure(row.actual),
        figure(row.actual_last_year) if row.actual_last_year is not None else None,
        row.growth_pct,
        row.completion_pct,
        row.elapsed_pct,
        row.ahead_points,
    ]


def schedule_sheets(node: Region, period: Period) -> list[tuple[str, list[str], list[list]]]:
    """The export: the node's indicators with their sentences, then every child on every indicator."""
    indicators = indicators_for(node)
    own = node_rows(node, period, indicators)
    sheets = [("本级", [*SHEET_HEADERS, "表述"], [[*sheet_row(row), row.statement] for row in own])]
    if node.level < 3:
        rows = []
        for code in indicators:
            rows += [[row.rank, *sheet_row(row)] for row in children_rows(node, period, code)]
        label = "各州市" if node.level == 1 else "各县市区"
        sheets.append((label, ["排名", *SHEET_HEADERS], rows))
    return sheets
