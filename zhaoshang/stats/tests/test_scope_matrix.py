"""Targets in the CRUD × scope × permission matrix (``core.scope_matrix``): set, change and export, by a prefecture
bureau (targets are handed down; a county only reads its own). A target is changed, never deleted."""

from decimal import Decimal
from itertools import count

from zhaoshang.core.scope_matrix import ScopeMatrix
from zhaoshang.core.testing import persona
from zhaoshang.regions.models import Region
from zhaoshang.stats import services
from zhaoshang.stats.models import Target

REGIONS = {"own": "532302", "other": "530102"}  # 禄丰 (in 楚雄), 五华区 (昆明)
_years = count(2030)  # one target cell per object


class TestTargetMatrix(ScopeMatrix):
    model = Target
    own = "chuxiong_officer"
    create_url = "/stats/targets/new/"
    export_url = "/stats/targets/"

    def make(self, where: str):
        return services.target_set(
            actor=persona("province_admin"),
            year=next(_years),
            region=Region.objects.get(code=REGIONS[where]),
            indicator="agreed_investment",
            value=Decimal("12"),
            unit="亿元",
        )

    def export_marker(self, obj) -> str:
        return obj.region.code

    def create_data(self, where: str) -> dict:
        region = Region.objects.get(code=REGIONS[where])
        return {"year": 2026, "region": region.pk, "indicator": "agreed_investment", "value": "15", "unit": "亿元"}

    def update_url(self, obj) -> str:
        return f"/stats/targets/{obj.pk}/edit/"

    def update_data(self, obj) -> dict:
        return {
            "year": obj.year,
            "region": obj.region_id,
            "indicator": obj.indicator,
            "value": "20",
            "unit": obj.unit,
        }
