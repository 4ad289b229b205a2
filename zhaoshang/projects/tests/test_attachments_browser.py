"""In Chromium: an officer attaches the signed agreement's scan on the project page (HTMX keeps the page), a
renamed executable is refused in Chinese, the scan downloads under its name; another prefecture gets a 404."""

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.core.attachments.models import Attachment
from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.testing import PASSWORD, load_platform_data, persona
from zhaoshang.core.tests import attachment_files as files
from zhaoshang.projects import services
from zhaoshang.projects.choices import Stage
from zhaoshang.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lufeng_attaches_the_agreement_scan_and_kunming_cannot_download_it(live_server, settings, tmp_path):
    settings.ATTACHMENTS_ROOT = tmp_path / "attachments"
    load_platform_data()  # the live server's database is emptied between transactional tests
    officer = persona("lufeng_officer")
    project = services.project_create(
        actor=officer,
        name="禄丰钛材深加工项目",
        investor_name="云南钛业股份有限公司",
        county=Region.objects.get(code="532302"),
        on=date(2024, 1, 5),
        agreed_investment_wan=Decimal("60000"),
    )
    project = services.project_advance(project=project, to=Stage.NEGOTIATING, actor=officer, on=date(2024, 2, 1))
    agreement = services.agreement_create(
        actor=officer, project=project, signed_on=date(2024, 3, 1), amount_wan=Decimal("60000")
    )
    base = live_server.url
    panel = f"#attachments-agreement-{agreement.pk}"
    with chromium_page() as page:
        sign_in(page, base, "lufeng_officer", PASSWORD)
        page.goto(f"{base}/projects/{project.pk}/")
        page.locator(f"{panel} summary", has_text="上传附件").click()
        page.select_option(f"{panel} select[name=kind]", label="协议扫描件")
        page.set_input_files(
            f"{panel} input[type=file]", {"name": "协议.pdf", "mimeType": "application/pdf", "buffer": files.EXE}
        )
        page.fill(f"{panel} input[name=note]", "盖章页")
        page.locator(panel).get_by_role("button", name="上传").click()
        page.wait_for_selector(f"{panel} .attachment-error")
        assert "不支持的文件类型" in page.locator(f"{panel} .attachment-error").inner_text()
        assert page.locator(f"{panel} input[name=note]").input_value() == "盖章页"  # the form is kept
        screenshot(page, "a01-attachment-refused")

        page.set_input_files(
            f"{panel} input[type=file]",
            {"name": "投资协议（盖章）.pdf", "mimeType": "application/pdf", "buffer": files.PDF},
        )
        page.locator(panel).get_by_role("button", name="上传").click()
        page.wait_for_selector(f"{panel} tr.attachment")
        row = page.locator(f"{panel} tr.attachment")
        assert "投资协议（盖章）.pdf" in row.inner_text() and "协议扫描件" in row.inner_text()
        assert page.url == f"{base}/projects/{project.pk}/"  # HTMX: the page stayed
        screenshot(page, "a02-attachment-uploaded")

        with page.expect_download() as caught:
            row.get_by_role("link", name="投资协议（盖章）.pdf").click()
        download = caught.value
        assert download.suggested_filename == "投资协议（盖章）.pdf"
        assert open(download.path(), "rb").read() == files.PDF

        page.get_by_role("button", name="退出登录").click()
        sign_in(page, base, "kunming_officer", PASSWORD)
        attachment = Attachment.objects.get()
        response = page.goto(f"{base}/attachments/{attachment.pk}/download/")
        assert response.status == 404
