import pytest
from playwright.sync_api import expect

from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.testing import KUNMING_PARK, PASSWORD, load_platform_data
from zhaoshang.regions.models import Park

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lufeng_officer_sees_only_lufeng_on_the_map_and_the_list_then_logs_out(live_server):
    load_platform_data()  # the live server's database is emptied between transactional tests
    kunming_park = Park.objects.get(code=KUNMING_PARK).pk
    base = live_server.url
    with chromium_page() as page:
        sign_in(page, base, "lufeng_officer", PASSWORD)
        assert page.locator("#user-jurisdiction").inner_text() == "禄丰市投资促进局"
        assert page.locator('[data-stat="parks"]').inner_text() == "1"
        screenshot(page, "01-home-lufeng")

        page.get_by_role("link", name="园区地图").click()
        page.wait_for_selector('#park-map[data-ready="1"]', state="attached", timeout=15000)
        assert page.locator("#map-title").inner_text() == "楚雄彝族自治州"
        assert page.locator("#map-park-count").inner_text() == "1"
        assert page.locator("#park-map canvas").count() >= 1
        page.get_by_role("button", name="表格视图").click()
        rows = page.locator("#map-table tbody tr")
        assert rows.count() == 1 and "云南禄丰工业园区" in rows.first.inner_text()
        screenshot(page, "02-map-lufeng")

        page.get_by_role("link", name="园区名录").click()
        regions = page.locator("#park-table tbody td.park-region").all_inner_texts()
        assert regions == ["禄丰市"]
        assert "昆明" not in page.locator("#park-table").inner_text()
        screenshot(page, "03-park-list-lufeng")

        response = page.goto(f"{base}/parks/{kunming_park}/")
        assert response.status == 404

        page.goto(base + "/parks/")
        page.get_by_role("button", name="退出登录").click()
        page.wait_for_url(f"{base}/accounts/login/")
        assert page.get_by_role("button", name="登录").is_visible()
        screenshot(page, "04-logged-out")
        page.goto(base + "/parks/")
        assert "/accounts/login/" in page.url


def test_province_map_drills_down_from_a_prefecture_to_its_counties(live_server):
    load_platform_data()
    base = live_server.url
    with chromium_page() as page:
        sign_in(page, base, "province_admin", PASSWORD)
        page.goto(base + "/parks/map/")
        page.wait_for_selector('#park-map[data-ready="1"]', state="attached", timeout=15000)
        assert page.locator("#map-title").inner_text() == "全省"
        assert page.locator("#map-park-count").inner_text() == "78"
        screenshot(page, "05-map-province")
        box = page.locator("#park-map").bounding_box()
        # Click where 楚雄州 is drawn: the chart's own coordinate conversion finds the pixel.
        x, y = page.evaluate(
            "() => echarts.getInstanceByDom(document.getElementById('park-map'))"
            ".convertToPixel({geoIndex: 0}, [101.3, 25.6])"
        )
        page.mouse.click(box["x"] + x, box["y"] + y)
        # A locator wait, not wait_for_function: the page's CSP has no 'unsafe-eval' for an evaluated string.
        expect(page.locator("#map-title")).to_have_text("楚雄彝族自治州")
        assert page.locator("#map-park-count").inner_text() == "4"
        screenshot(page, "06-map-chuxiong-drilldown")
