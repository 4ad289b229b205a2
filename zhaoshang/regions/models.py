from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhaoshang.core.models import JurisdictionModel
from zhaoshang.core.scope import ScopedQuerySet
from zhaoshang.regions.choices import ParkLevel, ParkStatus, RegionLevel


class RegionQuerySet(ScopedQuerySet):
    def prefectures(self):
        return self.filter(level=RegionLevel.PREFECTURE)

    def counties(self):
        return self.filter(level=RegionLevel.COUNTY)

    def containing(self, path: str | None) -> "Region | None":
        """The deepest region on a node's path: a county for a park's path, the node itself otherwise.

        Used to name the user's own jurisdiction; it reveals nothing outside the user's path.
        """
        if not path:
            return None
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return self.filter(path__in=prefixes).order_by("-level").first()

    def of_user(self, user) -> "Region | None":
        """The region whose figures are the user's own: their node when it is a region. None for a park committee
        (its county's figures take in the county's other parks and projects) or a user without a node."""
        path = user.scope_path
        return self.filter(path=path).first() if path else None

    def under(self, region: "Region"):
        return self.filter(Q(path=region.path) | Q(path__startswith=region.path + "/"))


class Region(models.Model):
    """A node of the jurisdiction tree: the province, a prefecture (州市) or a county (县市区)."""

    code = models.CharField("区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=50)
    short_name = models.CharField("简称", max_length=20)
    level = models.PositiveSmallIntegerField("层级", choices=RegionLevel.choices)
    division_type = models.CharField("类型", max_length=20)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT)
    path = models.CharField("辖区路径", max_length=120, unique=True)
    center_lon = models.DecimalField("中心经度", max_digits=9, decimal_places=6, null=True, blank=True)
    center_lat = models.DecimalField("中心纬度", max_digits=9, decimal_places=6, null=True, blank=True)

    scope_field = "path"
    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["code"]
        permissions = [("export_region", "导出行政区划")]

    def __str__(self):
        return self.name

    @property
    def prefecture_code(self) -> str | None:
        parts = self.path.split("/")
        return parts[1] if len(parts) > 1 else None


class ParkQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(status=ParkStatus.ACTIVE)

    def in_region(self, region: Region):
        return self.filter(Q(path__startswith=region.path + "/"))


class Park(JurisdictionModel):
    """A development zone or industrial park, attached to its county (or, for some, its prefecture).

    Its scope node sits below that county: ``530000/532300/532302/S539053``, so a park committee sees its park.
    """

    code = models.CharField(
        "园区编码", max_length=20, unique=True, help_text="《中国开发区审核公告目录》编码，新设园区自动编号"
    )
    name = models.CharField("园区名称", max_length=100)
    level = models.CharField("级别", max_length=20, choices=ParkLevel.choices)
    zone_type = models.CharField("类型", max_length=30)
    approval_authority = models.CharField("审批机关", max_length=30, blank=True)
    approved_on = models.DateField("批准设立时间", null=True, blank=True)
    approved_area_ha = models.DecimalField("核准面积（公顷）", max_digits=10, decimal_places=2, null=True, blank=True)
    leading_industries = models.CharField("主导产业", max_length=200, blank=True)
    region = models.ForeignKey(Region, verbose_name="所属辖区", on_delete=models.PROTECT, related_name="parks")
    location = models.CharField("所在地", max_length=100, blank=True)
    lon = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    location_approximate = models.BooleanField("位置为近似（取辖区中心）", default=False)
    status = models.CharField("状态", max_length=10, choices=ParkStatus.choices, default=ParkStatus.ACTIVE)
    retired_on = models.DateField("撤销/整合日期", null=True, blank=True)
    retire_reason = models.CharField("撤销/整合说明", max_length=300, blank=True)
    catalog_seq = models.PositiveIntegerField("目录序号", null=True, blank=True)
    source = models.CharField("来源", max_length=200, blank=True)

    objects = ParkQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "园区"
        ordering = ["region__code", "code"]
        permissions = [("retire_park", "撤销/整合园区"), ("export_park", "导出园区")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:park_detail", args=[self.pk])

    @staticmethod
    def path_for(region: Region, code: str) -> str:
        return f"{region.path}/{code}"
