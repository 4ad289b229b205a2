"""Funds in place (到位资金): append-only entries, corrections approved by a second user, locked months."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.locks import transaction_lock
from zhaoshang.core.scope import ensure_path_in_scope
from zhaoshang.core.validators import ledger_amount_error, ledger_month_error, usd_rate_error
from zhaoshang.projects.choices import CorrectionDecision
from zhaoshang.projects.models import CorrectionApproval, FundingEntry, MonthLock, Project, first_of_month
from zhaoshang.projects.services.rollup import rollup_tracking
from zhaoshang.regions.models import Region

ZERO = Decimal("0")


def prefecture_path(path: str) -> str:
    """The prefecture node above a project's node (``530000/532300/532302/S539053`` → ``530000/532300``)."""
    return "/".join(path.split("/")[:2])


def month_lock_for(project: Project, month: date) -> MonthLock | None:
    return (
        MonthLock.objects.active()
        .filter(path=prefecture_path(project.path), month=first_of_month(month))
        .select_related("prefecture")
        .first()
    )


def project_began_on(project: Project) -> date:
    """The project's first recorded date: its earliest lifecycle step, the 线索's registration (dated as it
    happened, also by imports and late entries — unlike ``created_at``, the day the record was typed in)."""
    first = project.transitions.filter(on__isnull=False).order_by("on").values_list("on", flat=True).first()
    return min(first, project.stage_on) if first else project.stage_on


def funding_before_project(project: Project, month: date) -> date | None:
    """The project's first recorded date when ``month`` lies before that date's month (funds before the project
    existed), else None."""
    began = project_began_on(project)
    return began if first_of_month(month) < first_of_month(began) else None


def month_guard(path: str, month: date, *, exclusive: bool = False) -> None:
    """Serialise a prefecture's month: entries, corrections and approvals take this lock shared (they do not wait
    for each other), the month lock takes it exclusive. Held to the end of the transaction, so the lock is written
    only once every entry of the month in flight has committed, and an entry that comes later waits for the lock to
    commit and then sees it (READ COMMITTED reads anew at every statement). Take it before reading the lock.
    PostgreSQL only: SQLite serialises writers already (IMMEDIATE transactions)."""
    transaction_lock(f"month-lock:{prefecture_path(path)}:{first_of_month(month):%Y-%m}", shared=not exclusive)


def _refuse_locked(project: Project, month: date) -> None:
    month_guard(project.path, month)
    lock = month_lock_for(project, month)
    if lock is not None:
        raise ValidationError(
            {"month": f"{month:%Y年%m月}已由{lock.prefecture.name}锁定（已上报），不能再录入、更正或审核该月的到位资金"}
        )


@transaction.atomic
def funding_record(
    *,
    actor,
    project: Project,
    month: date,
    amount_wan: Decimal,
    outside_province_wan: Decimal = ZERO,
    outside_prefecture_wan: Decimal | None = None,
    foreign_usd_wan: Decimal = ZERO,
    usd_rate: Decimal | None = None,
    note: str = "",
) -> FundingEntry:
    """Append one month's funds in place for a signed project. A month before the project's first recorded date
    (``project_began_on``) is refused without a note saying why (money paid before the 线索 was registered, or a
    mistyped month); with the note it is taken and its audit row says so (``before_project``)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    ensure_path_in_scope(actor, project.path)
    month = first_of_month(month)
    outside_province_wan = outside_province_wan or ZERO
    # Money from outside the province is also from outside the prefecture: 州外 includes 省外.
    if outside_prefecture_wan is None:
        outside_prefecture_wan = outside_province_wan
    foreign_usd_wan = foreign_usd_wan or ZERO
    if project.is_merged:
        raise ValidationError(f"该项目已合并入“{project.merged_into}”，请在保留的项目中录入")
    if project.first_signed_on is None:
        raise ValidationError("项目签约后才能录入到位资金")
    # Domain ranges (core/validators.py): the month from two years before the first record to now, the amount
    # against the agreement and an absolute ceiling, the exchange rate in 元 per dollar.
    if month_problem := ledger_month_error(month, first_record=project_began_on(project)):
        raise ValidationError({"month": month_problem})
    errors = {}
    if amount_wan is None or amount_wan <= 0:
        errors["amount_wan"] = "到位资金须大于0（更正请使用冲销分录）"
    elif amount_problem := ledger_amount_error(amount_wan, agreed=project.agreed_investment_wan):
        errors["amount_wan"] = amount_problem
    elif not ZERO <= outside_province_wan <= amount_wan:
        errors["outside_province_wan"] = "省外资金不能为负数，也不能超过到位资金"
    elif not outside_province_wan <= outside_prefecture_wan <= amount_wan:
        errors["outside_prefecture_wan"] = "州外资金应不少于其中的省外资金，且不超过到位资金"
    if foreign_usd_wan < 0:
        errors["foreign_usd_wan"] = "外资金额不能为负数"
    elif rate_problem := usd_rate_error(usd_rate):
        errors["usd_rate"] = rate_problem
    elif foreign_usd_wan > 0 and not usd_rate:
        errors["usd_rate"] = "录入外资时须填写所用汇率"
    elif foreign_usd_wan > 0 and amount_wan and foreign_usd_wan * usd_rate > amount_wan:
        errors["foreign_usd_wan"] = "外资折合人民币超过了到位资金"
    began = funding_before_project(project, month)
    if began is not None and not note.strip():
        errors["note"] = (
            f"{month:%Y年%m月}早于项目最早的记录日期（{began:%Y-%m-%d}），请核实月份；"
            "确属项目登记前到位的资金，请在备注中说明原因"
        )
    if errors:
        raise ValidationError(errors)
    _refuse_locked(project, month)
    entry = FundingEntry(
        project=project,
        month=month,
        amount_wan=amount_wan,
        outside_province_wan=outside_province_wan,
        outside_prefecture_wan=outside_prefecture_wan,
        foreign_usd_wan=foreign_usd_wan,
        usd_rate=usd_rate,
        note=note,
        entered_by=actor,
    )
    with rollup_tracking([project.pk]):
        entry.save()
    after = snapshot(entry) | ({"before_project": began.isoformat()} if began is not None else {})
    audit_record(actor=actor, action="fund_entry", obj=entry, path=project.path, after=after)
    return entry


@transaction.atomic
def funding_correct(*, actor, entry: FundingEntry, reason: str) -> FundingEntry:
    """A correction: a new entry reversing ``entry`` in the same month, with a reason. It counts only after a
    second user with the approve permission approves it."""
    entry = FundingEntry.objects.select_related("project").get(pk=entry.pk)
    project = Project.objects.select_for_update().get(pk=entry.project_id)
    ensure_path_in_scope(actor, project.path)
    if entry.is_correction:
        raise ValidationError("冲销分录本身不能再冲销")
    if entry.corrections.exclude(approval__decision=CorrectionDecision.REJECTED).exists():
        raise ValidationError("该分录已有待审核或已生效的冲销")
    if not reason.strip():
        raise ValidationError({"reason": "请填写更正原因"})
    _refuse_locked(project, entry.month)
    correction = FundingEntry(
        project=project,
        month=entry.month,
        amount_wan=-entry.amount_wan,
        outside_province_wan=-entry.outside_province_wan,
        outside_prefecture_wan=-entry.outside_prefecture_wan,
        foreign_usd_wan=-entry.foreign_usd_wan,
        usd_rate=entry.usd_rate,
        note=f"冲销第{entry.pk}号分录",
        entered_by=actor,
        reverses=entry,
        reason=reason.strip(),
    )
    correction.save()
    audit_record(actor=actor, action="fund_correct", obj=correction, path=project.path, after=snapshot(correction))
    return correction


@transaction.atomic
def correction_decide(*, actor, entry: FundingEntry, approve: bool, note: str = "") -> CorrectionApproval:
    """The second user's decision on a correction: never the person who entered it."""
    entry = FundingEntry.objects.select_related("project").get(pk=entry.pk)
    project = Project.objects.select_for_update().get(pk=entry.project_id)
    ensure_path_in_scope(actor, project.path)
    if not actor.has_perm("projects.approve_fundingentry"):
        raise PermissionDenied("您没有审核到位资金更正的权限")
    if not entry.is_correction:
        raise ValidationError("只有冲销更正需要审核")
    if CorrectionApproval.objects.filter(entry=entry).exists():
        raise ValidationError("该更正已审核")
    if entry.entered_by_id == actor.pk:
        raise ValidationError("不能审核自己录入的更正，须由另一位有审核权限的人员审核")
    if approve:
        _refuse_locked(project, entry.month)
    decision = CorrectionDecision.APPROVED if approve else CorrectionDecision.REJECTED
    approval = CorrectionApproval(entry=entry, decision=decision, decided_by=actor, note=note.strip())
    with rollup_tracking([project.pk]):  # an approved correction starts to count
        approval.save()
    audit_record(
        actor=actor,
        action="fund_approve" if approve else "fund_reject",
        obj=entry,
        path=project.path,
        after=snapshot(approval),
    )
    return approval


@transaction.atomic
def month_lock(*, actor, prefecture: Region, month: date, note: str = "") -> MonthLock:
    """A prefecture has reported ``month``: from now on its entries and corrections are refused."""
    ensure_path_in_scope(actor, prefecture.path)
    month = first_of_month(month)
    if prefecture.level != 2:
        raise ValidationError({"prefecture": "月份按州市锁定，请选择州市"})
    if month > first_of_month(timezone.localdate()):
        raise ValidationError({"month": "不能锁定尚未开始的月份"})
    month_guard(prefecture.path, month, exclusive=True)
    if MonthLock.objects.active().filter(prefecture=prefecture, month=month).exists():
        raise ValidationError({"month": f"{prefecture.name}{month:%Y年%m月}已锁定"})
    lock = MonthLock(prefecture=prefecture, month=month, note=note, path=prefecture.path)
    lock.created_by = lock.updated_by = actor
    lock.save()
    audit_record(actor=actor, action="month_lock", obj=lock, after=snapshot(lock))
    return lock


UNLOCK_PERMISSION = "projects.unlock_monthlock"


@transaction.atomic
def month_unlock(*, actor, lock: MonthLock, reason: str) -> MonthLock:
    """Lift a lock (a reported month reopened for corrections): a provincial decision, with its reason kept on the
    lock and in the audit trail. Entries of the month are accepted again until it is locked anew."""
    if not actor.has_perm(UNLOCK_PERMISSION):
        raise PermissionDenied("解除月份锁定须由省级有权限的人员决定")
    lock = MonthLock.objects.select_for_update().get(pk=lock.pk)
    ensure_path_in_scope(actor, lock.path)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写解除锁定的原因"})
    if len(reason) > 300:
        raise ValidationError({"reason": "解除原因不能超过300字"})
    if not lock.is_active:
        raise ValidationError({"reason": f"{lock}的锁定已于{timezone.localtime(lock.unlocked_at):%Y-%m-%d %H:%M}解除"})
    before = snapshot(lock)
    lock.unlocked_at, lock.unlocked_by, lock.unlock_reason = timezone.now(), actor, reason
    lock.updated_by = actor
    lock.save(update_fields=["unlocked_at", "unlocked_by", "unlock_reason", "updated_by", "updated_at"])
    audit_record(actor=actor, action="month_unlock", obj=lock, before=before, after=snapshot(lock))
    return lock


def active_locks(paths) -> set[tuple[str, date]]:
    """(prefecture path, month) of every active lock of the prefectures above ``paths``: read once for an import."""
    prefectures = sorted({prefecture_path(p) for p in paths})
    return set(MonthLock.objects.active().filter(path__in=prefectures).values_list("path", "month"))


def funding_import_problem(
    *,
    month: date,
    amount_wan: Decimal,
    agreed_wan: Decimal | None,
    began_on: date,
    path: str,
    locks,
    today: date | None = None,
) -> str | None:
    """The rules ``funding_record`` applies to one entry, for an import that writes many at once (the 台账 import):
    the month's range, the amount's ceiling against the agreement, the prefecture's month lock (``locks`` from
    ``active_locks``), and a month before the project's first record, which an import cannot explain with a note.
    ``today``: the import's day, read once for its thousands of entries (else the current day)."""
    month = first_of_month(month)
    if problem := ledger_month_error(month, first_record=began_on, today=today):
        return problem
    if problem := ledger_amount_error(amount_wan, agreed=agreed_wan):
        return problem
    if (prefecture_path(path), month) in locks:
        return f"{month:%Y年%m月}已锁定（已上报），不能再录入该月的到位资金"
    if month < first_of_month(began_on):
        return (
            f"{month:%Y年%m月}早于项目最早的记录日期（{began_on:%Y-%m-%d}），请核实月份；"
            "确属项目登记前到位的资金，请在平台逐笔录入并说明原因"
        )
    return None
