"""In Chromium, issue 20's "Done when" for warnings: a signed project with no funds in place for 4 months appears in
lufeng_officer's warnings with its reason; dismissing it needs a reason (the page refuses without one and keeps
what was typed) and writes an audit row; kunming_officer gets 404 for it."""

import pytest

from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import PASSWORD, load_platform_data, persona
from zhaoshang.regions.models import Region
from zhaoshang.risk import services
from zhaoshang.risk.choices import WarningState
from zhaoshang.risk.models import RiskWarning
from zhaoshang.risk.tests.conftest import SCAN_DAY, make_signed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REASON = "2026-07-15签约，已4个月无资金到位"


def test_lufeng_dismisses_a_no_funds_warning_with_a_reason_and_kunming_cannot_see_it(live_server):
    load_platform_data()
    project = make_signed(persona("lufeng_officer"), Region.objects.get(code="532302"), "禄丰锂电池正极材料项目")
    services.risk_scan(today=SCAN_DAY)
    warning = RiskWarning.objects.get(project=project, rule__code="no_funds")
    base = live_server.url
    with chromium_page() as page:
        sign_in(page, base, "lufeng_officer", PASSWORD)
        page.get_by_role("link", name="风险预警").first.click()
        table = page.locator("#warning-table")
        assert "禄丰锂电池正极材料项目" in table.inner_text() and REASON in table.inner_text()
        screenshot(page, "risk_warning_list")
        table.get_by_role("link", name=REASON).click()
        page.locator("#act-dismiss").click()
        page.locator("#submit-form").click()  # no reason
        page.wait_for_load_state("load")
        assert "请填写排除理由" in page.locator("#warning-action-form").inner_text()
        page.get_by_label("排除理由").fill("已核")
        page.locator("#submit-form").click()
        page.wait_for_load_state("load")
        assert "排除预警须说明理由" in page.locator("#warning-action-form").inner_text()
        assert page.get_by_label("排除理由").input_value() == "已核"
        screenshot(page, "risk_dismiss_refused")
        page.get_by_label("排除理由").fill("资金以设备入股，已现场核实")
        page.locator("#submit-form").click()
        page.wait_for_url(f"{base}/risk/warnings/{warning.pk}/")
        assert page.locator("#warning-state").inner_text() == "已排除"
        assert "资金以设备入股，已现场核实" in page.locator("#warning-decision").inner_text()
        page.goto(f"{base}/projects/{project.pk}/")
        assert "风险分 0" in page.locator("#risk-panel").inner_text()

        page.context.clear_cookies()
        sign_in(page, base, "kunming_officer", PASSWORD)
        response = page.goto(f"{base}/risk/warnings/{warning.pk}/")
        assert response.status == 404
        page.goto(f"{base}/risk/warnings/")
        assert "禄丰锂电池正极材料项目" not in page.locator("#warning-table").inner_text()
    assert RiskWarning.objects.get(pk=warning.pk).state == WarningState.DISMISSED
    row = AuditLog.objects.get(action="warning_dismiss")
    assert row.actor == persona("lufeng_officer") and row.after["decision_note"] == "资金以设备入股，已现场核实"
