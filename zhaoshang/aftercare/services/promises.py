"""The promise ledger (招商承诺兑现): 已承诺 → 条件未满足 → 条件已满足 (evaluated, never typed) → 已申请 → 已核准
→ 已支付 (partial payments, appended) → 已兑现; and 逾期, 争议, 依法终止. A clause 《公平竞争审查条例》 bars without
a legal basis is flagged at entry and is approved or paid only with a recorded basis and a second person's review."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.aftercare import conditions as cond
from zhaoshang.aftercare.choices import EVALUATED_STATES, PROMISE_FINAL, PromiseKind, PromiseState
from zhaoshang.aftercare.lawfulness import flag_reasons
from zhaoshang.aftercare.models import Promise, PromiseEvent, PromisePayment
from zhaoshang.aftercare.services.notify import company_users, notify, staff_of
from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.formatting import wan
from zhaoshang.core.scope import OutOfScope, ensure_path_in_scope
from zhaoshang.projects.models import IncentiveClause, Project

P = PromiseState


def _today() -> date:
    return timezone.localdate()


def _lock(actor, promise: Promise, action: str) -> Promise:
    if not Promise.objects.for_user(actor, action).filter(pk=promise.pk).exists():
        if Promise.objects.for_user(actor, "view").filter(pk=promise.pk).exists():
            raise PermissionDenied("您没有办理该承诺此环节的权限")
        raise OutOfScope("不在您的辖区范围内")
    return Promise.objects.select_for_update().get(pk=promise.pk)


def _step(promise: Promise, *, actor, action: str, label: str, to: str | None = None, note: str = "", before=None):
    before = before if before is not None else snapshot(promise)
    from_state = promise.state
    if to and to != promise.state:
        promise.state = to
    promise.save()
    PromiseEvent.objects.create(
        promise=promise, from_state=from_state, to_state=promise.state, action=label, actor=actor, note=note[:500]
    )
    audit_record(
        actor=actor,
        action=f"promise_{action}",
        obj=promise,
        before=before,
        after=snapshot(promise) | ({"note": note} if note else {}),
    )


def evaluated_state(promise: Promise, today: date) -> str:
    met = cond.all_met(promise.project, promise.conditions, today)
    return P.MET if met else P.UNMET


@transaction.atomic
def promise_create(
    *,
    actor,
    clause: IncentiveClause,
    kind: str,
    responsible,
    conditions=(),
    due_on: date | None = None,
    legal_basis: str = "",
    amount_wan: Decimal | None = None,
    content: str = "",
) -> Promise:
    """An incentive clause of an agreement becomes a tracked promise; its state comes from its conditions."""
    project = Project.objects.select_for_update().get(pk=clause.agreement.project_id)
    ensure_path_in_scope(actor, project.path)
    if not actor.has_perm("aftercare.add_promise"):
        raise PermissionDenied("您没有录入招商承诺的权限")
    if Promise.objects.filter(clause=clause).exists():
        raise ValidationError("该优惠条款已登记为承诺")
    if kind not in PromiseKind.values:
        raise ValidationError({"kind": "请选择承诺类型"})
    amount = amount_wan if amount_wan is not None else clause.amount_wan
    if amount is not None and amount <= 0:
        raise ValidationError({"amount_wan": "金额须大于0"})
    content = (content or clause.content).strip()
    reasons = flag_reasons(content) + [r for r in flag_reasons(clause.conditions) if r not in flag_reasons(content)]
    promise = Promise(
        clause=clause,
        project=project,
        kind=kind,
        content=content[:300],
        amount_wan=amount,
        conditions=cond.clean_conditions(list(conditions)),
        legal_basis=(legal_basis or "").strip()[:500],
        responsible=responsible,
        due_on=due_on or clause.due_on,
        flagged=bool(reasons),
        flag_reasons=reasons,
        path=project.path,
        created_by=actor,
    )
    promise.state = evaluated_state(promise, _today())
    promise.save()
    PromiseEvent.objects.create(
        promise=promise,
        to_state=promise.state,
        action="登记承诺",
        actor=actor,
        note="；".join(f"公平竞争审查：{r}" for r in reasons),
    )
    audit_record(actor=actor, action="promise_create", obj=promise, after=snapshot(promise))
    return promise


@transaction.atomic
def promise_refresh(*, promise: Promise, today: date | None = None) -> Promise:
    """Re-evaluate the conditions (up to 条件已满足) and the due date (逾期); a change is a step by the platform."""
    today = today or _today()
    promise = Promise.objects.select_for_update().select_related("project").get(pk=promise.pk)
    if promise.state in EVALUATED_STATES:
        state = evaluated_state(promise, today)
        if state != promise.state:
            _step(
                promise,
                actor=None,
                action="evaluate",
                label="条件评估",
                to=state,
                note="；".join(
                    f"{r.text}：{'已满足' if r.met else '未满足'}（{r.evidence}）"
                    for r in cond.evaluate(promise.project, promise.conditions, today)
                ),
            )
            if state == P.MET:
                notify(
                    company_users_of(promise), f"招商承诺“{promise.content}”兑现条件已满足，可申请兑现", promise=promise
                )
    if (
        promise.due_on
        and promise.due_on < today
        and promise.state not in PROMISE_FINAL
        and promise.state not in (P.OVERDUE, P.DISPUTED)
    ):
        before = snapshot(promise)
        promise.state_before = promise.state
        _step(
            promise,
            actor=None,
            action="overdue",
            label="逾期",
            to=P.OVERDUE,
            before=before,
            note=f"兑现期限 {promise.due_on:%Y-%m-%d} 已过",
        )
        notify(staff_of(promise.responsible), f"招商承诺逾期：{promise}", promise=promise)
    return promise


def company_users_of(promise: Promise):
    from zhaoshang.aftercare.models import CompanyLink

    ids = CompanyLink.objects.filter(project_id=promise.project_id).values_list("company_id", flat=True)
    return [user for company_id in set(ids) for user in company_users(company_id)]


def _current(promise: Promise) -> str:
    """The working state behind 逾期: an overdue promise can still be applied for, approved and paid."""
    return promise.state_before if promise.state == P.OVERDUE else promise.state


@transaction.atomic
def promise_apply(*, actor, promise: Promise, note: str = "") -> Promise:
    """申请兑现, by the enterprise (its own) or the bureau for it; only once the conditions are met."""
    _lock(actor, promise, "apply")
    promise = promise_refresh(promise=promise)
    if _current(promise) != P.MET:
        if _current(promise) in EVALUATED_STATES:
            raise ValidationError("兑现条件尚未满足，不能申请")
        raise ValidationError(f"承诺当前为“{promise.get_state_display()}”，不能申请")
    promise.state_before = ""
    _step(promise, actor=actor, action="apply", label="申请兑现", to=P.APPLIED, note=note.strip())
    notify(staff_of(promise.responsible), f"招商承诺兑现申请：{promise}", promise=promise)
    return promise


@transaction.atomic
def promise_record_basis(*, actor, promise: Promise, legal_basis: str) -> Promise:
    """Record the legal basis of a flagged clause (a law, an administrative regulation, State Council approval).
    A new basis needs a new review."""
    promise = _lock(actor, promise, "change")
    basis = (legal_basis or "").strip()
    if len(basis) < 6:
        raise ValidationError({"legal_basis": "请写明法律、行政法规依据或国务院批准文件（文号）"})
    before = snapshot(promise)
    promise.legal_basis, promise.basis_recorded_by, promise.basis_recorded_at = basis[:500], actor, timezone.now()
    promise.reviewed_by, promise.reviewed_at, promise.review_note = None, None, ""
    _step(promise, actor=actor, action="basis", label="登记政策依据", note=basis, before=before)
    return promise


@transaction.atomic
def promise_review(*, actor, promise: Promise, note: str = "") -> Promise:
    """The second person's review of a flagged clause's legal basis: never the one who recorded it."""
    promise = _lock(actor, promise, "review")
    if not promise.flagged:
        raise ValidationError("该承诺未被公平竞争审查标记，无需复核")
    if not promise.basis_recorded_by_id:
        raise ValidationError("请先登记政策依据")
    if promise.basis_recorded_by_id == actor.pk:
        raise PermissionDenied("政策依据须由登记人以外的另一人复核")
    before = snapshot(promise)
    promise.reviewed_by, promise.reviewed_at, promise.review_note = actor, timezone.now(), note.strip()[:300]
    _step(promise, actor=actor, action="review", label="公平竞争审查复核", note=note.strip(), before=before)
    return promise


def _ensure_lawful(promise: Promise) -> None:
    if not promise.lawfulness_cleared:
        raise ValidationError(
            "该条款属于《公平竞争审查条例》限制的情形（" + "、".join(promise.flag_reasons) + "），"
            "须登记法律、行政法规依据并经另一人复核后才能核准或支付"
        )


@transaction.atomic
def promise_approve(*, actor, promise: Promise, note: str = "") -> Promise:
    promise = _lock(actor, promise, "approve")
    if _current(promise) != P.APPLIED:
        raise ValidationError(f"承诺当前为“{promise.get_state_display()}”，只有已申请的承诺可以核准")
    _ensure_lawful(promise)
    promise.state_before = ""
    _step(promise, actor=actor, action="approve", label="核准兑现", to=P.APPROVED, note=note.strip())
    notify(company_users_of(promise), f"招商承诺“{promise.content}”已核准兑现", promise=promise)
    return promise


@transaction.atomic
def promise_pay(*, actor, promise: Promise, amount_wan: Decimal, paid_on: date, note: str = "") -> PromisePayment:
    """Append one payment; the promise is 已兑现 when the payments reach its amount (never beyond it)."""
    promise = _lock(actor, promise, "pay")
    if _current(promise) not in (P.APPROVED, P.PAID):
        raise ValidationError("只有已核准的承诺可以登记支付")
    _ensure_lawful(promise)
    if promise.amount_wan is None:
        raise ValidationError("该承诺没有金额，请用“确认兑现”")
    if amount_wan is None or amount_wan <= 0:
        raise ValidationError({"amount_wan": "支付金额须大于0"})
    if paid_on > _today():
        raise ValidationError({"paid_on": "支付日期不能晚于今天"})
    paid = Decimal(promise.paid_wan)
    if paid + amount_wan > promise.amount_wan:
        raise ValidationError(
            {"amount_wan": f"累计支付不能超过承诺金额（已付{wan(paid)}，承诺{wan(promise.amount_wan)}）"}
        )
    payment = PromisePayment.objects.create(
        promise=promise, amount_wan=amount_wan, paid_on=paid_on, note=note.strip()[:300], recorded_by=actor
    )
    total = paid + amount_wan
    to = P.HONOURED if total == promise.amount_wan else P.PAID
    promise.state_before = ""
    _step(
        promise,
        actor=actor,
        action="pay",
        label="登记支付",
        to=to,
        note=f"支付{wan(amount_wan)}（{paid_on:%Y-%m-%d}），累计{wan(total)}/{wan(promise.amount_wan)}",
    )
    audit_record(
        actor=actor,
        action="promise_payment",
        obj=payment,
        path=promise.path,
        after={"promise": promise.pk, "amount_wan": amount_wan, "paid_on": paid_on, "total_wan": total},
    )
    return payment


@transaction.atomic
def promise_honour(*, actor, promise: Promise, note: str) -> Promise:
    """确认兑现 of a promise without an amount (land delivered, a road built, talent flats handed over)."""
    promise = _lock(actor, promise, "pay")
    if _current(promise) != P.APPROVED or promise.amount_wan is not None:
        raise ValidationError("只有已核准且没有金额的承诺可以直接确认兑现")
    _ensure_lawful(promise)
    if not note.strip():
        raise ValidationError({"note": "请写明兑现情况"})
    promise.state_before = ""
    _step(promise, actor=actor, action="honour", label="确认兑现", to=P.HONOURED, note=note.strip())
    return promise


@transaction.atomic
def promise_dispute(*, actor, promise: Promise, note: str) -> Promise:
    promise = _lock(actor, promise, "change")
    if promise.state in PROMISE_FINAL or promise.state == P.DISPUTED:
        raise ValidationError("该承诺不能标记争议")
    if not note.strip():
        raise ValidationError({"note": "请写明争议内容"})
    before = snapshot(promise)
    promise.state_before = _current(promise)
    _step(promise, actor=actor, action="dispute", label="争议", to=P.DISPUTED, note=note.strip(), before=before)
    return promise


@transaction.atomic
def promise_resolve(*, actor, promise: Promise, note: str) -> Promise:
    promise = _lock(actor, promise, "change")
    if promise.state != P.DISPUTED:
        raise ValidationError("该承诺没有争议")
    if not note.strip():
        raise ValidationError({"note": "请写明争议处理结果"})
    before = snapshot(promise)
    back, promise.state_before = promise.state_before or P.PROMISED, ""
    _step(promise, actor=actor, action="resolve", label="争议解决", to=back, note=note.strip(), before=before)
    return promise_refresh(promise=promise)


@transaction.atomic
def promise_terminate(*, actor, promise: Promise, reason: str) -> Promise:
    """依法终止: with the reason and its legal ground (the enterprise did not invest, the clause was unlawful…)."""
    promise = _lock(actor, promise, "approve")
    if promise.state in PROMISE_FINAL:
        raise ValidationError("该承诺已结束")
    if len(reason.strip()) < 6:
        raise ValidationError({"note": "请写明终止理由和法律依据"})
    _step(promise, actor=actor, action="terminate", label="依法终止", to=P.TERMINATED, note=reason.strip())
    return promise


def promises_tick(*, today: date | None = None) -> dict:
    count = 0
    for pk in Promise.objects.open().values_list("pk", flat=True):
        promise_refresh(promise=Promise(pk=pk), today=today)
        count += 1
    return {"promises": count}
