from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.accounts.models import Company
from zhaoshang.aftercare.services import companies
from zhaoshang.core.testing import persona
from zhaoshang.projects import services as project_services
from zhaoshang.projects.choices import Stage
from zhaoshang.regions.models import Region

PASSWORD = "Dianchi#Lake-2741"  # the demo one contains "yunnan", which the password rules refuse for new accounts

# Valid unified social credit codes (GB 32100 check digit).
CODE_A = "91530100MA6K0YQ418"
CODE_B = "91530102MA6NTM9U0L"


@pytest.fixture
def lufeng(db):
    return Region.objects.get(code="532302")


@pytest.fixture
def kunming_county(db):
    return Region.objects.get(code="530102")


@pytest.fixture
def officer(db):
    return persona("lufeng_officer")


def make_project(actor, county, name, *, stage=Stage.SIGNED, clauses=()):
    project = project_services.project_create(
        actor=actor,
        name=name,
        investor_name=f"{name}投资有限公司",
        county=county,
        on=date(2025, 1, 6),
        agreed_investment_wan=Decimal("50000"),
    )
    project = project_services.project_advance(project=project, to=Stage.NEGOTIATING, actor=actor, on=date(2025, 2, 3))
    project_services.agreement_create(
        actor=actor, project=project, signed_on=date(2025, 3, 3), amount_wan=Decimal("50000"), clauses=clauses
    )
    project = project_services.project_advance(project=project, to=Stage.SIGNED, actor=actor, on=date(2025, 3, 3))
    return project


def register(username, code, name, region, actor):
    user = companies.company_register(
        credit_code=code,
        name=name,
        contact_name="张经理",
        contact_phone="13800000000",
        region=region,
        username=username,
        password=PASSWORD,
        email=f"{username}@example.com",
    )
    company = Company.objects.get(pk=user.company_id)
    companies.company_verify(actor=actor, company=company, approve=True)
    user.refresh_from_db()
    return user


@pytest.fixture
def lufeng_project(officer, lufeng):
    return make_project(
        officer,
        lufeng,
        "禄丰储能电池项目",
        clauses=[
            {"content": "项目投产后给予奖补500万元", "amount_wan": Decimal("500"), "conditions": "项目投产"},
            {"content": "按企业缴纳增值税地方留成部分的50%给予税收返还", "amount_wan": Decimal("300")},
        ],
    )


@pytest.fixture
def kunming_project(kunming_county):
    return make_project(persona("kunming_officer"), kunming_county, "五华数字经济项目")


@pytest.fixture
def ent_a(officer, lufeng, lufeng_project):
    user = register("ent_a", CODE_A, "云南储能科技有限公司", lufeng, officer)
    companies.company_link(actor=officer, company=user.company, project=lufeng_project)
    return user


@pytest.fixture
def ent_b(kunming_county, kunming_project):
    kunming = persona("kunming_officer")
    user = register("ent_b", CODE_B, "昆明数字科技有限公司", kunming_county, kunming)
    companies.company_link(actor=kunming, company=user.company, project=kunming_project)
    return user
