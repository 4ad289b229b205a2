"""The import checks admission for many rows at once: the same answers as one project at a time, with the 失信
register and the land-use thresholds read once per import rather than once per row."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.catalog.models import CreditBlacklistEntry, LandUseThreshold
from zhaoshang.core.testing import LUFENG_PARK, persona
from zhaoshang.projects.services.admission import admission_evaluate
from zhaoshang.projects.services.importing import ProjectRow, _plan_problems, projects_import_problems
from zhaoshang.regions.models import Park, Region

pytestmark = pytest.mark.django_db

NAMES = ["年产5万吨磷酸铁锂正极材料", "咖啡精深加工厂", "新建日产4000吨水泥熟料生产线", "数据中心", "中药饮片加工"]


def rows(count: int) -> list[ProjectRow]:
    counties = list(Region.objects.counties().order_by("code")[:7])
    park = Park.objects.get(code=LUFENG_PARK)
    made = []
    for i in range(count):
        county = counties[i % len(counties)]
        investor, code = f"测试投资{i % 4}有限公司", ""
        if i % 5 == 1:
            code = " 91530000blacklist "  # the register is matched on the trimmed, upper-cased code
        if i % 5 == 2:
            investor = "失信名单内的企业有限公司"
        made.append(
            ProjectRow(
                number=i + 2,
                name=f"{NAMES[i % len(NAMES)]}项目{i}",
                investor_name=investor,
                credit_code=code,
                county=park.region if i % 6 == 0 else county,
                park=park if i % 6 == 0 else None,
                amount_wan=Decimal(1000 + i),
            )
        )
    return made


@pytest.fixture
def register(db):
    CreditBlacklistEntry.objects.create(
        credit_code="91530000BLACKLIST", name="另一家企业", listed_on=date(2024, 1, 1), authority="某局"
    )
    CreditBlacklistEntry.objects.create(
        credit_code="91530000OLDER00001", name="失信名单内的企业有限公司", listed_on=date(2023, 1, 1), authority="甲局"
    )
    CreditBlacklistEntry.objects.create(
        credit_code="91530000NEWER00001", name="失信名单内的企业有限公司", listed_on=date(2025, 1, 1), authority="乙局"
    )
    CreditBlacklistEntry.objects.create(
        credit_code="91530000REMOVED001",
        name="测试投资0有限公司",
        listed_on=date(2022, 1, 1),
        authority="丙局",
        removed_on=date(2023, 1, 1),
    )
    lufeng = Region.objects.get(code="532302")
    LandUseThreshold.objects.create(
        region=lufeng, min_intensity_wan_per_mu=Decimal(300), min_tax_wan_per_mu=Decimal(20)
    )


def test_batched_admission_gives_the_answers_of_one_by_one(register):
    batch = rows(30)
    _plan_problems(persona("province_admin"), batch)
    for row in batch:
        alone = admission_evaluate(
            name=row.name,
            investment_wan=row.amount_wan,
            investor_name=row.investor_name,
            investor_credit_code=row.credit_code,
            county=row.county,
            park=row.park,
        )
        assert row.admission.verdict == alone.verdict and row.admission.rules == alone.rules, row.name
        assert row.admission.reasons == alone.reasons and not row.admission.industries
    credit = [row for row in batch if "credit" in row.admission.rules]
    assert {row.number for row in credit} == {row.number for row in batch if (row.number - 2) % 5 in (1, 2)}
    # the newest listing of a name is the one named, as in the one-by-one lookup
    assert all("乙局" in " ".join(r.admission.reasons) for r in credit if r.investor_name.startswith("失信"))


def test_a_blacklisted_investor_still_stops_the_import(register):
    problems, _ = projects_import_problems(actor=persona("province_admin"), rows=rows(10))
    rejected = {number for number, _, message in problems if "失信" in message}
    assert rejected == {3, 4, 8, 9}


def test_admission_queries_do_not_grow_with_rows(register):
    def queries(count: int) -> int:
        batch = rows(count)
        with CaptureQueriesContext(connection) as captured:
            _plan_problems(persona("province_admin"), batch)
        return len(captured)

    queries(5)  # the checker and classifier are built once per process
    assert queries(60) == queries(15)
