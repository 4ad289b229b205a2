"""Models of 靶向寻商 and 项目匹配 (issue 16): expansion signals of enterprises, what an officer did with a candidate
(the outcome shown the next time the list is read), and the park's matching profile (承载条件) beside the park.

Imported by ``models.py`` (one models module for Django), kept apart so that neither passes ~600 lines."""

from django.db import models
from django.urls import reverse

from zhaoshang.chains.choices import OutcomeStatus, SignalKind, SignalOrigin
from zhaoshang.core.models import JurisdictionModel, TimeStampedModel, recorded_by
from zhaoshang.core.scope import REFERENCE, ScopedQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


class Signal(TimeStampedModel):
    """An expansion signal of an enterprise (融资, 扩产, 新设子公司 …; 注销子公司 counts against, 企业注销 takes the
    enterprise out of the candidates). Enterprises are shared reference data, and so are their signals. A signal
    weighs less with age (``targeting.signal_value``). Signals derived from the platform's own data (a project of
    the group in Yunnan, an activity that met it) are computed when read, not stored."""

    enterprise = models.ForeignKey(
        "investors.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="signals"
    )
    kind = models.CharField("信号类型", max_length=20, choices=SignalKind.choices)
    on = models.DateField("日期")
    source = models.CharField("来源", max_length=200)
    evidence = models.TextField("证据", blank=True)
    origin = models.CharField("登记方式", max_length=10, choices=SignalOrigin.choices, default=SignalOrigin.OFFICER)

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "企业扩张信号"
        ordering = ["-on", "-id"]
        permissions = [("export_signal", "导出企业扩张信号")]
        indexes = [models.Index(fields=["enterprise", "on"], name="chains_signal_enterprise_idx")]

    def __str__(self):
        return f"{self.enterprise}：{self.get_kind_display()}（{self.on:%Y-%m-%d}）"


class TargetOutcome(JurisdictionModel):
    """What was done with a candidate for a region: who follows it, and how it went (联系中 / 无意向 / 在谈 / 签约).
    One row an action (append-only in use); the list shows the latest per enterprise and region. ``path`` is the
    region's: an outcome is seen in that region and above, never by a sibling (404)."""

    region = models.ForeignKey("regions.Region", verbose_name="地区", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        "investors.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="target_outcomes"
    )
    chain = models.ForeignKey(
        "chains.IndustryChain", verbose_name="产业链", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    node_key = models.CharField("节点标识", max_length=60, blank=True)
    status = models.CharField("结果", max_length=12, choices=OutcomeStatus.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    owner = recorded_by("专人盯", null=True, blank=True, related_name="+")
    project = models.ForeignKey(
        "projects.Project", verbose_name="线索/项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        "investors.Activity", verbose_name="招商活动", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "靶向寻商结果"
        ordering = ["-created_at", "-id"]
        permissions = [("export_targetoutcome", "导出靶向寻商结果")]
        indexes = [models.Index(fields=["enterprise", "path"], name="chains_outcome_enterprise_idx")]

    def __str__(self):
        return f"{self.enterprise} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("chains:candidate", args=[self.enterprise_id]) + f"?region={self.region.code}"


class ParkProfile(TimeStampedModel):
    """A park's matching profile (承载条件): land, factories, power, transport and its own indicators, each set with
    the date and source of the figures. Edited by the park's bureau (its county, prefecture) and the province: scoped
    by the park's path. ``admitted_nodes`` / ``excluded_nodes`` are chain node keys (准入: the park's own list)."""

    park = models.OneToOneField("regions.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="profile")
    land_available_mu = models.DecimalField("可供工业用地（亩）", null=True, blank=True, **MONEY)
    standard_land_mu = models.DecimalField("其中“标准地”（亩）", null=True, blank=True, **MONEY)
    standard_factory_m2 = models.DecimalField("可租售标准厂房（平方米）", null=True, blank=True, **MONEY)
    power_price_yuan_kwh = models.DecimalField(
        "大工业电价（元/千瓦时）", max_digits=6, decimal_places=4, null=True, blank=True
    )
    green_power_share = models.DecimalField("绿电占比（%）", max_digits=5, decimal_places=1, null=True, blank=True)
    power_capacity_mva = models.DecimalField("可用供电容量（兆伏安）", null=True, blank=True, **MONEY)
    water_capacity_t_day = models.DecimalField("可用供水能力（吨/日）", null=True, blank=True, **MONEY)
    rail_km = models.DecimalField("距铁路货运站（公里）", max_digits=7, decimal_places=1, null=True, blank=True)
    port_km = models.DecimalField("距边境口岸（公里）", max_digits=7, decimal_places=1, null=True, blank=True)
    eia_classes = models.CharField(
        "可承接环评类别", max_length=60, blank=True, help_text="逗号分隔：报告书、报告表、登记表；空为不限"
    )
    output_per_mu_wan = models.DecimalField("亩均产值（万元/亩）", null=True, blank=True, **MONEY)
    tax_per_mu_wan = models.DecimalField("亩均税收（万元/亩）", null=True, blank=True, **MONEY)
    admitted_nodes = models.TextField("优先承接节点", blank=True, help_text="产业链节点标识，一行一个")
    excluded_nodes = models.TextField("不予承接节点", blank=True, help_text="产业链节点标识，一行一个")
    as_of = models.DateField("数据日期")
    source = models.CharField("数据来源", max_length=200)

    scope_field = "park__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "园区承载条件"
        ordering = ["park__code"]

    def __str__(self):
        return f"{self.park}承载条件"

    def get_absolute_url(self):
        return reverse("chains:park_profile", args=[self.park_id])
