"""Issue 4's library "Done when": county 申报 → prefecture 退回 with a reason → county sees it and resubmits →
prefecture 审核 → province 审定, in the browser, with screenshots."""

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.testing import PASSWORD, load_platform_data, persona
from zhaoshang.projects import services
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import LibraryEntry, LibraryStatus
from zhaoshang.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "禄丰新能源电池材料一体化项目"
REASON = "请补充项目备案证明和用地预审意见"


def log_out(page, base):
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(f"{base}/accounts/login/")


def signed_big_project():
    officer = persona("lufeng_officer")
    project = services.project_create(
        actor=officer,
        name=NAME,
        investor_name="云南星辰新能源材料有限公司",
        county=Region.objects.get(code="532302"),
        on=date(2024, 1, 5),
        agreed_investment_wan=Decimal("180000"),
    )
    project = services.project_advance(project=project, to=Stage.NEGOTIATING, actor=officer, on=date(2024, 2, 1))
    services.agreement_create(actor=officer, project=project, signed_on=date(2024, 3, 1), amount_wan=Decimal("180000"))
    return services.project_advance(project=project, to=Stage.SIGNED, actor=officer, on=date(2024, 3, 1))


def open_from_queue(page):
    page.get_by_role("link", name="入库待办").click()
    page.locator("#library-queue").get_by_role("link", name="办理").first.click()
    page.wait_for_selector("#library-form")


def decide(page, label, reason=""):
    page.get_by_label(label).check()
    if reason:
        page.fill("#id_reason", reason)
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector(".library-status")


def test_library_flow_county_prefecture_province_with_a_return_and_resubmission(live_server):
    load_platform_data()  # the live server's database is emptied between transactional tests
    project = signed_big_project()
    base = live_server.url
    with chromium_page() as page:
        sign_in(page, base, "lufeng_officer", PASSWORD)
        page.get_by_role("link", name="入库待办").click()
        candidates = page.locator("#library-candidates")
        assert NAME in candidates.inner_text()
        screenshot(page, "l01-library-queue-lufeng-candidates")
        candidates.get_by_role("link", name="申报").click()
        page.wait_for_selector("#library-form")
        decide(page, "申报入库（县级申报）")
        assert page.locator(".library-status").first.get_attribute("data-status") == "submitted"
        screenshot(page, "l02-library-submitted-lufeng")
        log_out(page, base)

        sign_in(page, base, "chuxiong_officer", PASSWORD)
        open_from_queue(page)
        page.get_by_label("退回县级（须填写原因）").check()
        page.get_by_role("button", name="提交").click()
        page.wait_for_selector("#reason-error")
        assert "退回须填写原因" in page.locator("#reason-error").inner_text()
        decide(page, "退回县级（须填写原因）", REASON)
        assert page.locator(".library-status").first.get_attribute("data-status") == "returned"
        screenshot(page, "l03-library-returned-chuxiong")
        log_out(page, base)

        sign_in(page, base, "lufeng_officer", PASSWORD)
        page.goto(f"{base}/projects/{project.pk}/")
        assert REASON in page.locator("#library-return-reason").inner_text()
        screenshot(page, "l04-project-detail-lufeng-sees-return-reason")
        page.locator("#library-act").click()
        page.wait_for_selector("#library-form")
        decide(page, "申报入库（县级申报）", "已补充备案证明和用地预审意见")
        assert page.locator(".library-status").first.get_attribute("data-status") == "submitted"
        log_out(page, base)

        sign_in(page, base, "chuxiong_officer", PASSWORD)
        open_from_queue(page)
        decide(page, "审核通过，报省级审定（州市级审核）", "材料齐全，同意上报")
        assert page.locator(".library-status").first.get_attribute("data-status") == "reviewed"
        log_out(page, base)

        sign_in(page, base, "province_admin", PASSWORD)
        open_from_queue(page)
        decide(page, "审定入库（省级审定）")
        assert page.locator(".library-status").first.get_attribute("data-status") == "approved"
        actions = page.locator("#library-steps tbody tr").evaluate_all("rows => rows.map(r => r.dataset.action)")
        assert actions == ["submit", "return", "submit", "review", "approve"]
        screenshot(page, "l05-library-approved-province")
        page.get_by_role("link", name="招大引强项目库").click()
        assert NAME in page.locator("#library-table").inner_text()
        with page.expect_download() as download:
            page.locator("#book-docx").click()
        assert download.value.suggested_filename.endswith(".docx")
        screenshot(page, "l06-library-list-province")

    entry = LibraryEntry.objects.get(project=project)
    assert entry.status == LibraryStatus.APPROVED and entry.steps.count() == 5
