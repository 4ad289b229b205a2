"""考核评价: a scheme per year (data, versioned), its items, and the quarters whose scores were published.

A published scheme is never edited in place: a change makes the next version (``services.scheme_revise``). A
published quarter keeps its scores as a snapshot (score, rank and the breakdown with raw value, target and points
per item, and the scheme version they came from), so no later edit of a scheme or of the figures changes them.
"""

from decimal import Decimal

from django.db import models

from zhaoshang.core.models import JurisdictionModel, TimeStampedModel
from zhaoshang.core.scope import REFERENCE, ScopedManager


class SchemeState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class ItemKind(models.TextChoices):
    BASE = "base", "基本指标"
    BONUS = "bonus", "加分项"
    PENALTY = "penalty", "扣分项"


class Method(models.TextChoices):
    COMPLETION = "completion", "目标完成率"
    RANK = "rank", "排名"
    THRESHOLD = "threshold", "阈值"
    PER_UNIT = "per_unit", "按个数计分"


class AssessmentScheme(TimeStampedModel):
    """One version of a year's assessment scheme. The province sets it; every bureau reads it."""

    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveSmallIntegerField("版本", default=1)
    state = models.CharField("状态", max_length=10, choices=SchemeState.choices, default=SchemeState.DRAFT)
    title = models.CharField("名称", max_length=200)
    bonus_cap = models.DecimalField("加分上限", max_digits=6, decimal_places=2, default=Decimal(10))
    penalty_cap = models.DecimalField("扣分上限", max_digits=6, decimal_places=2, default=Decimal(10))
    note = models.TextField("说明", blank=True)

    scope_field = REFERENCE
    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "考核方案"
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="one_scheme_per_version")]

    def __str__(self):
        return f"{self.title}（第{self.version}版，{self.get_state_display()}）"


class AssessmentItem(models.Model):
    """One item of a scheme: a source (an indicator of the engine or a registered source), its weight (基本指标)
    or cap (加分/扣分), and how its raw value becomes points."""

    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="items"
    )
    source = models.CharField("指标来源", max_length=40)
    name = models.CharField("考核项", max_length=100)
    kind = models.CharField("类别", max_length=10, choices=ItemKind.choices, default=ItemKind.BASE)
    method = models.CharField("计分方法", max_length=12, choices=Method.choices, default=Method.COMPLETION)
    weight = models.DecimalField("权重（分）", max_digits=6, decimal_places=2, default=Decimal(0))
    cap_pct = models.DecimalField(
        "完成率封顶（%）", max_digits=6, decimal_places=2, default=Decimal(100), help_text="目标完成率计分时的上限"
    )
    rank_floor_pct = models.DecimalField(
        "末位得分（%）", max_digits=6, decimal_places=2, default=Decimal(60), help_text="排名计分：末位得权重的百分之几"
    )
    thresholds = models.JSONField(
        "阈值表", default=list, blank=True, help_text="[[下限, 得分], …]：原始值达到下限即得该分，取最高一档"
    )
    unit_points = models.DecimalField("每个得分", max_digits=6, decimal_places=2, default=Decimal(0))
    cap = models.DecimalField("单项上限（分）", max_digits=6, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    scope_field = REFERENCE
    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "考核项"
        ordering = ["scheme", "position", "id"]

    def __str__(self):
        return self.name

    @property
    def source_name(self) -> str:
        from zhaoshang.stats.assessment.sources import SOURCES

        source = SOURCES.get(self.source)
        return source.name if source else f"{self.source}（未接入）"


class AssessmentPublication(JurisdictionModel):
    """A published quarter of one node's children (the province's prefectures, a prefecture's counties);
    ``path`` is the node's."""

    region = models.ForeignKey("regions.Region", verbose_name="考核单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    scheme = models.ForeignKey(AssessmentScheme, verbose_name="考核方案", on_delete=models.PROTECT, related_name="+")
    scheme_version = models.PositiveSmallIntegerField("方案版本")

    class Meta:
        verbose_name = verbose_name_plural = "季度考核发布"
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "quarter"], name="one_publication_per_quarter")
        ]

    def __str__(self):
        return f"{self.region} {self.year}年第{self.quarter}季度考核"


class AssessmentScore(JurisdictionModel):
    """A published score of one region (``path`` is the region's: a county sees its own row)."""

    publication = models.ForeignKey(
        AssessmentPublication, verbose_name="发布", on_delete=models.PROTECT, related_name="scores"
    )
    region = models.ForeignKey("regions.Region", verbose_name="地区", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("得分", max_digits=8, decimal_places=2)
    rank = models.PositiveSmallIntegerField("名次")
    breakdown = models.JSONField("分项", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "季度考核得分"
        ordering = ["publication", "rank"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.region} {self.score}"
