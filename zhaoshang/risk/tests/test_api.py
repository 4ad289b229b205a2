import pytest
from rest_framework.test import APIClient

from zhaoshang.core.testing import persona
from zhaoshang.risk import services
from zhaoshang.risk.choices import RuleCode, WarningState
from zhaoshang.risk.models import RiskWarning
from zhaoshang.risk.tests.conftest import SCAN_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning(lufeng_project, kunming_project):
    services.risk_scan(today=SCAN_DAY)
    return RiskWarning.objects.get(project=lufeng_project, rule__code=RuleCode.NO_FUNDS)


def api(name):
    client = APIClient()
    if name:
        client.force_authenticate(persona(name))
    return client


def test_the_list_is_scoped(warning):
    rows = api("lufeng_officer").get("/api/v1/warnings/").json()["results"]
    assert [row["id"] for row in rows] == [warning.pk]
    assert rows[0]["reason"] == "2026-07-15签约，已4个月无资金到位" and rows[0]["state_label"] == "待处理"
    assert warning.pk not in [row["id"] for row in api("kunming_officer").get("/api/v1/warnings/").json()["results"]]
    assert api(None).get("/api/v1/warnings/").status_code == 401


def test_another_county_gets_404(warning):
    client = api("kunming_officer")
    assert client.get(f"/api/v1/warnings/{warning.pk}/").status_code == 404
    assert client.post(f"/api/v1/warnings/{warning.pk}/dismiss/", {"note": "不是本辖区"}).status_code == 404


def test_dismiss_needs_a_reason(warning):
    client = api("lufeng_officer")
    response = client.post(f"/api/v1/warnings/{warning.pk}/dismiss/", {"note": ""}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    response = client.post(f"/api/v1/warnings/{warning.pk}/dismiss/", {"note": "设备入股已核实"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == WarningState.DISMISSED


def test_a_read_only_role_cannot_act(warning):
    response = api("leader_province").post(f"/api/v1/warnings/{warning.pk}/confirm/", {}, format="json")
    assert response.status_code == 403
