from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.aftercare.models import Notification
from zhaoshang.core.models import AuditLog
from zhaoshang.core.scope import OutOfScope
from zhaoshang.core.testing import persona
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Project
from zhaoshang.risk import selectors, services
from zhaoshang.risk.choices import RuleCode, WarningState
from zhaoshang.risk.models import RiskRule, RiskWarning
from zhaoshang.risk.rules import months_between
from zhaoshang.risk.tests.conftest import SCAN_DAY, make_signed

pytestmark = pytest.mark.django_db


def no_funds_warning(project):
    return RiskWarning.objects.get(project=project, rule__code=RuleCode.NO_FUNDS)


def test_the_shipped_rules_are_loaded_and_the_two_without_data_are_disabled():
    rules = {rule.code: rule for rule in RiskRule.objects.all()}
    assert set(rules) == set(RuleCode.values)
    assert rules["no_funds"].params == {"months": 3} and rules["no_funds"].enabled
    assert not rules["milestone"].enabled and "没有约定节点日期" in rules["milestone"].description
    assert not rules["land_idle"].enabled and "交地日期" in rules["land_idle"].description


def test_months_between_counts_whole_months():
    assert months_between(date(2026, 7, 15), date(2026, 11, 15)) == 4
    assert months_between(date(2026, 7, 15), date(2026, 11, 14)) == 3
    assert months_between(date(2026, 1, 31), date(2026, 2, 28)) == 0


def test_a_signed_project_without_funds_for_four_months_is_warned_with_its_reason(lufeng_project):
    services.risk_scan(today=SCAN_DAY)
    warning = no_funds_warning(lufeng_project)
    assert warning.reason == "2026-07-15签约，已4个月无资金到位"
    assert warning.state == WarningState.OPEN and warning.path == lufeng_project.path
    assert warning.weight == 30


def test_two_months_after_signing_is_not_yet_a_warning(lufeng_project):
    services.risk_scan(today=date(2026, 9, 15))
    assert not RiskWarning.objects.filter(project=lufeng_project, rule__code=RuleCode.NO_FUNDS).exists()


def test_funds_in_place_stop_the_warning(lufeng_project):
    project_services.funding_record(
        actor=persona("lufeng_officer"), project=lufeng_project, month=date(2026, 8, 1), amount_wan=Decimal("500")
    )
    services.risk_scan(today=SCAN_DAY)
    assert not RiskWarning.objects.filter(project=lufeng_project, rule__code=RuleCode.NO_FUNDS).exists()


def test_rescans_do_not_duplicate_a_live_warning_and_bring_its_reason_up_to_date(lufeng_project):
    services.risk_scan(today=SCAN_DAY)
    services.risk_scan(today=SCAN_DAY)
    result = services.risk_scan(today=date(2026, 12, 1))
    assert RiskWarning.objects.filter(project=lufeng_project, rule__code=RuleCode.NO_FUNDS).count() == 1
    warning = no_funds_warning(lufeng_project)
    assert warning.reason == "2026-07-15签约，已4个月无资金到位"  # 12-01 is not yet five whole months
    assert warning.last_seen == date(2026, 12, 1) and warning.first_seen == SCAN_DAY
    assert result.created == 0


def test_a_warning_whose_condition_is_gone_stays_marked_until_a_person_resolves_it(lufeng_project):
    services.risk_scan(today=SCAN_DAY)
    project_services.funding_record(
        actor=persona("lufeng_officer"), project=lufeng_project, month=date(2026, 11, 1), amount_wan=Decimal("800")
    )
    services.risk_scan(today=date(2026, 11, 20))
    warning = no_funds_warning(lufeng_project)
    assert warning.state == WarningState.OPEN and warning.cleared_on == date(2026, 11, 20)
    services.warning_resolve(actor=persona("lufeng_officer"), warning=warning, note="11月到位资金800万元")
    assert no_funds_warning(lufeng_project).state == WarningState.RESOLVED


def test_dismissing_needs_a_reason_and_is_audited(lufeng_project):
    services.risk_scan(today=SCAN_DAY)
    warning, officer = no_funds_warning(lufeng_project), persona("lufeng_officer")
    with pytest.raises(ValidationError):
        services.warning_dismiss(actor=officer, warning=warning, reason="  ")
    assert no_funds_warning(lufeng_project).state == WarningState.OPEN
    services.warning_dismiss(actor=officer, warning=warning, reason="资金以设备入股，已现场核实")
    warning = no_funds_warning(lufeng_project)
    assert warning.state == WarningState.DISMISSED and warning.decided_by == officer
    row = AuditLog.objects.filter(action="warning_dismiss").latest("id")
    assert row.actor == officer and row.path == lufeng_project.path
    assert row.after["decision_note"] == "资金以设备入股，已现场核实" and row.after["state"] == "dismissed"


def test_a_dismissed_warning_stays_away_for_the_same_facts_and_comes_back_at_the_next_threshold(lufeng_project):
    services.risk_scan(today=SCAN_DAY)
    services.warning_dismiss(
        actor=persona("lufeng_officer"), warning=no_funds_warning(lufeng_project), reason="设备入股已核实"
    )
    services.risk_scan(today=date(2026, 12, 20))  # five months: still the first multiple of 3
    assert RiskWarning.objects.filter(project=lufeng_project).count() == 1
    services.risk_scan(today=date(2027, 1, 15))  # six months: the next multiple
    live = RiskWarning.objects.get(project=lufeng_project, state=WarningState.OPEN)
    assert live.reason == "2026-07-15签约，已6个月无资金到位"


def test_another_county_cannot_decide_a_warning(lufeng_project):
    services.risk_scan(today=SCAN_DAY)
    with pytest.raises(OutOfScope):
        services.warning_confirm(actor=persona("kunming_officer"), warning=no_funds_warning(lufeng_project))


def test_a_read_only_role_cannot_decide(lufeng_project):
    services.risk_scan(today=SCAN_DAY)
    with pytest.raises(PermissionDenied):
        services.warning_confirm(actor=persona("leader_province"), warning=no_funds_warning(lufeng_project))


def test_a_decided_warning_cannot_be_decided_again(lufeng_project):
    services.risk_scan(today=SCAN_DAY)
    officer = persona("lufeng_officer")
    services.warning_resolve(actor=officer, warning=no_funds_warning(lufeng_project), note="资金已到位")
    with pytest.raises(ValidationError):
        services.warning_confirm(actor=officer, warning=no_funds_warning(lufeng_project))


def test_the_score_is_the_sum_of_the_live_warnings_weights(lufeng_project):
    Project.objects.filter(pk=lufeng_project.pk).update(needs_collective_decision=True)
    services.risk_scan(today=SCAN_DAY)
    risk = selectors.project_risk(persona("lufeng_officer"), lufeng_project)
    assert risk.score == 30 + 30 and len(risk.warnings) == 2
    services.warning_dismiss(
        actor=persona("lufeng_officer"), warning=no_funds_warning(lufeng_project), reason="设备入股已核实"
    )
    assert selectors.project_risk(persona("lufeng_officer"), lufeng_project).score == 30
    assert selectors.scores([lufeng_project.pk]) == {lufeng_project.pk: 30}


def test_a_cautious_project_without_an_agreed_collective_decision_is_warned(lufeng, db):
    officer = persona("lufeng_officer")
    project = make_signed(officer, lufeng, "禄丰慎招化工项目", stage="negotiating")
    Project.objects.filter(pk=project.pk).update(needs_collective_decision=True)
    services.risk_scan(today=SCAN_DAY)
    warning = RiskWarning.objects.get(project=project, rule__code=RuleCode.COLLECTIVE_MISSING)
    assert "尚无结论为“同意”的集体决策记录" in warning.reason
    county_bureau = officer.org_unit
    project_services.decision_record(
        actor=officer,
        project=project,
        kind="collective",
        meeting="禄丰市招商引资项目集体研判会",
        held_on=date(2026, 11, 20),
        outcome="agreed",
        participants=[county_bureau],
    )
    services.risk_scan(today=date(2026, 11, 21))
    warning.refresh_from_db()
    assert warning.cleared_on == date(2026, 11, 21)


def test_an_investor_on_the_dishonesty_list_is_warned(lufeng_project):
    investor = lufeng_project.investor
    investor.credit_status = "dishonest"
    investor.save(update_fields=["credit_status"])
    services.risk_scan(today=SCAN_DAY)
    warning = RiskWarning.objects.get(project=lufeng_project, rule__code=RuleCode.CREDIT)
    assert warning.reason == f"投资方“{investor.name}”信用状况为失信"


def test_a_deregistered_investor_is_warned(lufeng_project):
    from zhaoshang.chains.choices import SignalKind
    from zhaoshang.chains.models import Signal

    investor = lufeng_project.investor
    Signal.objects.create(
        enterprise=investor, kind=SignalKind.DEREGISTERED, on=date(2026, 10, 8), source="国家企业信用信息公示系统"
    )
    services.risk_scan(today=SCAN_DAY)
    warning = RiskWarning.objects.get(project=lufeng_project, rule__code=RuleCode.CREDIT)
    assert warning.reason == f"投资方“{investor.name}”已注销"


def test_a_disabled_rule_raises_nothing(lufeng_project):
    rule = RiskRule.objects.get(code=RuleCode.NO_FUNDS)
    services.rule_update(actor=persona("province_admin"), rule=rule, weight=30, params={"months": 3}, enabled=False)
    services.risk_scan(today=SCAN_DAY)
    assert not RiskWarning.objects.filter(project=lufeng_project).exists()


def test_rule_parameters_are_edited_by_the_province_only_and_audited(lufeng_project):
    rule = RiskRule.objects.get(code=RuleCode.NO_FUNDS)
    with pytest.raises(PermissionDenied):
        services.rule_update(actor=persona("lufeng_officer"), rule=rule, weight=5, params={"months": 6}, enabled=True)
    with pytest.raises(ValidationError):
        services.rule_update(actor=persona("province_admin"), rule=rule, weight=5, params={"months": 0}, enabled=True)
    services.rule_update(actor=persona("province_admin"), rule=rule, weight=50, params={"months": 6}, enabled=True)
    assert AuditLog.objects.filter(action="risk_rule_update").latest("id").after["params"] == {"months": 6}
    services.risk_scan(today=SCAN_DAY)  # four months: below the new six
    assert not RiskWarning.objects.filter(project=lufeng_project, rule=rule).exists()


def test_counts_for_the_assessment(lufeng_project, kunming_project):
    services.risk_scan(today=SCAN_DAY)
    warning = no_funds_warning(lufeng_project)
    services.warning_resolve(actor=persona("lufeng_officer"), warning=warning, note="资金已经到位")
    resolved_on = no_funds_warning(lufeng_project).decided_at.astimezone().date()
    assert selectors.warnings_opened("530000/532300", SCAN_DAY, SCAN_DAY) == 1
    assert selectors.warnings_opened("530000", SCAN_DAY, SCAN_DAY) == 2
    assert selectors.warnings_resolved("530000/532300", resolved_on, resolved_on) == 1
    assert selectors.warnings_resolved("530000/530100", resolved_on, resolved_on) == 0


def test_the_weekly_digest_tells_each_bureau_of_its_own_warnings(lufeng_project, kunming_project):
    services.risk_scan(today=SCAN_DAY)
    sent = services.risk_digest(today=date(2026, 11, 16))
    assert sent > 0
    lufeng_text = Notification.objects.filter(recipient=persona("lufeng_officer")).latest("id").text
    assert "本辖区待处理和已确认预警1条" in lufeng_text and "本周新增1条" in lufeng_text
    province = Notification.objects.filter(recipient=persona("province_admin")).latest("id").text
    assert "预警2条" in province
    assert AuditLog.objects.filter(action="risk_digest").exists()


def test_the_commands_and_tasks_scan_and_send(lufeng_project):
    from io import StringIO

    from django.core.management import call_command

    from zhaoshang.risk.tasks import risk_digest_task, risk_scan_task

    out = StringIO()
    call_command("risk_scan", "--date", "2026-11-15", stdout=out)
    assert "no_funds: 发现1 新增1" in out.getvalue()
    assert risk_scan_task.call(today="2026-11-15")["created"] == 0
    out = StringIO()
    call_command("risk_digest", "--date", "2026-11-16", stdout=out)
    assert "已发送风险预警周报" in out.getvalue()
    assert risk_digest_task.call(today="2026-11-16")["messages"] > 0
    call_command("risk_scan", "--queue", stdout=StringIO())  # the immediate backend runs it at once


def test_a_resolved_warning_counts_in_the_assessment_source_of_its_county(lufeng_project):
    from django.utils import timezone

    from zhaoshang.regions.models import Region
    from zhaoshang.stats.assessment.sources import SOURCES

    services.risk_scan(today=SCAN_DAY)
    warning = RiskWarning.objects.get(project=lufeng_project, rule__code=RuleCode.NO_FUNDS)
    dismissed = RiskWarning.objects.filter(project__path__startswith="530000/532300").exclude(pk=warning.pk).first()
    services.warning_resolve(actor=persona("lufeng_officer"), warning=warning, note="资金已于本月到位，核实无误")
    if dismissed is not None:
        services.warning_dismiss(actor=persona("province_admin"), warning=dismissed, reason="经核实不属于风险")
    today = timezone.localdate()  # a warning is resolved now: the source counts it in the current quarter
    values = SOURCES["warnings_resolved"].values(Region.objects.get(code="532300"), today.year, (today.month + 2) // 3)
    assert values["532302"].raw == 1, "resolved by a person counts; a dismissal does not"
    assert values["532301"].raw == 0
