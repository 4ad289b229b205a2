import io

import openpyxl
import pytest

from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import client_for, persona
from zhaoshang.risk import services
from zhaoshang.risk.choices import RuleCode, WarningState
from zhaoshang.risk.models import RiskRule, RiskWarning
from zhaoshang.risk.tests.conftest import SCAN_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def warnings(lufeng_project, kunming_project):
    services.risk_scan(today=SCAN_DAY)
    return (
        RiskWarning.objects.get(project=lufeng_project, rule__code=RuleCode.NO_FUNDS),
        RiskWarning.objects.get(project=kunming_project, rule__code=RuleCode.NO_FUNDS),
    )


def test_lufeng_officer_sees_the_warning_with_its_reason_and_not_kunmings(client, warnings):
    client_for(client, "lufeng_officer")
    page = client.get("/risk/warnings/").content.decode()
    assert "禄丰锂电池正极材料项目" in page and "2026-07-15签约，已4个月无资金到位" in page
    assert "五华数字经济产业园项目" not in page


@pytest.mark.parametrize(
    "name, which, status",
    [
        ("lufeng_officer", 0, 200),
        ("kunming_officer", 0, 404),
        ("chuxiong_officer", 0, 200),
        ("chuxiong_officer", 1, 404),
        ("kunming_officer", 1, 200),
        ("province_admin", 1, 200),
    ],
)
def test_the_warning_page_is_scoped(client, warnings, name, which, status):
    client_for(client, name)
    assert client.get(f"/risk/warnings/{warnings[which].pk}/").status_code == status


def test_kunming_officer_gets_404_for_the_dismiss_page_and_its_post(client, warnings):
    client_for(client, "kunming_officer")
    url = f"/risk/warnings/{warnings[0].pk}/dismiss/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "不是我辖区的项目"}).status_code == 404
    assert RiskWarning.objects.get(pk=warnings[0].pk).state == WarningState.OPEN


def test_anonymous_is_sent_to_login(client, warnings):
    assert client.get("/risk/warnings/").status_code == 302


def test_dismissing_without_a_reason_is_refused_and_keeps_what_was_typed(client, warnings):
    client_for(client, "lufeng_officer")
    url = f"/risk/warnings/{warnings[0].pk}/dismiss/"
    response = client.post(url, {"note": ""})
    assert response.status_code == 200 and "请填写排除理由" in response.content.decode()
    response = client.post(url, {"note": "已核"})
    page = response.content.decode()
    assert "排除预警须说明理由" in page, page[page.find("<form") :][:1500]
    assert "已核</textarea>" in page
    assert RiskWarning.objects.get(pk=warnings[0].pk).state == WarningState.OPEN
    assert not AuditLog.objects.filter(action="warning_dismiss").exists()
    response = client.post(url, {"note": "资金以设备入股，已现场核实"})
    assert response.status_code == 302
    warning = RiskWarning.objects.get(pk=warnings[0].pk)
    assert warning.state == WarningState.DISMISSED and warning.decision_note == "资金以设备入股，已现场核实"
    row = AuditLog.objects.get(action="warning_dismiss")
    assert row.actor == persona("lufeng_officer") and row.object_id == str(warning.pk)


def test_the_list_filters_and_exports_the_search(client, warnings):
    client_for(client, "chuxiong_officer")
    page = client.get("/risk/warnings/", {"state": "dismissed"}).content.decode()
    assert "禄丰锂电池正极材料项目" not in page
    response = client.get("/risk/warnings/", {"state": "open", "export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "2026-07-15签约，已4个月无资金到位" in values and "五华数字经济产业园项目" not in values
    assert AuditLog.objects.filter(action="export", object_type="risk.RiskWarning").exists()


def test_the_project_page_shows_the_score_and_its_reasons(client, warnings):
    client_for(client, "lufeng_officer")
    page = client.get(f"/projects/{warnings[0].project_id}/").content.decode()
    assert 'id="risk-panel"' in page and "风险分 30" in page and "2026-07-15签约，已4个月无资金到位" in page


def test_the_province_edits_a_rule_and_a_county_cannot(client, warnings):
    rule = RiskRule.objects.get(code=RuleCode.NO_FUNDS)
    client_for(client, "lufeng_officer")
    assert client.get(f"/risk/rules/{rule.pk}/").status_code == 403
    client.logout()
    client_for(client, "province_admin")
    response = client.post(f"/risk/rules/{rule.pk}/", {"weight": "35", "params": "{months: 3}", "enabled": "on"})
    assert response.status_code == 200 and "JSON" in response.content.decode()
    response = client.post(f"/risk/rules/{rule.pk}/", {"weight": "35", "params": '{"months": 4}', "enabled": "on"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.weight == 35 and rule.params == {"months": 4}
