from django.db import models

from zhaoshang.core.scope import REFERENCE, ScopedQuerySet


class KeyIndustry(models.Model):
    """One of the 12 key industries (重点产业) of the 2022-12-01 opinion."""

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    description = models.TextField("说明", blank=True)

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "重点产业"
        ordering = ["sort_order"]

    def __str__(self):
        return self.name


class IndustryClassQuerySet(ScopedQuerySet):
    def small_classes(self):
        return self.filter(level=4)


class IndustryClass(models.Model):
    """A node of GB/T 4754-2017 国民经济行业分类: 门类 (letter), 大类, 中类, 小类."""

    code = models.CharField("代码", max_length=5, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级", choices=[(1, "门类"), (2, "大类"), (3, "中类"), (4, "小类")])
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT)
    section = models.CharField("门类", max_length=1)
    description = models.TextField("说明", blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    scope_field = REFERENCE
    objects = IndustryClassQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "国民经济行业分类"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"
