from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.core.testing import LUFENG_PARK, persona
from zhaoshang.projects import services
from zhaoshang.projects.choices import AgreementKind, Stage
from zhaoshang.regions.models import Park, Region

D = Decimal


@pytest.fixture
def lufeng(db):
    return Region.objects.get(code="532302")


@pytest.fixture
def kunming_county(db):
    return Region.objects.get(code="530102")  # 五华区, in 昆明


@pytest.fixture
def lufeng_park(db):
    return Park.objects.get(code=LUFENG_PARK)


@pytest.fixture
def officer(db):
    return persona("lufeng_officer")


@pytest.fixture
def chuxiong(db):
    return persona("chuxiong_officer")


@pytest.fixture
def make_project(officer, lufeng):
    def make(name="禄丰新能源电池材料项目", investor_name="云南星辰新材料有限公司", actor=None, county=None, **fields):
        fields.setdefault("on", date(2024, 1, 5))
        # Set-up, not the behaviour under test: several projects of one investor are entered knowingly (甄别's
        # refusal is tested in test_write_channels and test_views).
        fields.setdefault("confirm_not_duplicate", True)
        return services.project_create(
            actor=actor or officer,
            name=name,
            investor_name=investor_name,
            county=county or lufeng,
            agreed_investment_wan=fields.pop("agreed_investment_wan", D("50000")),
            **fields,
        )

    return make


@pytest.fixture
def sign(officer):
    def signed(project, *, on=date(2024, 3, 1), amount=None, kind=AgreementKind.CONTRACT, actor=None):
        actor, amount = actor or officer, amount or D("50000")
        if project.stage == Stage.LEAD:
            project = services.project_advance(project=project, to=Stage.NEGOTIATING, actor=actor, on=on)
        services.agreement_create(actor=actor, project=project, signed_on=on, amount_wan=amount, kind=kind)
        return services.project_advance(project=project, to=Stage.SIGNED, actor=actor, on=on)

    return signed


@pytest.fixture
def signed_project(make_project, sign):
    return sign(make_project())
