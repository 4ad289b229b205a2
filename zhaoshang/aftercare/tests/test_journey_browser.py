"""In Chromium, the journey of issue 17 (Done when 1): an enterprise registers, lufeng_officer verifies it, it
submits a 用电 request about its project; lufeng signs for it, adds a co-handling unit, replies; the enterprise
rates it 不满意, it is reopened (重办), answered again and closed; the clock and the reminders show throughout, and
an overdue request escalates to chuxiong_officer."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.aftercare.models import Ticket
from zhaoshang.aftercare.workdays import add_workdays
from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.testing import PASSWORD as DEMO_PASSWORD
from zhaoshang.core.testing import load_platform_data, persona
from zhaoshang.projects import services
from zhaoshang.projects.choices import Stage
from zhaoshang.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CODE = "91530100MA6K0YQ418"
PASSWORD = "Dianchi#Lake-2741"


def act(page, name: str, **fields) -> None:
    form = page.locator(f"form[data-act={name}]")
    for field, value in fields.items():
        element = form.locator(f"[name={field}]")
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(label=value)
        else:
            element.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")


def switch(page, base, username, password):
    page.context.clear_cookies()
    sign_in(page, base, username, password)


def test_register_verify_request_reopen_close_and_escalate(live_server):
    load_platform_data()
    officer = persona("lufeng_officer")
    lufeng = Region.objects.get(code="532302")
    project = services.project_create(
        actor=officer,
        name="禄丰储能电池项目",
        investor_name="云南储能科技有限公司",
        county=lufeng,
        on=date(2025, 1, 6),
        agreed_investment_wan=Decimal("50000"),
    )
    services.project_advance(project=project, to=Stage.NEGOTIATING, actor=officer, on=date(2025, 2, 3))
    OrgUnit.objects.create(code="DEPT-532302-POWER", name="禄丰市供电局", kind="department", region=lufeng)
    base = live_server.url
    with chromium_page() as page:
        page.goto(f"{base}/accounts/login/")
        page.locator("#register-link").click()
        page.get_by_label("统一社会信用代码").fill(CODE)
        page.get_by_label("企业名称（营业执照全称）").fill("云南储能科技有限公司")
        page.get_by_label("投资所在地（负责核验的投促部门）").select_option(label="　　禄丰市")
        page.get_by_label("联系人").fill("张经理")
        page.get_by_label("联系电话").fill("13800000000")
        page.get_by_label("登录账号").fill("ent_journey")
        page.get_by_label("密码").fill(PASSWORD)
        page.locator("#register-submit").click()
        page.wait_for_url(f"{base}/accounts/login/")
        assert "注册成功" in page.content()

        switch(page, base, "lufeng_officer", DEMO_PASSWORD)
        page.goto(f"{base}/service/companies/?status=pending")
        page.get_by_role("link", name="云南储能科技有限公司").click()
        page.locator("#verify-form select[name=decision]").select_option(label="通过核验")
        page.locator("#verify-submit").click()
        page.wait_for_load_state("load")
        assert "已核验" in page.locator("#company-status").inner_text()
        page.locator("#link-project").select_option(label="禄丰储能电池项目")
        page.locator("#link-submit").click()
        page.wait_for_load_state("load")
        screenshot(page, "s01-company-verified")

        switch(page, base, "ent_journey", PASSWORD)
        page.goto(f"{base}/service/my-company/")
        page.locator("#new-ticket").click()
        page.locator("select[name=category]").select_option(label="要素保障·用电")
        page.locator("select[name=project]").select_option(label="禄丰储能电池项目")
        page.get_by_label("标题").fill("新建厂房需增容用电")
        page.get_by_label("诉求内容").fill("二期厂房需新增10千伏双回路供电，请协调供电局。")
        page.locator("#submit-form").click()
        page.wait_for_selector("#ticket-state")
        assert page.locator("#ticket-state").inner_text() == "已提交"
        assert "签收时限" in page.locator(".clock-badge").inner_text()
        url = page.url
        screenshot(page, "s02-request-submitted")

        switch(page, base, "lufeng_officer", DEMO_PASSWORD)
        page.goto(url)
        act(page, "accept")
        act(page, "dispatch", handler="禄丰市投资促进局")
        act(page, "sign")
        assert "答复时限" in page.locator(".clock-badge").inner_text()
        act(page, "unit", org_unit="禄丰市供电局", role="联办")
        assert "禄丰市供电局" in page.locator("#co-units").inner_text()
        ticket = Ticket.objects.get()
        # The daily job at 7 of 13 working days: the 50 % reminder shows on the request and in the messages.
        call_command("aftercare_tick", "--now", "--today", add_workdays(ticket.clock_start, 7).isoformat())
        page.reload()
        assert "时限提醒" in page.locator("#ticket-events").inner_text()
        act(page, "answer", note="已协调供电局，30日内完成接入。")
        assert page.locator("#ticket-state").inner_text() == "已答复"
        assert "回访时限" in page.locator(".clock-badge").inner_text()
        act(page, "visit", note="电话回访")
        screenshot(page, "s03-answered")

        switch(page, base, "ent_journey", PASSWORD)
        page.goto(url)
        act(page, "rate", rating="不满意", note="时间太长")
        assert page.locator("#ticket-state").inner_text() == "办理中"
        assert "重办" in page.locator("#ticket-events").inner_text()

        switch(page, base, "lufeng_officer", DEMO_PASSWORD)
        page.goto(url)
        act(page, "answer", note="已协调提前至15日内接入。")
        act(page, "visit", note="上门回访")
        switch(page, base, "ent_journey", PASSWORD)
        page.goto(url)
        act(page, "rate", rating="满意")
        switch(page, base, "lufeng_officer", DEMO_PASSWORD)
        page.goto(url)
        act(page, "close")
        assert page.locator("#ticket-state").inner_text() == "办结"
        screenshot(page, "s04-closed")

        # A second request that nobody answers: 督办 when overdue, then up to 楚雄州 after 5 working days.
        switch(page, base, "ent_journey", PASSWORD)
        page.goto(f"{base}/service/tickets/new/")
        page.locator("select[name=category]").select_option(label="审批手续")
        page.locator("select[name=nature]").select_option(label="咨询类")
        page.locator("select[name=project]").select_option(label="禄丰储能电池项目")
        page.get_by_label("标题").fill("环评批复进度")
        page.get_by_label("诉求内容").fill("环评报告已报送两个月，请协调加快批复。")
        page.locator("#submit-form").click()
        page.wait_for_selector("#ticket-state")
        late_url = page.url
        late = Ticket.objects.get(title="环评批复进度")
        call_command("aftercare_tick", "--now", "--today", add_workdays(late.due_on, 6).isoformat())
        switch(page, base, "chuxiong_officer", DEMO_PASSWORD)
        page.goto(f"{base}/service/notifications/")
        assert "逐级上报" in page.locator("#notifications").inner_text()
        page.goto(late_url)
        assert "楚雄" in page.locator("#escalated").inner_text()
        assert "督办" in page.locator("#supervised").inner_text()
        screenshot(page, "s05-escalated")

        switch(page, base, "kunming_officer", DEMO_PASSWORD)
        response = page.goto(late_url)
        assert response.status == 404
