"""Parks in the CRUD × scope × permission matrix (``core.scope_matrix``): create, edit, retire (a park's delete:
it is retired, never removed) and export, by a prefecture bureau (county officers do not manage parks)."""

from itertools import count

from zhaoshang.core.scope_matrix import ScopeMatrix
from zhaoshang.core.testing import persona
from zhaoshang.regions import services
from zhaoshang.regions.models import Park, Region

REGIONS = {"own": "532302", "other": "530102"}  # 禄丰 (in 楚雄), 五华区 (昆明)
_numbers = count(1)


class TestParkMatrix(ScopeMatrix):
    model = Park
    own = "chuxiong_officer"
    create_url = "/parks/new/"
    export_url = "/parks/"

    def make(self, where: str):
        return services.park_create(
            actor=persona("province_admin"),
            region=Region.objects.get(code=REGIONS[where]),
            name=f"矩阵{where}第{next(_numbers)}号测试园区",
            level="provincial",
            zone_type="产业园区",
        )

    def create_data(self, where: str) -> dict:
        region = Region.objects.get(code=REGIONS[where])
        return {"name": "矩阵新建园区", "level": "provincial", "zone_type": "产业园区", "region": region.pk}

    def update_url(self, obj) -> str:
        return f"/parks/{obj.pk}/edit/"

    def update_data(self, obj) -> dict:
        return {
            "code": obj.code,
            "name": f"{obj.name}（改）",
            "level": obj.level,
            "zone_type": obj.zone_type,
            "region": obj.region_id,
        }

    def delete_url(self, obj) -> str:
        return f"/parks/{obj.pk}/retire/"

    def delete_data(self, obj) -> dict:
        return {"retired_on": "2024-06-30", "reason": "整合"}
