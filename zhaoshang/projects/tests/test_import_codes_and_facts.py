"""Issue 11 item 7: the officer's own 项目编号 survives import, pages, export and a re-import; the import reads the
facts the admission check needs (项目简介, 用地, 预期年税收, 行业代码) and checks them as the form does; it never
invents the date of a stage the file does not date."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from zhaoshang.catalog.models import IndustryClass
from zhaoshang.core.testing import persona
from zhaoshang.projects import services
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.importers import projects_import
from zhaoshang.projects.models import Agreement, Project, ProjectTransition
from zhaoshang.projects.tests.test_import import row, workbook
from zhaoshang.regions.models import Region

pytestmark = pytest.mark.django_db

D = Decimal


def ledger_rows() -> list[dict]:
    return [
        row(1, stage="线索"),
        row(2, stage="在谈", stage_on="2025-02-01"),
        row(3, stage="签约", signed_on="2025-03-01", amount_wan=12000),
        row(4, stage="开工", signed_on="2025-03-01", stage_on="2025-08-01", amount_wan=30000),
        row(5, stage="在谈", external_code="LF-在谈-无日期"),
        row(6, stage="签约", signed_on="2025-04-01", amount_wan=8000, source_province="境外（含港澳台）"),
    ]


def export_sheet(client) -> tuple[bytes, list[dict]]:
    response = client.get("/projects/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    return response.content, [dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)]


def test_the_officers_codes_are_exported_as_the_project_code_and_a_reexport_imports_again(client):
    officer = persona("lufeng_officer")
    assert projects_import(content=workbook(ledger_rows()), actor=officer).created == 6
    client.force_login(officer)
    content, exported = export_sheet(client)
    ids = dict(Project.objects.values_list("external_code", "pk"))
    assert {r["项目编号"]: r["系统编号"] for r in exported} == ids
    # Importing the export again recognises every project by its code: nothing new, nothing refused.
    again = projects_import(content=content, actor=officer)
    assert again.ok, again.errors
    assert (again.created, again.unchanged) == (0, 6)


def test_a_reexport_imported_into_an_empty_ledger_keeps_codes_stages_and_dates(client):
    officer = persona("lufeng_officer")
    projects_import(content=workbook(ledger_rows()), actor=officer)
    client.force_login(officer)
    content, _ = export_sheet(client)

    def ledger():
        return sorted(
            (
                p.external_code,
                p.stage,
                p.first_signed_on,
                p.agreed_investment_wan,
                p.source_province,
                tuple(p.transitions.values_list("to_stage", "on")),
            )
            for p in Project.objects.all()
        )

    before = ledger()
    Agreement.objects.all().delete()
    ProjectTransition.objects.all().delete()
    Project.objects.all().delete()
    report = projects_import(content=content, actor=officer)
    assert report.ok, report.errors
    assert ledger() == before


def test_the_list_and_the_detail_show_the_code_and_the_system_number_labelled(client):
    officer = persona("lufeng_officer")
    projects_import(content=workbook(ledger_rows()), actor=officer)
    project = Project.objects.get(external_code="LF-0003")
    client.force_login(officer)
    page = client.get("/projects/").content.decode()
    assert '<span class="project-code">LF-0003</span>' in page and f"系统编号 {project.pk}" in page
    assert client.get("/projects/?sort=code").status_code == 200
    detail = client.get(f"/projects/{project.pk}/").content.decode()
    assert "LF-0003" in detail and f"系统编号 {project.pk}" in detail


def test_the_import_stores_the_admission_facts_and_checks_them_as_the_form_does():
    officer, lufeng = persona("lufeng_officer"), Region.objects.get(code="532302")
    facts = {
        "description": "建设年产5万吨磷酸铁锂正极材料生产线",
        "land_mu": "200",
        "expected_annual_tax_wan": "3000",
        "industry_class": "C3841",
    }
    rows = [
        row(1, stage="签约", signed_on="2025-03-01", amount_wan=60000, **facts),
        row(2, stage="签约", signed_on="2025-03-01", amount_wan=60000, **facts | {"industry_class": 3841}),
    ]
    report = projects_import(content=workbook(rows), actor=officer)
    assert report.ok, report.errors
    imported = Project.objects.get(external_code="LF-0001")
    battery = IndustryClass.objects.get(code="3841")
    assert (imported.description, imported.land_mu, imported.expected_annual_tax_wan, imported.industry_class) == (
        facts["description"],
        D("200"),
        D("3000"),
        battery,
    )
    assert Project.objects.get(external_code="LF-0002").industry_class == battery
    # The same facts entered on the form get the same verdict, rules and reasons.
    entered = services.project_create(
        actor=officer,
        name=imported.name,
        investor_name="另一家投资有限公司",
        county=lufeng,
        on=date(2025, 1, 10),
        agreed_investment_wan=D("60000"),
        description=facts["description"],
        land_mu=D("200"),
        expected_annual_tax_wan=D("3000"),
        industry_class=battery,
    )
    assert (imported.admission_verdict, imported.admission_rules, imported.admission_reasons) == (
        entered.admission_verdict,
        entered.admission_rules,
        entered.admission_reasons,
    )
    assert not any("未填写用地面积" in reason for reason in imported.admission_reasons)


def test_land_tax_and_description_in_the_file_can_refuse_a_row():
    officer = persona("lufeng_officer")
    rows = [
        row(1, stage="签约", signed_on="2025-03-01", amount_wan=100, land_mu=1000, industry_class="3841"),
        row(2, description="新建日产4000吨水泥熟料生产线"),
        row(3, industry_class="99999"),
    ]
    report = projects_import(content=workbook(rows), actor=officer)
    assert report.errors[0].startswith("第2行 项目名称: 准入检查结论为“不招”，不能导入：投资强度 0.10 万元/亩")
    assert report.errors[1].startswith("第3行 项目名称: 准入检查结论为“不招”，不能导入：")
    assert "水泥" in report.errors[1]
    assert report.errors[2] == "第4行 行业代码: 须为国民经济行业分类（GB/T 4754-2017）的4位小类代码，如 3841"
    assert len(report.errors) == 3 and not Project.objects.exists()


def test_a_project_imported_under_construction_with_only_its_signing_dated_gets_no_invented_dates(client):
    officer = persona("lufeng_officer")
    rows = [row(1, stage="开工", registered_on=None, signed_on="2025-03-01", stage_on="2025-08-01", amount_wan=30000)]
    assert projects_import(content=workbook(rows), actor=officer).created == 1
    project = Project.objects.get()
    assert (project.stage, project.stage_on) == (Stage.UNDER_CONSTRUCTION, date(2025, 8, 1))
    assert list(project.transitions.values_list("to_stage", "on")) == [
        ("lead", date(2025, 3, 1)),  # 登记日期 left empty: the earliest date given, as the template says
        ("negotiating", None),
        ("signed", date(2025, 3, 1)),
        ("registered", None),  # not the 开工 date
        ("under_construction", date(2025, 8, 1)),
    ]
    client.force_login(officer)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    timeline = page[page.index('id="timeline"') : page.index("</ol>", page.index('id="timeline"'))]
    assert timeline.count("日期未填报") == 2
    stages = [part.split('"')[0] for part in timeline.split('data-stage="')[1:]]
    assert stages == ["lead", "negotiating", "signed", "registered", "under_construction"]


def test_a_lead_in_talks_without_a_stage_date_is_undated_but_can_move_on():
    officer = persona("lufeng_officer")
    projects_import(content=workbook([row(1, stage="在谈")]), actor=officer)
    project = Project.objects.get()
    assert list(project.transitions.values_list("to_stage", "on")) == [
        ("lead", date(2025, 1, 10)),
        ("negotiating", None),
    ]
    # The next step is dated from the latest date known.
    assert project.stage_on == date(2025, 1, 10)
    services.project_advance(project=project, to=Stage.TERMINATED, actor=officer, on=date(2025, 4, 1), note="撤资")
    assert ProjectTransition.in_order(project.transitions.all())[-1].on == date(2025, 4, 1)


def test_an_undated_step_sits_after_the_step_before_it_on_the_timeline():
    officer = persona("lufeng_officer")
    rows = [row(1, stage="投产", signed_on="2025-03-01", stage_on="2025-09-01", amount_wan=250000)]
    projects_import(content=workbook(rows), actor=officer)
    project = Project.objects.get()
    ordered = [(t.to_stage, t.on) for t in ProjectTransition.in_order(project.transitions.all())]
    assert ordered == [
        ("lead", date(2025, 1, 10)),
        ("negotiating", None),
        ("signed", date(2025, 3, 1)),
        ("registered", None),
        ("under_construction", None),
        ("in_production", date(2025, 9, 1)),
    ]
