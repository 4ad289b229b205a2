"""Issue 4's first "Done when": the project journey of a county, its prefecture and a sibling prefecture."""

import re

import pytest

from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.testing import PASSWORD, load_platform_data
from zhaoshang.projects.models import FundingEntry, MonthLock, Project
from zhaoshang.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page, base):
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(f"{base}/accounts/login/")


def transition(page, to, on):
    page.get_by_role("link", name="变更阶段").click()
    page.select_option("#id_to", label=to)
    page.fill("#id_on", on)
    page.get_by_role("button", name="确认变更").click()
    page.wait_for_selector("#project-stage")
    assert page.locator("#project-stage").inner_text() == to


def test_lufeng_records_a_project_to_signing_with_funds_chuxiong_locks_a_month_kunming_gets_404(live_server):
    load_platform_data()  # the live server's database is emptied between transactional tests
    base = live_server.url
    lufeng = Region.objects.get(code="532302")
    with chromium_page() as page:
        sign_in(page, base, "lufeng_officer", PASSWORD)
        page.get_by_role("link", name="新增项目").click()
        page.fill("#id_name", "禄丰新能源电池正极材料项目")
        page.fill("#id_investor_name", "云南楚能新材料股份有限公司")
        page.evaluate(f"document.getElementById('id_county').tomselect.setValue('{lufeng.pk}')")
        page.select_option("#id_park", label="云南禄丰工业园区")
        page.select_option("#id_key_industry", label="新材料")
        page.fill("#id_agreed_investment_wan", "150000")
        page.select_option("#id_source_province", label="江苏")
        page.fill("#id_on", "2024-01-10")
        page.fill("#id_responsible_person", "李明")
        screenshot(page, "p01-project-form-lufeng")
        page.get_by_role("button", name="保存").click()
        page.wait_for_url(re.compile(r".*/projects/\d+/$"))
        project = Project.objects.get(name="禄丰新能源电池正极材料项目")
        assert page.url == f"{base}/projects/{project.pk}/"
        assert page.locator("#project-stage").inner_text() == "线索"

        transition(page, "在谈", "2024-02-01")
        page.get_by_role("link", name="录入协议").click()
        page.fill("#id_signed_on", "2024-03-01")
        page.fill("#id_amount_wan", "150000")
        page.fill("#id_term_years", "30")
        page.fill("#id_clauses-0-content", "前三年地方留成税收全额奖励")
        page.fill("#id_clauses-0-amount_wan", "3000")
        page.get_by_role("button", name="保存协议").click()
        page.wait_for_selector(".agreement")
        transition(page, "签约", "2024-03-01")

        for month, amount in (("2024-04", "20000"), ("2024-05", "35000"), ("2024-06", "15000.50")):
            page.get_by_role("link", name="录入到位资金").click()
            page.fill("#id_month", month)
            page.fill("#id_amount_wan", amount)
            page.fill("#id_outside_province_wan", "10000")
            page.get_by_role("button", name="保存").click()
            page.wait_for_selector("#funds-chart")
        page.wait_for_selector('#funds-chart[data-ready="1"]', state="attached", timeout=15000)
        assert page.locator("#funds-chart").get_attribute("data-months") == "3"
        assert page.locator("#funds-chart canvas").count() >= 1
        assert page.locator("#funds-total").inner_text() == "70,000.50"
        assert page.locator("#ledger-table tbody tr").count() == 3
        assert [t.strip() for t in page.locator("#timeline li strong").all_inner_texts()] == ["线索", "在谈", "签约"]
        screenshot(page, "p02-project-detail-lufeng-chart")
        log_out(page, base)

        sign_in(page, base, "chuxiong_officer", PASSWORD)
        page.get_by_role("link", name="项目台账").click()
        page.get_by_role("link", name="禄丰新能源电池正极材料项目").click()
        assert page.locator("#project-stage").inner_text() == "签约"
        page.wait_for_selector('#funds-chart[data-ready="1"]', state="attached", timeout=15000)
        screenshot(page, "p03-project-detail-chuxiong")
        page.get_by_role("link", name="月份锁定").click()
        page.select_option("#id_prefecture", label="楚雄彝族自治州")
        page.fill("#id_month", "2024-05")
        page.get_by_role("button", name="锁定该月").click()
        page.wait_for_selector("#lock-table td")
        assert "2024-05" in page.locator("#lock-table").inner_text()
        screenshot(page, "p04-month-lock-chuxiong")
        log_out(page, base)

        sign_in(page, base, "kunming_officer", PASSWORD)
        response = page.goto(f"{base}/projects/{project.pk}/")
        assert response.status == 404
        page.goto(f"{base}/projects/")
        assert "禄丰新能源电池正极材料项目" not in page.locator("#project-table").inner_text()
        screenshot(page, "p05-project-list-kunming")

    assert FundingEntry.objects.filter(project=project).count() == 3
    assert MonthLock.objects.get().prefecture.code == "532300"
