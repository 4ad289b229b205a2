from datetime import date
from io import BytesIO

import pytest
from docx import Document

from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.testing import PASSWORD, load_platform_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_province_opens_the_cockpit_drills_into_a_prefecture_and_downloads_a_bulletin(live_server):
    load_platform_data()
    from decimal import Decimal as D

    from zhaoshang.core.testing import persona
    from zhaoshang.regions.models import Region
    from zhaoshang.stats.services import target_set
    from zhaoshang.stats.tests.test_indicators import CHUXIONG, fund, signed_project

    a = signed_project("楚雄绿色硅材料一体化项目", "532301", "四川某某硅业有限公司")
    fund(a, date(2024, 3, 1), "100000")
    fund(a, date(2024, 9, 1), "72470")
    fund(a, date(2025, 2, 1), "119400")
    target_set(
        actor=persona("province_admin"),
        year=2025,
        region=Region.objects.get(code="532300"),
        indicator="funds_outside_prefecture",
        value=D("15"),
        unit="%",
    )
    base = live_server.url
    with chromium_page() as page:
        sign_in(page, base, "province_admin", PASSWORD)
        page.goto(f"{base}/dashboard/?year=2025&month=6")
        page.wait_for_selector('#cockpit-map[data-ready="1"]', state="attached", timeout=10000)
        assert page.locator("#cockpit-region").inner_text() == "云南省"
        screenshot(page, "c01-cockpit-province")
        box = page.locator("#cockpit-map").bounding_box()
        x, y = page.evaluate(
            "() => echarts.getInstanceByDom(document.getElementById('cockpit-map'))"
            ".convertToPixel({seriesIndex: 0}, [101.3, 25.6])"
        )
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_url("**region=532300**")
        page.wait_for_selector('#cockpit-map[data-ready="1"]', state="attached", timeout=10000)
        assert page.locator("#cockpit-region").inner_text() == "楚雄彝族自治州"
        assert CHUXIONG in page.locator("#cockpit-sentences").inner_text()
        screenshot(page, "c02-cockpit-chuxiong")
        page.goto(f"{base}/stats/bulletins/new/")
        page.get_by_label("通报范围").select_option(label="楚雄彝族自治州")
        page.get_by_label("年度").fill("2025")
        page.get_by_label("截至月份").fill("6")
        page.get_by_label("文号").fill("云投促通〔2025〕6号")
        page.get_by_role("button", name="生成（后台进行，可查看进度）").click()
        page.wait_for_selector('#job-progress[data-status="succeeded"]', timeout=20000)
        screenshot(page, "c03-bulletin-job")
        with page.expect_download() as download:
            page.locator("#job-result").click()
        content = open(download.value.path(), "rb").read()
        text = "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)
        assert CHUXIONG in text
