"""The park page shows the park's projects (the user's scope, linking to the ledger filtered by the park), its money
signed and in place in the period, and its 序时进度 where the park has targets of its own (else it says none is
set). A park's targets are its own: they never count as its county's."""

from datetime import date
from decimal import Decimal as D

import lxml.html
import pytest
from django.core.exceptions import ValidationError

from zhaoshang.core.scope import OutOfScope
from zhaoshang.core.testing import KUNMING_PARK, LUFENG_PARK, persona
from zhaoshang.projects import services as projects
from zhaoshang.projects.choices import Stage
from zhaoshang.regions.models import Park, Region
from zhaoshang.stats.indicators import Period, targets_for
from zhaoshang.stats.models import Target
from zhaoshang.stats.rankings import ranking
from zhaoshang.stats.services import target_set

pytestmark = pytest.mark.django_db
JUNE = {"year": 2025, "month": 6}


@pytest.fixture
def park():
    return Park.objects.get(code=LUFENG_PARK)


def park_project(name, park, amount="200000", signed_on=date(2025, 2, 10)):
    officer = persona("lufeng_officer")
    project = projects.project_create(
        actor=officer,
        name=name,
        investor_name=f"{name}有限公司",
        county=park.region,
        park=park,
        agreed_investment_wan=D(amount),
        on=signed_on or date(2025, 1, 5),
    )
    if signed_on is None:
        return project
    project = projects.project_advance(project=project, to=Stage.NEGOTIATING, actor=officer, on=signed_on)
    projects.agreement_create(actor=officer, project=project, signed_on=signed_on, amount_wan=D(amount))
    return projects.project_advance(project=project, to=Stage.SIGNED, actor=officer, on=signed_on)


def fund(project, month, amount, outside):
    return projects.funding_record(
        actor=persona("lufeng_officer"),
        project=project,
        month=month,
        amount_wan=D(amount),
        outside_province_wan=D(outside),
    )


def detail(client, name, park, **params):
    client.force_login(persona(name))
    return client.get(f"/parks/{park.pk}/", params)


def test_the_park_page_lists_its_projects_and_links_to_the_ledger(client, park):
    big = park_project("禄丰工业园区钛材深加工项目", park, amount="356274.08")
    park_project("禄丰工业园区新材料线索项目", park, amount="5000", signed_on=None)
    outside = projects.project_create(
        actor=persona("lufeng_officer"),
        name="禄丰园区外农业项目",
        investor_name="云南某某农业有限公司",
        county=park.region,
        agreed_investment_wan=D("3000"),
        on=date(2025, 1, 5),
    )
    response = detail(client, "lufeng_officer", park, **JUNE)
    document = lxml.html.fromstring(response.content.decode())
    rows = document.xpath("//table[@id='park-projects']/tbody/tr")
    assert [r.xpath("./td[1]")[0].text_content() for r in rows] == [
        "禄丰工业园区钛材深加工项目",
        "禄丰工业园区新材料线索项目",
    ]
    assert rows[0].xpath("./td[4]")[0].text_content() == "356,274.08"
    assert document.xpath("//*[@id='park-project-count']")[0].text_content() == "2"
    link = document.xpath("//a[@id='park-projects-link']/@href")[0]
    ledger = client.get(link).content.decode()
    assert big.name in ledger and outside.name not in ledger
    assert client.get(rows[0].xpath(".//a/@href")[0]).status_code == 200


def test_the_park_page_shows_money_signed_and_in_place_in_the_period(client, park):
    project = park_project("禄丰工业园区钛材深加工项目", park, amount="356274.08")
    fund(project, date(2025, 3, 1), "1234.56", "1000")
    fund(project, date(2025, 7, 1), "9999", "9999")  # after June
    park_project("禄丰工业园区去年项目", park, amount="80000", signed_on=date(2024, 5, 1))
    response = detail(client, "lufeng_officer", park, **JUNE)
    money = response.context["panels"][0].data["money"]
    assert money == {
        "signed_projects": D(1),
        "agreed_wan": D("356274.08"),
        "funds_wan": D("1234.56"),
        "outside_province_wan": D("1000.00"),
        "industrial_outside_province_wan": D("1000.00"),
    }
    document = lxml.html.fromstring(response.content.decode())
    assert document.xpath("//*[@data-money='agreed']")[0].text_content() == "356,274.08万元"
    assert document.xpath("//*[@data-money='funds']")[0].text_content() == "1,234.56万元"
    assert document.xpath("//*[@id='park-period']")[0].text_content() == "2025年1—6月"


def test_without_targets_the_park_page_says_none_is_set(client, park):
    response = detail(client, "lufeng_officer", park, **JUNE)
    document = lxml.html.fromstring(response.content.decode())
    assert "本园区2025年未设年度目标" in document.xpath("//*[@id='park-no-targets']")[0].text_content()
    assert not document.xpath("//table[@id='park-schedule']")


def test_a_park_with_targets_shows_its_progress_against_elapsed_time(client, park):
    project = park_project("禄丰工业园区钛材深加工项目", park)
    fund(project, date(2025, 3, 1), "30000", "30000")
    target_set(
        actor=persona("chuxiong_officer"),
        year=2025,
        region=park.region,
        park=park,
        indicator="funds_outside_province",
        value=D("5"),
        unit="亿元",
    )
    response = detail(client, "chuxiong_officer", park, **JUNE)
    schedule = response.context["panels"][0].data["schedule"]
    assert [row.indicator for row in schedule] == ["funds_outside_province"]
    row = schedule[0]
    assert (row.target, row.actual, row.completion_pct, row.elapsed_pct, row.ahead_points) == (
        D("50000.00"),
        D("30000.00"),
        D("60.0"),
        D("50.0"),
        D("10.0"),
    )
    assert row.sentence == (
        "1—6月，全园区引进省外到位资金（产业类），完成全年目标进度60.0%，提前时序进度10.0个百分点。"
    )
    text = lxml.html.fromstring(response.content.decode()).xpath("//table[@id='park-schedule']")[0].text_content()
    assert "50,000.00万元" in text and "超序时10.0个百分点" in text


def test_a_park_target_is_the_parks_own_never_its_countys(park):
    lufeng = park.region
    target_set(
        actor=persona("chuxiong_officer"),
        year=2025,
        region=lufeng,
        park=park,
        indicator="funds_outside_province",
        value=D("5"),
        unit="亿元",
    )
    assert targets_for("funds_outside_province", lufeng, 2025) == (None, None)
    row = next(r for r in ranking("funds_outside_province", lufeng.parent, Period(2025, 6)) if r.region == lufeng)
    assert row.progress.target is None
    county = target_set(
        actor=persona("chuxiong_officer"),
        year=2025,
        region=lufeng,
        indicator="funds_outside_province",
        value=D("20"),
        unit="亿元",
    )
    assert Target.objects.filter(region=lufeng, year=2025).count() == 2 and county.park is None
    assert targets_for("funds_outside_province", lufeng, 2025) == (D("200000"), None)


def test_who_may_set_a_parks_targets(park):
    cell = {"year": 2025, "indicator": "signed_projects", "value": D("5"), "unit": "个"}
    target = target_set(actor=persona("lufeng_officer"), region=park.region, park=park, **cell)  # its county
    assert target.path == park.path and "云南禄丰工业园区" in str(target)
    with pytest.raises(ValidationError, match="属于禄丰市"):
        target_set(actor=persona("chuxiong_officer"), region=Region.objects.get(code="532301"), park=park, **cell)
    with pytest.raises(OutOfScope):
        kunming_park = Park.objects.get(code=KUNMING_PARK)
        target_set(actor=persona("lufeng_officer"), region=kunming_park.region, park=kunming_park, **cell)
    from zhaoshang.accounts.models import OrgUnit, User
    from zhaoshang.accounts.services import user_set_roles

    committee = User.objects.create_user(
        "park_targets", password="Park-officer#1", org_unit=OrgUnit.objects.get(code="PARK-S539053")
    )
    user_set_roles(actor=None, user=committee, role_codes={"park_officer"})
    with pytest.raises(ValidationError, match="园区目标由所属县市区"):
        target_set(actor=committee, region=park.region, park=park, **cell)


def test_the_target_form_sets_a_parks_target(client, park):
    client.force_login(persona("chuxiong_officer"))
    response = client.post(
        "/stats/targets/new/",
        {
            "year": 2025,
            "region": park.region.pk,
            "park": park.pk,
            "indicator": "agreed_investment",
            "value": "12",
            "unit": "亿元",
            "source": "园区2025年目标任务",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    target = Target.objects.get(park=park)
    assert target.amount_wan == D("120000") and target.region == park.region
    listing = client.get("/stats/targets/").content.decode()
    assert "禄丰市 · 云南禄丰工业园区" in listing


def test_a_parks_target_through_the_api(client, park):
    client.force_login(persona("chuxiong_officer"))
    payload = {
        "year": 2025,
        "region": "532302",
        "park": LUFENG_PARK,
        "indicator": "signed_projects",
        "value": "6",
        "unit": "个",
    }
    created = client.post("/api/v1/targets/", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["park"] == LUFENG_PARK
    county = client.post("/api/v1/targets/", payload | {"park": None, "value": "20"}, content_type="application/json")
    assert county.status_code == 201 and county.json()["park"] is None and county.json()["id"] != created.json()["id"]
    wrong = client.post("/api/v1/targets/", payload | {"park": KUNMING_PARK}, content_type="application/json")
    assert wrong.status_code in (400, 404)
