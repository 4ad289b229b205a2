from datetime import date

import pytest

from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.testing import PASSWORD, load_platform_data, persona
from zhaoshang.investors.models import Activity, Enterprise
from zhaoshang.investors.presence import global500_presence
from zhaoshang.projects.services import project_create
from zhaoshang.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lufeng_records_a_county_head_trip_creates_a_lead_and_the_counts_show(live_server):
    load_platform_data()
    base = live_server.url
    year = date.today().year
    with chromium_page() as page:
        sign_in(page, base, "lufeng_officer", PASSWORD)
        page.get_by_role("link", name="招商活动").click()
        page.get_by_role("link", name="登记活动").click()
        page.get_by_label("活动类型").select_option("trip")
        page.get_by_label("活动名称").fill("县委书记带队赴深圳招商")
        page.get_by_label("开始日期").fill(f"{year}-01-02")
        page.get_by_label("地点（省份）").select_option("广东")
        page.get_by_label("地点（城市）").fill("深圳")
        page.get_by_label("带队/会见领导").fill("禄丰市委书记")
        page.get_by_label("领导级别").select_option("county_head")
        page.get_by_label("拜访/会见企业").fill("深圳星海储能科技有限公司\n比亚迪")
        page.get_by_role("button", name="保存").click()
        page.wait_for_selector("#activity-title")
        assert page.locator("#activity-enterprises li").count() == 2
        screenshot(page, "investors-01-trip")
        activity_url = page.url

        page.locator("#create-lead").click()
        page.get_by_label("项目名称").fill("星海储能禄丰电池项目")
        page.get_by_label("所在县市区").select_option(label="禄丰市")
        page.get_by_role("button", name="保存").click()
        page.wait_for_selector("#activity-projects")
        assert "星海储能禄丰电池项目" in page.locator("#activity-projects").inner_text()

        page.get_by_role("link", name="活动统计").click()
        assert page.locator("#summary-region").inner_text() == "禄丰市"
        assert page.locator('[data-stat="trips"]').inner_text() == "1"
        assert page.locator('[data-stat="enterprises_met"]').inner_text() == "2"
        assert page.locator('[data-stat="leads_created"]').inner_text() == "1"
        assert "县市区党政一把手外出招商（省外）1次" in page.locator("#summary-lines").inner_text()
        screenshot(page, "investors-02-summary-lufeng")
        page.get_by_role("button", name="退出登录").click()

        sign_in(page, base, "kunming_officer", PASSWORD)
        assert page.goto(activity_url).status == 404
        page.goto(base + "/activities/summary/")
        assert page.locator('[data-stat="trips"]').inner_text() == "0"
        page.get_by_role("button", name="退出登录").click()

        sign_in(page, base, "chuxiong_officer", PASSWORD)
        assert page.goto(activity_url).status == 200
        page.goto(base + "/activities/summary/")
        assert page.locator("#summary-region").inner_text() == "楚雄彝族自治州"
        assert page.locator('[data-stat="trips"]').inner_text() == "1"
        screenshot(page, "investors-03-summary-chuxiong")
    assert Activity.objects.count() == 1


def test_a_subsidiary_project_moves_the_global500_presence_on_the_page(live_server):
    load_platform_data()
    base = live_server.url
    walmart = Enterprise.objects.get(source_key="fg500:walmart")
    subsidiary = Enterprise(name="沃尔玛（云南）商业有限公司", parent=walmart)
    subsidiary.save()
    before = global500_presence()["present_count"]
    project = project_create(
        actor=persona("lufeng_officer"),
        name="沃尔玛禄丰物流中心",
        investor_name=subsidiary.name,
        county=Region.objects.get(code="532302"),
        on=date.today(),
    )
    assert project.is_global500
    with chromium_page() as page:
        sign_in(page, base, "province_admin", PASSWORD)
        page.get_by_role("link", name="世界500强入滇").click()
        assert page.locator("#presence-count").inner_text() == str(before + 1)
        assert "沃尔玛公司" in page.locator("#present-table").inner_text()
        screenshot(page, "investors-04-global500")
