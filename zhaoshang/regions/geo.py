"""Boundaries for the maps, from the GeoJSON shipped in zhaoshang/regions/data (see SOURCES.md there)."""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def prefectures_geojson() -> bytes:
    return (DATA / "yunnan_prefectures.geojson").read_bytes()


@cache
def _counties() -> dict:
    return json.loads((DATA / "yunnan_counties.geojson").read_text(encoding="utf-8"))


def counties_geojson(prefecture_code: str) -> bytes | None:
    if prefecture_code not in _prefecture_codes():
        return None
    return _counties_of(prefecture_code)


@cache
def _prefecture_codes() -> frozenset[str]:
    return frozenset(f["properties"]["adcode"] for f in json.loads(prefectures_geojson())["features"])


@cache
def _counties_of(prefecture_code: str) -> bytes:
    features = [f for f in _counties()["features"] if f["properties"]["prefecture_code"] == prefecture_code]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def centres() -> dict[str, tuple[float, float]]:
    """Label centre of each prefecture and county, by code."""
    result = {}
    prefectures = json.loads(prefectures_geojson())
    for feature in prefectures["features"] + _counties()["features"]:
        lon, lat = feature["properties"]["cp"]
        result[feature["properties"]["adcode"]] = (lon, lat)
    return result
