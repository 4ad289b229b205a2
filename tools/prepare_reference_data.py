"""Copies the reference data the product needs from ../shared/data into the repository.

Run by a developer when the shared data changes (`python tools/prepare_reference_data.py`); the product itself
only reads the copies under zhaoshang/*/data. It also decides which jurisdiction node each 2018 development
zone belongs to (the source gives only the prefecture); the rule is written beside each row.
"""

import csv
import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
REGIONS = ROOT / "zhaoshang" / "regions" / "data"
CATALOG = ROOT / "zhaoshang" / "catalog" / "data"

ETHNIC_AUTONOMY = re.compile(
    r"((彝|哈尼|傣|白|壮|苗|景颇|傈僳|藏|瑶|回|纳西|拉祜|佤|布朗|普米|独龙|怒|蒙古|布依)族)+自治(州|县)$"
)


def short_name(name: str) -> str:
    """昆明市 → 昆明, 楚雄彝族自治州 → 楚雄, 石林彝族自治县 → 石林, 禄丰市 → 禄丰."""
    stripped = ETHNIC_AUTONOMY.sub("", name)
    if stripped != name:
        return stripped
    return name[:-1] if len(name) > 2 and name[-1] in "市县区" else name


def point_in_ring(x: float, y: float, ring: list) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(geometry: dict, x: float, y: float) -> bool:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return any(point_in_ring(x, y, poly[0]) and not any(point_in_ring(x, y, h) for h in poly[1:]) for poly in polygons)


def assign_parks(divisions: list[dict], counties_geo: dict) -> list[dict]:
    counties_by_pref: dict[str, list[dict]] = {}
    for d in divisions:
        if d["level"] == "3":
            counties_by_pref.setdefault(d["prefecture_code"], []).append(d)
    prefectures = {d["code"]: d for d in divisions if d["level"] == "2"}
    shapes = {f["properties"]["adcode"]: f["geometry"] for f in counties_geo["features"]}
    rows = []
    with open(SHARED / "yunnan_development_zones_2018.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            pref = row["prefecture_code"]
            location = row["location_short"].removeprefix("省")
            counties = sorted(counties_by_pref[pref], key=lambda c: -len(short_name(c["name"])))
            code, rule = None, None
            if location == short_name(prefectures[pref]["name"]):
                code, rule = pref, "所在地简称即州市名：归州市"
            if not code:
                code = next((c["code"] for c in counties if location.startswith(short_name(c["name"]))), None)
                rule = "所在地简称匹配县市区名" if code else None
            if not code and row["geocode_ok"] == "1":
                code = next((c["code"] for c in counties if c["name"] in row["geocoded_address_raw"]), None)
                rule = "地理编码地址含县市区名" if code else None
            if not code and row["geocode_ok"] == "1":
                x, y = float(row["lon_wgs84"]), float(row["lat_wgs84"])
                code = next((c["code"] for c in counties if contains(shapes[c["code"]], x, y)), None)
                rule = "坐标落在县市区边界内" if code else None
            if not code:
                code, rule = pref, "无法确定县市区：归州市"
            rows.append({**row, "region_code": code, "region_rule": rule})
    return rows


def main() -> None:
    REGIONS.mkdir(parents=True, exist_ok=True)
    CATALOG.mkdir(parents=True, exist_ok=True)
    for name in ("yunnan_admin_divisions.csv", "yunnan_prefectures.geojson", "yunnan_counties.geojson"):
        shutil.copyfile(SHARED / name, REGIONS / name)
    shutil.copyfile(
        SHARED / "gbt4754_2017_industry_classification.csv", CATALOG / "gbt4754_2017_industry_classification.csv"
    )
    with open(SHARED / "yunnan_admin_divisions.csv", encoding="utf-8") as fh:
        divisions = list(csv.DictReader(fh))
    counties_geo = json.loads((SHARED / "yunnan_counties.geojson").read_text(encoding="utf-8"))
    rows = assign_parks(divisions, counties_geo)
    with open(REGIONS / "yunnan_development_zones_2018.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"copied; {len(rows)} parks assigned")


if __name__ == "__main__":
    main()
