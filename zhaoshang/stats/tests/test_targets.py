from decimal import Decimal as D
from io import BytesIO, StringIO

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import persona, scope_matrix
from zhaoshang.regions.models import Region
from zhaoshang.stats.models import Target
from zhaoshang.stats.services import target_set


def region(code):
    return Region.objects.get(code=code)


def set_target(actor, code, value="15", unit="%", indicator="funds_outside_prefecture", year=2026):
    return target_set(
        actor=persona(actor), year=year, region=region(code), indicator=indicator, value=D(value), unit=unit
    )


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(["年度", "辖区", "指标", "目标值", "单位", "起始年度", "产业", "依据"])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    buffer.name = "targets.xlsx"
    buffer.seek(0)
    return buffer


@pytest.mark.django_db
def test_policy_targets_ship_as_data():
    province = Target.objects.filter(region__code="530000")
    assert province.get(year=2024, indicator="funds_outside_province").amount_wan == D("83000000")
    assert province.get(year=2024, from_year=2022, indicator="projects_1b").value == 300
    quotas = province.filter(year=2023, indicator="projects_1b").exclude(industry_code="")
    assert quotas.count() == 11 and sum(t.value for t in quotas) == 89
    assert province.get(year=2024, indicator="fortune500_present").value == 150
    assert province.filter(indicator__in=["chain_leaders", "headquarters"], year=2022).count() == 2


@pytest.mark.django_db
def test_targets_are_handed_down_and_set_once_per_cell():
    set_target("province_admin", "532300")
    set_target("chuxiong_officer", "532302", value="12")
    again = set_target("chuxiong_officer", "532302", value="13")
    assert Target.objects.filter(region__code="532302").count() == 1 and again.value == 13
    assert AuditLog.objects.filter(object_type="stats.Target", action="update").exists()
    with pytest.raises(ValidationError, match="上级下达"):
        set_target("chuxiong_officer", "532300")
    from django.http import Http404

    with pytest.raises(Http404):
        set_target("chuxiong_officer", "530102")


@pytest.mark.django_db
def test_units_must_fit_the_indicator():
    with pytest.raises(ValidationError, match="单位只能是"):
        set_target("province_admin", "532300", value="5", unit="个")
    with pytest.raises(ValidationError, match="不能为负数"):
        set_target("province_admin", "532300", value="-1", unit="亿元")


@pytest.mark.django_db
def test_county_officers_read_targets_but_cannot_set_them(as_persona):
    set_target("chuxiong_officer", "532302")
    client = as_persona("lufeng_officer")
    assert client.get("/stats/targets/").context["paginator"].count == 1
    assert client.get("/stats/targets/new/").status_code == 403


CASES = scope_matrix(
    list_url="/api/v1/targets/",
    api_url="/api/v1/targets/",
    detail_urls={"lufeng": "/api/v1/targets/{lufeng}/", "kunming": "/api/v1/targets/{kunming}/"},
)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url", "status"), CASES)
def test_target_api_is_scoped(as_persona, name, url, status):
    lufeng = set_target("chuxiong_officer", "532302")
    kunming = set_target("kunming_officer", "530102")
    assert as_persona(name).get(url.format(lufeng=lufeng.pk, kunming=kunming.pk)).status_code == status


@pytest.mark.django_db
def test_targets_are_created_and_updated_through_the_api(as_persona):
    client = as_persona("chuxiong_officer")
    payload = {"year": 2026, "region": "532302", "indicator": "agreed_investment", "value": "50", "unit": "亿元"}
    created = client.post("/api/v1/targets/", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["region"] == "532302"
    pk = created.json()["id"]
    assert client.patch(f"/api/v1/targets/{pk}/", {"value": "60"}, content_type="application/json").status_code == 200
    assert Target.objects.get(pk=pk).value == 60
    wrong = client.post("/api/v1/targets/", payload | {"region": "530102"}, content_type="application/json")
    assert wrong.status_code == 404
    bad = client.post("/api/v1/targets/", payload | {"unit": "个"}, content_type="application/json")
    assert bad.status_code == 400 and "unit" in bad.json()
    assert (
        as_persona("lufeng_officer").post("/api/v1/targets/", payload, content_type="application/json").status_code
        == 403
    )


@pytest.mark.django_db
def test_excel_import_is_all_or_nothing_and_idempotent(as_persona, django_capture_on_commit_callbacks):
    from zhaoshang.core.models import Job

    client = as_persona("chuxiong_officer")
    rows = [[2026, "禄丰市", "州外到位资金", 15, "增长率（%）", None, None, "2026年任务"] for _ in range(1)]
    rows += [[2026, f"{name}", "协议投资额", 30, "亿元", None, None, None] for name in ("楚雄市", "双柏县", "牟定县")]
    bad = rows + [[2026, "五华区", "协议投资额", "三十", "亿元", None, None, None]]
    with django_capture_on_commit_callbacks(execute=True):  # the import is a background job
        response = client.post("/stats/targets/import/", {"file": workbook(bad)})
    job = Job.objects.get(kind="target_import")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    html = client.get(response["Location"]).content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and "未写入任何数据" in job.message
    assert "第6行 辖区: 不在您的辖区内或名称有误" in html and "第6行 目标值: 必须为数字" in html
    assert not Target.objects.filter(region__path__startswith="530000/532300/").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/stats/targets/import/", {"file": workbook(rows)}).status_code == 302
    assert Target.objects.filter(region__path__startswith="530000/532300/").count() == 4
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/stats/targets/import/", {"file": workbook(rows)})
    assert Target.objects.filter(region__path__startswith="530000/532300/").count() == 4
    assert Job.objects.latest("id").result == {"新增目标": 0, "更新目标": 0, "未变": 4}


@pytest.mark.django_db
def test_the_import_template_downloads_with_drop_downs(as_persona):
    from openpyxl import load_workbook

    response = as_persona("chuxiong_officer").get("/stats/targets/import/template.xlsx")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["数据", "选项", "填写说明"]
    assert "禄丰市" in [c.value for c in book["选项"]["A"]]
    assert "五华区" not in [c.value for c in book["选项"]["A"]]


@pytest.mark.django_db
def test_demo_targets_cover_every_prefecture_and_county_once():
    from django.core.management import call_command

    call_command("seed_demo_targets", stdout=StringIO())
    call_command("seed_demo_targets", stdout=StringIO())
    demo = Target.objects.filter(source="演示数据").exclude(region__level=1)
    assert demo.values("region").distinct().count() == 145
    assert demo.count() == 145 * 3 * 5


@pytest.mark.django_db
def test_demo_targets_give_the_province_its_headline_targets_beside_the_policy_ones():
    from django.core.management import call_command
    from django.utils import timezone

    from zhaoshang.dashboard.cockpit import HEADLINE

    call_command("seed_demo_targets", stdout=StringIO())
    call_command("seed_demo_targets", stdout=StringIO())
    province, year = region("530000"), timezone.localdate().year
    for y in (year - 2, year - 1, year):
        for indicator in HEADLINE:
            # One annual amount or count target per cell: the policy's where the texts set one, else the demo's.
            cell = Target.objects.for_year(y).filter(region=province, indicator=indicator, industry_code="")
            assert cell.exclude(unit="%").count() == 1, (y, indicator)
    signed = Target.objects.get(region=province, year=year, from_year=year, indicator="signed_projects")
    prefectures = Target.objects.filter(region__level=2, year=year, from_year=year, indicator="signed_projects")
    assert signed.value == sum(t.value for t in prefectures) and signed.source == "演示数据"
