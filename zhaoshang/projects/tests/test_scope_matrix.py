"""Projects in the CRUD × scope × permission matrix (``core.scope_matrix``): create, edit and export; a project is
never deleted (it is terminated or merged)."""

from datetime import date
from decimal import Decimal
from itertools import count

from zhaoshang.core.scope_matrix import ScopeMatrix
from zhaoshang.core.testing import persona
from zhaoshang.projects import services
from zhaoshang.projects.models import Project
from zhaoshang.regions.models import Region

COUNTIES = {"own": "532302", "other": "530102"}  # 禄丰, 五华区 (昆明)
_numbers = count(1)


class TestProjectMatrix(ScopeMatrix):
    model = Project
    create_url = "/projects/new/"
    export_url = "/projects/"

    def make(self, where: str):
        n = next(_numbers)
        return services.project_create(
            actor=persona("province_admin"),
            name=f"矩阵{where}第{n}号测试项目",
            investor_name=f"矩阵第{n}号投资有限公司",
            county=Region.objects.get(code=COUNTIES[where]),
            on=date(2025, 1, 5),
            agreed_investment_wan=Decimal("1000"),
        )

    def create_data(self, where: str) -> dict:
        return {
            "name": "矩阵新建项目",
            "investor_name": "矩阵新建投资有限公司",
            "county": Region.objects.get(code=COUNTIES[where]).pk,
            "agreed_investment_wan": "1000",
            "currency": "CNY",
            "on": "2025-01-10",
        }

    def update_url(self, obj) -> str:
        return f"/projects/{obj.pk}/edit/"

    def update_data(self, obj) -> dict:
        return {
            "name": f"{obj.name}（改）",
            "county": obj.county_id,
            "agreed_investment_wan": "2000",
            "currency": "CNY",
        }
