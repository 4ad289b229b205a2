"""Promises (issue 17, Done when 2): conditions evaluated from the project, applied, approved, paid in two parts;
a 税收返还 clause flagged and never paid without a recorded legal basis and a second reviewer."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.aftercare.choices import ConditionKind, PromiseKind, PromiseState
from zhaoshang.aftercare.models import Promise, PromisePayment
from zhaoshang.aftercare.services import promises
from zhaoshang.core.models import AppendOnlyError
from zhaoshang.core.testing import persona
from zhaoshang.projects import services as project_services
from zhaoshang.projects.choices import Stage

pytestmark = pytest.mark.django_db
D = Decimal


def clause(project, text):
    return project.agreements.get().clauses.get(content__startswith=text)


def test_subsidy_waits_for_production_then_is_paid_in_two_parts(ent_a, lufeng_project, officer):
    promise = promises.promise_create(
        actor=officer,
        clause=clause(lufeng_project, "项目投产后"),
        kind=PromiseKind.SUBSIDY,
        responsible=officer.org_unit,
        conditions=[{"kind": ConditionKind.STAGE, "stage": Stage.IN_PRODUCTION}],
    )
    assert promise.amount_wan == D("500") and not promise.flagged
    assert promise.state == PromiseState.UNMET
    with pytest.raises(ValidationError, match="条件尚未满足"):
        promises.promise_apply(actor=ent_a, promise=promise)
    # The state cannot be typed: only the project's stage moves it.
    for stage, on in ((Stage.REGISTERED, date(2025, 4, 1)), (Stage.UNDER_CONSTRUCTION, date(2025, 5, 6))):
        lufeng_project = project_services.project_advance(project=lufeng_project, to=stage, actor=officer, on=on)
    assert promises.promise_refresh(promise=promise).state == PromiseState.UNMET
    project_services.project_advance(project=lufeng_project, to=Stage.IN_PRODUCTION, actor=officer, on=date(2025, 9, 1))
    assert promises.promise_refresh(promise=promise).state == PromiseState.MET

    promise = promises.promise_apply(actor=ent_a, promise=promise, note="已投产，申请兑现")
    assert promise.state == PromiseState.APPLIED
    promise = promises.promise_approve(actor=officer, promise=promise)
    promises.promise_pay(actor=officer, promise=promise, amount_wan=D("200"), paid_on=date(2025, 10, 9))
    promise.refresh_from_db()
    assert promise.state == PromiseState.PAID and promise.paid_wan == D("200")
    with pytest.raises(ValidationError, match="不能超过承诺金额"):
        promises.promise_pay(actor=officer, promise=promise, amount_wan=D("300.01"), paid_on=date(2025, 11, 3))
    promises.promise_pay(actor=officer, promise=promise, amount_wan=D("300"), paid_on=date(2025, 11, 3))
    promise.refresh_from_db()
    assert promise.state == PromiseState.HONOURED and promise.paid_wan == D("500")
    payment = PromisePayment.objects.first()
    with pytest.raises(AppendOnlyError):
        payment.save()
    # The enterprise sees its promise and its conditions; another enterprise does not.
    assert Promise.objects.for_user(ent_a).filter(pk=promise.pk).exists()


def test_funds_condition_reads_the_ledger(ent_a, lufeng_project, officer):
    promise = promises.promise_create(
        actor=officer,
        clause=clause(lufeng_project, "项目投产后"),
        kind=PromiseKind.SUBSIDY,
        responsible=officer.org_unit,
        conditions=[{"kind": "funds", "min_wan": "1000"}],
    )
    assert promise.state == PromiseState.UNMET
    from zhaoshang.projects.services.ledger import funding_record

    funding_record(actor=officer, project=lufeng_project, month=date(2025, 4, 1), amount_wan=D("1000"))
    assert promises.promise_refresh(promise=promise).state == PromiseState.MET


def test_tax_rebate_is_flagged_and_needs_basis_and_second_reviewer(ent_a, lufeng_project, officer):
    promise = promises.promise_create(
        actor=officer,
        clause=clause(lufeng_project, "按企业缴纳"),
        kind=PromiseKind.SUBSIDY,
        responsible=officer.org_unit,
    )
    assert promise.flagged and "税收返还或税收优惠" in promise.flag_reasons
    assert promise.state == PromiseState.MET  # no condition
    promise = promises.promise_apply(actor=ent_a, promise=promise)
    with pytest.raises(ValidationError, match="公平竞争审查条例"):
        promises.promise_approve(actor=officer, promise=promise)
    promise = promises.promise_record_basis(
        actor=officer, promise=promise, legal_basis="《中华人民共和国企业所得税法》第二十八条（高新技术企业）"
    )
    with pytest.raises(ValidationError, match="公平竞争审查条例"):
        promises.promise_approve(actor=officer, promise=promise)
    with pytest.raises(PermissionDenied, match="另一人"):
        promises.promise_review(actor=officer, promise=promise)
    chuxiong = persona("chuxiong_officer")
    promise = promises.promise_review(actor=chuxiong, promise=promise, note="依据属实")
    assert promise.lawfulness_cleared
    promise = promises.promise_approve(actor=officer, promise=promise)
    promises.promise_pay(actor=officer, promise=promise, amount_wan=D("100"), paid_on=date(2025, 10, 9))
    promise.refresh_from_db()
    assert promise.state == PromiseState.PAID


def test_a_new_basis_needs_a_new_review(ent_a, lufeng_project, officer):
    promise = promises.promise_create(
        actor=officer,
        clause=clause(lufeng_project, "按企业缴纳"),
        kind=PromiseKind.SUBSIDY,
        responsible=officer.org_unit,
    )
    promises.promise_record_basis(actor=officer, promise=promise, legal_basis="国务院批准文件 国函〔2025〕1号")
    promises.promise_review(actor=persona("chuxiong_officer"), promise=promise)
    promise = promises.promise_record_basis(actor=officer, promise=promise, legal_basis="另一份依据文件 第二条")
    assert promise.reviewed_by is None and not promise.lawfulness_cleared


def test_overdue_dispute_and_termination(ent_a, lufeng_project, officer):
    promise = promises.promise_create(
        actor=officer,
        clause=clause(lufeng_project, "项目投产后"),
        kind=PromiseKind.SUBSIDY,
        responsible=officer.org_unit,
        conditions=[{"kind": "stage", "stage": Stage.IN_PRODUCTION}],
        due_on=date(2025, 12, 31),
    )
    promise = promises.promise_refresh(promise=promise, today=date(2026, 1, 5))
    assert promise.state == PromiseState.OVERDUE and promise.state_before == PromiseState.UNMET
    promise = promises.promise_dispute(actor=officer, promise=promise, note="企业认为已达投产条件")
    assert promise.state == PromiseState.DISPUTED
    promise = promises.promise_terminate(actor=officer, promise=promise, reason="企业未按协议投产，依协议第十条终止")
    assert promise.state == PromiseState.TERMINATED
