"""Issue 20's done-when, in Chromium: 楚雄's officer opens the 2026 Q3 assessment of its counties, each score with its
breakdown, and publishes the quarter; the province edits the 2026 scheme (a new version) and publishes it; Q3 still
shows the scores it was published with. 禄丰 sees its own row only and 楚雄's list is 404 for it; 昆明 gets 404."""

import pytest

from zhaoshang.core.browser import allow_orm_beside_event_loop, chromium_page, screenshot, sign_in
from zhaoshang.core.testing import PASSWORD, load_platform_data
from zhaoshang.stats.tests.test_assessment import seed_chuxiong_2026

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Q3 = "year=2026&quarter=3"


def scores(page) -> dict[str, str]:
    return {
        row.get_attribute("data-code"): row.locator("td[data-score]").inner_text().strip()
        for row in page.locator("#assessment-table tbody tr[data-code]").all()
    }


def test_q3_of_chuxiong_counties_published_then_the_scheme_edited_keeps_the_scores(live_server):
    load_platform_data()  # the live server's database is emptied between transactional tests
    seed_chuxiong_2026()
    base = live_server.url
    with chromium_page() as page, allow_orm_beside_event_loop():
        sign_in(page, base, "chuxiong_officer", PASSWORD)
        page.get_by_role("link", name="考核评价").click()
        page.locator("#assessment-period-form select[name=year]").select_option("2026")
        page.locator("#assessment-period-form select[name=quarter]").select_option("3")
        page.get_by_role("button", name="查看").click()
        page.wait_for_selector("#assessment-table")
        assert page.locator("#assessment-state [data-state]").get_attribute("data-state") == "preview"
        before = scores(page)
        assert len(before) == 10 and before["532301"] == "46.00"
        breakdown = page.locator("table.assessment-breakdown[data-code='532301'] tbody tr")
        assert breakdown.count() == 8  # the demo scheme's seven items and its 风险预警处置 bonus
        assert (
            page.locator(
                "table.assessment-breakdown[data-code='532301'] tr[data-item='agreed_investment'] td[data-points]"
            ).inner_text()
            == "25.00"
        )
        screenshot(page, "assessment-01-chuxiong-q3-preview")

        page.locator("#assessment-publish").click()
        page.wait_for_selector("#assessment-state [data-state='published']")
        assert scores(page) == before
        screenshot(page, "assessment-02-chuxiong-q3-published")
        page.get_by_role("button", name="退出登录").click()

        sign_in(page, base, "province_admin", PASSWORD)
        page.goto(base + "/stats/assessment/schemes/2026/")
        page.locator("#scheme-edit").click()
        page.locator("input[name='items-1-weight']").fill("5")
        page.locator("input[name='items-2-weight']").fill("35")
        page.locator("#scheme-save").click()
        page.wait_for_selector("#scheme-version-2")
        page.locator("#scheme-publish").click()
        page.wait_for_selector("#scheme-version-2 [data-state='published']")
        screenshot(page, "assessment-03-scheme-version-2")
        page.goto(f"{base}/stats/assessment/?region=532300&{Q3}")
        assert scores(page) == before
        assert "方案第1版" in page.locator("#assessment-state").inner_text()
        page.goto(f"{base}/stats/assessment/?region=532300&year=2026&quarter=4")
        assert "方案第2版" in page.locator("#assessment-state").inner_text()  # an unpublished quarter: the new one
        page.get_by_role("button", name="退出登录").click()

        sign_in(page, base, "lufeng_officer", PASSWORD)
        page.goto(f"{base}/stats/assessment/?{Q3}")
        assert list(scores(page)) == ["532302"]
        assert page.locator("table.assessment-breakdown[data-code='532302'] tbody tr").count() == 8
        screenshot(page, "assessment-04-lufeng-own-row")
        assert page.goto(f"{base}/stats/assessment/?region=532300&{Q3}").status == 404
        page.goto(base + "/")
        page.get_by_role("button", name="退出登录").click()

        sign_in(page, base, "kunming_officer", PASSWORD)
        assert page.goto(f"{base}/stats/assessment/?region=532300&{Q3}").status == 404
        assert page.goto(f"{base}/stats/assessment/?region=532302&{Q3}").status == 404
