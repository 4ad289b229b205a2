from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import scope_matrix
from zhaoshang.projects import services
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import FundingEntry, MonthLock, Project
from zhaoshang.regions.models import Region

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def kunming_project(make_project, kunming_county):
    from zhaoshang.core.testing import persona

    return make_project(name="五华数字经济项目", actor=persona("kunming_officer"), county=kunming_county)


def cases():
    pages = scope_matrix(
        list_url="/projects/",
        api_url="/api/v1/projects/",
        detail_urls={"lufeng": "/projects/{lufeng}/", "kunming": "/projects/{kunming}/"},
    )
    edits = [
        ("lufeng_officer", "/projects/{kunming}/edit/", 404),
        ("lufeng_officer", "/projects/{kunming}/transition/", 404),
        ("lufeng_officer", "/projects/{kunming}/funds/new/", 404),
        ("kunming_officer", "/projects/{lufeng}/edit/", 404),
        ("chuxiong_officer", "/projects/{lufeng}/edit/", 200),
        ("leader_province", "/projects/{lufeng}/", 200),
        ("leader_province", "/projects/{lufeng}/edit/", 403),
        ("leader_province", "/projects/new/", 403),
        ("enterprise_user", "/projects/", 403),
        ("lufeng_officer", "/funds/locks/", 403),
        ("chuxiong_officer", "/funds/locks/", 200),
        ("lufeng_officer", "/funds/corrections/", 403),
        ("chuxiong_officer", "/funds/corrections/", 200),
    ]
    return pages + edits


@pytest.mark.parametrize(("name", "url", "status"), cases())
def test_project_pages_are_scoped(as_persona, make_project, kunming_project, name, url, status):
    lufeng = make_project()
    response = as_persona(name).get(url.format(lufeng=lufeng.pk, kunming=kunming_project.pk))
    assert response.status_code == status


def test_lufeng_creates_a_project_in_its_park_and_chuxiong_sees_it(as_persona, lufeng, lufeng_park):
    client = as_persona("lufeng_officer")
    form = client.get("/projects/new/").context["form"]
    assert list(form.fields["county"].queryset) == [lufeng]
    data = {
        "name": "禄丰钛材深加工项目",
        "investor_name": "云南钛业股份有限公司",
        "county": lufeng.pk,
        "park": lufeng_park.pk,
        "agreed_investment_wan": "120000",
        "source_province": "江苏",
        "currency": "CNY",
        "on": "2024-01-10",
    }
    response = client.post("/projects/new/", data)
    project = Project.objects.get(name="禄丰钛材深加工项目")
    assert response.status_code == 302 and response.url == f"/projects/{project.pk}/"
    assert (project.path, project.region_group, project.stage) == (lufeng_park.path, "yangtze_delta", Stage.LEAD)
    html = as_persona("chuxiong_officer").get("/projects/").content.decode()
    assert "禄丰钛材深加工项目" in html
    assert "禄丰钛材深加工项目" not in as_persona("kunming_officer").get("/projects/").content.decode()


def test_a_likely_duplicate_is_shown_and_needs_confirmation_keeping_what_was_typed(as_persona, make_project, lufeng):
    existing = make_project(name="禄丰钛材深加工项目", investor_name="云南钛业有限公司")
    client = as_persona("lufeng_officer")
    data = {
        "name": "禄丰钛材深加工项目二期",
        "investor_name": "云南钛业股份有限公司",
        "county": lufeng.pk,
        "agreed_investment_wan": "5000",
        "currency": "CNY",
        "on": "2024-01-10",
    }
    response = client.post("/projects/new/", data)
    html = response.content.decode()
    assert response.status_code == 200 and "疑似重复项目" in html
    assert f"/projects/{existing.pk}/" in html and 'value="禄丰钛材深加工项目二期"' in html
    assert not Project.objects.filter(name="禄丰钛材深加工项目二期").exists()
    response = client.post("/projects/new/", data | {"confirm_not_duplicate": "on"})
    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    assert "duplicate-candidates" in detail and "禄丰钛材深加工项目" in detail


def test_an_invalid_form_keeps_typed_input(as_persona, lufeng):
    response = as_persona("lufeng_officer").post(
        "/projects/new/", {"name": "半截项目", "county": lufeng.pk, "agreed_investment_wan": "abc", "on": "2024-01-01"}
    )
    assert response.status_code == 200 and 'value="半截项目"' in response.content.decode()
    assert "agreed_investment_wan" in response.context["form"].errors


def test_transition_agreement_and_funds_through_the_pages(as_persona, make_project):
    project = make_project()
    client = as_persona("lufeng_officer")
    response = client.post(f"/projects/{project.pk}/transition/", {"to": "signed", "on": "2024-02-01"})
    assert response.status_code == 200  # 签约 is not offered from 线索
    assert (
        client.post(f"/projects/{project.pk}/transition/", {"to": "negotiating", "on": "2024-02-01"}).status_code == 302
    )
    response = client.post(f"/projects/{project.pk}/transition/", {"to": "signed", "on": "2024-03-01"})
    assert "签约须先录入投资协议" in response.content.decode()
    agreement = {
        "kind": "contract",
        "signed_on": "2024-03-01",
        "amount_wan": "50000",
        "term_years": "20",
        "clauses-TOTAL_FORMS": "3",
        "clauses-INITIAL_FORMS": "0",
        "clauses-0-content": "前三年税收地方留成部分全额奖励",
        "clauses-0-amount_wan": "1200",
        "clauses-0-due_on": "2027-12-31",
    }
    assert client.post(f"/projects/{project.pk}/agreements/new/", agreement).status_code == 302
    assert client.post(f"/projects/{project.pk}/transition/", {"to": "signed", "on": "2024-03-01"}).status_code == 302
    for month, amount in (("2024-04", "1000"), ("2024-05", "2000")):
        response = client.post(f"/projects/{project.pk}/funds/new/", {"month": month, "amount_wan": amount})
        assert response.status_code == 302
    detail = client.get(f"/projects/{project.pk}/")
    html = detail.content.decode()
    assert detail.context["chart"]["months"] == ["2024-04", "2024-05"]
    assert detail.context["totals"]["amount_wan"] == D("3000")
    assert "前三年税收地方留成部分全额奖励" in html and 'data-stage="signed"' in html
    assert 'data-action="transition"' in html


def test_correction_and_approval_pages(as_persona, signed_project, officer):
    entry = services.funding_record(actor=officer, project=signed_project, month=date(2024, 4, 1), amount_wan=D("10"))
    client = as_persona("lufeng_officer")
    assert client.post(f"/funds/{entry.pk}/correct/", {"reason": "录错项目"}).status_code == 302
    correction = FundingEntry.objects.get(reverses=entry)
    assert client.get(f"/funds/{correction.pk}/approve/").status_code == 403
    client = as_persona("chuxiong_officer")
    assert "录错项目" in client.get("/funds/corrections/", {"state": "pending"}).content.decode()
    assert client.post(f"/funds/{correction.pk}/approve/", {"decision": "approved"}).status_code == 302
    assert FundingEntry.objects.get(pk=correction.pk).counts is True


def test_month_lock_page(as_persona, signed_project, officer):
    client = as_persona("chuxiong_officer")
    form = client.get("/funds/locks/").context["form"]
    assert list(form.fields["prefecture"].queryset.values_list("code", flat=True)) == ["532300"]
    chuxiong = Region.objects.get(code="532300")
    assert client.post("/funds/locks/", {"prefecture": chuxiong.pk, "month": "2024-04"}).status_code == 302
    assert MonthLock.objects.get().month == date(2024, 4, 1)
    response = as_persona("lufeng_officer").post(
        f"/projects/{signed_project.pk}/funds/new/", {"month": "2024-04", "amount_wan": "5"}
    )
    assert response.status_code == 200 and "已由楚雄彝族自治州锁定" in response.content.decode()


def test_list_filters_sort_and_export(as_persona, make_project, sign):
    big = sign(make_project(name="十亿项目", agreed_investment_wan=D("150000"), is_global500=True), amount=D("150000"))
    make_project(name="小项目", investor_name="小公司", agreed_investment_wan=D("500"), stalled=True)
    client = as_persona("chuxiong_officer")
    names = lambda params: [p["name"] for p in client.get("/projects/", params).context["object_list"]]  # noqa: E731
    assert names({"band": "10yi"}) == ["十亿项目"]
    assert names({"band": "1yi"}) == ["十亿项目"]
    assert names({"top500": "1"}) == ["十亿项目"]
    assert names({"stalled": "1"}) == ["小项目"]
    assert names({"stage": "signed"}) == ["十亿项目"]
    assert names({"signed_from": "2024-01-01", "signed_to": "2024-12-31"}) == ["十亿项目"]
    assert names({"sort": "amount"}) == ["小项目", "十亿项目"]
    response = client.get("/projects/", {"export": "xlsx", "band": "1yi"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("项目编号", "项目名称", "投资方") and [r[1] for r in rows[1:]] == ["十亿项目"]
    # 项目编号 is the officer's own code (none for a project entered on the platform); the id is 系统编号.
    assert rows[1][0] is None and rows[1][rows[0].index("系统编号")] == big.pk
    assert AuditLog.objects.filter(action="export", actor_name="chuxiong_officer").exists()


def test_merge_page_moves_the_duplicate_into_the_survivor(as_persona, make_project):
    survivor, duplicate = make_project(name="禄丰甲项目"), make_project(name="禄丰甲项目（重复）")
    client = as_persona("lufeng_officer")
    response = client.post(f"/projects/{duplicate.pk}/merge/", {"survivor": survivor.pk, "note": "重复录入"})
    assert response.status_code == 302 and response.url == f"/projects/{survivor.pk}/"
    assert Project.objects.get(pk=duplicate.pk).merged_into == survivor
    assert [p["name"] for p in client.get("/projects/").context["object_list"]] == ["禄丰甲项目"]
    assert "已合并入" in client.get(f"/projects/{duplicate.pk}/").content.decode()
