"""Loads the English names of the province and its prefectures (data/region_names_en.json; see data/SOURCES.md).
Only a region without an English name gets one: a name a bureau entered stays."""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "region_names_en.json"


def load_region_names() -> tuple[int, int]:
    from zhaoshang.portal.models import RegionName
    from zhaoshang.regions.models import Region

    names = json.loads(DATA.read_text(encoding="utf-8"))
    regions = {region.code: region for region in Region.objects.filter(code__in=names)}
    kept = {row.region_id: row for row in RegionName.objects.filter(region__code__in=names)}
    created = updated = 0
    for code, name in names.items():
        region = regions.get(code)
        if region is None:
            continue
        row = kept.get(region.pk)
        if row is None:
            RegionName.objects.create(region=region, translations={"en": name})
            created += 1
        elif not (row.translations or {}).get("en", "").strip():
            row.translations = {**(row.translations or {}), "en": name}
            row.save(update_fields=["translations"])
            updated += 1
    return created, updated
