"""The ledger's monthly roll-up (``FundingRollup``) equals the counted ledger after every kind of write: an entry,
a correction waiting, approved or rejected, a stage change, an edit that moves a project to another county, park,
category or industry, a merge, an import and the industries it suggests. ``rollup_differences`` recomputes the
ledger's sums with one SQL and compares them row by row with what the services kept."""

from datetime import date
from decimal import Decimal as D

import pytest

from zhaoshang.catalog.models import IndustryClass, KeyIndustry
from zhaoshang.core.testing import persona
from zhaoshang.projects import services
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.importers import projects_import
from zhaoshang.projects.models import FundingEntry, FundingRollup, Project
from zhaoshang.projects.services.admission import projects_suggest_industries
from zhaoshang.projects.services.rollup import ledger_sums, rollup_differences, rollup_rebuild, rollup_rows
from zhaoshang.projects.tests.test_import import row, workbook
from zhaoshang.regions.models import Park, Region


def signed(name, county_code, on=date(2024, 3, 10), **fields):
    actor = persona("province_admin")
    project = services.project_create(
        actor=actor,
        name=name,
        investor_name=f"{name}投资有限公司",
        county=Region.objects.get(code=county_code),
        agreed_investment_wan=D("300000"),
        on=on,
        **fields,
    )
    project = services.project_advance(project=project, to=Stage.NEGOTIATING, actor=actor, on=on)
    services.agreement_create(actor=actor, project=project, signed_on=on, amount_wan=D("300000"))
    return services.project_advance(project=project, to=Stage.SIGNED, actor=actor, on=on)


def fund(project, month, wan, outside_province="0", **more):
    return services.funding_record(
        actor=persona("province_admin"),
        project=project,
        month=month,
        amount_wan=D(wan),
        outside_province_wan=D(outside_province),
        **more,
    )


def agrees() -> dict:
    """The roll-up equals the ledger; returns it for further checks."""
    assert rollup_differences() == []
    return rollup_rows()


def total(rows: dict, position: int = 0) -> int:
    """A column summed over the total kind (every counted entry is in one row of each kind)."""
    return sum(values[position] for key, values in rows.items() if key[0] == "total")


@pytest.mark.django_db
def test_the_rollup_equals_the_ledger_after_every_kind_of_write():
    admin, approver = persona("province_admin"), persona("chuxiong_officer")
    a = signed("楚雄硅材料项目", "532301", category="industry")
    b = signed("禄丰钛材项目", "532302")
    assert agrees() == {}
    fund(a, date(2024, 4, 1), "1000.25", outside_province="600.10")
    entry = fund(b, date(2024, 5, 1), "333.33")
    fund(b, date(2024, 5, 1), "0.01", foreign_usd_wan=D("0.001"), usd_rate=D("7.1"))  # the same month and key
    rows = agrees()
    assert total(rows) == 100025 + 33333 + 1 and total(rows, 4) == 3

    correction = services.funding_correct(actor=admin, entry=entry, reason="重复录入")
    assert agrees() == rows  # waiting for a second person: it does not count yet
    services.correction_decide(actor=approver, entry=correction, approve=True)
    rows = agrees()
    assert total(rows) == 100025 + 1 and total(rows, 4) == 4  # the reversal counts, the entry stays
    other = fund(a, date(2024, 6, 1), "10")
    rejected = services.funding_correct(actor=admin, entry=other, reason="金额有误")
    services.correction_decide(actor=approver, entry=rejected, approve=False)
    assert total(agrees()) == 100025 + 1 + 1000

    services.project_advance(project=a, to=Stage.REGISTERED, actor=admin, on=date(2024, 7, 1))  # a stage change
    agrees()
    park = Park.objects.get(code="S539053")  # 禄丰's park: b moves into it, then to another county
    b = services.project_update(actor=admin, project=b, name=b.name, county=b.county, park=park)
    assert {key[2] for key in agrees()} >= {park.path}
    b = services.project_update(actor=admin, project=b, name=b.name, county=Region.objects.get(code="532301"))
    assert park.path not in {key[2] for key in agrees()}  # the emptied combination is gone, not kept at zero
    industry = KeyIndustry.objects.exclude(pk=a.key_industry_id).first()
    industry_class = IndustryClass.objects.filter(section="F").first()
    a = services.project_update(
        actor=admin,
        project=a,
        name=a.name,
        county=a.county,
        category="real_estate",
        key_industry=industry,
        industry_class=industry_class,
    )
    rows = agrees()
    moved = {(key[0], key[3], key[4], key[5]) for key in rows if key[2] == a.path}
    assert ("industry", "real_estate", False, industry.code) in moved  # section F: not 工业

    duplicate = signed("禄丰钛材项目（重复）", "532301")
    fund(duplicate, date(2024, 5, 1), "7")
    before = total(agrees())
    services.project_merge(actor=admin, duplicate=duplicate, survivor=b)
    assert total(agrees()) == before  # the duplicate's money moved to the survivor and counts once

    report = projects_import(content=workbook([row(i) for i in (3, 6, 9)]), actor=admin)  # 签约 rows
    assert report.ok
    agrees()
    created = list(Project.objects.filter(source="import").values_list("pk", flat=True))
    Project.objects.filter(pk__in=created).update(key_industry=None)
    fund(Project.objects.get(pk=created[0]), date(2025, 3, 1), "5")
    rollup_rebuild()  # the update above bypassed the services on purpose, to give the suggestion work to do
    projects_suggest_industries(actor=admin, project_ids=created)
    assert agrees()


@pytest.mark.django_db
def test_a_write_that_bypasses_the_services_shows_as_a_difference_until_rebuilt():
    a = signed("楚雄硅材料项目", "532301")
    fund(a, date(2024, 4, 1), "100")
    admin = persona("province_admin")
    FundingEntry.objects.create(project=a, month=date(2024, 4, 1), amount_wan=D("1"), entered_by=admin)
    assert len(rollup_differences()) == 3  # its row of each kind
    assert rollup_rebuild() == FundingRollup.objects.count() == 3  # one row of each kind
    assert rollup_differences() == [] and total(ledger_sums()) == 10100
