"""Monthly roll-ups of the funds-in-place ledger, and the version of the figures the cockpit and the bulletins read.

The cockpit, the rankings and the bulletins sum the ledger by month and by a handful of project attributes. At
2,000,000 ledger rows every such sum scans the ledger joined to its projects; the roll-up holds the same sums per
month and per combination of those attributes (a few rows per county and month), so that a figure reads hundreds of
rows instead of millions. Only ``services/rollup.py`` writes it, inside the transaction of the write that changed
the ledger or a project's attributes, so it is never ahead of or behind the ledger a reader sees; ``rollup_verify``
compares it with the ledger and ``rollup_rebuild`` recomputes it.

Amounts are integers in hundredths of the ledger's unit (0.01 万元, i.e. 100 元; 0.01 万美元), called "cents" below:
additions of ``x + delta`` stay exact on SQLite too, which stores decimals as floats.
"""

from django.db import models

from zhaoshang.core.scope import REFERENCE, ScopedQuerySet


class FundingRollup(models.Model):
    """Counted ledger entries (``FundingEntry.objects.counted()``) of one month, summed over the projects that share
    a path (county, or park), a category, a key industry, a GB/T section and a source region."""

    month = models.DateField("月份")
    path = models.CharField("项目所在区划路径", max_length=255)
    category = models.CharField("项目类别", max_length=20)
    key_industry_code = models.CharField("重点产业编码", max_length=40, blank=True)
    industry_section = models.CharField("国民经济行业门类", max_length=1, blank=True)
    region_group = models.CharField("来源区域", max_length=20, blank=True)
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
                fields=["month", "path", "category", "key_industry_code", "industry_section", "region_group"],
                name="funding_rollup_key",
            )
        ]

    def __str__(self):
        return f"{self.path} {self.month:%Y-%m}"


class FiguresVersion(models.Model):
    """One row: a counter every write that changes a figure (ledger, projects, agreements, targets) increments after
    it commits. Cached figures are keyed on it, so signing in, exporting or editing an enterprise leaves them."""

    number = models.BigIntegerField("版本", default=0)

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "统计数据版本"
        default_permissions = ()

    def __str__(self):
        return str(self.number)
