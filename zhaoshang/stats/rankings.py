"""Rankings of a node's children (prefectures for the province, counties for a prefecture) on each indicator,
with the red / black lists bureaus publish: ahead of elapsed time (红榜) or behind it (黑榜)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from zhaoshang.regions.models import Region
from zhaoshang.stats.indicators import Period, actuals_by_child
from zhaoshang.stats.models import Target
from zhaoshang.stats.progress import Progress, progress
from zhaoshang.stats.sharing import shared_children

RANKED_INDICATORS = ["funds_outside_province", "funds_outside_prefecture", "agreed_investment", "signed_projects"]


@dataclass
class RankRow:
    region: Region
    progress: Progress
    rank: int = 0
    shared: bool = False  # 含流转分成: the figure credits shares of a transferred project

    @property
    def listed(self) -> str | None:
        points = self.progress.ahead_points
        if points is None:
            return None
        return "red" if points >= 0 else "black"

    @property
    def sort_key(self) -> tuple:
        p = self.progress
        primary = p.completion_pct if p.completion_pct is not None else p.growth_pct
        return (primary is None, -(primary or Decimal(0)), -p.actual, self.region.code)


def children_of(parent: Region):
    return Region.objects.filter(parent=parent).order_by("code")


def ranking(indicator: str, parent: Region, period: Period) -> list[RankRow]:
    children = list(children_of(parent))
    now, before, last_full = actuals_by_child(
        indicator, parent, [period, period.last_year(), Period(period.year - 1, 12)]
    )
    amounts, growths = {}, {}
    targets = Target.objects.for_year(period.year).of_regions()
    targets = targets.filter(region__in=children, indicator=indicator, industry_code="")
    for target in targets:
        if target.is_growth:
            growths[target.region_id] = target.value
        else:
            amounts[target.region_id] = target.amount_wan
    shared = shared_children(indicator, parent, period.year)
    rows = [
        RankRow(
            region=child,
            shared=child.code in shared,
            progress=progress(
                month=period.month,
                actual=now.get(child.code, Decimal(0)),
                actual_last_year=before.get(child.code, Decimal(0)),
                last_year_full=last_full.get(child.code, Decimal(0)),
                target=amounts.get(child.pk),
                growth_target_pct=growths.get(child.pk),
            ),
        )
        for child in children
    ]
    rows.sort(key=lambda row: row.sort_key)
    for position, row in enumerate(rows, start=1):
        row.rank = position
    return rows


@dataclass
class CombinedRow:
    region: Region
    ranks: dict[str, int]
    mean_rank: Decimal
    position: int = 0


def combined_ranking(
    parent: Region, period: Period, indicators=RANKED_INDICATORS, known: dict[str, list[RankRow]] | None = None
) -> list[CombinedRow]:
    """The average of each child's ranks over the indicators; ties by the child's code. ``known``: rankings the
    caller computed already (the page's own indicator), not computed again."""
    ranks: dict[int, dict[str, int]] = defaultdict(dict)
    regions = {}
    for indicator in indicators:
        rows = (known or {}).get(indicator)
        for row in rows if rows is not None else ranking(indicator, parent, period):
            ranks[row.region.pk][indicator] = row.rank
            regions[row.region.pk] = row.region
    rows = [
        CombinedRow(region=regions[pk], ranks=r, mean_rank=Decimal(sum(r.values())) / Decimal(len(r)))
        for pk, r in ranks.items()
    ]
    rows.sort(key=lambda row: (row.mean_rank, row.region.code))
    for position, row in enumerate(rows, start=1):
        row.position = position
    return rows
