"""考核评价 (issue 20): a year's scheme as versioned data, the quarter's scores of a node's children from the
indicator engine and the registered sources, publication as a frozen snapshot, and the scoped page, exports, API and
command printing the same numbers."""

import json
from datetime import date
from decimal import Decimal as D
from io import BytesIO, StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import persona
from zhaoshang.regions.models import Region
from zhaoshang.stats.assessment.models import AssessmentScheme, SchemeState
from zhaoshang.stats.assessment.selectors import assessment, compute_scores, scheme_in_force
from zhaoshang.stats.assessment.services import assessment_publish, scheme_publish, scheme_save
from zhaoshang.stats.demo import DEMO_SCHEME_ITEMS, seed_demo_scheme
from zhaoshang.stats.services import target_set
from zhaoshang.stats.tests.test_indicators import fund, signed_project

pytestmark = pytest.mark.django_db
Q3 = {"year": 2026, "quarter": 3}


@pytest.fixture
def chuxiong_2026(db):
    """Two 楚雄 counties with 2026 figures (each project 30亿元 signed, so a 10亿元以上 project) and targets: 楚雄市
    signs and brings money in, 禄丰 signs later; the demo scheme is published for 2026."""
    admin = persona("province_admin")
    a = signed_project("楚雄绿色硅材料一体化项目", "532301", "四川某某硅业有限公司", on=date(2026, 2, 10))
    b = signed_project("禄丰钛材深加工项目", "532302", "昆明某某钛业有限公司", on=date(2026, 8, 10))
    fund(a, date(2026, 3, 1), "60000", outside_province="60000")
    fund(b, date(2026, 9, 1), "20000", outside_province="20000")
    fund(a, date(2026, 10, 1), "99999", outside_province="99999")  # after Q3: not counted
    for code, funds, agreed in (("532301", "40", "40"), ("532302", "20", "60")):
        region = Region.objects.get(code=code)
        target_set(actor=admin, year=2026, region=region, indicator="funds_outside_province", value=D(funds), unit="亿元")
        target_set(actor=admin, year=2026, region=region, indicator="agreed_investment", value=D(agreed), unit="亿元")
    assert seed_demo_scheme(year=2026)
    return a, b


def by_code(rows):
    return {row.code: row for row in rows}


def items_of(row):
    return {item.source: item for item in row.items}


def test_the_q3_scores_of_chuxiong_counties_come_from_the_engine_with_a_breakdown(chuxiong_2026):
    chuxiong = Region.objects.get(code="532300")
    rows = by_code(compute_scores(chuxiong, 2026, 3, scheme_in_force(2026)))
    assert len(rows) == 10
    city, lufeng = items_of(rows["532301"]), items_of(rows["532302"])
    # 省外到位资金: 60,000 of the 序时 target 40亿 × 3/4 = 300,000 万元 → 20 %, of 30 points → 6.
    assert city["funds_outside_province"].raw == D("60000.00")
    assert city["funds_outside_province"].target == D("300000.00")
    assert city["funds_outside_province"].completion_pct == D("20.0")
    assert city["funds_outside_province"].points == D("6.00")
    # 签约额: 300,000 of 40亿 × 3/4 = 300,000 → 100 %, the full 25 points; 禄丰 300,000 of 450,000 → 66.7 % → 16.67.
    assert city["agreed_investment"].points == D("25.00")
    assert lufeng["agreed_investment"].points == D("16.67")
    # 10亿元以上项目数 by rank: both have one and share rank 1 (15 points); the eight others share rank 3 of 10:
    # 15 − (15 − 60 % of 15) × 2/9 = 13.67.
    assert city["projects_1b"].rank == lufeng["projects_1b"].rank == 1
    assert city["projects_1b"].points == D("15.00")
    others = items_of(rows["532322"])["projects_1b"]
    assert others.rank == 3 and others.points == D("13.67")
    # Scores add up: 6 + 25 + 15 + 0 + 0 + 0 = 46 for 楚雄市.
    assert rows["532301"].score == sum(i.points for i in rows["532301"].items) == D("46.00")
    assert rows["532301"].rank == 1
