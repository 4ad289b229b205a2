"""企业服务排名: the bureaus below the user ranked on how they handle enterprises' requests (issue 17), beside the
investment rankings. The measures are aftercare's (``aftercare.selectors.bureau_measures``); this ranks them."""

from dataclasses import dataclass, field
from decimal import Decimal

from zhaoshang.aftercare.selectors import MEASURES, BureauMeasures, bureau_measures
from zhaoshang.stats.indicators import Period

# Ranked measures: a higher 按时办结率, 解决率 and 满意率 is better, a higher 重办率 worse.
RANKED = {"answered_on_time": True, "solved": True, "satisfied": True, "reopened": False}
LABELS = dict(MEASURES)


@dataclass
class ServiceRankRow:
    bureau: BureauMeasures
    ranks: dict[str, int] = field(default_factory=dict)
    mean_rank: Decimal = Decimal(0)
    position: int = 0

    @property
    def cells(self) -> list:
        """The ranked measures in the order of RANKED, each with the request ids behind it (the drill-down)."""
        return [self.bureau.measures[code] for code in RANKED]


def service_ranking(user, period: Period) -> list[ServiceRankRow]:
    """The bureaus directly below the user's node with requests submitted from 1 January to the period's end; a
    bureau without a figure for a measure (nothing answered or rated yet) comes last on it."""
    rows = [
        ServiceRankRow(bureau=b)
        for b in bureau_measures(user, start=period.start, end=period.end)
        if b.region.path != user.scope_path
    ]
    for code, higher_is_better in RANKED.items():

        def key(row, code=code, higher_is_better=higher_is_better):
            rate = row.bureau.measures[code].rate
            return (rate is None, -(rate or 0) if higher_is_better else (rate or 0), row.bureau.region.code)

        for position, row in enumerate(sorted(rows, key=key), start=1):
            row.ranks[code] = position
    for row in rows:
        row.mean_rank = Decimal(sum(row.ranks.values())) / len(RANKED) if row.ranks else Decimal(0)
    rows.sort(key=lambda row: (row.mean_rank, row.bureau.region.code))
    for position, row in enumerate(rows, start=1):
        row.position = position
    return rows
