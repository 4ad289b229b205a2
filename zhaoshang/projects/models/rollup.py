"""Monthly roll-ups of the funds-in-place ledger, and the version of the figures the cockpit and the bulletins read.

The cockpit, the rankings and the bulletins sum the ledger by month and path, and break it down by key industry or
by source region. At 2,000,000 ledger rows every such sum scans the ledger joined to its projects. The roll-up
holds the same sums in three narrow groupings (``kind``) — per month, path, category and 工业 or not (``total``),
the same per key industry (``industry``) and per source region (``source``) — so that a headline figure reads a
row or two per county and month, and a breakdown a dozen. Every counted ledger entry is in exactly one row of each
kind. Only ``services/rollup.py`` writes it, inside the transaction of the write that changed the ledger or a
project's attributes, so it is never ahead of or behind the ledger a reader sees; ``rollup_verify`` compares it
with the ledger and ``rollup_rebuild`` recomputes it.

Amounts are integers in hundredths of the ledger's unit (0.01 万元, i.e. 100 元; 0.01 万美元), called "cents" below:
additions of ``x + delta`` stay exact on SQLite too, which stores decimals as floats.
"""

from django.db import models

from zhaoshang.core.scope import REFERENCE, ScopedQuerySet

# 工业 = 采矿业 (B), 制造业 (C), 电力、热力、燃气及水生产和供应业 (D) of GB/T 4754-2017. A project without a
# GB/T code counts as industrial when its key industry is a manufacturing one. The roll-up stores the verdict, so a
# change of these lists needs ``rollup_rebuild``.
INDUSTRIAL_SECTIONS = ("B", "C", "D")
INDUSTRIAL_KEY_INDUSTRIES = (
    "green_aluminium",
    "green_silicon",
    "advanced_manufacturing",
    "new_materials",
    "biomedicine",
    "tobacco",
    "green_energy",
)


class RollupKind(models.TextChoices):
    TOTAL = "total", "合计"
    INDUSTRY = "industry", "按重点产业"
    SOURCE = "source", "按来源区域"


class FundingRollup(models.Model):
    """Counted ledger entries (``FundingEntry.objects.counted()``) of one month, summed over the projects that share
    a path (county, or park), a category, whether they are 工业, and — by kind — a key industry or a source region."""

    kind = models.CharField("汇总口径", max_length=10, choices=RollupKind.choices)
    month = models.DateField("月份")
    path = models.CharField("项目所在区划路径", max_length=255)
    category = models.CharField("项目类别", max_length=20)
    industrial = models.BooleanField("工业")
    detail = models.CharField("重点产业编码或来源区域", max_length=40, blank=True)
    amount_cents = models.BigIntegerField("到位资金（0.01万元）", default=0)
    outside_province_cents = models.BigIntegerField("其中省外资金（0.01万元）", default=0)
    outside_prefecture_cents = models.BigIntegerField("其中州外资金（0.01万元）", default=0)
    foreign_usd_cents = models.BigIntegerField("其中外资（0.01万美元）", default=0)
    entries = models.IntegerField("分录数", default=0)

    scope_field = "path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "到位资金月度汇总"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "month", "path", "category", "industrial", "detail"], name="funding_rollup_key"
            )
        ]

    def __str__(self):
        return f"{self.path} {self.month:%Y-%m} {self.kind}"


class FiguresVersion(models.Model):
    """One row (SQLite; PostgreSQL uses a sequence): a number every write that changes a figure (ledger, projects,
    agreements, targets) replaces. Cached figures are keyed on it, so signing in, exporting or editing an enterprise
    leaves them."""

    number = models.BigIntegerField("版本", default=0)

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "统计数据版本"
        default_permissions = ()

    def __str__(self):
        return str(self.number)
