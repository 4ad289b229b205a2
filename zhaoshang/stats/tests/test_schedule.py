"""The 序时进度 page: a jurisdiction and its children on every indicator, as the indicator functions compute them,
for the last complete month by default; scoped (a county itself, a prefecture itself and its counties, the province
all), a node outside the scope is 404; a chart drawn by a static script, and an export with typed cells."""

import json
from decimal import Decimal as D
from io import BytesIO

import lxml.html
import pytest
from openpyxl import load_workbook

from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import persona
from zhaoshang.regions.models import Region
from zhaoshang.stats.indicators import Period, progress_report
from zhaoshang.stats.rankings import ranking
from zhaoshang.stats.schedule import SCHEDULE_INDICATORS
from zhaoshang.stats.services import target_set
from zhaoshang.stats.tests.test_indicators import CHUXIONG, chuxiong_funds, fund, signed_project  # noqa: F401

pytestmark = pytest.mark.django_db
JUNE = {"year": 2025, "month": 6}


def page(client, name, **params):
    client.force_login(persona(name))
    return client.get("/stats/progress/", params)


def table_rows(response, table_id):
    document = lxml.html.fromstring(response.content.decode())
    return document.xpath(f"//table[@id='{table_id}']/tbody/tr[not(td[@colspan])]")


def test_a_county_sees_itself_a_prefecture_its_counties_the_province_its_prefectures(client):
    lufeng = page(client, "lufeng_officer")
    assert lufeng.status_code == 200
    assert lufeng.context["node"].code == "532302" and lufeng.context["data"]["children"] == []
    assert not table_rows(lufeng, "schedule-children-table")
    own = {row.get("data-indicator") for row in table_rows(lufeng, "schedule-own-table")}
    assert own == set(SCHEDULE_INDICATORS)  # a county has 州外到位资金 too

    chuxiong = page(client, "chuxiong_officer", **JUNE)
    assert len(table_rows(chuxiong, "schedule-children-table")) == 10
    assert {r.region.parent.code for r in chuxiong.context["data"]["children"]} == {"532300"}

    province = page(client, "province_admin", **JUNE)
    assert len(table_rows(province, "schedule-children-table")) == 16
    # For the province, 州外 money would be its 省外 money again: the indicator is left out, as on the cockpit.
    assert "funds_outside_prefecture" not in {r.indicator for r in province.context["data"]["own"]}
    drilled = page(client, "province_admin", region="532300", **JUNE)
    assert drilled.context["node"].code == "532300" and len(drilled.context["data"]["children"]) == 10
    assert drilled.context["parent"].code == "530000"


@pytest.mark.parametrize(
    "name, region",
    [
        ("lufeng_officer", "532300"),
        ("lufeng_officer", "532301"),
        ("chuxiong_officer", "530100"),
        ("kunming_officer", "532302"),
    ],
)
def test_a_region_outside_the_scope_is_404(client, name, region):
    assert page(client, name, region=region).status_code == 404
    assert page(client, name, region=region, export="xlsx").status_code == 404


def test_an_enterprise_account_and_a_park_committee_get_no_schedule(client):
    assert page(client, "enterprise_user").status_code == 403
    from zhaoshang.accounts.models import OrgUnit, User
    from zhaoshang.accounts.services import user_set_roles

    officer = User.objects.create_user(
        "park_schedule", password="Park-officer#1", org_unit=OrgUnit.objects.get(code="PARK-S539053")
    )
    user_set_roles(actor=None, user=officer, role_codes={"park_officer"})
    client.force_login(officer)
    assert client.get("/stats/progress/").status_code == 404


def test_the_default_period_is_the_last_complete_month(client):
    response = page(client, "chuxiong_officer")
    assert response.context["period"] == Period.default()
    document = lxml.html.fromstring(response.content.decode())
    assert document.xpath("//form[@id='schedule-period-form']//select[@name='month']/option[@selected]/@value") == [
        str(Period.default().month)
    ]
    assert document.xpath("//form[@id='schedule-period-form']//input[@name='year']/@value") == [
        str(Period.default().year)
    ]


def test_the_figures_are_those_of_progress_report_and_the_rankings(client, chuxiong_funds):  # noqa: F811
    lufeng = Region.objects.get(code="532302")
    target_set(
        actor=persona("chuxiong_officer"),
        year=2025,
        region=lufeng,
        indicator="funds_outside_prefecture",
        value=D("10"),
        unit="亿元",
    )
    response = page(client, "chuxiong_officer", indicator="funds_outside_prefecture", **JUNE)
    data = response.context["data"]
    chuxiong = Region.objects.get(code="532300")
    for row in data["own"]:
        report = progress_report(row.indicator, chuxiong, Period(2025, 6))
        assert row.actual == report["actual"] and row.completion_pct == report["completion_pct"], row.indicator
        assert row.growth_pct == report["growth_pct"] and row.ahead_points == report["ahead_points"]
        assert row.sentence == report["sentence"]
    text = response.content.decode()
    assert CHUXIONG in text  # the 楚雄 sentence, exactly
    document = lxml.html.fromstring(text)
    own = document.xpath("//table[@id='schedule-own-table']//tr[@data-indicator='funds_outside_prefecture']")[0]
    assert own.xpath(".//*[@data-actual]")[0].text_content() == "119,400.00万元"
    assert own.xpath(".//*[@data-completion]")[0].text_content() == "60.2%"
    assert own.xpath(".//*[@data-ahead]")[0].text_content() == "超序时10.2个百分点"
    assert "增长15%" in own.text_content()  # the growth target as set

    expected = ranking("funds_outside_prefecture", chuxiong, Period(2025, 6))
    assert [(r.region.code, r.progress.actual) for r in expected] == [
        (r.region.code, r.progress.actual) for r in data["children"]
    ]
    row = document.xpath("//table[@id='schedule-children-table']//tr[@data-code='532302']")[0]
    # 禄丰: 49,400 万元 of a 100,000 万元 target, 49.4 % against 50.0 % elapsed.
    assert "49,400.00万元" in row.text_content() and "100,000.00万元" in row.text_content()
    assert "49.4%" in row.text_content() and "滞后序时0.6个百分点" in row.text_content()
    assert row.get("data-status") == "behind"
    # An indicator with neither a target nor last year's figure says nothing, rather than half a sentence.
    quiet = next(r for r in data["own"] if r.indicator == "headquarters")
    assert quiet.statement == "" and quiet.sentence == "1—6月，全州引进优质企业总部。"
    assert "引进优质企业总部。" not in document.xpath("//*[@id='schedule-sentences']")[0].text_content()


def test_the_chart_reads_its_figures_from_json_and_runs_from_a_static_file(client, chuxiong_funds):  # noqa: F811
    response = page(client, "chuxiong_officer", **JUNE)
    document = lxml.html.fromstring(response.content.decode())
    scripts = document.xpath("//script")
    inline = [s for s in scripts if not s.get("src") and s.get("type") != "application/json"]
    assert inline == []
    assert any(s.get("src", "").endswith("stats/schedule.js") for s in scripts)
    chart = json.loads(document.xpath("//script[@id='schedule-data']")[0].text)
    assert chart["elapsed"] == "50.0" and len(chart["children"]) == 10
    lufeng = next(c for c in chart["children"] if c["code"] == "532302")
    assert lufeng["region"] == "禄丰市" and lufeng["actual_text"].endswith("万元")


def test_the_export_keeps_numbers_as_numbers_and_is_audited(client, chuxiong_funds):  # noqa: F811
    response = page(client, "chuxiong_officer", export="xlsx", **JUNE)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["本级", "各县市区"]
    own = {row[1]: row for row in book["本级"].iter_rows(min_row=2, values_only=True)}
    row = own["州外到位资金"]
    assert row[0] == "楚雄彝族自治州" and row[2] == "万元"
    assert row[5] == 119400 and row[7] == 19.4 and row[8] == 60.2 and row[9] == 50 and row[10] == 10.2
    assert row[11] == CHUXIONG
    cell = book["本级"]["F2"]
    assert cell.data_type == "n" and cell.number_format == "#,##0.00"
    children = list(book["各县市区"].iter_rows(min_row=2, values_only=True))
    assert len(children) == 10 * len([c for c in SCHEDULE_INDICATORS])
    assert AuditLog.objects.filter(action="export", object_repr__startswith="序时进度 楚雄彝族自治州").exists()
    client.force_login(persona("enterprise_user"))
    assert client.get("/stats/progress/", {"export": "xlsx"}).status_code == 403
