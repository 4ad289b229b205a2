"""Loads the jurisdiction tree and the 2018 development zones from zhaoshang/regions/data (see SOURCES.md)."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from zhaoshang.core.reference import upsert_by_code
from zhaoshang.regions import geo
from zhaoshang.regions.choices import ParkLevel
from zhaoshang.regions.models import Park, Region

DATA = Path(__file__).resolve().parent / "data"
LEVELS = {"国家级": ParkLevel.NATIONAL, "省级": ParkLevel.PROVINCIAL}
PARK_SOURCE = "《中国开发区审核公告目录（2018年版）》"


def read_csv(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def short_name(name: str) -> str:
    for suffix in ("自治州", "自治县"):
        if name.endswith(suffix):
            # 楚雄彝族自治州 → 楚雄: cut before the first ethnic name, which always ends in 族.
            return name[: name.index("族") - 1] if "族" in name else name
    return name[:-1] if len(name) > 2 and name[-1] in "省市县区" else name


def load_regions() -> tuple[int, int]:
    rows = read_csv("yunnan_admin_divisions.csv")
    centres = geo.centres()
    by_code = {r["code"]: r for r in rows}

    def path_of(code: str) -> str:
        parent = by_code[code]["parent_code"]
        return f"{path_of(parent)}/{code}" if parent else code

    total = (0, 0)
    for level in (1, 2, 3):  # parents before children
        values = []
        for r in rows:
            if int(r["level"]) != level:
                continue
            lon, lat = centres.get(r["code"]) or province_centre(centres)
            values.append(
                {
                    "code": r["code"],
                    "name": r["name"],
                    "short_name": short_name(r["name"]),
                    "level": level,
                    "division_type": r["division_type"],
                    "parent": Region.objects.get(code=r["parent_code"]) if r["parent_code"] else None,
                    "path": path_of(r["code"]),
                    "center_lon": Decimal(str(lon)).quantize(Decimal("0.000001")) if lon is not None else None,
                    "center_lat": Decimal(str(lat)).quantize(Decimal("0.000001")) if lat is not None else None,
                }
            )
        created, updated = upsert_by_code(Region, values)
        total = (total[0] + created, total[1] + updated)
    return total


def province_centre(centres: dict[str, tuple[float, float]]) -> tuple[float, float]:
    """The province has no feature of its own: the middle of its prefectures' centres."""
    points = [centre for code, centre in centres.items() if code.endswith("00")]
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _approved_on(text: str) -> date | None:
    if not text:
        return None
    year, month = text.split(".")
    return date(int(year), int(month), 1)


def load_parks() -> tuple[int, int]:
    """The 78 zones of the 2018 catalogue. Parks already retired or edited on the platform keep their edits:
    only parks not yet present are created."""
    regions = {r.code: r for r in Region.objects.all()}
    existing = set(Park.objects.values_list("code", flat=True))
    values = []
    for r in read_csv("yunnan_development_zones_2018.csv"):
        if r["code"] in existing:
            continue
        region = regions[r["region_code"]]
        located = r["geocode_ok"] == "1"
        values.append(
            {
                "code": r["code"],
                "name": r["name"],
                "level": LEVELS[r["level"]],
                "zone_type": r["zone_type"],
                "approval_authority": r["approval_level"],
                "approved_on": _approved_on(r["approval_date"]),
                "approved_area_ha": Decimal(r["approved_area_ha"]) if r["approved_area_ha"] else None,
                "leading_industries": r["leading_industries"],
                "region": region,
                "location": r["location_short"],
                "lon": Decimal(r["lon_wgs84"]) if located else region.center_lon,
                "lat": Decimal(r["lat_wgs84"]) if located else region.center_lat,
                "location_approximate": not located,
                "catalog_seq": int(r["catalog_seq"]),
                "source": f"{PARK_SOURCE} 序号{r['catalog_seq']}；归属：{r['region_rule']}",
                "path": Park.path_for(region, r["code"]),
            }
        )
    return upsert_by_code(Park, values)
