from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from zhaoshang.core.audit import audit_verify
from zhaoshang.core.models import AuditLog, Job
from zhaoshang.core.testing import persona
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.importers import projects_import
from zhaoshang.projects.models import Agreement, Project, ProjectTransition
from zhaoshang.projects.services.importing import HEADERS

COLUMNS = list(HEADERS.values())


def workbook(rows: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append([h + (" *" if h in ("项目名称", "投资方", "县市区", "阶段") else "") for h in COLUMNS])
    for row in rows:
        sheet.append([row.get(key) for key in HEADERS])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(i: int, **values) -> dict:
    base = {
        "external_code": f"LF-{i:04d}",
        "name": f"禄丰第{i}号产业园项目",
        "investor_name": f"云南投资{i}号有限公司",
        "county": "禄丰市",
        "key_industry": "新材料",
        "stage": "签约" if i % 3 == 0 else ("在谈" if i % 3 == 1 else "线索"),
        "registered_on": "2025-01-10",
        "amount_wan": 12000.5 if i % 3 == 0 else None,
        "source_province": "广东",
        "responsible_person": "张三",
    }
    if base["stage"] == "签约":
        base["signed_on"] = "2025-03-01"
    base.update(values)
    return base


def hundred(**overrides) -> list[dict]:
    rows = [row(i) for i in range(1, 101)]
    for number, values in overrides.items():
        rows[int(number.removeprefix("row")) - 2].update(values)  # spreadsheet row N holds rows[N - 2]
    return rows


@pytest.mark.django_db
def test_a_hundred_row_import_with_one_bad_row_writes_nothing_and_names_the_row(officer):
    before = (Project.objects.count(), AuditLog.objects.count())
    report = projects_import(content=workbook(hundred(row57={"amount_wan": "一千万"})), actor=officer)
    assert report.errors == ["第57行 协议投资额（万元）: 必须为数字"]
    assert (Project.objects.count(), AuditLog.objects.count()) == before


@pytest.mark.django_db
def test_the_fixed_file_imports_all_hundred_through_the_lifecycle_and_again_adds_none(officer):
    content = workbook(hundred())
    report = projects_import(content=content, actor=officer, source_name="台账.xlsx")
    assert report.ok and (report.created, report.unchanged) == (100, 0)
    projects = Project.objects.filter(source="import")
    assert projects.count() == 100
    signed = projects.get(external_code="LF-0003")
    assert (signed.stage, signed.first_signed_on, signed.agreed_investment_wan) == (
        Stage.SIGNED,
        date(2025, 3, 1),
        Decimal("12000.50"),
    )
    assert signed.path == "530000/532300/532302" and signed.region_group == "pearl_delta"
    assert (signed.admission_verdict, signed.admission_rules, signed.admission_reasons) == (
        "pass",
        [],
        ["未触发不招、慎招规则。", "未填写用地面积（亩），未校验投资强度和亩均税收。"],
    )
    assert list(signed.transitions.values_list("from_stage", "to_stage", "on")) == [
        ("", "lead", date(2025, 1, 10)),
        ("lead", "negotiating", None),  # passed on the way, on a day the file does not give
        ("negotiating", "signed", date(2025, 3, 1)),
    ]
    agreement = Agreement.objects.get(project=signed)
    assert agreement.amount_wan == agreement.counted_amount_wan == Decimal("12000.50")
    assert ProjectTransition.objects.filter(project__source="import").count() == 33 * 3 + 34 * 2 + 33
    # The import is one change: one audit row for the county it filled (the officer's own node), listing each
    # project and new investor with its file row; the HMAC chain still holds.
    (audit,) = AuditLog.objects.filter(action="import")
    assert audit.path == "530000/532300/532302" and audit.after["created"] == 100
    assert audit.after["objects"]["project"][str(signed.pk)] == 4 and len(audit.after["objects"]["enterprise"]) == 100
    assert not AuditLog.objects.filter(action="create", object_type="projects.Project").exists()
    assert audit_verify() is None

    again = projects_import(content=content, actor=officer)
    assert again.ok and (again.created, again.unchanged) == (0, 100)
    assert Project.objects.filter(source="import").count() == 100
    assert audit_verify() is None


@pytest.mark.django_db
def test_without_project_codes_the_duplicate_rule_keeps_a_second_import_from_adding_any(officer):
    content = workbook([row(i, external_code=None) for i in range(1, 11)])
    assert projects_import(content=content, actor=officer).created == 10
    again = projects_import(content=content, actor=officer)
    assert again.ok and (again.created, again.unchanged) == (0, 10)


@pytest.mark.django_db
def test_a_similar_project_of_the_same_investor_in_the_county_is_a_row_error_naming_it(officer, make_project):
    existing = make_project(name="禄丰新能源电池材料项目", investor_name="云南星辰新材料有限公司")
    rows = [
        row(1),
        row(2, name="禄丰新能源电池材料项目（一期）", investor_name="云南星辰新材料股份有限公司"),
        row(3, name="另一个项目", investor_name="甲公司"),
        row(4, name="另一个项目二期", investor_name="甲公司", external_code=None),
        row(5, external_code="LF-0001", name="完全不同", investor_name="乙公司"),
    ]
    report = projects_import(content=workbook(rows), actor=officer)
    assert report.errors == [
        f"第3行 项目名称: 与已有项目“禄丰新能源电池材料项目”（系统编号 {existing.pk}）疑似重复"
        "（同一县市区、同一投资方、名称相近）；如确为不同项目，请在平台逐个录入",
        "第5行 项目名称: 与第4行疑似重复（同一县市区、同一投资方、名称相近）",
        "第6行 项目编号: 与第2行重复",
    ]
    assert Project.objects.count() == 1


@pytest.mark.django_db
def test_a_county_officer_cannot_import_into_another_county_or_its_park(officer):
    rows = [
        row(1),
        row(2, county="五华区"),
        row(3, county="五华区", park="云南五华科技产业园"),
        row(4, park="云南五华科技产业园"),
    ]
    report = projects_import(content=workbook(rows), actor=officer)
    assert report.errors == [
        "第3行 县市区: 不在您的辖区内，不能导入",
        "第4行 县市区: 不在您的辖区内，不能导入",
        "第5行 园区: 园区“云南五华科技产业园”不属于禄丰市",
    ]
    assert not Project.objects.exists()
    # The prefecture may import into any of its counties, and into the county's park.
    chuxiong = persona("chuxiong_officer")
    ok = projects_import(content=workbook([row(1, county="楚雄市"), row(2, park="云南禄丰工业园区")]), actor=chuxiong)
    assert ok.ok and ok.created == 2
    assert Project.objects.get(external_code="LF-0002").path == "530000/532300/532302/S539053"


@pytest.mark.django_db
def test_a_stage_beyond_lead_needs_what_that_stage_needs(officer):
    rows = [
        row(1, stage="签约", signed_on=None, amount_wan=None),
        row(2, stage="开工", signed_on="2025-03-01", amount_wan=100),
        row(3, stage="在谈", signed_on="2025-03-01"),
        row(4, stage="签约", signed_on="2024-12-01", amount_wan=100),
        row(5, stage="投产", signed_on="2025-03-01", stage_on="2099-01-01", amount_wan=100),
        row(6, stage="终止"),
    ]
    report = projects_import(content=workbook(rows), actor=officer)
    assert report.errors == [
        "第2行 签约日期: 阶段为“签约”须填写签约日期",
        "第2行 协议投资额（万元）: 阶段为“签约”须填写协议投资额（大于0）",
        "第3行 阶段日期: 阶段为“开工”须填写进入该阶段的日期",
        "第4行 签约日期: 阶段为“在谈”的项目尚未签约，不填写签约日期",
        "第5行 签约日期: 不能早于登记日期（2025-01-10）",
        "第6行 阶段日期: 不能晚于今天",
        "第7行 阶段: 请从下拉列表中选择",
    ]
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_a_project_in_production_gets_every_step_in_order(officer):
    rows = [row(1, stage="投产", signed_on="2025-03-01", stage_on="2025-09-01", amount_wan="250000")]
    assert projects_import(content=workbook(rows), actor=officer).created == 1
    project = Project.objects.get()
    assert (project.stage, project.stage_on) == (Stage.IN_PRODUCTION, date(2025, 9, 1))
    assert list(project.transitions.values_list("to_stage", "on")) == [
        ("lead", date(2025, 1, 10)),
        ("negotiating", None),
        ("signed", date(2025, 3, 1)),
        ("registered", None),
        ("under_construction", None),
        ("in_production", date(2025, 9, 1)),
    ]


@pytest.mark.django_db
def test_the_template_has_drop_downs_limited_to_the_users_scope_and_an_instructions_sheet(as_persona):
    response = as_persona("lufeng_officer").get("/projects/import/template/")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["数据", "选项", "填写说明"]
    data, options = book["数据"], book["选项"]
    assert [c.value for c in data[1]][:5] == ["项目编号", "项目名称 *", "投资方 *", "统一社会信用代码", "县市区 *"]
    assert data.max_column == 18 and options.sheet_state == "hidden"
    lists = {
        str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1 for dv in data.data_validations.dataValidation
    }
    assert set(lists) == {"E", "F", "G", "H", "M"}  # 县市区, 园区, 重点产业, 阶段, 资金来源省份
    columns = {
        letter: [options[f"{ref.split('!$')[1][0]}{n}"].value for n in range(1, 200)] for letter, ref in lists.items()
    }
    assert [v for v in columns["E"] if v] == ["禄丰市"]
    assert [v for v in columns["F"] if v] == ["云南禄丰工业园区"]
    assert [v for v in columns["H"] if v] == ["线索", "在谈", "签约", "注册", "开工", "投产"]
    assert "项目编号" in " ".join(str(c.value) for c in book["填写说明"]["A"])
    wide = load_workbook(BytesIO(as_persona("chuxiong_officer").get("/projects/import/template/").content))
    assert len([c for c in wide["选项"]["A"] if c.value]) == 10  # 楚雄州's 10 counties


@pytest.mark.django_db
def test_the_import_page_needs_the_add_permission(as_persona):
    assert as_persona("lufeng_officer").get("/projects/import/").status_code == 200
    assert as_persona("leader_province").get("/projects/import/").status_code == 403
    assert as_persona("leader_province").get("/projects/import/template/").status_code == 403
    assert as_persona(None).get("/projects/import/").status_code == 302
    assert "/projects/import/" in as_persona("lufeng_officer").get("/projects/").content.decode()


def upload(content: bytes, name="项目台账.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.django_db
def test_the_upload_runs_as_a_job_and_its_page_shows_progress_and_result(
    as_persona, django_capture_on_commit_callbacks
):
    client = as_persona("lufeng_officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/projects/import/", {"file": upload(workbook(hundred()))})
    job = Job.objects.get(kind="project_import")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.total, job.percent, job.result["新增项目"]) == ("succeeded", 100, 100, 100)
    html = client.get(response["Location"]).content.decode()
    assert 'data-status="succeeded"' in html and "新增项目：100" in html and 'aria-valuenow="100"' in html
    assert Project.objects.filter(source="import").count() == 100


@pytest.mark.django_db
def test_a_failed_import_job_lists_the_rows_and_columns_at_fault(as_persona, django_capture_on_commit_callbacks):
    client = as_persona("lufeng_officer")
    content = workbook(hundred(row57={"amount_wan": "一千万"}, row12={"county": "五华区"}))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/projects/import/", {"file": upload(content)})
    job = Job.objects.get(kind="project_import")
    assert job.status == "failed" and "未写入任何数据" in job.message
    assert job.errors == ["第12行 县市区: 不在您的辖区内，不能导入", "第57行 协议投资额（万元）: 必须为数字"]
    html = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "第57行 协议投资额（万元）: 必须为数字" in html and 'data-status="failed"' in html
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_a_running_import_job_page_polls_its_progress(as_persona):
    job = Job.objects.create(
        kind="project_import", title="项目导入", owner=persona("lufeng_officer"), path="530000/532300/532302"
    )
    Job.objects.filter(pk=job.pk).update(status="running", done=42, total=100, message="正在读取并校验第 4200/10000 行")
    html = as_persona("lufeng_officer").get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html and "42%" in html and "第 4200/10000 行" in html


@pytest.mark.django_db
def test_a_file_that_is_not_xlsx_is_refused_on_the_page(as_persona):
    response = as_persona("lufeng_officer").post("/projects/import/", {"file": upload(b"a,b", name="x.csv")})
    assert response.status_code == 200 and "请上传平台下载的 .xlsx 模板" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_the_project_export_neutralises_formula_like_cells(as_persona, make_project):
    make_project(name='=HYPERLINK("http://x")', investor_name="@恶意公司")
    response = as_persona("lufeng_officer").get("/projects/?export=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    values = [c.value for c in sheet[2]]
    assert '\'=HYPERLINK("http://x")' in values and "'@恶意公司" in values


@pytest.mark.django_db
def test_a_rejected_row_is_refused_with_the_rule_and_others_carry_their_verdict():
    from zhaoshang.core.testing import persona
    from zhaoshang.projects.services import projects_import_problems
    from zhaoshang.projects.services.importing import ProjectRow
    from zhaoshang.regions.models import Region

    lufeng = Region.objects.get(code="532302")
    rows = [
        ProjectRow(number=2, name="新建日产4000吨水泥熟料生产线", investor_name="某某水泥有限公司", county=lufeng),
        ProjectRow(number=3, name="年产10GW N型TOPCon电池片", investor_name="某某光伏科技有限公司", county=lufeng),
    ]
    problems, _ = projects_import_problems(actor=persona("lufeng_officer"), rows=rows)
    assert [(n, header) for n, header, _ in problems] == [(2, "项目名称")]
    assert "不招" in problems[0][2] and "水泥" in problems[0][2]
    assert rows[1].admission.verdict == "pass" and "未触发不招、慎招规则。" in rows[1].admission.reasons


@pytest.mark.django_db
def test_a_park_officer_import_compares_and_names_only_projects_it_may_see(make_project, lufeng, lufeng_park):
    from zhaoshang.accounts.models import OrgUnit, User
    from zhaoshang.accounts.services import user_set_roles
    from zhaoshang.core.testing import persona
    from zhaoshang.projects.models import Project
    from zhaoshang.projects.services import projects_import_problems
    from zhaoshang.projects.services.importing import ProjectRow

    county_project = make_project()  # 禄丰's own project, outside the park
    Project.objects.filter(pk=county_project.pk).update(external_code="LF-1")
    park_officer = User.objects.create_user(
        "park_import", password="x", org_unit=OrgUnit.objects.get(code="PARK-S539053")
    )
    user_set_roles(actor=None, user=park_officer, role_codes={"park_officer"})

    def rows():
        same = {"investor_name": "云南星辰新材料有限公司", "county": lufeng, "park": lufeng_park}
        return [
            ProjectRow(number=2, name="禄丰新能源电池材料项目（二期）", **same),
            ProjectRow(number=3, name="园区物流中心", investor_name="某物流公司", county=lufeng, park=lufeng_park,
                       external_code="LF-1"),
        ]  # fmt: skip

    problems, existing = projects_import_problems(actor=park_officer, rows=rows())
    assert problems == [(3, "项目编号", "已被本县市区的其他项目使用，请更换项目编号")] and not existing
    problems, existing = projects_import_problems(actor=persona("lufeng_officer"), rows=rows())
    assert set(existing) == {3} and problems[0][0] == 2 and county_project.name in problems[0][2]


@pytest.mark.django_db
def test_a_prefecture_import_is_audited_once_per_node_and_each_office_sees_its_projects_import_row(
    chuxiong, as_persona
):
    rows = [
        row(1),
        row(2, park="云南禄丰工业园区"),
        row(3, county="楚雄市", name="楚雄第3号产业园项目", external_code="CX-0003"),
    ]
    assert projects_import(content=workbook(rows), actor=chuxiong, source_name="楚雄州台账.xlsx").created == 3
    imports = AuditLog.objects.filter(action="import")
    assert sorted(imports.values_list("path", flat=True)) == [
        "530000/532300",  # the prefecture's own row: the summary and the new investors
        "530000/532300/532301",
        "530000/532300/532302",
        "530000/532300/532302/S539053",
    ]
    in_county, in_park, in_chuxiong = (Project.objects.get(external_code=c) for c in ("LF-0001", "LF-0002", "CX-0003"))
    assert list(AuditLog.objects.about(in_park).values_list("path", flat=True)) == ["530000/532300/532302/S539053"]
    assert audit_verify() is None

    client = as_persona("lufeng_officer")
    page = client.get(f"/projects/{in_county.pk}/").content.decode()
    assert "由文件“楚雄州台账.xlsx”第2行导入创建" in page
    assert client.get(f"/projects/{in_park.pk}/").status_code == 200
    assert client.get(f"/projects/{in_chuxiong.pk}/").status_code == 404
    investor = in_county.investor
    response = client.get(f"/enterprises/{investor.pk}/")  # the enterprise library is province-wide
    assert response.status_code == 200 and "第2行导入创建" not in response.content.decode()  # the prefecture's row

    client = as_persona("chuxiong_officer")
    assert "由文件“楚雄州台账.xlsx”第3行导入创建" in client.get(f"/projects/{in_park.pk}/").content.decode()
    assert "由文件“楚雄州台账.xlsx”第2行导入创建" in client.get(f"/enterprises/{investor.pk}/").content.decode()
