"""全年预计: the projection from the months so far (历年同期占比 where earlier years have figures, else 线性外推),
Decimal throughout, and the 序时进度 page showing it with the method's name and an alert past the margin."""

import json
from datetime import date
from decimal import Decimal as D

import lxml.html
import pytest

from zhaoshang.core.testing import persona
from zhaoshang.regions.models import Region
from zhaoshang.stats.projection import misses_target, project_year_end, same_month_shares, shortfall_pct
from zhaoshang.stats.services import target_set
from zhaoshang.stats.tests.test_indicators import fund, signed_project


def test_without_history_the_projection_is_linear():
    p = project_year_end(month=3, actual=D("300"))
    assert p.method == "linear" and p.method_name == "线性外推"
    assert p.value == D("1200") and isinstance(p.value, D)


def test_with_history_the_projection_divides_by_the_average_same_month_share():
    # 2024: 1—6月 40 of 100 (0.4); 2025: 60 of 100 (0.6); 2023 had no figures and is left out. Average 0.5.
    history = [(D("40"), D("100")), (D("60"), D("100")), (D("0"), D("0"))]
    assert same_month_shares(history) == [D("0.4"), D("0.6")]
    p = project_year_end(month=6, actual=D("55"), history=history)
    assert p.method == "share" and p.method_name == "历年同期占比" and p.years == 2
    assert p.value == D("110")


def test_the_alert_fires_past_the_margin_only():
    p = project_year_end(month=6, actual=D("45"))  # linear: 90
    assert shortfall_pct(p, D("100")) == D("10")
    assert not misses_target(p, D("100"), D("10"))  # exactly 10 % short: within the margin
    assert misses_target(p, D("101"), D("10"))
    assert not misses_target(p, None)
    with pytest.raises(ValueError):
        project_year_end(month=13, actual=D(1))


@pytest.mark.django_db
def test_the_progress_page_shows_the_projection_its_method_and_the_alert(client, settings):
    """楚雄市 1—6月 2025: 30,000 万元 省外; in 2024 1—6月 was 60,000 of 240,000 (share 0.25) → 120,000 projected,
    against a target of 20亿 (200,000): 40 % short, an alert; 禄丰 has no history: linear."""
    a = signed_project("楚雄绿色硅材料一体化项目", "532301", "四川某某硅业有限公司")
    fund(a, date(2024, 3, 1), "60000", outside_province="60000")
    fund(a, date(2024, 9, 1), "180000", outside_province="180000")
    fund(a, date(2025, 5, 1), "30000", outside_province="30000")
    target_set(
        actor=persona("province_admin"),
        year=2025,
        region=Region.objects.get(code="532301"),
        indicator="funds_outside_province",
        value=D("20"),
        unit="亿元",
    )
    client.force_login(persona("chuxiong_officer"))
    response = client.get("/stats/progress/", {"region": "532301", "year": 2025, "month": 6})
    assert response.status_code == 200
    ye = response.context["projections"]["funds_outside_province"]
    assert ye.method_name == "历年同期占比" and ye.value == D("120000.00") and ye.alert
    document = lxml.html.fromstring(response.content.decode())
    row = document.xpath("//table[@id='schedule-own-table']/tbody/tr[@data-indicator='funds_outside_province']")[0]
    assert row.get("data-alert") == "1"
    assert "历年同期占比" in row.xpath("td[@data-method]")[0].text_content()
    alerts = document.xpath("//div[@id='schedule-projection-alerts']/div/@data-indicator")
    assert "funds_outside_province" in alerts
    # The chart's data: the projected year-end share of the target (120,000 of 200,000) with its text and method.
    chart = json.loads(document.xpath("//script[@id='schedule-data']")[0].text)
    drawn = next(r for r in chart["own"] if r["indicator"] == "funds_outside_province")
    assert drawn["projected"] == "60.0" and drawn["projected_text"] == "120,000.00万元（历年同期占比）"

    settings.PROJECTION_ALERT_MARGIN_PCT = "50"  # the margin is a setting: 40 % short is within 50 %
    response = client.get("/stats/progress/", {"region": "532301", "year": 2025, "month": 6})
    assert not response.context["projections"]["funds_outside_province"].alert

    lufeng = client.get("/stats/progress/", {"region": "532302", "year": 2025, "month": 6})
    assert lufeng.context["projections"]["funds_outside_province"].method_name == "线性外推"
