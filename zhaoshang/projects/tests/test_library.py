"""招大引强项目库: 县级申报 → 州市级审核 → 省级审定, returns with reasons, scope, pages, project book and API."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.accounts.roles import COUNTY_OFFICER
from zhaoshang.core.models import AppendOnlyError, AuditLog
from zhaoshang.core.testing import persona
from zhaoshang.projects import services
from zhaoshang.projects.models import LibraryEntry, LibraryStatus, LibraryStep, LibraryThreshold
from zhaoshang.projects.projectbook import chinese_number
from zhaoshang.projects.services import IllegalTransition

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def province(db):
    return persona("province_admin")


@pytest.fixture
def big_project(make_project, sign):
    """A signed 15 亿元 project in 禄丰."""
    return sign(make_project(name="禄丰钛白粉深加工项目", agreed_investment_wan=D("150000")), amount=D("150000"))


@pytest.fixture
def wuhua_officer(db):
    """A county officer of 五华区 (昆明), to submit 昆明's projects."""
    user = User.objects.create_user("wuhua_officer", org_unit=OrgUnit.objects.get(code="BUREAU-530102"))
    user.groups.set([Group.objects.get(name=COUNTY_OFFICER.name)])
    return User.objects.get(pk=user.pk)


@pytest.fixture
def kunming_big_project(make_project, sign, kunming_county, wuhua_officer):
    project = make_project(name="五华数字经济产业园项目", actor=wuhua_officer, county=kunming_county)
    return sign(project, amount=D("120000"), actor=wuhua_officer)


def submit(project, actor=None):
    return services.library_submit(actor=actor or persona("lufeng_officer"), project=project)


# Services: the flow and its rules


def test_county_submits_prefecture_reviews_province_approves_each_step_dated_and_audited(
    big_project, officer, chuxiong, province
):
    entry = submit(big_project, officer)
    assert (entry.status, entry.step, entry.year) == (LibraryStatus.SUBMITTED, "prefecture", timezone.localdate().year)
    assert entry.amount_wan == D("150000") and entry.threshold_wan == D("100000")
    entry = services.library_review(actor=chuxiong, project=big_project, reason="材料齐全，同意上报")
    assert (entry.status, entry.step) == (LibraryStatus.REVIEWED, "province")
    entry = services.library_approve(actor=province, project=big_project)
    assert (entry.status, entry.step, entry.approved_on) == (LibraryStatus.APPROVED, "done", timezone.localdate())
    steps = list(entry.steps.values_list("action", "level", "actor__username", "reason", "on"))
    assert steps == [
        ("submit", "county", "lufeng_officer", "", timezone.localdate()),
        ("review", "prefecture", "chuxiong_officer", "材料齐全，同意上报", timezone.localdate()),
        ("approve", "province", "province_admin", "", timezone.localdate()),
    ]
    actions = list(
        AuditLog.objects.filter(object_type="projects.Project", object_id=str(big_project.pk))
        .filter(action__startswith="library_")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["library_submit", "library_review", "library_approve"]


def test_a_return_carries_its_reason_to_the_county_which_resubmits(big_project, officer, chuxiong, province):
    submit(big_project, officer)
    with pytest.raises(ValidationError, match="退回须填写原因"):
        services.library_return(actor=chuxiong, project=big_project, reason="  ")
    entry = services.library_return(actor=chuxiong, project=big_project, reason="缺少项目备案文件")
    assert (entry.status, entry.step, entry.last_reason) == (LibraryStatus.RETURNED, "county", "缺少项目备案文件")
    with pytest.raises(IllegalTransition, match="退回县级"):
        services.library_review(actor=chuxiong, project=big_project)
    entry = submit(big_project, officer)
    assert entry.status == LibraryStatus.SUBMITTED
    services.library_review(actor=chuxiong, project=big_project)
    entry = services.library_return(actor=province, project=big_project, reason="投资方履约能力待核实")
    assert entry.status == LibraryStatus.RETURNED and entry.last_reason == "投资方履约能力待核实"
    history = list(entry.steps.values_list("action", "level"))
    assert history == [
        ("submit", "county"),
        ("return", "prefecture"),
        ("submit", "county"),
        ("review", "prefecture"),
        ("return", "province"),
    ]
    assert LibraryEntry.objects.count() == 1  # one entry per project, the history is in its steps


def test_illegal_steps_are_refused_with_a_reason(big_project, officer, chuxiong, province):
    with pytest.raises(IllegalTransition, match="尚未申报"):
        services.library_review(actor=chuxiong, project=big_project)
    submit(big_project, officer)
    with pytest.raises(IllegalTransition, match="不能重复申报"):
        submit(big_project, officer)
    with pytest.raises(IllegalTransition, match="须先由州市审核"):
        services.library_approve(actor=province, project=big_project)
    services.library_review(actor=chuxiong, project=big_project)
    with pytest.raises(IllegalTransition, match="已通过州市级审核"):
        services.library_review(actor=chuxiong, project=big_project)
    with pytest.raises(IllegalTransition, match="须由省级办理"):
        services.library_return(actor=chuxiong, project=big_project, reason="再看看")
    services.library_approve(actor=province, project=big_project)
    with pytest.raises(IllegalTransition, match="已审定入库"):
        services.library_return(actor=province, project=big_project, reason="撤回")
    with pytest.raises(IllegalTransition, match="已审定入库"):
        submit(big_project, officer)


def test_only_signed_projects_at_or_above_the_threshold_may_be_submitted(make_project, sign, officer):
    small = sign(make_project(name="禄丰小项目", agreed_investment_wan=D("99999.99")), amount=D("99999.99"))
    with pytest.raises(IllegalTransition, match="低于入库门槛"):
        submit(small, officer)
    unsigned = make_project(name="禄丰在谈大项目", agreed_investment_wan=D("300000"))
    with pytest.raises(IllegalTransition, match="已签约"):
        submit(unsigned, officer)
    assert not LibraryEntry.objects.exists()


def test_the_threshold_is_data_set_by_the_province(make_project, sign, officer, chuxiong, province):
    project = sign(make_project(name="禄丰五亿项目", agreed_investment_wan=D("60000")), amount=D("60000"))
    with pytest.raises(PermissionDenied):
        services.library_threshold_set(actor=chuxiong, threshold_wan=D("50000"), effective_from=date(2024, 1, 1))
    services.library_threshold_set(
        actor=province, threshold_wan=D("50000"), effective_from=date(2024, 1, 1), note="试行 5 亿元"
    )
    entry = submit(project, officer)
    assert entry.threshold_wan == D("50000")
    assert AuditLog.objects.filter(action="library_threshold").count() == 1
    row = LibraryThreshold.objects.get()
    row.note = "改"
    with pytest.raises(AppendOnlyError):
        row.save()


def test_each_step_is_taken_at_its_own_level_with_its_permission(big_project, officer, chuxiong, province):
    submit(big_project, officer)
    with pytest.raises(PermissionDenied):
        services.library_approve(actor=officer, project=big_project)  # the county cannot approve
    with pytest.raises(PermissionDenied):
        services.library_review(actor=officer, project=big_project)
    with pytest.raises(PermissionDenied):
        services.library_approve(actor=chuxiong, project=big_project)
    with pytest.raises(PermissionDenied):
        services.library_submit(actor=province, project=big_project)
    assert LibraryEntry.objects.get().status == LibraryStatus.SUBMITTED


def test_a_prefecture_reviews_only_its_own_counties_submissions(big_project, officer):
    submit(big_project, officer)
    with pytest.raises(Http404):
        services.library_review(actor=persona("kunming_officer"), project=big_project)
    with pytest.raises(Http404):
        services.library_return(actor=persona("kunming_officer"), project=big_project, reason="不是我们的")
    assert LibraryEntry.objects.get().status == LibraryStatus.SUBMITTED


def test_steps_are_append_only(big_project, officer):
    submit(big_project, officer)
    step = LibraryStep.objects.get()
    step.reason = "改写"
    with pytest.raises(AppendOnlyError):
        step.save()
    with pytest.raises(AppendOnlyError):
        step.delete()
    with pytest.raises(AppendOnlyError):  # nor in bulk
        LibraryStep.objects.filter(pk=step.pk).update(reason="改写")
    threshold = LibraryThreshold.objects.create(threshold_wan=Decimal("200000"), effective_from=date(2030, 1, 1))
    with pytest.raises(AppendOnlyError):
        threshold.delete()
    assert LibraryStep.objects.get().reason == ""


def test_chinese_numbers_for_headings():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 23, 100, 105, 110, 999)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十三",
        "一百",
        "一百零五",
        "一百一十",
        "九百九十九",
    ]


# Pages


def test_library_list_is_scoped_and_filtered(as_persona, big_project, kunming_big_project, officer, wuhua_officer):
    submit(big_project, officer)
    services.library_submit(actor=wuhua_officer, project=kunming_big_project)
    page = as_persona("chuxiong_officer").get("/projects/library/").content.decode()
    assert "禄丰钛白粉深加工项目" in page and "五华数字经济产业园项目" not in page
    page = as_persona("province_admin").get("/projects/library/?prefecture=").content.decode()
    assert "禄丰钛白粉深加工项目" in page and "五华数字经济产业园项目" in page
    kunming = persona("kunming_officer").org_unit.region
    page = as_persona("province_admin").get(f"/projects/library/?prefecture={kunming.pk}").content.decode()
    assert "禄丰钛白粉深加工项目" not in page and "五华数字经济产业园项目" in page
    page = as_persona("province_admin").get("/projects/library/?status=approved").content.decode()
    assert "禄丰钛白粉深加工项目" not in page
    assert as_persona("enterprise_user").get("/projects/library/").status_code == 403
    assert as_persona(None).get("/projects/library/").status_code == 302


def test_library_list_exports_the_current_search(as_persona, big_project, kunming_big_project, officer, wuhua_officer):
    submit(big_project, officer)
    services.library_submit(actor=wuhua_officer, project=kunming_big_project)
    response = as_persona("chuxiong_officer").get("/projects/library/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["禄丰钛白粉深加工项目"]
    assert AuditLog.objects.filter(action="export", object_type="projects.LibraryEntry").exists()


def test_queue_shows_each_level_its_own_step(as_persona, big_project, officer):
    page = as_persona("lufeng_officer").get("/projects/library/queue/").content.decode()
    assert 'id="library-candidates"' in page and "禄丰钛白粉深加工项目" in page
    submit(big_project, officer)
    page = as_persona("chuxiong_officer").get("/projects/library/queue/").content.decode()
    assert "待州市级审核" in page and "禄丰钛白粉深加工项目" in page
    page = as_persona("province_admin").get("/projects/library/queue/").content.decode()
    assert "禄丰钛白粉深加工项目" not in page
    page = as_persona("kunming_officer").get("/projects/library/queue/").content.decode()
    assert "禄丰钛白粉深加工项目" not in page


def test_decision_form_requires_a_reason_to_return_and_shows_it_to_the_county(as_persona, big_project, officer):
    submit(big_project, officer)
    url = f"/projects/{big_project.pk}/library/"
    client = as_persona("chuxiong_officer")
    response = client.post(url, {"action": "return", "reason": ""})
    assert response.status_code == 200 and "退回须填写原因" in response.content.decode()
    response = client.post(url, {"action": "return", "reason": "请补充环评批复"})
    assert response.status_code == 302
    assert LibraryEntry.objects.get().status == LibraryStatus.RETURNED
    page = as_persona("lufeng_officer").get(f"/projects/{big_project.pk}/").content.decode()
    assert 'id="library-return-reason"' in page and "请补充环评批复" in page
    page = as_persona("lufeng_officer").get(url).content.decode()
    assert "请补充环评批复" in page and 'value="submit"' in page


def test_decision_page_is_404_outside_scope_and_403_without_a_library_permission(as_persona, big_project):
    url = f"/projects/{big_project.pk}/library/"
    assert as_persona("kunming_officer").get(url).status_code == 404
    assert as_persona("leader_province").get(url).status_code == 403
    assert as_persona("audit_admin").get(url).status_code == 403
    assert as_persona("chuxiong_officer").get(url).status_code == 200


def test_county_cannot_approve_through_the_form(as_persona, big_project, officer):
    submit(big_project, officer)
    response = as_persona("lufeng_officer").post(f"/projects/{big_project.pk}/library/", {"action": "approve"})
    assert response.status_code == 200  # not a choice offered to the county
    assert LibraryEntry.objects.get().status == LibraryStatus.SUBMITTED


def test_threshold_page_is_for_the_province(as_persona):
    assert as_persona("chuxiong_officer").get("/projects/library/threshold/").status_code == 403
    client = as_persona("province_admin")
    response = client.post(
        "/projects/library/threshold/", {"threshold_wan": "80000", "effective_from": "2024-01-01", "note": ""}
    )
    assert response.status_code == 302
    assert LibraryThreshold.objects.get().threshold_wan == D("80000")


def _approve(project, officer, chuxiong, province):
    submit(project, officer)
    services.library_review(actor=chuxiong, project=project)
    services.library_approve(actor=province, project=project)


def test_project_book_in_excel_has_one_row_per_approved_project(
    as_persona, big_project, make_project, sign, officer, chuxiong, province
):
    _approve(big_project, officer, chuxiong, province)
    pending = sign(make_project(name="禄丰待审项目", agreed_investment_wan=D("200000")), amount=D("200000"))
    submit(pending, officer)
    response = as_persona("province_admin").get("/projects/library/book.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "项目名称", "投资方")
    assert [row[1] for row in rows[1:]] == ["禄丰钛白粉深加工项目"]
    assert rows[1][3:5] == ("楚雄彝族自治州", "禄丰市") and rows[1][7] == 15


def test_project_book_in_word_has_a_title_page_and_a_table_per_project_in_chinese_fonts(
    as_persona, big_project, officer, chuxiong, province
):
    _approve(big_project, officer, chuxiong, province)
    response = as_persona("province_admin").get(f"/projects/library/book.docx?year={timezone.localdate().year}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = Document(BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert "云南省招大引强项目库" in texts and f"（{timezone.localdate().year}年度）" in texts
    assert "一、禄丰钛白粉深加工项目" in texts
    assert any("共 1 个，协议投资额合计 15.00亿元" in text for text in texts)
    table = document.tables[0]
    facts = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert facts["项目名称"] == "禄丰钛白粉深加工项目"
    assert facts["协议投资额"] == "15.00亿元（150,000.00万元）"
    assert "省级审定：审定入库" in facts["审核过程"]
    fonts = {
        run._element.rPr.rFonts.get(qn("w:eastAsia"))
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.text
    }
    assert {"宋体", "仿宋", "黑体"} <= fonts
    assert document.sections[0].different_first_page_header_footer


def test_project_book_is_scoped_and_audited(as_persona, big_project, officer, chuxiong, province):
    _approve(big_project, officer, chuxiong, province)
    response = as_persona("kunming_officer").get("/projects/library/book.xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # headers only: 禄丰 is not 昆明's
    assert as_persona("enterprise_user").get("/projects/library/book.docx").status_code == 403
    assert AuditLog.objects.filter(action="export", object_repr__startswith="招大引强项目册").count() == 1


# API


def api_post(client, project, action, reason=""):
    return client.post(
        f"/api/v1/projects/{project.pk}/library/",
        {"action": action, "reason": reason},
        content_type="application/json",
    )


def test_api_walks_the_flow_and_returns_status_and_history(as_persona, big_project):
    client = as_persona("lufeng_officer")
    body = client.get(f"/api/v1/projects/{big_project.pk}/library/").json()
    assert (body["status"], body["eligible"], body["allowed_actions"]) == (None, True, ["submit"])
    response = api_post(client, big_project, "submit")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    response = api_post(as_persona("chuxiong_officer"), big_project, "return", "请补充用地预审意见")
    assert response.status_code == 200 and response.json()["status"] == "returned"
    body = as_persona("lufeng_officer").get(f"/api/v1/projects/{big_project.pk}/library/").json()
    assert body["last_reason"] == "请补充用地预审意见" and body["allowed_actions"] == ["submit"]
    assert api_post(as_persona("lufeng_officer"), big_project, "submit").status_code == 200
    assert api_post(as_persona("chuxiong_officer"), big_project, "review").status_code == 200
    response = api_post(as_persona("province_admin"), big_project, "approve")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved" and body["status_display"] == "省级已审定入库"
    assert [step["action"] for step in body["history"]] == ["submit", "return", "submit", "review", "approve"]
    assert body["history"][1]["reason"] == "请补充用地预审意见"


def test_api_answers_409_for_an_illegal_step_with_a_chinese_message(as_persona, big_project):
    response = api_post(as_persona("province_admin"), big_project, "approve")
    assert response.status_code == 409 and "尚未申报" in response.json()["detail"][0]
    api_post(as_persona("lufeng_officer"), big_project, "submit")
    response = api_post(as_persona("lufeng_officer"), big_project, "submit")
    assert response.status_code == 409 and "不能重复申报" in response.json()["detail"][0]


def test_api_answers_403_without_the_permission_and_404_outside_scope(as_persona, big_project):
    api_post(as_persona("lufeng_officer"), big_project, "submit")
    assert api_post(as_persona("lufeng_officer"), big_project, "approve").status_code == 403
    assert api_post(as_persona("lufeng_officer"), big_project, "return", "x").status_code == 403
    assert api_post(as_persona("kunming_officer"), big_project, "review").status_code == 404
    assert as_persona("kunming_officer").get(f"/api/v1/projects/{big_project.pk}/library/").status_code == 404
    assert as_persona("enterprise_user").get(f"/api/v1/projects/{big_project.pk}/library/").status_code == 403
    assert as_persona(None).get(f"/api/v1/projects/{big_project.pk}/library/").status_code == 401
    response = api_post(as_persona("chuxiong_officer"), big_project, "return", "")
    assert response.status_code == 400 and "原因" in response.json()["reason"][0]
    assert LibraryEntry.objects.get().status == LibraryStatus.SUBMITTED


def test_api_library_is_documented_in_the_schema(as_persona):
    response = as_persona("province_admin").get("/api/schema/?format=json")
    assert response.status_code == 200
    path = response.json()["paths"]["/api/v1/projects/{id}/library/"]
    assert set(path) >= {"get", "post"}
    assert "return=退回县级" in path["post"]["description"]
    assert "409" in path["post"]["responses"]
