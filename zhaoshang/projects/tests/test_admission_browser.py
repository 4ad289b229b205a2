"""Issue 6 part 4 in the browser: the admission verdict appears on the project form as the officer types."""

import pytest

from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.testing import PASSWORD, load_platform_data
from zhaoshang.projects.models import Project
from zhaoshang.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CEMENT = "新建日产4000吨水泥熟料生产线"


def test_typing_the_cement_line_shows_the_reject_live_and_saving_is_blocked(live_server):
    load_platform_data()  # the live server's database is emptied between transactional tests
    base = live_server.url
    lufeng = Region.objects.get(code="532302")
    with chromium_page() as page:
        sign_in(page, base, "lufeng_officer", PASSWORD)
        page.goto(f"{base}/projects/new/")
        assert page.locator("#admission-hint").is_visible()
        page.locator("#id_name").press_sequentially(CEMENT, delay=20)
        page.wait_for_selector('#admission-result[data-verdict="reject"]', timeout=10000)
        assert page.locator("#admission-verdict").inner_text() == "不招"
        assert page.locator('.admission-rule[data-rule="overcapacity"]').is_visible()
        assert "产能严重过剩行业（水泥" in page.locator("#admission-reasons").inner_text()
        assert page.locator("#admission-override").count() == 0  # a county officer cannot override
        screenshot(page, "a01-project-form-cement-reject-live")

        page.locator("#id_name").fill("")
        page.locator("#id_name").press_sequentially("年产10GW N型TOPCon电池片", delay=20)
        page.wait_for_selector('#admission-result[data-verdict="pass"]', timeout=10000)
        assert "绿色硅" in page.locator("#classification-table").inner_text()
        page.get_by_role("button", name="采用建议产业：绿色硅").click()
        page.wait_for_function("document.getElementById('id_key_industry').selectedOptions[0].text === '绿色硅'")
        page.wait_for_selector("#use-suggested-industry", state="detached", timeout=10000)
        screenshot(page, "a02-project-form-topcon-suggested-industry")

        page.locator("#id_name").fill(CEMENT)
        page.locator("#id_name").dispatch_event("change")
        page.wait_for_selector('#admission-result[data-verdict="reject"]', timeout=10000)
        page.fill("#id_investor_name", "云南某某建材有限公司")
        page.evaluate(f"document.getElementById('id_county').tomselect.setValue('{lufeng.pk}')")
        page.fill("#id_agreed_investment_wan", "80000")
        page.fill("#id_on", "2024-01-10")
        page.get_by_role("button", name="保存").click()
        page.wait_for_selector("#form-errors")
        assert "不招" in page.locator("#form-errors").inner_text()
        assert page.locator("#id_name").input_value() == CEMENT  # what was typed is kept
        assert page.locator('#admission-result[data-verdict="reject"]').count() == 1
        screenshot(page, "a03-project-form-cement-blocked")
    assert not Project.objects.filter(name=CEMENT).exists()
