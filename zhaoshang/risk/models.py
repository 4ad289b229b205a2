"""Risk warnings (风险预警, 2022 opinion 六（六）; 招大引强 measures §8): rules kept as data, and the warnings a scan
raises on projects. A warning lives in the project's jurisdiction (its ``path``) and changes state only through
``services``; the scan never closes one: a condition that is gone is marked 条件已消除 until a person resolves it."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhaoshang.core.models import recorded_by
from zhaoshang.core.scope import REFERENCE, ScopedQuerySet
from zhaoshang.risk.choices import LIVE_STATES, WarningState


class RiskRule(models.Model):
    """One rule of the scan: its evaluator is ``rules.EVALUATORS[code]``; weight, parameters and enabled are data
    that administrators edit (audited)."""

    code = models.CharField("规则代码", max_length=40, unique=True)
    name = models.CharField("规则名称", max_length=100)
    description = models.TextField("说明", max_length=2000, blank=True)
    weight = models.PositiveSmallIntegerField("权重", default=10, help_text="计入项目风险分")
    params = models.JSONField("参数", default=dict, blank=True, help_text='如 {"months": 3}')
    enabled = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=100)
    updated_by = recorded_by("修改人", null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField("修改时间", null=True, blank=True)

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "风险规则"
        ordering = ["order", "code"]
        permissions = [("export_riskrule", "导出风险规则")]

    def __str__(self):
        return self.name

    def param(self, name: str, default: int) -> int:
        try:
            return int(self.params.get(name, default))
        except (TypeError, ValueError, AttributeError):
            return default


class RiskWarningQuerySet(ScopedQuerySet):
    def live(self):
        return self.filter(state__in=LIVE_STATES)

    def within(self, region_path: str):
        return self.filter(Q(path=region_path) | Q(path__startswith=region_path + "/"))


class RiskWarning(models.Model):
    """A rule's finding on a project. ``fact_key`` names the facts it was raised on (a signing date and how many
    times N months have passed, the overdue promises' ids…): a dismissed or resolved warning does not come back for
    the same facts, a new fact raises a new warning."""

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(RiskRule, verbose_name="规则", on_delete=models.PROTECT, related_name="warnings")
    reason = models.CharField("预警原因", max_length=500)
    fact_key = models.CharField("事实标识", max_length=200, editable=False)
    weight = models.PositiveSmallIntegerField("权重", default=0, help_text="发现时规则的权重")
    path = models.CharField("辖区路径", max_length=120, db_index=True, editable=False)
    state = models.CharField("状态", max_length=12, choices=WarningState.choices, default=WarningState.OPEN)
    first_seen = models.DateField("首次发现")
    last_seen = models.DateField("最近发现")
    cleared_on = models.DateField("条件消除日期", null=True, blank=True, help_text="扫描发现预警条件已不存在")
    decided_by = recorded_by("处理人", null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decision_note = models.CharField("处理说明", max_length=500, blank=True)

    scope_field = "path"
    objects = RiskWarningQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "风险预警"
        ordering = ["-first_seen", "-id"]
        permissions = [("export_riskwarning", "导出风险预警")]
        constraints = [
            # One live warning per project and rule: a re-scan updates it, never duplicates it.
            models.UniqueConstraint(
                fields=["project", "rule"], condition=Q(state__in=LIVE_STATES), name="risk_one_live_warning"
            )
        ]
        indexes = [models.Index(fields=["rule", "state"], name="risk_rule_state_idx")]

    def __str__(self):
        return f"{self.project.name}：{self.rule.name}"

    def get_absolute_url(self):
        return reverse("risk:warning_detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES
