from django.db import models

from zhaoshang.core.models import TimeStampedModel
from zhaoshang.core.scope import REFERENCE, ScopedQuerySet
from zhaoshang.investors.names import normalise_enterprise_name
from zhaoshang.projects.choices import PROVINCE_CHOICES


class EnterpriseQuerySet(ScopedQuerySet):
    def named(self, name: str):
        """Enterprises whose name is the same once suffixes and brackets are ignored."""
        return self.filter(normalised_name=normalise_enterprise_name(name))


class Enterprise(TimeStampedModel):
    """An investor or target enterprise (minimal form; the target-enterprise library extends it).

    Enterprises are shared reference data across the province: the same company invests in several counties.
    """

    name = models.CharField("企业名称", max_length=200)
    normalised_name = models.CharField("规范名称", max_length=200, db_index=True, editable=False)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name="所属集团/母公司", null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    hq_province = models.CharField("总部所在省份", max_length=20, blank=True, choices=PROVINCE_CHOICES)
    is_global500 = models.BooleanField("世界500强", default=False)
    is_china500 = models.BooleanField("中国500强", default=False)
    is_private500 = models.BooleanField("民营500强", default=False)
    is_chain_leader = models.BooleanField("链主企业", default=False)
    is_headquarters = models.BooleanField("总部企业", default=False)

    scope_field = REFERENCE
    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "企业"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_enterprise_name(self.name)
        super().save(*args, **kwargs)
