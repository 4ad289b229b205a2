"""Deterministic demo targets for the province, every prefecture and county (development and test data only)."""

import random
from collections import defaultdict
from decimal import Decimal

from zhaoshang.regions.models import Region
from zhaoshang.stats.models import Target

DEMO_SOURCE = "演示数据"


# The province's own headline targets: the sum of its prefectures' for what adds up, and for the rest a share of
# 省外到位资金 (工业引资, as 3,600 of 8,300 亿元 in the policy text) or the policy's yearly figure (10亿元以上项目).
INDUSTRIAL_SHARE = Decimal("0.43")
PROVINCE_GROWTH_PCT = Decimal(12)
PROJECTS_1B_PER_YEAR = Decimal(100)


def seed_demo_targets(*, years: list[int], seed: int = 2026) -> int:
    """Growth targets (%) and amount targets (亿元) for 州外/省外到位资金 and signed projects of every prefecture and
    county, and the province's own targets for the cockpit's headline indicators; existing rows stay (the policy
    targets shipped as data included: a cell that has one gets no demo row)."""
    rng = random.Random(seed)
    existing = set(
        Target.objects.of_regions()
        .filter(industry_code="")
        .values_list("region_id", "from_year", "year", "indicator", "unit")
    )
    rows = []
    totals = defaultdict(Decimal)  # (year, indicator, unit) → sum over the prefectures
    for region in Region.objects.filter(level__gte=2).order_by("code"):
        scale = Decimal(40) if region.level == 2 else Decimal(4)
        for year in years:
            cells = [
                ("funds_outside_prefecture", Decimal(rng.choice([10, 12, 15, 18, 20])), "%"),
                ("funds_outside_province", Decimal(rng.choice([10, 12, 15])), "%"),
                (
                    "funds_outside_province",
                    (scale * Decimal(rng.randint(80, 140)) / 10).quantize(Decimal("0.1")),
                    "亿元",
                ),
                ("agreed_investment", (scale * Decimal(rng.randint(150, 260)) / 10).quantize(Decimal("0.1")), "亿元"),
                ("signed_projects", Decimal(rng.randint(8, 20) if region.level == 3 else rng.randint(60, 150)), "个"),
            ]
            for indicator, value, unit in cells:
                if region.level == 2 and unit != "%":
                    totals[(year, indicator, unit)] += value
                rows.append(_target(region, year, indicator, value, unit, existing))
    province = Region.objects.filter(level=1).first()
    if province is not None:
        for year in years:
            funds = totals[(year, "funds_outside_province", "亿元")]
            cells = [
                ("funds_outside_province", PROVINCE_GROWTH_PCT, "%"),
                ("funds_outside_province", funds, "亿元"),
                ("funds_industrial", (funds * INDUSTRIAL_SHARE).quantize(Decimal("0.1")), "亿元"),
                ("agreed_investment", totals[(year, "agreed_investment", "亿元")], "亿元"),
                ("signed_projects", totals[(year, "signed_projects", "个")], "个"),
                ("projects_1b", PROJECTS_1B_PER_YEAR, "个"),
            ]
            rows.extend(_target(province, year, indicator, value, unit, existing) for indicator, value, unit in cells)
    rows = [row for row in rows if row is not None]
    Target.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _target(region: Region, year: int, indicator: str, value: Decimal, unit: str, existing: set) -> Target | None:
    """A demo annual target, or None where the cell already holds one."""
    if (region.pk, year, year, indicator, unit) in existing:
        return None
    return Target(
        region=region,
        year=year,
        from_year=year,
        indicator=indicator,
        value=value,
        unit=unit,
        source=DEMO_SOURCE,
        path=region.path,
    )


# The demo 2026 scheme (考核评价): money and big projects against targets, activity and service by rank and
# thresholds, 500强 projects as a bonus. Weights are an example, not a policy text.
DEMO_SCHEME_ITEMS = [
    {"source": "funds_outside_province", "name": "省外到位资金", "kind": "base", "method": "completion", "weight": 30},
    {"source": "agreed_investment", "name": "签约额", "kind": "base", "method": "completion", "weight": 25},
    {"source": "projects_1b", "name": "10亿元以上项目数", "kind": "base", "method": "rank", "weight": 15},
    {
        "source": "trips",
        "name": "外出招商",
        "kind": "base",
        "method": "threshold",
        "weight": 10,
        "thresholds": [[1, 4], [3, 7], [6, 10]],
    },
    {
        "source": "tickets_solved",
        "name": "企业诉求解决率",
        "kind": "base",
        "method": "threshold",
        "weight": 10,
        "thresholds": [[60, 5], [80, 8], [90, 10]],
    },
    {
        "source": "promises_honoured",
        "name": "招商承诺兑现率",
        "kind": "base",
        "method": "threshold",
        "weight": 10,
        "thresholds": [[60, 5], [80, 8], [100, 10]],
    },
    {
        "source": "projects_500",
        "name": "500强企业项目",
        "kind": "bonus",
        "method": "per_unit",
        "weight": 0,
        "unit_points": 2,
        "cap": 6,
    },
    {
        "source": "warnings_resolved",
        "name": "风险预警处置",
        "kind": "bonus",
        "method": "per_unit",
        "weight": 0,
        "unit_points": 1,
        "cap": 3,
    },
]


def seed_demo_scheme(*, year: int) -> bool:
    """A published demo scheme for ``year`` unless the year has one already (a real scheme is never replaced)."""
    from zhaoshang.stats.assessment.models import AssessmentScheme
    from zhaoshang.stats.assessment.services import scheme_publish, scheme_save

    if AssessmentScheme.objects.filter(year=year).exists():
        return False
    items = [{**item, "weight": Decimal(item["weight"])} for item in DEMO_SCHEME_ITEMS]
    for item in items:
        for key in ("unit_points", "cap"):
            if key in item:
                item[key] = Decimal(item[key])
    scheme = scheme_save(actor=None, year=year, title=f"{year}年度招商引资考核评价方案（演示）", items=items)
    scheme_publish(actor=None, scheme=scheme)
    return True
