"""The funds-in-place ledger: append-only, corrections approved by a second user, locked months."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from zhaoshang.core.models import AppendOnlyError, AuditLog
from zhaoshang.core.testing import persona
from zhaoshang.projects import services
from zhaoshang.projects.models import CorrectionApproval, FundingEntry
from zhaoshang.regions.models import Region

D = Decimal
pytestmark = pytest.mark.django_db


def record(project, actor, month=date(2024, 4, 1), amount="1000", **extra):
    return services.funding_record(actor=actor, project=project, month=month, amount_wan=D(amount), **extra)


def test_an_entry_is_kept_by_month_with_its_parts_and_audited(signed_project, officer):
    entry = record(
        signed_project,
        officer,
        month=date(2024, 4, 17),
        amount="1000.50",
        outside_province_wan=D("800"),
        foreign_usd_wan=D("20"),
        usd_rate=D("7.1"),
        note="设备款",
    )
    assert (entry.month, entry.amount_wan, entry.outside_province_wan, entry.entered_by) == (
        date(2024, 4, 1),
        D("1000.50"),
        D("800"),
        officer,
    )
    assert AuditLog.objects.filter(action="fund_entry", object_id=str(entry.pk), path=signed_project.path).exists()


def test_entries_need_a_signed_project_and_consistent_amounts(make_project, signed_project, officer):
    with pytest.raises(ValidationError, match="签约后"):
        record(make_project(name="未签约项目"), officer)
    with pytest.raises(ValidationError, match="须大于0"):
        record(signed_project, officer, amount="0")
    with pytest.raises(ValidationError, match="省外资金"):
        record(signed_project, officer, amount="100", outside_province_wan=D("101"))
    with pytest.raises(ValidationError, match="汇率"):
        record(signed_project, officer, amount="100", foreign_usd_wan=D("1"))
    with pytest.raises(ValidationError, match="折合"):
        record(signed_project, officer, amount="100", foreign_usd_wan=D("20"), usd_rate=D("7.1"))
    with pytest.raises(ValidationError, match="未来月份"):
        record(signed_project, officer, month=date(2099, 1, 1))
    with pytest.raises(Http404):
        record(signed_project, persona("kunming_officer"))


def test_the_ledger_is_append_only(signed_project, officer):
    entry = record(signed_project, officer)
    entry.amount_wan = D("1")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        FundingEntry.objects.filter(pk=entry.pk).update(amount_wan=D("1"))
    with pytest.raises(AppendOnlyError):
        FundingEntry.objects.filter(pk=entry.pk).delete()
    assert FundingEntry.objects.get(pk=entry.pk).amount_wan == D("1000")


def test_a_correction_reverses_and_counts_only_once_a_second_user_approves(signed_project, officer, chuxiong):
    entry = record(signed_project, officer, amount="1000", outside_province_wan=D("600"))
    correction = services.funding_correct(actor=officer, entry=entry, reason="重复录入")
    assert (correction.amount_wan, correction.outside_province_wan, correction.month, correction.reverses) == (
        D("-1000"),
        D("-600"),
        entry.month,
        entry,
    )
    ledger = FundingEntry.objects.filter(project=signed_project)
    assert ledger.counted().totals()["amount_wan"] == D("1000")  # unapproved: not counted
    services.correction_decide(actor=chuxiong, entry=correction, approve=True, note="核实")
    assert ledger.counted().totals()["amount_wan"] == D("0")
    assert AuditLog.objects.filter(action="fund_approve", actor=chuxiong).exists()
    with pytest.raises(ValidationError, match="已审核"):
        services.correction_decide(actor=chuxiong, entry=correction, approve=False)


def test_approving_ones_own_correction_is_refused(signed_project, chuxiong):
    entry = record(signed_project, chuxiong)
    correction = services.funding_correct(actor=chuxiong, entry=entry, reason="金额有误")
    with pytest.raises(ValidationError, match="不能审核自己录入的更正"):
        services.correction_decide(actor=chuxiong, entry=correction, approve=True)
    assert not CorrectionApproval.objects.exists()


def test_only_holders_of_the_approve_permission_decide(signed_project, officer, chuxiong):
    correction = services.funding_correct(actor=chuxiong, entry=record(signed_project, officer), reason="x")
    with pytest.raises(PermissionDenied):
        services.correction_decide(actor=officer, entry=correction, approve=True)
    with pytest.raises(Http404):
        services.correction_decide(actor=persona("kunming_officer"), entry=correction, approve=True)


def test_a_rejected_correction_never_counts_and_a_new_one_may_follow(signed_project, officer, chuxiong):
    entry = record(signed_project, officer)
    first = services.funding_correct(actor=officer, entry=entry, reason="x")
    with pytest.raises(ValidationError, match="待审核或已生效"):
        services.funding_correct(actor=officer, entry=entry, reason="y")
    with pytest.raises(ValidationError, match="不能再冲销"):
        services.funding_correct(actor=officer, entry=first, reason="z")
    services.correction_decide(actor=chuxiong, entry=first, approve=False, note="无依据")
    assert FundingEntry.objects.filter(project=signed_project).counted().totals()["amount_wan"] == D("1000")
    assert services.funding_correct(actor=officer, entry=entry, reason="补充材料后重新申请").reverses == entry


def test_approval_rows_are_append_only_too(signed_project, officer, chuxiong):
    correction = services.funding_correct(actor=officer, entry=record(signed_project, officer), reason="x")
    approval = services.correction_decide(actor=chuxiong, entry=correction, approve=True)
    with pytest.raises(AppendOnlyError):
        approval.save()
    with pytest.raises(AppendOnlyError):
        CorrectionApproval.objects.all().update(decision="rejected")


def test_a_locked_month_refuses_entries_corrections_and_approvals(signed_project, officer, chuxiong):
    entry = record(signed_project, officer, month=date(2024, 4, 1))
    other = record(signed_project, officer, month=date(2024, 4, 1), amount="20")
    correction = services.funding_correct(actor=officer, entry=entry, reason="x")
    lock = services.month_lock(actor=chuxiong, prefecture=Region.objects.get(code="532300"), month=date(2024, 4, 20))
    assert (lock.month, lock.path) == (date(2024, 4, 1), "530000/532300")
    with pytest.raises(ValidationError, match="2024年04月已由楚雄彝族自治州锁定"):
        record(signed_project, officer, month=date(2024, 4, 1))
    with pytest.raises(ValidationError, match="锁定"):
        services.funding_correct(actor=officer, entry=other, reason="y")
    with pytest.raises(ValidationError, match="锁定"):
        services.correction_decide(actor=chuxiong, entry=correction, approve=True)
    assert record(signed_project, officer, month=date(2024, 5, 1)).month == date(2024, 5, 1)  # other months open
    assert AuditLog.objects.filter(action="month_lock", actor=chuxiong).exists()


def test_a_month_is_locked_once_per_prefecture_and_only_by_its_own_officers(chuxiong):
    chuxiong_pref = Region.objects.get(code="532300")
    services.month_lock(actor=chuxiong, prefecture=chuxiong_pref, month=date(2024, 4, 1))
    with pytest.raises(ValidationError, match="已锁定"):
        services.month_lock(actor=chuxiong, prefecture=chuxiong_pref, month=date(2024, 4, 1))
    with pytest.raises(Http404):
        services.month_lock(actor=persona("kunming_officer"), prefecture=chuxiong_pref, month=date(2024, 5, 1))
    with pytest.raises(ValidationError, match="按州市锁定"):
        services.month_lock(actor=chuxiong, prefecture=Region.objects.get(code="532302"), month=date(2024, 5, 1))
    kunming = services.month_lock(
        actor=persona("kunming_officer"), prefecture=Region.objects.get(code="530100"), month=date(2024, 4, 1)
    )
    assert kunming.path == "530000/530100"


def test_a_lock_in_another_prefecture_does_not_touch_this_one(signed_project, officer):
    services.month_lock(
        actor=persona("province_admin"), prefecture=Region.objects.get(code="530100"), month=date(2024, 4, 1)
    )
    assert record(signed_project, officer, month=date(2024, 4, 1)).pk


def test_the_province_reopens_a_locked_month_with_a_reason_and_the_lock_keeps_its_history(
    signed_project, officer, chuxiong
):
    chuxiong_pref = Region.objects.get(code="532300")
    lock = services.month_lock(actor=chuxiong, prefecture=chuxiong_pref, month=date(2024, 4, 1))
    with pytest.raises(PermissionDenied, match="省级"):
        services.month_unlock(actor=chuxiong, lock=lock, reason="更正")  # the prefecture cannot reopen its report
    province = persona("province_admin")
    with pytest.raises(ValidationError, match="原因"):
        services.month_unlock(actor=province, lock=lock, reason="  ")
    services.month_unlock(actor=province, lock=lock, reason="更正已上报的4月数据，经省级同意")
    assert record(signed_project, officer, month=date(2024, 4, 1)).pk  # the month takes entries again
    lock.refresh_from_db()
    assert (lock.unlocked_by, lock.unlock_reason) == (province, "更正已上报的4月数据，经省级同意")
    with pytest.raises(ValidationError, match="已于"):
        services.month_unlock(actor=province, lock=lock, reason="再次")
    audit = AuditLog.objects.get(action="month_unlock")
    assert audit.before["unlocked_at"] is None and audit.after["unlock_reason"].startswith("更正")
    again = services.month_lock(actor=chuxiong, prefecture=chuxiong_pref, month=date(2024, 4, 1))  # reported again
    assert again.pk != lock.pk
    with pytest.raises(ValidationError, match="锁定"):
        record(signed_project, officer, month=date(2024, 4, 1))


def test_unlocking_in_the_browser_form_is_for_the_province(as_persona, chuxiong):
    lock = services.month_lock(actor=chuxiong, prefecture=Region.objects.get(code="532300"), month=date(2024, 4, 1))
    url = f"/funds/locks/{lock.pk}/unlock/"
    assert as_persona("chuxiong_officer").post(url, {"reason": "更正"}).status_code == 403
    province = as_persona("province_admin")
    assert "解除锁定" in province.get("/funds/locks/").content.decode()
    rejected = province.post(url, {"reason": ""})
    assert rejected.status_code == 200 and "invalid-feedback" in rejected.content.decode()
    assert province.post(url, {"reason": "更正"}).status_code == 302
    page = province.get("/funds/locks/").content.decode()
    assert "已解除" in page and "更正" in page


def test_the_lock_form_offers_its_prefectures_in_chinese(as_persona):
    page = as_persona("chuxiong_officer").get("/funds/locks/").content.decode()
    assert '<option value="" selected>- 请选择 -</option>' in page and "Select an option" not in page
    assert "楚雄彝族自治州" in page and "昆明市" not in page
