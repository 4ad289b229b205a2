"""The 台账 import (issue 18): a bureau's remembered column mappings, and each uploaded file with its mapping and
dry run, kept until it is committed."""

from django.db import models
from django.urls import reverse

from zhaoshang.core.models import JurisdictionModel


class TaizhangMapping(JurisdictionModel):
    """A mapping a bureau confirmed for one layout of headings (``header_key``): proposed again, without asking,
    for the next file of the same layout uploaded by anyone of the same node."""

    header_key = models.CharField("表头指纹", max_length=64)
    headers = models.JSONField("表头", default=list)
    columns = models.JSONField("列映射", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "台账列映射"
        ordering = ["-updated_at"]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["path", "header_key"], name="projects_taizhangmapping_unique_layout")
        ]

    def __str__(self):
        return "、".join(self.headers[:4]) + ("……" if len(self.headers) > 4 else "")


class TaizhangStatus(models.TextChoices):
    UPLOADED = "uploaded", "待确认映射"
    PREVIEWED = "previewed", "已预览"
    COMMITTING = "committing", "导入中"
    COMMITTED = "committed", "已导入"


class TaizhangImport(JurisdictionModel):
    """One uploaded 台账: the file, the mapping confirmed for each sheet, and the last dry run's summary."""

    file = models.FileField("台账文件", upload_to="taizhang/%Y/%m/")
    filename = models.CharField("文件名", max_length=200)
    status = models.CharField("状态", max_length=12, choices=TaizhangStatus.choices, default=TaizhangStatus.UPLOADED)
    mappings = models.JSONField("列映射（按工作表）", default=dict, blank=True)
    preview = models.JSONField("预览结果", default=dict, blank=True)
    # 甄别: rows the officer confirmed to be a project already on the platform, {"<row number>": project id}.
    confirmed = models.JSONField("已确认的同一项目", default=dict, blank=True)
    job = models.ForeignKey("core.Job", verbose_name="导入任务", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = verbose_name_plural = "台账导入"
        ordering = ["-id"]
        default_permissions = ("view",)

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return reverse("projects:taizhang_preview", args=[self.pk])
