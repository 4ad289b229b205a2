from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.core.testing import persona
from zhaoshang.projects import services as project_services
from zhaoshang.projects.choices import Stage
from zhaoshang.regions.models import Region

SIGNED_ON = date(2026, 7, 15)
# The scan day of the example: 2026-07-15 signed, four whole months later.
SCAN_DAY = date(2026, 11, 15)


@pytest.fixture
def lufeng(db):
    return Region.objects.get(code="532302")


@pytest.fixture
def wuhua(db):
    return Region.objects.get(code="530102")  # 五华区, in 昆明


def make_signed(actor, county, name, *, signed_on=SIGNED_ON, stage=Stage.SIGNED):
    project = project_services.project_create(
        actor=actor,
        name=name,
        investor_name=f"{name}投资有限公司",
        county=county,
        on=date(2026, 5, 6),
        agreed_investment_wan=Decimal("20000"),
    )
    project = project_services.project_advance(project=project, to=Stage.NEGOTIATING, actor=actor, on=date(2026, 6, 1))
    if stage == Stage.NEGOTIATING:
        return project
    project_services.agreement_create(actor=actor, project=project, signed_on=signed_on, amount_wan=Decimal("20000"))
    return project_services.project_advance(project=project, to=Stage.SIGNED, actor=actor, on=signed_on)


@pytest.fixture
def lufeng_project(db, lufeng):
    return make_signed(persona("lufeng_officer"), lufeng, "禄丰锂电池正极材料项目")


@pytest.fixture
def kunming_project(db, wuhua):
    return make_signed(persona("kunming_officer"), wuhua, "五华数字经济产业园项目")
