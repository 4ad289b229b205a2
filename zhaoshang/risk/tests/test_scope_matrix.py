"""Risk warnings in the CRUD × scope × permission matrix (``core.scope_matrix``): a warning is raised by the scan,
never created on a page; an officer changes it by an action (here: dismiss, with a reason) and exports the list."""

from itertools import count

from zhaoshang.core.scope_matrix import ScopeMatrix
from zhaoshang.core.testing import persona
from zhaoshang.regions.models import Region
from zhaoshang.risk import services
from zhaoshang.risk.choices import RuleCode
from zhaoshang.risk.models import RiskWarning
from zhaoshang.risk.tests.conftest import SCAN_DAY, make_signed

PLACES = {"own": ("532302", "lufeng_officer"), "other": ("530102", "kunming_officer")}  # 禄丰, 五华区 (昆明)
_serial = count(1)


class TestWarningMatrix(ScopeMatrix):
    model = RiskWarning
    export_url = "/risk/warnings/"

    def make(self, where: str):
        code, officer = PLACES[where]
        project = make_signed(persona(officer), Region.objects.get(code=code), f"矩阵测试项目{next(_serial)}号")
        services.risk_scan(today=SCAN_DAY)
        return RiskWarning.objects.get(project=project, rule__code=RuleCode.NO_FUNDS)

    def export_marker(self, obj) -> str:
        return obj.project.name

    def update_url(self, obj) -> str:
        return f"/risk/warnings/{obj.pk}/dismiss/"

    def update_data(self, obj) -> dict:
        return {"note": "资金已由集团直接拨付，经核实不属于风险"}
