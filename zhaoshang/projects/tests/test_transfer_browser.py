"""Issue 20's transfer "Done when", in the browser: 禄丰 offers a signed project to a park of 楚雄市 with 30/70 sharing,
楚雄市 accepts, 楚雄州 files; both counties' cockpits show their shares (含流转分成), 楚雄州 and the province count the
project once, and the ranking and the bulletin agree with the cockpit to the cent."""

from datetime import date

import pytest

from zhaoshang.core import formatting
from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.testing import PASSWORD, load_platform_data
from zhaoshang.projects.models import Transfer, TransferStatus
from zhaoshang.projects.tests.transfers import chuxiong_city_park, lufeng_project, officer_of
from zhaoshang.regions.models import Region
from zhaoshang.stats.bulletins import bulletin_build
from zhaoshang.stats.indicators import Period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PERIOD = Period(2026, 6)
COCKPIT = "/dashboard/?year=2026&month=6"


def log_out(page, base):
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(f"{base}/accounts/login/")


def step(page, base, transfer_id: int, label: str) -> str:
    page.goto(f"{base}/projects/transfers/{transfer_id}/")
    page.get_by_label(label).check()
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("#transfer-status")
    return page.locator("#transfer-status").get_attribute("data-status")


def card(page, indicator: str):
    return page.locator(f".stat-card[data-indicator='{indicator}']")


def test_transfer_with_sharing_from_proposal_to_every_figure(live_server):
    load_platform_data()  # the live server's database is emptied between transactional tests
    project = lufeng_project()
    park = chuxiong_city_park()
    officer_of("532301")  # 楚雄市's officer, who accepts
    base = live_server.url
    with chromium_page() as page:
        sign_in(page, base, "lufeng_officer", PASSWORD)
        page.goto(f"{base}/projects/{project.pk}/")
        page.locator("#transfer-propose").click()
        page.get_by_label("落地方县市区").select_option(label="楚雄市")
        page.get_by_label("落地方园区").select_option(label=park.name)
        page.get_by_label("不能承接的原因").select_option(label="土地")
        page.get_by_label("原因说明").fill("禄丰工业园区用地指标已用完")
        page.get_by_label("引进方分成（%）").fill("30")
        page.get_by_label("落地方分成（%）").fill("60")  # wrong on purpose: the form says so and keeps the text
        page.get_by_label("起始年度").fill("2026")
        page.get_by_label("分成年限（年）").fill("3")
        page.get_by_role("button", name="提出流转").click()
        page.wait_for_selector("text=合计须为 100%")
        assert page.get_by_label("原因说明").input_value() == "禄丰工业园区用地指标已用完"
        page.get_by_label("落地方分成（%）").fill("70")
        page.get_by_role("button", name="提出流转").click()
        page.wait_for_selector("#transfer-status")
        transfer = Transfer.objects.get(project=project)
        assert page.locator("#transfer-status").get_attribute("data-status") == TransferStatus.PROPOSED
        screenshot(page, "t01-transfer-proposed-lufeng")
        log_out(page, base)

        sign_in(page, base, "officer_532301", PASSWORD)
        assert step(page, base, transfer.pk, "接收方确认") == TransferStatus.ACCEPTED
        screenshot(page, "t02-transfer-accepted-chuxiong-city")
        log_out(page, base)

        sign_in(page, base, "chuxiong_officer", PASSWORD)
        assert step(page, base, transfer.pk, "上级备案（完成流转）") == TransferStatus.COMPLETED
        assert page.locator("#transfer-timeline li").count() == 3
        screenshot(page, "t03-transfer-filed-chuxiong")

        # 楚雄州 counts the project once: 100 % of the signed amount, and its ranking splits it 30/70
        page.goto(base + COCKPIT)
        chuxiong_signed = card(page, "agreed_investment").locator("[data-actual]").inner_text()
        assert chuxiong_signed == formatting.yi(300000)
        page.goto(f"{base}/stats/rankings/?year=2026&month=6&indicator=agreed_investment")
        ranking_text = page.locator("table").first.inner_text()
        assert formatting.figure(90000) in ranking_text and formatting.figure(210000) in ranking_text
        assert "含流转分成" in ranking_text
        screenshot(page, "t04-ranking-chuxiong")
        log_out(page, base)

        shown = {}
        for username, code in (("lufeng_officer", "532302"), ("officer_532301", "532301")):
            sign_in(page, base, username, PASSWORD)
            page.goto(base + COCKPIT)
            signed = card(page, "agreed_investment")
            shown[code] = signed.locator("[data-actual]").inner_text()
            assert signed.locator("[data-shared]").count() == 1  # 含流转分成
            screenshot(page, f"t05-cockpit-{code}")
            signed.locator("[data-shared]").click()
            page.wait_for_selector("#sharing-table")
            assert project.name in page.locator("#sharing-table").inner_text()
            log_out(page, base)
        assert shown == {"532302": formatting.yi(90000), "532301": formatting.yi(210000)}

        sign_in(page, base, "province_admin", PASSWORD)
        page.goto(base + COCKPIT)
        assert card(page, "agreed_investment").locator("[data-actual]").inner_text() == formatting.yi(300000)
        assert card(page, "signed_projects").locator("[data-actual]").inner_text().startswith("1")

    # The bulletin of 楚雄州 ranks its counties with the same figures as their cockpits (亿元 to the cent)
    bulletin = bulletin_build(node=Region.objects.get(code="532300"), period=PERIOD, issued_on=date(2026, 7, 5))
    table = next(t for t in bulletin.tables if t.title.startswith("协议投资额"))
    cells = {row[1].replace("（含流转分成）", ""): row[2] for row in table.rows}
    assert formatting.yi(cells["禄丰市"] * 10000) == shown["532302"]
    assert formatting.yi(cells["楚雄市"] * 10000) == shown["532301"]
