"""Issue 18's "Done when": lufeng_officer brings in the bureau's own 台账 in a browser — merged two-row header in
亿元, the proposed mapping confirmed, the preview with the skipped 合计 row and the one problem row named, the fixed
file committed as a job, the projects in 万元 with their funds history; the same file again adds nothing, and its
mapping is not asked for again."""

import re

import pytest

from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.testing import PASSWORD, load_platform_data
from zhaoshang.projects.models import FundingEntry, Project
from zhaoshang.projects.tests import taizhang_files as files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(page, base, name, content):
    page.goto(f"{base}/projects/taizhang/")
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": XLSX, "buffer": content}])
    page.get_by_role("button", name="上传并识别").click()


def commit(page):
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
    page.wait_for_selector('#job-progress[data-status="succeeded"]', timeout=30000)


def test_lufeng_officer_imports_the_bureaus_own_taizhang(live_server):
    load_platform_data()
    base = live_server.url
    with chromium_page() as page:
        sign_in(page, base, "lufeng_officer", PASSWORD)
        page.get_by_role("link", name="项目台账").first.click()
        page.get_by_role("link", name="导入自有台账").click()
        page.wait_for_url(f"{base}/projects/taizhang/")
        upload(page, base, "禄丰招商台账.xlsx", files.lufeng_merged())
        page.wait_for_url(re.compile(r".*/projects/taizhang/\d+/mapping/$"))
        row = page.locator('tr[data-header="协议投资额（亿元）"]')
        assert row.locator("select").first.input_value() == "amount"
        assert row.locator("select").nth(1).input_value() == "亿元"
        funds = page.locator('tr[data-header="到位资金（亿元）|2024年6月累计"]')
        assert funds.locator("input").input_value() == "2024-06"
        screenshot(page, "t01-taizhang-mapping")
        page.get_by_role("button", name="确认映射并预览").click()
        page.wait_for_url(re.compile(r".*/projects/taizhang/\d+/$"))
        skipped = page.locator(".taizhang-skipped").inner_text()
        assert "跳过第7行：合计行" in skipped and "跳过第1行：标题行" in skipped
        problems = page.locator("#taizhang-problems li").all_inner_texts()
        assert problems == ["第6行 签约时间: 阶段为“签约”须填写签约日期"]
        assert page.locator("#taizhang-commit").count() == 0
        screenshot(page, "t02-taizhang-preview-problem")

        upload(page, base, "禄丰招商台账（改）.xlsx", files.lufeng_merged(fixed=True))
        page.wait_for_url(re.compile(r".*/projects/taizhang/\d+/$"))  # same headings: no mapping step
        assert "已记住的映射" in page.locator(".taizhang-sheet").inner_text()
        assert page.locator("#taizhang-problems").count() == 0
        assert "202000.00" in page.locator("#taizhang-totals").inner_text()
        commit(page)
        assert "新增项目：3" in page.locator("#job-progress").inner_text()
        screenshot(page, "t03-taizhang-committed")

        project = Project.objects.get(name="禄丰钛白粉深加工项目")
        assert str(project.agreed_investment_wan) == "52000.00"
        page.goto(f"{base}/projects/{project.pk}/")
        assert page.locator("#ledger-table tbody tr").count() == 2
        assert page.locator("#funds-total").inner_text() == "12,500.00"
        screenshot(page, "t04-taizhang-project-funds")

        upload(page, base, "禄丰招商台账（改）.xlsx", files.lufeng_merged(fixed=True))
        page.wait_for_url(re.compile(r".*/projects/taizhang/\d+/$"))
        assert "已有项目：无变化（已导入过）" in page.locator("#taizhang-rows").inner_text()
        commit(page)
        text = page.locator("#job-progress").inner_text()
        assert "新增项目：0" in text and "新增到位资金分录：0" in text
    assert Project.objects.filter(name__startswith="禄丰").count() == 3
    assert FundingEntry.objects.count() == 5
