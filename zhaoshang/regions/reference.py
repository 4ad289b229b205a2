"""Loads the jurisdiction tree and the 2018 development zones from zhaoshang/regions/data (see SOURCES.md)."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from zhaoshang.core.reference import upsert_by_code
from zhaoshang.regions import geo
from zhaoshang.regions.choices import ParkLevel
from zhaoshang.regions.models import Park, Region
from zhaoshang.regions.placement import placement_note

DATA = Path(__file__).resolve().parent / "data"
LEVELS = {"国家级": ParkLevel.NATIONAL, "省级": ParkLevel.PROVINCIAL}
PARK_SOURCE = "《中国开发区审核公告目录（2018年版）》"


def park_source(row: dict, region) -> str:
    """A catalogued park's 来源: the catalogue, its number there, and how its node was decided, in words."""
    note = placement_note(
        rule=row["region_rule"], location=row["location_short"], prefecture=row["prefecture_name"], region=region.name
    )
    return f"{PARK_SOURCE}序号{row['catalog_seq']}。{note}"


def read_csv(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# The 56 nationalities, as the names of autonomous areas write them; longest first, so that 哈尼族 is cut whole.
NATIONALITIES = tuple(
    sorted(
        "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 "
        "瑶族 白族 土家族 哈尼族 哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 "
        "水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 "
        "仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 "
        "京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族".split(),
        key=len,
        reverse=True,
    )
)


def short_name(name: str) -> str:
    """The name bulletins and demo data use: 楚雄彝族自治州 → 楚雄, 红河哈尼族彝族自治州 → 红河 (the nationalities are
    cut as whole words, never 红河哈), 昆明市 → 昆明."""
    for suffix in ("自治州", "自治县"):
        if name.endswith(suffix):
            place = name[: -len(suffix)]
            while group := next((g for g in NATIONALITIES if place.endswith(g) and len(place) > len(g)), None):
                place = place[: -len(group)]
            return place if place != name[: -len(suffix)] else name
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
                "source": park_source(r, region),
                "path": Park.path_for(region, r["code"]),
            }
        )
    return upsert_by_code(Park, values)
