"""Loads the policy targets (data/policy_targets.json; see data/SOURCES.md). Missing rows only: edits stay."""

import json
from decimal import Decimal
from pathlib import Path

from zhaoshang.regions.models import Region
from zhaoshang.stats.models import Target

DATA = Path(__file__).resolve().parent / "data"


def policy_target_rows() -> list[dict]:
    data = json.loads((DATA / "policy_targets.json").read_text(encoding="utf-8"))
    rows = list(data["targets"])
    for year in data["yearly"]["years"]:
        rows += [{"region": "530000", "from_year": year, "year": year, **row} for row in data["yearly"]["targets"]]
    return rows


def load_policy_targets() -> tuple[int, int]:
    regions = {r.code: r for r in Region.objects.filter(level=1)}
    created = 0
    for row in policy_target_rows():
        region = regions[row["region"]]
        _, is_new = Target.objects.get_or_create(
            region=region,
            year=row["year"],
            from_year=row["from_year"],
            indicator=row["indicator"],
            industry_code=row.get("industry_code", ""),
            unit=row["unit"],
            defaults={"value": Decimal(row["value"]), "source": row["source"], "path": region.path},
        )
        created += is_new
    return created, 0
