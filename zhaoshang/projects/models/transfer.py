"""项目流转 and 利益共享 (2022 opinion 六（五）): a project one county or park cannot host is offered to another node.

提出 (the holding side) → 接收方确认 (the receiving bureau) → 上级备案 (the bureau of the lowest common level above
both nodes), which completes the transfer: the project moves to the receiving node. Any open step may 退回 it with a
reason. Each step is an append-only ``TransferStep`` row and one audit row.

A ``SharingAgreement`` recorded with the transfer splits the credit of the agreed measures between the two sides
for the agreed years; ``credit_share`` is the one rule every figure applies (``stats/sharing.py``). Once the
transfer is complete, the sending side keeps reading the project and its ledger (``shared_scope`` of the project
models, through ``for_user``); writes stay with the receiving side.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core.models import AppendOnlyModel, AppendOnlyQuerySet, recorded_by
from zhaoshang.core.scope import ScopedQuerySet, path_q, path_within

HUNDRED = Decimal(100)


class TransferReason(models.TextChoices):
    LAND = "land", "土地"
    ENERGY = "energy", "能耗"
    POSITIONING = "positioning", "定位（不符合主导产业）"
    OTHER = "other", "其他"


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", "已提出，待接收方确认"
    ACCEPTED = "accepted", "接收方已确认，待上级备案"
    COMPLETED = "completed", "已备案，流转完成"
    RETURNED = "returned", "已退回"


OPEN_STATUSES = (TransferStatus.PROPOSED, TransferStatus.ACCEPTED)


class TransferAction(models.TextChoices):
    PROPOSE = "propose", "提出流转"
    ACCEPT = "accept", "接收方确认"
    FILE = "file", "上级备案（完成流转）"
    RETURN = "return", "退回"


class SharedMeasure(models.TextChoices):
    SIGNED = "signed", "签约额"
    FUNDS = "funds", "到位资金"
    TAX = "tax", "税收"


# The indicators of ``stats`` each measure shares (税收 has no indicator yet: the agreement records it).
MEASURE_OF_INDICATOR = {
    "agreed_investment": SharedMeasure.SIGNED,
    "funds_outside_province": SharedMeasure.FUNDS,
    "funds_outside_prefecture": SharedMeasure.FUNDS,
    "funds_industrial": SharedMeasure.FUNDS,
    # Not indicators: all 到位资金 and its 省外 part whatever the category, as a park's page shows them.
    "funds_in_place": SharedMeasure.FUNDS,
    "funds_in_place_outside_province": SharedMeasure.FUNDS,
}


def common_path(a: str, b: str) -> str:
    """The lowest node above both paths (their longest common prefix of whole segments)."""
    common = []
    for x, y in zip(a.split("/"), b.split("/"), strict=False):
        if x != y:
            break
        common.append(x)
    return "/".join(common)


def filing_path(from_path: str, to_path: str) -> str:
    """Who files (备案) a transfer: the bureau of the lowest *jurisdiction* above both nodes — 楚雄州 for two 楚雄
    counties, the province for two prefectures. A county's park and the county itself file at the prefecture, since
    a park is no bureau level (``530000/532300/532301`` and ``…/532301/S…`` share the county: its prefecture files)."""
    common = common_path(from_path, to_path).split("/")
    return "/".join(common[: min(len(common), 2)]) if len(common) >= 2 else common[0]


def credit_share(sides: list[tuple[str, Decimal]], region_path: str) -> Decimal:
    """The fraction of a shared project's amount credited to the region at ``region_path``: the sum of the shares
    (percent) of the agreement's sides whose node is at or below the region, capped at 100 %. A region above both
    sides gets all of it, and counts the project once."""
    total = sum((share for path, share in sides if path_within(path, region_path)), Decimal(0))
    return min(total, HUNDRED) / HUNDRED


def transferred_away(node: str):
    """Ids of projects that a completed transfer moved out of ``node`` (or below it): the sending side keeps reading
    them, their ledger and history (``shared_scope`` of the project models; writes are never widened)."""
    rows = Transfer.objects.filter(status=TransferStatus.COMPLETED).filter(path_q("from_path", node))
    return rows.values("project_id")


def project_shared_scope(lookup: str):
    """A model's ``shared_scope``: its rows whose project (``lookup`` = the project's id) was transferred away."""

    def shared(node: str) -> Q:
        return Q(**{f"{lookup}__in": transferred_away(node)})

    return staticmethod(shared)


def receiving_side_scope(lookup: str):
    """A transfer row's ``shared_scope``: the receiving side reads it as well as the sending side (for reads only; each
    step's service checks which side acts)."""

    def shared(node: str) -> Q:
        return path_q(lookup, node)

    return staticmethod(shared)


class TransferQuerySet(ScopedQuerySet):
    def completed(self):
        return self.filter(status=TransferStatus.COMPLETED)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def touching(self, path: str):
        return self.filter(path_q("from_path", path) | path_q("to_path", path))


class Transfer(models.Model):
    """One offer of a project from the node that holds it to another node (a county, or a park)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="transfers"
    )
    reason = models.CharField("流转原因", max_length=20, choices=TransferReason.choices)
    reason_text = models.CharField("原因说明", max_length=500)
    from_county = models.ForeignKey(
        "regions.Region", verbose_name="引进方县市区", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    from_park = models.ForeignKey(
        "regions.Park", verbose_name="引进方园区", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_path = models.CharField("引进方区划路径", max_length=255, db_index=True)
    to_county = models.ForeignKey(
        "regions.Region", verbose_name="落地方县市区", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    to_park = models.ForeignKey(
        "regions.Park", verbose_name="落地方园区", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_path = models.CharField("落地方区划路径", max_length=255, db_index=True)
    filing_path = models.CharField("备案层级区划路径", max_length=255, editable=False)
    status = models.CharField("状态", max_length=20, choices=TransferStatus.choices, default=TransferStatus.PROPOSED)
    proposed_on = models.DateField("提出日期")
    completed_on = models.DateField("完成日期", null=True, blank=True)
    last_reason = models.CharField("退回原因", max_length=500, blank=True)
    created_by = recorded_by("提出人", related_name="+")
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Both sides read it: ``shared_scope`` adds the receiving side's path to the sending side's (``core.scope``).
    scope_field = "from_path"
    objects = TransferQuerySet.as_manager()
    shared_scope = receiving_side_scope("to_path")

    class Meta:
        verbose_name = verbose_name_plural = "项目流转"
        ordering = ["-created_at", "-id"]
        default_permissions = ("view", "add")
        permissions = [
            ("accept_transfer", "项目流转：接收方确认"),
            ("file_transfer", "项目流转：上级备案"),
            ("return_transfer", "项目流转：退回"),
            ("export_transfer", "项目流转：导出"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status__in=["proposed", "accepted"]),
                name="transfer_one_open_per_project",
            )
        ]

    def __str__(self):
        return f"{self.project}：{self.from_label} → {self.to_label}"

    def get_absolute_url(self):
        return reverse("projects:transfer_detail", args=[self.pk])

    @property
    def from_label(self) -> str:
        return f"{self.from_county.name}{('·' + self.from_park.name) if self.from_park_id else ''}"

    @property
    def to_label(self) -> str:
        return f"{self.to_county.name}{('·' + self.to_park.name) if self.to_park_id else ''}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TransferStep(AppendOnlyModel):
    """One dated step of a transfer: who did what, and why. Append-only."""

    transfer = models.ForeignKey(Transfer, verbose_name="项目流转", on_delete=models.PROTECT, related_name="steps")
    action = models.CharField("操作", max_length=20, choices=TransferAction.choices)
    from_status = models.CharField("原状态", max_length=20, choices=TransferStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=TransferStatus.choices)
    on = models.DateField("日期")
    actor = recorded_by("操作人", related_name="+")
    reason = models.CharField("意见/退回原因", max_length=500, blank=True)
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    scope_field = "transfer__from_path"
    objects = AppendOnlyQuerySet.as_manager()
    shared_scope = receiving_side_scope("transfer__to_path")

    class Meta:
        verbose_name = verbose_name_plural = "项目流转办理记录"
        ordering = ["created_at", "id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.transfer.project} {self.get_action_display()}"


class SharingAgreement(models.Model):
    """利益共享协议 of a transfer: shares (percent) of 引进方 (the sending node) and 落地方 (the receiving node),
    summing to 100, of the agreed measures, for ``years`` years from ``from_year``. Written with the transfer, never
    changed."""

    transfer = models.OneToOneField(Transfer, verbose_name="项目流转", on_delete=models.PROTECT, related_name="sharing")
    source_share = models.DecimalField("引进方分成（%）", max_digits=5, decimal_places=2)
    target_share = models.DecimalField("落地方分成（%）", max_digits=5, decimal_places=2)
    shares_signed = models.BooleanField("签约额分成", default=True)
    shares_funds = models.BooleanField("到位资金分成", default=True)
    shares_tax = models.BooleanField("税收分成", default=True)
    from_year = models.PositiveSmallIntegerField("起始年度")
    years = models.PositiveSmallIntegerField("分成年限（年）")
    note = models.CharField("备注", max_length=500, blank=True)

    scope_field = "transfer__from_path"
    objects = ScopedQuerySet.as_manager()
    shared_scope = receiving_side_scope("transfer__to_path")

    class Meta:
        verbose_name = verbose_name_plural = "利益共享协议"
        default_permissions = ("view", "export")

    def __str__(self):
        return f"引进方 {self.source_share:g}% / 落地方 {self.target_share:g}%（{self.years_label}）"

    def clean(self):
        errors = {}
        for name in ("source_share", "target_share"):
            value = getattr(self, name)
            if value is not None and not (0 <= value <= HUNDRED):
                errors[name] = "分成比例须在 0 到 100 之间"
        if not errors and self.source_share is not None and self.target_share is not None:
            if self.source_share + self.target_share != HUNDRED:
                errors["target_share"] = (
                    f"引进方与落地方分成合计须为 100%（现为 {self.source_share + self.target_share:g}%）"
                )
        if not (self.shares_signed or self.shares_funds or self.shares_tax):
            errors["shares_signed"] = "请至少选择一项分成口径（签约额、到位资金、税收）"
        if self.years is not None and not (1 <= self.years <= 30):
            errors["years"] = "分成年限须在 1 到 30 年之间"
        if self.from_year is not None and not (2000 <= self.from_year <= 2100):
            errors["from_year"] = "起始年度不正确"
        if errors:
            raise ValidationError(errors)

    @property
    def to_year(self) -> int:
        return self.from_year + self.years - 1

    @property
    def years_label(self) -> str:
        return f"{self.from_year}—{self.to_year}年" if self.years > 1 else f"{self.from_year}年"

    @property
    def measures_label(self) -> str:
        return "、".join(label for measure, label in SharedMeasure.choices if self.applies_to(measure)) or "—"

    def applies_to(self, measure: str) -> bool:
        return {
            SharedMeasure.SIGNED: self.shares_signed,
            SharedMeasure.FUNDS: self.shares_funds,
            SharedMeasure.TAX: self.shares_tax,
        }[measure]

    def covers_year(self, year: int) -> bool:
        return self.from_year <= year <= self.to_year

    def sides(self) -> list[tuple[str, Decimal]]:
        return [(self.transfer.from_path, self.source_share), (self.transfer.to_path, self.target_share)]
