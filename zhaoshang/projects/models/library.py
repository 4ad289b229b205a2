"""招大引强项目库: county 申报 → prefecture 审核 → province 审定, each step approve or return with a reason.

A project has at most one ``LibraryEntry`` (its current place in the flow); every step is an append-only
``LibraryStep`` row (dated, with actor, decision and reason), so the history of returns and resubmissions is
kept. The amount a project needs (入库门槛) is data: ``LibraryThreshold`` rows set by the province.
"""

from datetime import date
from decimal import Decimal

from django.db import models
from django.utils import timezone

from zhaoshang.core.formatting import wan
from zhaoshang.core.models import AppendOnlyModel, AppendOnlyQuerySet, recorded_by
from zhaoshang.core.scope import REFERENCE, ScopedQuerySet
from zhaoshang.projects.choices import TEN_BILLION_WAN

MONEY = {"max_digits": 14, "decimal_places": 2}
DEFAULT_THRESHOLD_WAN = Decimal(TEN_BILLION_WAN)  # 10 亿元, until the province sets a threshold


class LibraryStatus(models.TextChoices):
    SUBMITTED = "submitted", "县级已申报，待州市审核"
    REVIEWED = "reviewed", "州市已审核，待省级审定"
    APPROVED = "approved", "省级已审定入库"
    RETURNED = "returned", "已退回县级"


class LibraryLevel(models.TextChoices):
    """Who acts next (or acted): the step of the flow."""

    COUNTY = "county", "县级申报"
    PREFECTURE = "prefecture", "州市级审核"
    PROVINCE = "province", "省级审定"
    DONE = "done", "已入库"


class LibraryAction(models.TextChoices):
    SUBMIT = "submit", "申报"
    REVIEW = "review", "审核通过"
    APPROVE = "approve", "审定入库"
    RETURN = "return", "退回"


# The step that acts on an entry in each status.
STEP_OF_STATUS = {
    LibraryStatus.SUBMITTED: LibraryLevel.PREFECTURE,
    LibraryStatus.REVIEWED: LibraryLevel.PROVINCE,
    LibraryStatus.RETURNED: LibraryLevel.COUNTY,
    LibraryStatus.APPROVED: LibraryLevel.DONE,
}


class LibraryThresholdQuerySet(AppendOnlyQuerySet):
    def in_force(self, on: date | None = None) -> "LibraryThreshold | None":
        on = on or timezone.localdate()
        return self.filter(effective_from__lte=on).order_by("-effective_from", "-id").first()


class LibraryThreshold(AppendOnlyModel):
    """入库门槛: the 协议投资额 a project needs to enter the library, from a date on. Rows are never changed; a
    new threshold is a new row, so the history of the rule is kept."""

    threshold_wan = models.DecimalField("入库门槛（协议投资额，万元）", **MONEY)
    effective_from = models.DateField("生效日期")
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = recorded_by("设置人", null=True, related_name="+")
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    scope_field = REFERENCE  # one province-wide rule; only the province holds the change permission
    objects = LibraryThresholdQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "招大引强入库门槛"
        ordering = ["-effective_from", "-id"]
        default_permissions = ("add", "view")

    def __str__(self):
        return f"{wan(self.threshold_wan)}（{self.effective_from:%Y-%m-%d} 起）"

    @property
    def threshold_yi(self) -> Decimal:
        return self.threshold_wan / 10000


def library_threshold_wan(on: date | None = None) -> Decimal:
    """The threshold in force on ``on`` (today by default)."""
    row = LibraryThreshold.objects.in_force(on)
    return row.threshold_wan if row is not None else DEFAULT_THRESHOLD_WAN


class LibraryEntryQuerySet(ScopedQuerySet):
    def approved(self):
        return self.filter(status=LibraryStatus.APPROVED)

    def pending_for(self, level: str):
        """Entries waiting for the given step."""
        statuses = [status for status, step in STEP_OF_STATUS.items() if step == level]
        return self.filter(status__in=statuses)

    def in_year(self, year: int):
        return self.filter(year=year)


class LibraryEntry(models.Model):
    """A project's place in the 招大引强项目库 flow. Written only by the library services."""

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="library_entry"
    )
    status = models.CharField("入库状态", max_length=20, choices=LibraryStatus.choices, db_index=True)
    step = models.CharField("当前环节", max_length=20, choices=LibraryLevel.choices, db_index=True)
    year = models.PositiveSmallIntegerField("申报年度", db_index=True)
    amount_wan = models.DecimalField("申报时协议投资额（万元）", **MONEY)
    threshold_wan = models.DecimalField("申报时入库门槛（万元）", **MONEY)
    submitted_at = models.DateTimeField("最近申报时间")
    submitted_by = recorded_by("申报人", related_name="+")
    approved_on = models.DateField("入库日期", null=True, blank=True)
    last_reason = models.CharField("最近退回原因", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "project__path"
    objects = LibraryEntryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "招大引强项目库"
        ordering = ["-submitted_at", "-id"]
        permissions = [
            ("submit_libraryentry", "招大引强项目库：县级申报"),
            ("review_libraryentry", "招大引强项目库：州市级审核"),
            ("approve_libraryentry", "招大引强项目库：省级审定"),
            ("export_libraryentry", "招大引强项目库：导出项目册"),
        ]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.project}（{self.get_status_display()}）"

    @property
    def amount_yi(self) -> Decimal:
        return self.amount_wan / 10000

    @property
    def is_returned(self) -> bool:
        return self.status == LibraryStatus.RETURNED


class LibraryStep(AppendOnlyModel):
    """One dated step of the flow: who did what, and why. Append-only."""

    entry = models.ForeignKey(LibraryEntry, verbose_name="入库记录", on_delete=models.PROTECT, related_name="steps")
    action = models.CharField("操作", max_length=20, choices=LibraryAction.choices)
    level = models.CharField("环节", max_length=20, choices=LibraryLevel.choices)
    from_status = models.CharField("原状态", max_length=20, choices=LibraryStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=LibraryStatus.choices)
    on = models.DateField("日期")
    actor = recorded_by("操作人", related_name="+")
    reason = models.CharField("意见/退回原因", max_length=500, blank=True)
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    scope_field = "entry__project__path"
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "招大引强项目库审核记录"
        ordering = ["created_at", "id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.entry.project} {self.get_level_display()}：{self.get_action_display()}"
