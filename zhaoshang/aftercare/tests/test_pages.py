"""The journeys through the pages (HTTP): registration, verification, a request through every step as the
enterprise and lufeng_officer, the promise pages, measures, notifications, exports and the cockpit figures."""

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.accounts.models import Company, OrgUnit, User
from zhaoshang.aftercare.choices import PromiseKind, TicketState
from zhaoshang.aftercare.models import Notification, Promise, Ticket
from zhaoshang.aftercare.services import promises
from zhaoshang.aftercare.tests.conftest import CODE_A, PASSWORD
from zhaoshang.core.testing import persona

pytestmark = pytest.mark.django_db


def post(client, url, data=None, *, ok=True):
    response = client.post(url, data or {})
    assert response.status_code == 302, (url, response.status_code)
    page = client.get(response["Location"])
    errors = [m.message for m in page.context["messages"]] if page.context and "messages" in page.context else []
    return page, errors


def test_register_verify_submit_and_close_through_the_pages(client, lufeng, lufeng_project, officer):
    response = client.get("/service/register/")
    assert response.status_code == 200
    response = client.post(
        "/service/register/",
        {
            "credit_code": CODE_A[:-1] + "0",
            "name": "云南储能科技有限公司",
            "region": lufeng.pk,
            "contact_name": "张经理",
            "contact_phone": "13800000000",
            "username": "ent_page",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 200 and "校验位" in response.content.decode()
    response = client.post(
        "/service/register/",
        {
            "credit_code": CODE_A,
            "name": "云南储能科技有限公司",
            "region": lufeng.pk,
            "contact_name": "张经理",
            "contact_phone": "13800000000",
            "email": "ent@example.com",
            "username": "ent_page",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    client.force_login(User.objects.get(username="ent_page"))
    assert "待核验" in client.get("/service/my-company/").content.decode()
    assert client.get("/service/tickets/new/").status_code == 302  # not yet verified
    company = Company.objects.get(credit_code=CODE_A)

    client.force_login(officer)
    assert company.name in client.get("/service/companies/?status=pending").content.decode()
    post(client, f"/service/companies/{company.pk}/verify/", {"decision": "approve", "note": "已核对营业执照"})
    post(client, f"/service/companies/{company.pk}/link/", {"project": lufeng_project.pk})
    company.refresh_from_db()
    assert company.is_verified

    client.force_login(User.objects.get(username="ent_page"))
    page = client.get("/service/tickets/new/")
    assert lufeng_project.name in page.content.decode()
    response = client.post(
        "/service/tickets/new/",
        {
            "category": "power",
            "nature": "coordination",
            "project": lufeng_project.pk,
            "title": "新厂房用电增容",
            "description": "需10千伏双回路供电",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    base = f"/service/tickets/{ticket.pk}/"
    assert "签收时限" in client.get(base).content.decode()  # the clock is shown to the enterprise too

    client.force_login(officer)
    assert ticket.title in client.get("/service/tickets/").content.decode()
    post(client, base + "accept/", {"note": ""})
    post(client, base + "dispatch/", {"handler": officer.org_unit_id})
    post(client, base + "sign/")
    power = OrgUnit.objects.create(code="DEPT-T-POWER", name="禄丰供电局测试", kind="department", region=lufeng)
    post(client, base + "unit/", {"org_unit": power.pk, "role": "assist"})
    page, _ = post(client, base + "answer/", {"note": "已协调供电局"})
    assert "答复时限" not in page.content.decode() and "回访时限" in page.content.decode()
    post(client, base + "visit/", {"note": "电话回访"})

    client.force_login(User.objects.get(username="ent_page"))
    post(client, base + "rate/", {"rating": "unsatisfied", "note": "太慢"})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.IN_PROGRESS and ticket.reopen_count == 1

    client.force_login(officer)
    post(client, base + "answer/", {"note": "已提前接入"})
    post(client, base + "visit/", {"note": "上门回访"})
    client.force_login(User.objects.get(username="ent_page"))
    post(client, base + "rate/", {"rating": "satisfied"})
    client.force_login(officer)
    page, _ = post(client, base + "close/", {"note": ""})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED
    assert "重办" in page.content.decode() and "禄丰供电局测试" in page.content.decode()
    # A step out of turn is refused in words, and nothing changes.
    _, errors = post(client, base + "sign/")
    assert any("只有" in e for e in errors)
    # Export, measures (drill-down to the ticket), notifications, cockpit.
    export = client.get("/service/tickets/?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    measures = client.get("/service/measures/").content.decode()
    assert "禄丰" in measures or "100.0%" in measures
    assert Notification.objects.filter(recipient=officer).exists()
    assert client.get("/service/notifications/").status_code == 200
    chuxiong = persona("chuxiong_officer")
    client.force_login(chuxiong)
    measures = client.get("/service/measures/").content.decode()
    assert "禄丰市" in measures and f"ids={ticket.pk}" in measures
    cockpit = client.get("/dashboard/").content.decode()
    assert "企业服务" in cockpit and "已解决 <strong>1</strong>" in cockpit


def test_promise_pages(ent_a, lufeng_project, officer, client):
    client.force_login(officer)
    page = client.get("/service/promises/").content.decode()
    clause = lufeng_project.agreements.get().clauses.get(content__startswith="按企业缴纳")
    assert f"/service/promises/new/{clause.pk}/" in page
    form = client.get(f"/service/promises/new/{clause.pk}/").content.decode()
    assert "公平竞争审查条例" in form
    response = client.post(
        f"/service/promises/new/{clause.pk}/",
        {
            "kind": PromiseKind.SUBSIDY,
            "amount_wan": "300",
            "responsible": officer.org_unit_id,
        },
    )
    assert response.status_code == 302
    promise = Promise.objects.get()
    assert promise.flagged
    client.force_login(ent_a)
    detail = client.get(f"/service/promises/{promise.pk}/").content.decode()
    assert "公平竞争审查" in detail and "申请兑现" in detail
    post(client, f"/service/promises/{promise.pk}/apply/", {"note": "申请"})
    client.force_login(officer)
    _, errors = post(client, f"/service/promises/{promise.pk}/approve/", {"note": ""})
    assert any("公平竞争审查条例" in e for e in errors)
    post(client, f"/service/promises/{promise.pk}/basis/", {"legal_basis": "国务院批准文件 国函〔2025〕1号"})
    client.force_login(persona("chuxiong_officer"))
    post(client, f"/service/promises/{promise.pk}/review/", {"note": "属实"})
    client.force_login(officer)
    post(client, f"/service/promises/{promise.pk}/approve/", {"note": ""})
    post(client, f"/service/promises/{promise.pk}/pay/", {"amount_wan": "100", "paid_on": date.today().isoformat()})
    promise.refresh_from_db()
    assert promise.paid_wan == Decimal("100")
    assert client.get("/service/promises/?export=xlsx").status_code == 200
    assert promises  # the services module drives the same steps (test_promises)
