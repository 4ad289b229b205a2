"""Money on pages: every figure through the one helper (``core/formatting.py``) — thousands separators, two
decimals, the unit shown — never a raw decimal such as ``356274.080000000``."""

import json
import re
from decimal import Decimal as D

import pytest

from zhaoshang.core import formatting
from zhaoshang.core.testing import persona
from zhaoshang.dashboard.tests.test_exports import AGREED, platform_data  # noqa: F401 (fixture)
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db

# A decimal written without thousands separators (4+ digits before the point) or with more than two decimals.
RAW_DECIMAL = re.compile(r"(?<![\d,.])\d{4,}\.\d+|(?<![\d,])\d+\.\d{3,}")
MONEY_KEYS = re.compile(r"_wan$|^(actual|actual_last_year|target)$")


def visible(html: str) -> str:
    """The page without scripts and form values (what a reader sees as text)."""
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r'value="[^"]*"', "", html)


def test_the_helper_writes_wan_and_yi_with_separators_and_units():
    assert formatting.wan(D("356274.080000000")) == "356,274.08万元"
    assert formatting.wan(882491.569999999) == "882,491.57万元"
    assert formatting.yi(D("356274.08")) == "35.63亿元"
    assert formatting.wan_and_yi(D("150000")) == "150,000.00万元（15.00亿元）"
    assert formatting.figure(D("-1234.5")) == "-1,234.50"
    assert formatting.wan(None) == formatting.yi(None) == "—"
    assert formatting.measure(D("12"), "个") == "12个" and formatting.measure(D("20000"), "亿元") == "2.00亿元"
    assert formatting.month_range(6) == "1—6月" and formatting.month_range(1) == "1月"
    assert formatting.period_label(2026, 6) == "2026年1—6月"


def test_money_on_every_page_is_formatted_with_its_unit(platform_data, client):  # noqa: F811
    project = Project.objects.get(name="禄丰钛白粉深加工项目")
    pages = {
        "lufeng_officer": [
            f"/projects/{project.pk}/",
            "/projects/",
            "/projects/library/",
            "/projects/library/queue/",
        ],
        "province_admin": [
            "/dashboard/?region=532300&year=2025&month=6",
            "/dashboard/?year=2025&month=6",
            "/stats/rankings/?year=2025&month=6",
            "/stats/rankings/?year=2025&month=6&indicator=agreed_investment",
            "/funds/corrections/",
            f"/projects/{project.pk}/library/",
            "/projects/library/threshold/",
        ],
        "chuxiong_officer": ["/stats/rankings/?year=2025&month=6&indicator=funds_outside_province"],
    }
    for name, paths in pages.items():
        client.force_login(persona(name))
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            text = visible(response.content.decode())
            raw = RAW_DECIMAL.findall(text)
            assert not raw, f"{path}: raw decimals {raw[:5]}"

    client.force_login(persona("lufeng_officer"))
    detail = client.get(f"/projects/{project.pk}/").content.decode()
    assert "356,274.08万元（35.63亿元）" in detail  # 协议投资额 with both units
    assert "882,491.57万元" in detail  # 预计年税收
    assert "356,274.08" in client.get("/projects/").content.decode()

    client.force_login(persona("province_admin"))
    cockpit = client.get("/dashboard/?region=532300&year=2025&month=6")
    html = cockpit.content.decode()
    assert "0.70" in visible(html) and "亿元" in html
    data = json.loads(re.search(r'id="cockpit-data" type="application/json">(.*?)</script>', html, re.S).group(1))

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and MONEY_KEYS.search(key) and re.fullmatch(r"-?\d+\.\d+", value):
            assert re.fullmatch(r"-?\d+\.\d{2}", value), f"cockpit JSON {key}: {value}"

    walk(data)
    trend = {row["month"]: row["this_year_wan"] for row in data["trend"]}
    assert trend["3月"] == "0.70"
