"""Transfers (项目流转) in the CRUD × scope × permission matrix (``core.scope_matrix``): proposed from the project's
page by the side holding it, changed by a step on the transfer's page (here: 退回 with a reason), exported from the
list. Never deleted: a transfer's steps are its history."""

from datetime import date
from decimal import Decimal
from itertools import count

from zhaoshang.core.scope_matrix import ScopeMatrix
from zhaoshang.core.testing import persona
from zhaoshang.projects import services
from zhaoshang.projects.models import Transfer, TransferReason
from zhaoshang.projects.services.transfer import transfer_propose
from zhaoshang.regions.models import Region

# Where the project is, who holds it, where it is offered: 禄丰 → 楚雄市; 五华区 → 盘龙区 (昆明, outside 禄丰's scope).
PLACES = {"own": ("532302", "lufeng_officer", "532301"), "other": ("530102", "kunming_officer", "530103")}
_serial = count(1)


def project_in(where: str):
    code, officer, _ = PLACES[where]
    return services.project_create(
        actor=persona(officer),
        name=f"流转矩阵测试项目{next(_serial)}号",
        investor_name=f"流转矩阵测试投资{next(_serial)}有限公司",
        county=Region.objects.get(code=code),
        on=date(2026, 3, 1),
        agreed_investment_wan=Decimal("5000"),
    )


class TestTransferMatrix(ScopeMatrix):
    model = Transfer
    export_url = "/projects/transfers/"

    def make(self, where: str):
        _, officer, to_code = PLACES[where]
        return transfer_propose(
            actor=persona(officer),
            project=project_in(where),
            to_county=Region.objects.get(code=to_code),
            to_park=None,
            reason=TransferReason.LAND,
            reason_text="用地指标不足",
            source_share=Decimal("30"),
            target_share=Decimal("70"),
            from_year=2026,
            years=3,
        )

    def create_url_for(self, where: str) -> str:
        return f"/projects/{project_in(where).pk}/transfer/"

    def create_data(self, where: str) -> dict:
        return {
            "to_county": Region.objects.get(code=PLACES[where][2]).pk,
            "reason": TransferReason.LAND,
            "reason_text": "用地指标不足，园区已无可供工业用地",
            "source_share": "30",
            "target_share": "70",
            "shares_signed": "on",
            "shares_funds": "on",
            "from_year": "2026",
            "years": "3",
        }

    def export_marker(self, obj) -> str:
        return obj.project.name

    def update_url(self, obj) -> str:
        return f"/projects/transfers/{obj.pk}/"

    def update_data(self, obj) -> dict:
        return {"action": "return", "reason": "接收方园区规划调整，暂不承接"}
