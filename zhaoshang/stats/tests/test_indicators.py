"""The 楚雄 example from data, and every surface agreeing on it: progress_report, the ranking, the bulletin and
the cockpit."""

import json
from datetime import date
from decimal import Decimal as D
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from docx import Document

from zhaoshang.core.testing import persona
from zhaoshang.projects import services as projects
from zhaoshang.projects.choices import Stage
from zhaoshang.regions.models import Region
from zhaoshang.stats.bulletins import bulletin_build, bulletin_docx
from zhaoshang.stats.indicators import Period, actual, progress_report
from zhaoshang.stats.rankings import ranking
from zhaoshang.stats.services import target_set

CHUXIONG = (
    "1—6月，全州引进州外到位资金增长19.4%，高于全年目标（15%）4.4个百分点，"
    "完成全年目标进度60.2%，提前时序进度10.2个百分点。"
)


def signed_project(name, county_code, investor, on=date(2024, 1, 10)):
    officer = persona("province_admin")
    county = Region.objects.get(code=county_code)
    project = projects.project_create(
        actor=officer,
        name=name,
        investor_name=investor,
        county=county,
        agreed_investment_wan=D("300000"),
        on=on,
        confirm_not_duplicate=True,  # a duplicate entered knowingly, for the merge test (甄别 is tested in projects)
    )
    project = projects.project_advance(project=project, to=Stage.NEGOTIATING, actor=officer, on=on)
    projects.agreement_create(actor=officer, project=project, signed_on=on, amount_wan=D("300000"))
    return projects.project_advance(project=project, to=Stage.SIGNED, actor=officer, on=on)


def fund(project, month, wan, outside_prefecture=None, outside_province=D(0)):
    return projects.funding_record(
        actor=persona("province_admin"),
        project=project,
        month=month,
        amount_wan=D(wan),
        outside_province_wan=D(outside_province),
        outside_prefecture_wan=D(outside_prefecture if outside_prefecture is not None else wan),
    )


@pytest.fixture
def chuxiong_funds(db):
    """Last year 1–6月 100,000 万元 from outside the prefecture, 172,470 the whole year; this year 119,400."""
    a = signed_project("楚雄绿色硅材料一体化项目", "532301", "四川某某硅业有限公司")
    b = signed_project("禄丰钛材深加工项目", "532302", "昆明某某钛业有限公司")
    fund(a, date(2024, 3, 1), "60000", outside_province="60000")
    fund(b, date(2024, 5, 1), "40000")
    fund(a, date(2024, 9, 1), "72470", outside_province="72470")
    fund(a, date(2025, 2, 1), "70000", outside_province="70000")
    fund(b, date(2025, 6, 1), "49400")
    fund(b, date(2025, 7, 1), "99999")  # after June: not in 1–6月
    target_set(
        actor=persona("province_admin"),
        year=2025,
        region=Region.objects.get(code="532300"),
        indicator="funds_outside_prefecture",
        value=D("15"),
        unit="%",
    )
    return a, b


def test_progress_report_prints_the_chuxiong_sentence(chuxiong_funds):
    out = StringIO()
    call_command(
        "progress_report",
        "--region=532300",
        "--year=2025",
        "--month=6",
        "--indicator=funds_outside_prefecture",
        "--format=json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["sentence"] == CHUXIONG
    assert (report["growth_pct"], report["completion_pct"], report["elapsed_pct"], report["ahead_points"]) == (
        19.4,
        60.2,
        50.0,
        10.2,
    )
    assert (report["actual"], report["actual_last_year"], report["target"]) == ("119400.00", "100000.00", "198340.50")


def test_ranking_bulletin_and_cockpit_agree_with_progress_report(chuxiong_funds, as_persona):
    period = Period(2025, 6)
    province, chuxiong = Region.objects.get(code="530000"), Region.objects.get(code="532300")
    report = progress_report("funds_outside_prefecture", chuxiong, period)
    row = next(r for r in ranking("funds_outside_province", province, period) if r.region.code == "532300")
    assert row.progress.actual == actual("funds_outside_province", chuxiong, period) == D("70000")
    built = bulletin_build(node=chuxiong, period=period, issued_on=date(2025, 7, 10))
    text = "\n".join(p.text for p in Document(BytesIO(bulletin_docx(built))).paragraphs)
    assert CHUXIONG in text and "全州" in built.title
    page = as_persona("chuxiong_officer").get("/dashboard/", {"year": 2025, "month": 6})
    headline = {h["indicator"]: h for h in page.context["data"]["headline"]}
    assert headline["funds_outside_prefecture"]["sentence"] == report["sentence"] == CHUXIONG


def test_the_cockpit_is_scoped(chuxiong_funds, as_persona):
    province = as_persona("province_admin").get("/dashboard/", {"year": 2025, "month": 6})
    assert len(province.context["data"]["children"]) == 16
    chuxiong = as_persona("chuxiong_officer").get("/dashboard/", {"year": 2025, "month": 6})
    assert [c["code"] for c in chuxiong.context["data"]["children"]][:1] and len(
        chuxiong.context["data"]["children"]
    ) == 10
    assert as_persona("chuxiong_officer").get("/dashboard/", {"region": "530100"}).status_code == 404
    assert as_persona("lufeng_officer").get("/dashboard/", {"region": "532300"}).status_code == 404
    export = as_persona("chuxiong_officer").get("/dashboard/", {"year": 2025, "month": 6, "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_cockpit_breakdowns_add_up_to_its_headline(chuxiong_funds, as_persona):
    housing = signed_project("楚雄商住综合体项目", "532301", "某某置业有限公司", on=date(2025, 1, 10))
    projects.project_update(
        actor=persona("province_admin"),
        project=housing,
        name=housing.name,
        county=housing.county,
        category="real_estate",
    )
    fund(housing, date(2025, 3, 1), "8000", outside_province="8000")  # not 产业类: in no figure of the cockpit
    data = as_persona("chuxiong_officer").get("/dashboard/", {"year": 2025, "month": 6}).context["data"]
    headline = next(row["actual"] for row in data["headline"] if row["indicator"] == "funds_outside_province")
    assert headline > 0
    assert sum(month["this_year_wan"] for month in data["trend"]) == headline
    assert sum(row["value_wan"] for row in data["industries"]) == headline


@pytest.mark.django_db
def test_a_park_committee_gets_no_county_cockpit(client):
    """The county's figures take in its other parks and projects: a park officer's cockpit would show them."""
    from zhaoshang.accounts.models import OrgUnit, User
    from zhaoshang.accounts.services import user_set_roles

    officer = User.objects.create_user(
        "park_cockpit", password="Park-officer#1", org_unit=OrgUnit.objects.get(code="PARK-S539053")
    )
    user_set_roles(actor=None, user=officer, role_codes={"park_officer"})
    client.force_login(officer)
    assert client.get("/dashboard/").status_code == 404
    assert client.get("/dashboard/", {"export": "xlsx"}).status_code == 404
    assert client.get("/dashboard/", {"region": "532302"}).status_code == 404


def test_rankings_page_lists_red_and_black_and_exports(chuxiong_funds, as_persona):
    target_set(
        actor=persona("chuxiong_officer"),
        year=2025,
        region=Region.objects.get(code="532302"),
        indicator="funds_outside_prefecture",
        value=D("1000000"),
        unit="万元",
    )
    client = as_persona("chuxiong_officer")
    page = client.get("/stats/rankings/", {"indicator": "funds_outside_prefecture", "year": 2025, "month": 6})
    assert page.status_code == 200
    rows = page.context["rows"]
    assert len(rows) == 10 and {r.region.code for r in page.context["black"]} == {"532302"}
    assert rows[-1].region.code != "532302" or rows[-1].progress.completion_pct is not None
    export = client.get("/stats/rankings/", {"year": 2025, "month": 6, "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert as_persona("lufeng_officer").get("/stats/rankings/").status_code == 404


def test_the_bulletin_counts_trips_and_meetings(chuxiong_funds):
    built = bulletin_build(node=Region.objects.get(code="532300"), period=Period(2025, 6), issued_on=date(2025, 7, 10))
    assert built.paragraphs[1][0] == "一、外出招商"
    assert built.paragraphs[2][0] == "二、项目签约"
    assert (
        built.tables[0].headers[:3] == ["地区", "外出招商（次）", "会见客商（次）"] and len(built.tables[0].rows) == 10
    )


def test_the_cockpit_cache_follows_every_write(chuxiong_funds, as_persona):
    a, b = chuxiong_funds
    client = as_persona("chuxiong_officer")

    def headline():
        page = client.get("/dashboard/", {"year": 2025, "month": 6})
        return {h["indicator"]: h["actual"] for h in page.context["data"]["headline"]}

    assert headline()["funds_outside_prefecture"] == D("119400")
    entry = fund(b, date(2025, 4, 1), "600")
    assert headline()["funds_outside_prefecture"] == D("120000")
    correction = projects.funding_correct(actor=persona("chuxiong_officer"), entry=entry, reason="重复录入")
    assert headline()["funds_outside_prefecture"] == D("120000")  # a correction counts once approved
    projects.correction_decide(actor=persona("province_admin"), entry=correction, approve=True)
    assert headline()["funds_outside_prefecture"] == D("119400")
    projects.project_update(
        actor=persona("province_admin"), project=a, name=a.name, county=a.county, park=a.park, category="real_estate"
    )
    assert headline()["funds_outside_province"] == D("0")


def test_the_cockpit_breaks_funds_down_by_park_and_follows_a_merge(chuxiong_funds, as_persona):
    from zhaoshang.regions.models import Park

    a, b = chuxiong_funds
    park = Park.objects.get(code="S539053")
    projects.project_update(actor=persona("province_admin"), project=b, name=b.name, county=b.county, park=park)
    fund(b, date(2025, 5, 1), "1000", outside_province="1000")
    client = as_persona("chuxiong_officer")
    parks = client.get("/dashboard/", {"year": 2025, "month": 6}).context["data"]["parks"]
    assert parks == [
        {"code": "S539053", "name": "云南禄丰工业园区", "value_wan": D("1000.00"), "total_wan": D("50400.00")}
    ]
    duplicate = signed_project("禄丰钛材深加工项目（重复录入）", "532302", "昆明某某钛业有限公司")
    fund(duplicate, date(2025, 3, 1), "500")
    before = client.get("/dashboard/", {"year": 2025, "month": 6}).context["data"]["headline"][0]["actual"]
    projects.project_merge(actor=persona("province_admin"), duplicate=duplicate, survivor=b)
    after = client.get("/dashboard/", {"year": 2025, "month": 6}).context["data"]["headline"][0]["actual"]
    assert before == after == D("120900")  # the merged record's money moves, and is counted once


def test_a_sign_in_or_an_export_keeps_the_cached_cockpit_and_a_ledger_entry_replaces_it(chuxiong_funds, as_persona):
    """The cache key is the figures' version, which only writes of what the figures read move: the audit rows of a
    sign-in or an export do not (the audit head, the key before, moved with every row and cleared every cockpit)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.core.audit import audit_record
    from zhaoshang.core.choices import Action

    a, b = chuxiong_funds
    client = as_persona("chuxiong_officer")
    page = {"year": 2025, "month": 6}

    def figures() -> tuple[D, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            data = client.get("/dashboard/", page).context["data"]
        ledger_reads = [q["sql"] for q in queries if "fundingrollup" in q["sql"] or "fundingentry" in q["sql"]]
        return data["headline"][0]["actual"], ledger_reads

    assert figures()[0] == D("119400")
    audit_record(actor=persona("chuxiong_officer"), action=Action.LOGIN)
    assert client.get("/dashboard/", page | {"export": "xlsx"}).status_code == 200  # audited as an export
    assert figures() == (D("119400"), [])  # served from the cache: no figure read again
    fund(b, date(2025, 4, 1), "600")
    actual, ledger_reads = figures()
    assert actual == D("120000") and ledger_reads
