from decimal import Decimal

from django.db import models

from zhaoshang.core.formatting import figure
from zhaoshang.core.models import JurisdictionModel
from zhaoshang.core.scope import ScopedQuerySet
from zhaoshang.stats.choices import INDICATOR_CHOICES, INDICATORS, Unit

WAN_PER_YI = Decimal(10000)


class TargetQuerySet(ScopedQuerySet):
    def for_year(self, year: int):
        return self.filter(year=year, from_year=year)

    def of_regions(self):
        """Targets of jurisdictions (a park's targets are its own, never its county's)."""
        return self.filter(park__isnull=True)

    def cumulative(self):
        return self.exclude(from_year=models.F("year"))


def industry_name(code: str) -> str:
    """``new_materials`` → 新材料; a sub-field (铝材深加工) stays as written; empty is every industry."""
    from zhaoshang.catalog.models import KeyIndustry

    if not code:
        return "全部产业"
    return KeyIndustry.objects.filter(code=code).values_list("name", flat=True).first() or code


class Target(JurisdictionModel):
    """A target for one jurisdiction, indicator and year (or a span of years, ``from_year``–``year``), as an
    amount, a count, or a growth rate in %. Targets are data: the policy targets ship as rows too."""

    year = models.PositiveSmallIntegerField("年度")
    from_year = models.PositiveSmallIntegerField("起始年度", help_text="累计目标的起始年度；年度目标与年度相同")
    region = models.ForeignKey("regions.Region", verbose_name="辖区", on_delete=models.PROTECT, related_name="targets")
    park = models.ForeignKey(
        "regions.Park",
        verbose_name="园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
        db_index=False,  # the unique constraint of park targets starts with the park
        help_text="园区的目标（辖区为园区所属辖区）；空为辖区目标",
    )
    indicator = models.CharField("指标", max_length=40, choices=INDICATOR_CHOICES)
    industry_code = models.CharField(
        "产业", max_length=40, blank=True, help_text="重点产业编码或细分领域（如 铝材深加工）；空为全部产业"
    )
    value = models.DecimalField("目标值", max_digits=16, decimal_places=4)
    unit = models.CharField("单位", max_length=4, choices=Unit.choices)
    source = models.CharField("依据", max_length=300, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "目标"
        ordering = ["-year", "region__code", "indicator"]
        permissions = [("export_target", "导出目标")]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "from_year", "year", "indicator", "industry_code", "unit"],
                condition=models.Q(park__isnull=True),
                name="one_target_per_cell",
            ),
            models.UniqueConstraint(
                fields=["park", "from_year", "year", "indicator", "industry_code", "unit"],
                condition=models.Q(park__isnull=False),
                name="one_park_target_per_cell",
            ),
        ]

    def __str__(self):
        span = f"{self.from_year}—{self.year}年" if self.from_year != self.year else f"{self.year}年"
        return f"{span} {self.park or self.region} {self.indicator_name} {self.value_display}"

    @property
    def indicator_name(self) -> str:
        return INDICATORS[self.indicator].name

    @property
    def industry_label(self) -> str:
        """The industry of the target in words: a key industry's name for its code, a sub-field as written."""
        return industry_name(self.industry_code)

    @property
    def is_growth(self) -> bool:
        return self.unit == Unit.GROWTH

    @property
    def amount_wan(self) -> Decimal | None:
        """The target in 万元 for money targets (亿元 × 10,000), the count for count targets, None for growth."""
        if self.is_growth:
            return None
        return self.value * WAN_PER_YI if self.unit == Unit.YI else self.value

    @property
    def value_display(self) -> str:
        """Money targets with separators and two decimals (``8,300.00亿元``), growth and count targets as set."""
        if self.unit in {Unit.WAN, Unit.YI}:
            return f"{figure(self.value)}{self.unit}"
        return f"{self.value.normalize():f}{self.unit}"


class Bulletin(JurisdictionModel):
    """A generated bulletin (通报), kept with its .docx and .xlsx files."""

    region = models.ForeignKey("regions.Region", verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("截至月份")
    title = models.CharField("标题", max_length=200)
    number = models.CharField("文号", max_length=60, blank=True, help_text="发文字号，如 云投促通〔2026〕12号")
    docx = models.FileField("Word 文件", upload_to="bulletins/%Y/")
    xlsx = models.FileField("Excel 文件", upload_to="bulletins/%Y/")
    job = models.ForeignKey("core.Job", verbose_name="生成任务", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = verbose_name_plural = "通报"
        ordering = ["-year", "-month", "-id"]
        default_permissions = ("add", "view")

    def __str__(self):
        return self.title

    @property
    def is_quarterly(self) -> bool:
        return self.month % 3 == 0


# The assessment's models live in their package; importing them here registers them with the stats app.
from zhaoshang.stats.assessment.models import (  # noqa: E402, F401
    AssessmentItem,
    AssessmentPublication,
    AssessmentScheme,
    AssessmentScore,
)
