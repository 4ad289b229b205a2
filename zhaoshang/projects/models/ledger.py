"""The funds-in-place ledger (到位资金): append-only monthly entries, approved corrections, locked months."""

from datetime import date

from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from zhaoshang.core.formatting import wan
from zhaoshang.core.models import AppendOnlyModel, AppendOnlyQuerySet, JurisdictionModel, recorded_by
from zhaoshang.core.scope import ScopedQuerySet
from zhaoshang.projects.choices import CorrectionDecision
from zhaoshang.projects.models.transfer import project_shared_scope

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = models.Value(0, output_field=models.DecimalField(**MONEY))


def first_of_month(day: date) -> date:
    return day.replace(day=1)


class FundingEntryQuerySet(AppendOnlyQuerySet):
    append_only_message = "到位资金台账只能追加，不能修改或删除；更正请录入冲销分录"

    def counted(self):
        """Entries that count: ordinary entries, and corrections once a second user has approved them.
        Entries of a record merged into another have moved to the survivor, so none is left behind."""
        return self.filter(Q(reverses__isnull=True) | Q(approval__decision=CorrectionDecision.APPROVED)).filter(
            project__merged_into__isnull=True
        )

    def corrections(self):
        return self.filter(reverses__isnull=False)

    def pending(self):
        return self.corrections().filter(approval__isnull=True)

    def between(self, start: date, end: date):
        return self.filter(month__gte=first_of_month(start), month__lte=end)

    def totals(self) -> dict:
        return self.aggregate(
            amount_wan=Coalesce(Sum("amount_wan"), ZERO),
            outside_province_wan=Coalesce(Sum("outside_province_wan"), ZERO),
            foreign_usd_wan=Coalesce(Sum("foreign_usd_wan"), ZERO),
        )

    def monthly(self):
        """Counted totals per month, oldest first: the ledger chart and monthly reports."""
        return (
            self.counted()
            .values("month")
            .annotate(
                amount_wan=Sum("amount_wan"),
                outside_province_wan=Sum("outside_province_wan"),
                foreign_usd_wan=Sum("foreign_usd_wan"),
            )
            .order_by("month")
        )

    def under_investor(self, enterprise):
        """Entries that count under ``enterprise``: after a change of investor (换业主), the months from the
        change on count under the new investor, the earlier months stay with the old one."""
        from zhaoshang.projects.models.project import InvestorChange, Project

        condition = Q(pk__in=[])
        projects = set(Project.objects.filter(investor=enterprise).values_list("pk", flat=True))
        changes = InvestorChange.objects.filter(Q(from_investor=enterprise) | Q(to_investor=enterprise))
        projects |= set(changes.values_list("project_id", flat=True))
        for project in Project.objects.filter(pk__in=projects).prefetch_related("investor_changes"):
            history = sorted(project.investor_changes.all(), key=lambda c: (c.on, c.pk))
            start = None
            holder = history[0].from_investor_id if history else project.investor_id
            for change in history:
                if holder == enterprise.pk:
                    condition |= _period(project.pk, start, first_of_month(change.on))
                holder, start = change.to_investor_id, first_of_month(change.on)
            if holder == enterprise.pk:
                condition |= _period(project.pk, start, None)
        return self.filter(condition)

    def _move_for_merge(self, *, survivor, merged) -> int:
        """The one sanctioned change to ledger rows: a merge moves them to the surviving record and marks
        where they came from (amounts, months and authors never change). Called only by ``project_merge``."""
        return models.QuerySet.update(self, project=survivor, merged_from=merged)


def _period(project_id, start, end) -> Q:
    q = Q(project_id=project_id)
    if start is not None:
        q &= Q(month__gte=start)
    if end is not None:
        q &= Q(month__lt=end)
    return q


class FundingEntry(AppendOnlyModel):
    """Money actually invested in a project in one month (万元). Never overwritten: a correction is a new
    entry that reverses an earlier one, with a reason, and counts only once a second user approves it."""

    append_only_hint = "；更正请录入冲销分录"

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="funding_entries"
    )
    month = models.DateField("月份", db_index=True, help_text="该月第一天")
    amount_wan = models.DecimalField("到位资金（万元）", **MONEY)
    outside_province_wan = models.DecimalField("其中省外资金（万元）", default=0, **MONEY)
    outside_prefecture_wan = models.DecimalField(
        "其中州（市）外资金（万元）", default=0, help_text="含省外资金；州市统计“州外到位资金”用", **MONEY
    )
    foreign_usd_wan = models.DecimalField("其中外资（万美元）", default=0, **MONEY)
    usd_rate = models.DecimalField("汇率（1美元兑人民币元）", max_digits=8, decimal_places=4, null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    entered_by = recorded_by("录入人", related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    reverses = models.ForeignKey(
        "self", verbose_name="冲销的分录", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    reason = models.CharField("更正原因", max_length=300, blank=True)
    merged_from = models.ForeignKey(
        "projects.Project", verbose_name="合并自", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scope_field = "project__path"
    objects = FundingEntryQuerySet.as_manager()
    shared_scope = project_shared_scope("project_id")  # the sending side of a completed transfer reads it

    class Meta:
        verbose_name = verbose_name_plural = "到位资金"
        ordering = ["month", "id"]
        default_permissions = ("add", "view")
        permissions = [("approve_fundingentry", "审核到位资金更正"), ("export_fundingentry", "导出到位资金")]
        indexes = [models.Index(fields=["project", "month"])]

    def __str__(self):
        return f"{self.project} {self.month:%Y-%m} {wan(self.amount_wan)}"

    @property
    def is_correction(self) -> bool:
        return self.reverses_id is not None

    @property
    def status_label(self) -> str:
        if not self.is_correction:
            return "有效"
        approval = getattr(self, "approval", None)
        if approval is None:
            return "待审核"
        return "已审核生效" if approval.decision == CorrectionDecision.APPROVED else "已退回（不计入）"

    @property
    def counts(self) -> bool:
        if not self.is_correction:
            return True
        approval = getattr(self, "approval", None)
        return approval is not None and approval.decision == CorrectionDecision.APPROVED


class CorrectionApproval(AppendOnlyModel):
    """The second user's decision on a correction. Its own row, so that ledger rows are never changed."""

    entry = models.OneToOneField(
        FundingEntry, verbose_name="更正分录", on_delete=models.PROTECT, related_name="approval"
    )
    decision = models.CharField("审核结果", max_length=10, choices=CorrectionDecision.choices)
    decided_by = recorded_by("审核人", related_name="+")
    decided_at = models.DateTimeField("审核时间", auto_now_add=True)
    note = models.CharField("审核意见", max_length=300, blank=True)

    scope_field = "entry__project__path"
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "到位资金更正审核"
        ordering = ["id"]

    def __str__(self):
        return f"{self.entry}：{self.get_decision_display()}"


class MonthLockQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(unlocked_at__isnull=True)


class MonthLock(JurisdictionModel):
    """A prefecture has reported this month: no entry or correction may be added to it any more. A lock that the
    province lifts keeps its row (who, when, why); the month can be locked again, as a new row."""

    prefecture = models.ForeignKey(
        "regions.Region", verbose_name="州市", on_delete=models.PROTECT, related_name="month_locks"
    )
    month = models.DateField("月份")
    note = models.CharField("说明", max_length=300, blank=True)
    unlocked_at = models.DateTimeField("解除时间", null=True, blank=True, editable=False)
    unlocked_by = recorded_by("解除人", null=True, blank=True, related_name="+", editable=False)
    unlock_reason = models.CharField("解除原因", max_length=300, blank=True, editable=False)

    objects = MonthLockQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "月份锁定"
        ordering = ["-month", "prefecture__code", "-id"]
        default_permissions = ("add", "view")
        permissions = [("unlock_monthlock", "解除月份锁定")]
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "month"], condition=Q(unlocked_at__isnull=True), name="projects_monthlock_unique"
            )
        ]

    def __str__(self):
        return f"{self.prefecture} {self.month:%Y年%m月}"

    @property
    def is_active(self) -> bool:
        return self.unlocked_at is None
