"""The funds-in-place ledger in the CRUD × scope × permission matrix (``core.scope_matrix``): an entry is recorded
under its project and corrected by a reversing entry (the ledger is append-only: a correction adds a row, it
never changes or deletes one)."""

from datetime import date
from decimal import Decimal
from itertools import count

from zhaoshang.core.scope_matrix import ScopeMatrix
from zhaoshang.core.testing import persona
from zhaoshang.projects import services
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import FundingEntry
from zhaoshang.regions.models import Region

COUNTIES = {"own": "532302", "other": "530102"}  # 禄丰, 五华区 (昆明)
_numbers = count(1)


def signed_project(where: str):
    admin, n = persona("province_admin"), next(_numbers)
    project = services.project_create(
        actor=admin,
        name=f"矩阵{where}第{n}号到位资金项目",
        investor_name=f"矩阵资金第{n}号投资有限公司",
        county=Region.objects.get(code=COUNTIES[where]),
        on=date(2025, 1, 5),
        agreed_investment_wan=Decimal("1000"),
    )
    project = services.project_advance(project=project, to=Stage.NEGOTIATING, actor=admin, on=date(2025, 1, 10))
    services.agreement_create(actor=admin, project=project, signed_on=date(2025, 2, 1), amount_wan=Decimal("1000"))
    return services.project_advance(project=project, to=Stage.SIGNED, actor=admin, on=date(2025, 2, 1))


class TestLedgerMatrix(ScopeMatrix):
    model = FundingEntry

    def make(self, where: str):
        return services.funding_record(
            actor=persona("province_admin"),
            project=signed_project(where),
            month=date(2025, 4, 1),
            amount_wan=Decimal("10"),
        )

    def create_url_for(self, where: str) -> str:
        return f"/projects/{signed_project(where).pk}/funds/new/"

    def create_data(self, where: str) -> dict:
        return {"month": "2025-05", "amount_wan": "20"}

    def update_url(self, obj) -> str:
        return f"/funds/{obj.pk}/correct/"  # the ledger's change: a reversing entry

    def update_data(self, obj) -> dict:
        return {"reason": "录错项目"}

    def state(self, obj):
        return FundingEntry.objects.filter(project=obj.project).count()
