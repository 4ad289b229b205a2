"""Deterministic demo targets for every prefecture and county (development and test data only)."""

import random
from decimal import Decimal

from zhaoshang.regions.models import Region
from zhaoshang.stats.models import Target

DEMO_SOURCE = "演示数据"


def seed_demo_targets(*, years: list[int], seed: int = 2026) -> int:
    """Growth targets (%) and amount targets (亿元) for 州外/省外到位资金 and signed projects; existing rows stay."""
    rng = random.Random(seed)
    existing = set(Target.objects.filter(source=DEMO_SOURCE).values_list("region_id", "year", "indicator", "unit"))
    rows = []
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
                if (region.pk, year, indicator, unit) in existing:
                    continue
                rows.append(
                    Target(
                        region=region,
                        year=year,
                        from_year=year,
                        indicator=indicator,
                        value=value,
                        unit=unit,
                        source=DEMO_SOURCE,
                        path=region.path,
                    )
                )
    Target.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
