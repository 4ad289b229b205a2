"""The closed loop of a request: 已提交 → 已受理 | 不予受理 → 已派单 → 已签收 | 退单 → 办理中 → 已答复 → 已回访 →
已评价 → 办结, with 重办 after a 不满意 rating, 撤单 by the enterprise (then checked by the bureau), 延期 asked
and approved, 督办 and escalation up the jurisdiction tree. Each step: one ``TicketEvent``, one audit row."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.aftercare.choices import (
    WITHDRAWABLE,
    ClockKind,
    CoHandlerRole,
    EventKind,
    OfflineKind,
    Rating,
    TicketState,
)
from zhaoshang.aftercare.models import Ticket, TicketEvent, TicketUnit
from zhaoshang.aftercare.services.clock import clock_set, clock_status, clock_stop, limit_days
from zhaoshang.aftercare.services.notify import bureau_at, company_users, notify, staff_of
from zhaoshang.aftercare.workdays import add_workdays
from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.locks import transaction_lock
from zhaoshang.core.scope import OutOfScope, ensure_enterprise_owns, ensure_path_in_scope, path_within

S = TicketState


def _today() -> date:
    return timezone.localdate()


def _text(value: str, label: str, *, required: bool = True, limit: int = 1000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({"note": f"请填写{label}"})
    if len(value) > limit:
        raise ValidationError({"note": f"{label}不能超过{limit}个字"})
    return value


def _lock(actor, ticket: Ticket, action: str = "change") -> Ticket:
    """The ticket, locked, if the actor may ``action`` it (its jurisdiction or a co-handling unit); 404 if not."""
    if not Ticket.objects.for_user(actor, action).filter(pk=ticket.pk).exists():
        if Ticket.objects.for_user(actor, "view").filter(pk=ticket.pk).exists():
            raise PermissionDenied("您没有办理该诉求的权限")
        raise OutOfScope("不在您的辖区范围内")
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _need(ticket: Ticket, *states) -> None:
    if ticket.state not in states:
        allowed = "、".join(S(s).label for s in states)
        raise ValidationError(f"诉求当前为“{ticket.get_state_display()}”，只有“{allowed}”的诉求可以办理此环节")


def _step(ticket: Ticket, *, actor, kind: str, to: str | None = None, note: str = "", before=None) -> TicketEvent:
    """Save the ticket, append its event and its audit row; the event's date is today."""
    before = before if before is not None else {}
    from_state = ticket.state
    if to:
        ticket.state = to
    ticket.save()
    event = TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        from_state=from_state,
        to_state=ticket.state,
        actor=actor,
        org_unit=getattr(actor, "org_unit", None),
        on=_today(),
        note=note[:1000],
    )
    audit_record(
        actor=actor,
        action=f"ticket_{kind}",
        obj=ticket,
        before=before,
        after=snapshot(ticket) | ({"note": note} if note else {}),
    )
    return event


def _tell_bureau(ticket: Ticket, text: str) -> None:
    notify(staff_of(ticket.handler) or staff_of(bureau_at(ticket.path)), text, ticket=ticket)


def _tell_enterprise(ticket: Ticket, text: str) -> None:
    notify(company_users(ticket.company_id), text, ticket=ticket)


def _next_number() -> str:
    prefix = f"SQ{_today():%Y%m%d}"
    last = Ticket.objects.filter(number__startswith=prefix).aggregate(last=Max("number"))["last"]
    return f"{prefix}{int(last.removeprefix(prefix)) + 1 if last else 1:04d}"


def _save_numbered(ticket: Ticket) -> None:
    """Number the day's requests in order: submissions at the same instant take the day's number lock in turn, so
    each reads the number the one before it committed."""
    transaction_lock(f"ticket-number:{_today():%Y%m%d}")
    ticket.number = _next_number()
    ticket.save()


@transaction.atomic
def ticket_submit(
    *,
    actor,
    category: str,
    title: str,
    description: str,
    project=None,
    region=None,
    nature: str = "coordination",
    urgent: bool = False,
) -> Ticket:
    """An enterprise account files a request about one of its projects (handled by the project's county) or at a
    place it chooses. Its enterprise must be verified (the enterprise scope gives nothing otherwise)."""
    from zhaoshang.aftercare.models import CompanyLink

    company_id = getattr(actor, "enterprise_scope_id", None)
    if not company_id:
        raise PermissionDenied("企业账户经投资所在地投促部门核验后才能提交诉求")
    if project is not None:
        if not CompanyLink.objects.for_user(actor, "").filter(project=project).exists():
            raise OutOfScope("不是本企业的项目")
        region = project.county
    if region is None:
        raise ValidationError({"region": "请选择涉及的项目或办理地"})
    ticket = Ticket(
        company_id=company_id,
        project=project,
        category=category,
        nature=nature,
        urgent=urgent,
        title=_text(title, "标题", limit=100),
        description=_text(description, "诉求内容", limit=4000),
        region=region,
        path=region.path,
        handler=bureau_at(region.path),
        created_by=actor,
    )
    clock_set(ticket, ClockKind.SIGN, _today())  # the bureau's first step (受理, then 派单 and 签收) is timed
    _save_numbered(ticket)
    _step(ticket, actor=actor, kind=EventKind.SUBMIT)
    _tell_bureau(ticket, f"新诉求 {ticket.number}：{ticket.title}（{ticket.company}）")
    return ticket


@transaction.atomic
def ticket_accept(*, actor, ticket: Ticket, note: str = "") -> Ticket:
    ticket = _lock(actor, ticket)
    _need(ticket, S.SUBMITTED)
    before = snapshot(ticket)
    _step(ticket, actor=actor, kind=EventKind.ACCEPT, to=S.ACCEPTED, note=note.strip(), before=before)
    _tell_enterprise(ticket, f"您的诉求 {ticket.number} 已受理")
    return ticket


@transaction.atomic
def ticket_refuse(*, actor, ticket: Ticket, reason: str) -> Ticket:
    ticket = _lock(actor, ticket)
    _need(ticket, S.SUBMITTED)
    reason = _text(reason, "不予受理的理由")
    before = snapshot(ticket)
    clock_stop(ticket)
    ticket.closed_at = timezone.now()
    _step(ticket, actor=actor, kind=EventKind.REFUSE, to=S.REFUSED, note=reason, before=before)
    _tell_enterprise(ticket, f"您的诉求 {ticket.number} 不予受理：{reason}")
    return ticket


@transaction.atomic
def ticket_dispatch(*, actor, ticket: Ticket, handler: OrgUnit, note: str = "") -> Ticket:
    """派单 to a unit of the jurisdiction (the county bureau itself, a department, a park committee)."""
    ticket = _lock(actor, ticket)
    _need(ticket, S.ACCEPTED, S.RETURNED)
    ensure_path_in_scope(actor, handler.path)
    before = snapshot(ticket)
    ticket.handler = handler
    _step(
        ticket,
        actor=actor,
        kind=EventKind.DISPATCH,
        to=S.DISPATCHED,
        note=f"派至{handler}；{note}".rstrip("；"),
        before=before,
    )
    notify(staff_of(handler), f"请签收诉求 {ticket.number}：{ticket.title}", ticket=ticket)
    return ticket


def _handler_user(actor, ticket: Ticket) -> None:
    """签收 and 退单 are the assigned unit's (or a bureau above it, acting for it)."""
    if actor.is_superuser or ticket.handler_id is None or actor.org_unit_id == ticket.handler_id:
        return
    if not path_within(ticket.handler.path, actor.scope_path or "") or actor.scope_path == ticket.handler.path:
        raise PermissionDenied(f"该诉求派给了{ticket.handler}，由其签收或退单")


@transaction.atomic
def ticket_sign(*, actor, ticket: Ticket) -> Ticket:
    ticket = _lock(actor, ticket)
    _need(ticket, S.DISPATCHED)
    _handler_user(actor, ticket)
    before = snapshot(ticket)
    ticket.signed_on_time = ticket.due_on is None or _today() <= ticket.due_on
    clock_set(ticket, ClockKind.ANSWER, _today())
    _step(ticket, actor=actor, kind=EventKind.SIGN, to=S.SIGNED, before=before)
    _tell_enterprise(ticket, f"您的诉求 {ticket.number} 已由{ticket.handler}签收办理")
    return ticket


@transaction.atomic
def ticket_return(*, actor, ticket: Ticket, reason: str) -> Ticket:
    ticket = _lock(actor, ticket)
    _need(ticket, S.DISPATCHED)
    _handler_user(actor, ticket)
    reason = _text(reason, "退单理由")
    before = snapshot(ticket)
    _step(ticket, actor=actor, kind=EventKind.RETURN, to=S.RETURNED, note=reason, before=before)
    notify(staff_of(bureau_at(ticket.path)), f"诉求 {ticket.number} 被退单：{reason}", ticket=ticket)
    return ticket


@transaction.atomic
def ticket_start(*, actor, ticket: Ticket, note: str = "") -> Ticket:
    ticket = _lock(actor, ticket)
    _need(ticket, S.SIGNED)
    before = snapshot(ticket)
    _step(ticket, actor=actor, kind=EventKind.START, to=S.IN_PROGRESS, note=note.strip(), before=before)
    return ticket


@transaction.atomic
def ticket_add_unit(*, actor, ticket: Ticket, org_unit: OrgUnit, role: str = CoHandlerRole.ASSIST) -> TicketUnit:
    """联办协办: another bureau or a department works on the request with the handling unit (and then sees it)."""
    ticket = _lock(actor, ticket)
    _need(ticket, S.SIGNED, S.IN_PROGRESS)
    if org_unit.pk == ticket.handler_id or ticket.units.filter(org_unit=org_unit).exists():
        raise ValidationError({"org_unit": "该单位已在办理此诉求"})
    unit = TicketUnit.objects.create(ticket=ticket, org_unit=org_unit, role=role, added_by=actor)
    before = snapshot(ticket)
    to = S.IN_PROGRESS if ticket.state == S.SIGNED else None
    _step(
        ticket,
        actor=actor,
        kind=EventKind.CO_HANDLER,
        to=to,
        before=before,
        note=f"{org_unit}（{CoHandlerRole(role).label}）",
    )
    notify(staff_of(org_unit), f"请{CoHandlerRole(role).label}诉求 {ticket.number}：{ticket.title}", ticket=ticket)
    return unit


@transaction.atomic
def ticket_offline(*, actor, ticket: Ticket, kind: str, on: date, note: str) -> TicketEvent:
    """线下联动: a visit or a meeting about the request, recorded on it."""
    ticket = _lock(actor, ticket)
    if not ticket.is_open:
        raise ValidationError("诉求已结束，不能再登记线下联动")
    note = _text(note, "走访或会议情况")
    return _step(
        ticket, actor=actor, kind=EventKind.OFFLINE, note=f"{OfflineKind(kind).label}（{on:%Y-%m-%d}）：{note}"
    )


@transaction.atomic
def ticket_request_extension(*, actor, ticket: Ticket, days: int, reason: str) -> Ticket:
    ticket = _lock(actor, ticket)
    _need(ticket, S.SIGNED, S.IN_PROGRESS)
    if ticket.extension_days:
        raise ValidationError("已有待审批的延期申请")
    if not 1 <= days <= 20:
        raise ValidationError({"days": "延期天数为 1 至 20 个工作日"})
    reason = _text(reason, "延期理由")
    before = snapshot(ticket)
    ticket.extension_days = days
    _step(
        ticket, actor=actor, kind=EventKind.EXTENSION_REQUEST, note=f"申请延期 {days} 个工作日：{reason}", before=before
    )
    parent = bureau_at(ticket.path.rsplit("/", 1)[0]) if "/" in ticket.path else None
    notify(staff_of(parent), f"诉求 {ticket.number} 申请延期 {days} 个工作日，请审批", ticket=ticket)
    return ticket


@transaction.atomic
def ticket_decide_extension(*, actor, ticket: Ticket, approve: bool, note: str = "") -> Ticket:
    """A bureau above the handling county approves (or not) the extension; never the one who asked for it."""
    if not actor.has_perm("aftercare.supervise_ticket"):
        raise PermissionDenied("延期由上级投促部门审批")
    ticket = _lock(actor, ticket, "view")
    if not ticket.extension_days:
        raise ValidationError("没有待审批的延期申请")
    asked = ticket.events.filter(kind=EventKind.EXTENSION_REQUEST).last()
    if asked and asked.actor_id == actor.pk:
        raise PermissionDenied("延期申请须由另一人审批")
    before = snapshot(ticket)
    days = ticket.extension_days
    ticket.extension_days = 0
    if approve:
        ticket.due_on = add_workdays(ticket.due_on, days)
        ticket.reminded = [mark for mark in ticket.reminded if mark == "escalated"]
    kind = EventKind.EXTENSION_APPROVE if approve else EventKind.EXTENSION_REFUSE
    _step(ticket, actor=actor, kind=kind, note=note.strip(), before=before)
    _tell_bureau(ticket, f"诉求 {ticket.number} 的延期申请{'已批准' if approve else '未批准'}")
    return ticket


@transaction.atomic
def ticket_answer(*, actor, ticket: Ticket, answer: str) -> Ticket:
    ticket = _lock(actor, ticket)
    _need(ticket, S.SIGNED, S.IN_PROGRESS)
    answer = _text(answer, "答复内容", limit=4000)
    before = snapshot(ticket)
    on_time = ticket.due_on is None or _today() <= ticket.due_on
    # The first answer decides 按时办结 unless the request is reopened: then the redo must be on time too.
    ticket.answered_on_time = on_time if ticket.answered_on_time is None else ticket.answered_on_time and on_time
    ticket.answer = answer
    clock_set(ticket, ClockKind.VISIT, _today())
    _step(ticket, actor=actor, kind=EventKind.ANSWER, to=S.ANSWERED, note=answer, before=before)
    _tell_enterprise(ticket, f"您的诉求 {ticket.number} 已答复，请查看")
    return ticket


@transaction.atomic
def ticket_visit(*, actor, ticket: Ticket, note: str) -> Ticket:
    ticket = _lock(actor, ticket)
    _need(ticket, S.ANSWERED)
    note = _text(note, "回访情况")
    before = snapshot(ticket)
    clock_stop(ticket)
    _step(ticket, actor=actor, kind=EventKind.VISIT, to=S.VISITED, note=note, before=before)
    _tell_enterprise(ticket, f"请对诉求 {ticket.number} 的办理情况作出评价")
    return ticket


@transaction.atomic
def ticket_rate(*, actor, ticket: Ticket, rating: str, note: str = "") -> Ticket:
    """The enterprise rates the answer. 不满意 reopens the request (重办): the handler answers again, on a new clock."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    ensure_enterprise_owns(actor, ticket.company_id)
    _need(ticket, S.ANSWERED, S.VISITED)
    if rating not in Rating.values:
        raise ValidationError({"rating": "请选择评价"})
    before = snapshot(ticket)
    ticket.rating = rating
    _step(
        ticket,
        actor=actor,
        kind=EventKind.RATE,
        to=S.RATED,
        note=f"{Rating(rating).label}；{note}".rstrip("；"),
        before=before,
    )
    if rating == Rating.UNSATISFIED:
        before = snapshot(ticket)
        ticket.reopen_count += 1
        clock_set(ticket, ClockKind.ANSWER, _today())
        _step(
            ticket,
            actor=None,
            kind=EventKind.REOPEN,
            to=S.IN_PROGRESS,
            before=before,
            note=f"企业评价不满意，第{ticket.reopen_count}次重办",
        )
        _tell_bureau(ticket, f"诉求 {ticket.number} 企业评价不满意，已转重办")
    else:
        _tell_bureau(ticket, f"诉求 {ticket.number} 企业评价：{Rating(rating).label}，可办结")
    return ticket


@transaction.atomic
def ticket_close(*, actor, ticket: Ticket, note: str = "") -> Ticket:
    ticket = _lock(actor, ticket)
    _need(ticket, S.RATED)
    if ticket.rating == Rating.UNSATISFIED:
        raise ValidationError("企业评价不满意的诉求须重办")
    before = snapshot(ticket)
    ticket.closed_at = timezone.now()
    clock_stop(ticket)
    _step(ticket, actor=actor, kind=EventKind.CLOSE, to=S.CLOSED, note=note.strip(), before=before)
    _tell_enterprise(ticket, f"您的诉求 {ticket.number} 已办结")
    return ticket


@transaction.atomic
def ticket_withdraw(*, actor, ticket: Ticket, reason: str) -> Ticket:
    """撤单 by the enterprise, with its reason; the bureau then checks with the enterprise that it was its own
    wish (``ticket_withdraw_check``), so that a request is not withdrawn under pressure unseen."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    ensure_enterprise_owns(actor, ticket.company_id)
    _need(ticket, *WITHDRAWABLE)
    reason = _text(reason, "撤单原因")
    before = snapshot(ticket)
    clock_stop(ticket)
    ticket.closed_at = timezone.now()
    _step(ticket, actor=actor, kind=EventKind.WITHDRAW, to=S.WITHDRAWN, note=reason, before=before)
    _tell_bureau(ticket, f"诉求 {ticket.number} 已被企业撤单（{reason}），请回访核实")
    return ticket


@transaction.atomic
def ticket_withdraw_check(*, actor, ticket: Ticket, note: str) -> Ticket:
    ticket = _lock(actor, ticket)
    _need(ticket, S.WITHDRAWN)
    if ticket.withdraw_checked:
        raise ValidationError("该撤单已核实")
    note = _text(note, "核实情况")
    before = snapshot(ticket)
    ticket.withdraw_checked = True
    _step(ticket, actor=actor, kind=EventKind.WITHDRAW_CHECK, note=note, before=before)
    return ticket


@transaction.atomic
def ticket_supervise(*, actor, ticket: Ticket, note: str) -> Ticket:
    """督办 by a bureau above (or the automatic one when a clock runs out): an event, and a message to the handler."""
    if actor is not None and not actor.has_perm("aftercare.supervise_ticket"):
        raise PermissionDenied("督办由上级投促部门发起")
    ticket = _lock(actor, ticket, "view") if actor is not None else Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not ticket.is_open:
        raise ValidationError("诉求已结束，无需督办")
    note = _text(note, "督办意见")
    before = snapshot(ticket)
    ticket.supervised_count += 1
    _step(ticket, actor=actor, kind=EventKind.SUPERVISE, note=note, before=before)
    _tell_bureau(ticket, f"【督办】诉求 {ticket.number}：{note}")
    return ticket


def escalation_target(ticket: Ticket, level: int) -> OrgUnit | None:
    """The bureau ``level`` steps above the handling county (楚雄州, then the province)."""
    parts = ticket.path.split("/")
    if level >= len(parts):
        return None
    return bureau_at("/".join(parts[: len(parts) - level]))


@transaction.atomic
def ticket_tick(*, ticket: Ticket, today: date) -> list[str]:
    """What the clock asks for today, done once each: reminders at 50 % and 80 %, 督办 when overdue, escalation
    one level up for every ``escalate_after`` working days overdue. Returns the marks it acted on."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    status = clock_status(ticket, today) if ticket.is_open else None
    if status is None:
        return []
    done, marks = [], list(ticket.reminded)
    for mark in (50, 80):
        key = f"{status.kind}:{mark}"
        if status.used_percent >= mark and today <= status.due_on and key not in marks:
            marks.append(key)
            done.append(key)
            ticket.reminded = marks
            _step(ticket, actor=None, kind=EventKind.REMIND, note=f"已用时限 {mark}%：{status.text}")
            _tell_bureau(ticket, f"【时限提醒】诉求 {ticket.number} {status.text}")
    key = f"{status.kind}:overdue"
    if today > status.due_on and key not in marks:
        marks.append(key)
        done.append(key)
        ticket.reminded = marks
        ticket.save(update_fields=["reminded"])
        ticket_supervise(
            actor=None, ticket=ticket, note=f"{status.label}超过时限（{status.due_on:%Y-%m-%d}），自动督办"
        )
        ticket.refresh_from_db()
    step = limit_days("escalate_after") or 5
    level = status.overdue_days // step
    if level > ticket.escalation_level:
        target = escalation_target(ticket, level)
        if target is not None:
            before = snapshot(ticket)
            ticket.escalation_level, ticket.escalated_to = level, target
            ticket.reminded = marks
            _step(
                ticket,
                actor=None,
                kind=EventKind.ESCALATE,
                before=before,
                note=f"超时 {status.overdue_days} 个工作日，上报{target}",
            )
            notify(
                staff_of(target),
                f"【逐级上报】诉求 {ticket.number} 超时 {status.overdue_days} 个工作日未办理",
                ticket=ticket,
            )
            done.append(f"escalate:{level}")
    if marks != ticket.reminded:
        ticket.reminded = marks
        ticket.save(update_fields=["reminded"])
    return done


def tickets_tick(*, today: date | None = None) -> dict:
    """Every open request's clock, for the daily job and the command."""
    today = today or _today()
    counts = {"tickets": 0, "actions": 0}
    for pk in Ticket.objects.open().exclude(due_on=None).values_list("pk", flat=True):
        counts["tickets"] += 1
        counts["actions"] += len(ticket_tick(ticket=Ticket(pk=pk), today=today))
    return counts
