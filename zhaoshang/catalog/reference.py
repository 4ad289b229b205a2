"""Loads the 12 key industries and GB/T 4754-2017 from zhaoshang/catalog/data (see SOURCES.md)."""

import csv
from pathlib import Path

from zhaoshang.catalog.choices import KEY_INDUSTRIES
from zhaoshang.catalog.models import IndustryClass, KeyIndustry
from zhaoshang.core.reference import upsert_by_code

DATA = Path(__file__).resolve().parent / "data"


def load_key_industries() -> tuple[int, int]:
    """Creates missing industries; names edited by administrators are kept."""
    existing = set(KeyIndustry.objects.values_list("code", flat=True))
    rows = [
        {"code": code, "name": name, "sort_order": i}
        for i, (code, name) in enumerate(KEY_INDUSTRIES, start=1)
        if code not in existing
    ]
    return upsert_by_code(KeyIndustry, rows)


def load_gbt4754() -> tuple[int, int]:
    with open(DATA / "gbt4754_2017_industry_classification.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    total = (0, 0)
    for level in (1, 2, 3, 4):
        parents = {c.code: c for c in IndustryClass.objects.filter(level=level - 1)} if level > 1 else {}
        values = [
            {
                "code": r["code"],
                "name": r["name"],
                "level": level,
                "parent": parents.get(r["parent_code"]),
                "section": r["section"],
                "description": r["description"],
                "note": r["note"],
            }
            for r in rows
            if int(r["level"]) == level
        ]
        created, updated = upsert_by_code(IndustryClass, values)
        total = (total[0] + created, total[1] + updated)
    return total
