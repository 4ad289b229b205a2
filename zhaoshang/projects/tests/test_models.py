"""Roll-up helpers: one unit test per counting rule of DOMAIN.md (甄别), and the model invariants."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.investors.models import Enterprise
from zhaoshang.investors.names import normalise_enterprise_name
from zhaoshang.projects import services
from zhaoshang.projects.choices import AgreementKind, RegionGroup, Stage, next_stages, region_group_for
from zhaoshang.projects.models import Agreement, FundingEntry, Project

D = Decimal
pytestmark = pytest.mark.django_db


def test_the_stage_path_allows_one_step_forward_or_termination():
    assert next_stages(Stage.LEAD) == [Stage.NEGOTIATING, Stage.TERMINATED]
    assert next_stages(Stage.UNDER_CONSTRUCTION) == [Stage.IN_PRODUCTION, Stage.TERMINATED]
    assert next_stages(Stage.IN_PRODUCTION) == next_stages(Stage.TERMINATED) == []


def test_source_province_rolls_up_to_one_region_group():
    assert region_group_for("江苏") == RegionGroup.YANGTZE_DELTA
    assert region_group_for("广东") == RegionGroup.PEARL_DELTA
    assert region_group_for("北京") == RegionGroup.JING_JIN_JI
    assert region_group_for("四川") == RegionGroup.CHENG_YU  # 成渝 before 泛珠三角
    assert region_group_for("山东") == RegionGroup.EAST
    assert region_group_for("境外") == RegionGroup.ABROAD
    assert region_group_for("云南") == RegionGroup.IN_PROVINCE
    assert region_group_for("") == ""


def test_the_service_stores_the_region_group_and_foreign_flag(make_project):
    project = make_project(source_province="境外")
    assert (project.region_group, project.is_foreign) == (RegionGroup.ABROAD, True)


def test_enterprise_names_ignore_legal_suffixes_and_brackets():
    same = {
        normalise_enterprise_name(n)
        for n in ("中国铝业（集团）有限公司", "中国铝业股份有限公司", "中国铝业集团", "中国铝业 (集团) 有限责任公司")
    }
    assert same == {"中国铝业"}
    assert normalise_enterprise_name("隆基绿能科技股份有限公司") == "隆基绿能科技"


def test_a_new_investor_is_created_once_on_the_fly(make_project):
    make_project(name="甲", investor_name="云南星辰有限公司")
    make_project(name="乙", investor_name="云南星辰股份有限公司")
    assert Enterprise.objects.named("云南星辰").count() == 1


def test_a_project_invariant_park_must_belong_to_the_county(make_project, lufeng_park):
    project = make_project(park=lufeng_park)
    project.county = project.county.parent.region_set.exclude(pk=project.county_id).filter(level=3).first()
    with pytest.raises(ValidationError):
        project.full_clean()


def test_rule_signed_counts_once_at_the_first_signing(make_project, sign, officer):
    project = sign(
        make_project(on=date(2023, 1, 5)), on=date(2023, 5, 1), amount=D("100000"), kind=AgreementKind.FRAMEWORK
    )
    services.agreement_create(
        actor=officer,
        project=project,
        signed_on=date(2024, 2, 1),
        amount_wan=D("150000"),
        upgrades=project.agreements.get(),
    )
    assert list(Project.objects.signed_in(2023)) == [project]
    assert not Project.objects.signed_in(2024).exists()


def test_rule_an_upgrade_counts_only_its_upgrade(make_project, sign, officer):
    project = sign(
        make_project(on=date(2023, 1, 5)), on=date(2023, 5, 1), amount=D("100000"), kind=AgreementKind.FRAMEWORK
    )
    services.agreement_create(
        actor=officer,
        project=project,
        signed_on=date(2024, 2, 1),
        amount_wan=D("150000"),
        upgrades=project.agreements.get(),
    )
    assert Agreement.objects.signed_between(date(2023, 1, 1), date(2023, 12, 31)).counted_total_wan() == D("100000")
    assert Agreement.objects.signed_between(date(2024, 1, 1), date(2024, 12, 31)).counted_total_wan() == D("50000")
    assert Agreement.objects.counted().counted_total_wan() == D("150000")


def test_rule_a_capital_increase_counts_only_the_increment(make_project, sign):
    parent = sign(make_project(name="禄丰硅材料项目"), amount=D("200000"))
    child = sign(
        make_project(name="禄丰硅材料项目增资扩产", parent=parent, agreed_investment_wan=D("30000")), amount=D("30000")
    )
    both = Project.objects.filter(pk__in=[parent.pk, child.pk])
    assert both.agreed_total_wan() == D("230000")
    assert Agreement.objects.filter(project__in=both).counted_total_wan() == D("230000")
    assert list(both.capital_increases()) == [child]


def test_rule_a_change_of_investor_counts_funds_under_the_new_investor_from_that_date(signed_project, officer):
    old = signed_project.investor
    for month in (date(2024, 4, 1), date(2024, 5, 1), date(2024, 6, 1), date(2024, 7, 1)):
        services.funding_record(actor=officer, project=signed_project, month=month, amount_wan=D("100"))
    change = services.project_change_investor(
        actor=officer, project=signed_project, investor_name="新业主有限公司", on=date(2024, 6, 10)
    )
    under_old = FundingEntry.objects.counted().under_investor(old)
    under_new = FundingEntry.objects.counted().under_investor(change.to_investor)
    assert sorted(e.month.month for e in under_old) == [4, 5]
    assert sorted(e.month.month for e in under_new) == [6, 7]


def test_rule_a_merged_duplicate_never_counts_twice(make_project, sign, officer):
    survivor = sign(make_project(name="禄丰铝材项目"), amount=D("60000"))
    duplicate = sign(make_project(name="禄丰铝材项目（州报）"), amount=D("60000"))
    services.project_merge(actor=officer, duplicate=duplicate, survivor=survivor)
    rows = Project.objects.filter(pk__in=[survivor.pk, duplicate.pk])
    assert list(rows.counted()) == [survivor]
    assert rows.agreed_total_wan() == D("60000")
    assert rows.signed_in(2024).count() == 1
    assert Agreement.objects.filter(project__in=rows).counted().counted_total_wan() == D("60000")


def test_amount_bands_and_flags(make_project):
    small = make_project(name="小项目", agreed_investment_wan=D("9999.99"))
    billion = make_project(name="亿元项目", agreed_investment_wan=D("10000"))
    big = make_project(name="十亿项目", agreed_investment_wan=D("100000"), is_global500=True)
    rows = Project.objects.filter(pk__in=[small.pk, billion.pk, big.pk])
    assert set(rows.billion_plus()) == {billion, big}
    assert list(rows.ten_billion_plus()) == [big]
    assert list(rows.fortune500()) == [big]


def test_monthly_funds_count_approved_corrections_only(signed_project, officer, chuxiong):
    first = services.funding_record(actor=officer, project=signed_project, month=date(2024, 4, 1), amount_wan=D("300"))
    services.funding_record(actor=officer, project=signed_project, month=date(2024, 5, 1), amount_wan=D("200"))
    pending = services.funding_correct(actor=officer, entry=first, reason="x")
    monthly = list(signed_project.funding_entries.monthly())
    assert [(m["month"], m["amount_wan"]) for m in monthly] == [
        (date(2024, 4, 1), D("300")),
        (date(2024, 5, 1), D("200")),
    ]
    services.correction_decide(actor=chuxiong, entry=pending, approve=True)
    monthly = list(signed_project.funding_entries.monthly())
    assert [m["amount_wan"] for m in monthly] == [D("0"), D("200")]
