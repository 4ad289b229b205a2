"""Admission (准入) decisions recorded against a project: the verdict of the check when it mattered (慎招, or a
不招 that an authorised user decided to take anyway), who decided and why. Rows are append-only."""

from django.db import models

from zhaoshang.core.models import AppendOnlyModel, AppendOnlyQuerySet, recorded_by


class AdmissionVerdict(models.TextChoices):
    PASS = "pass", "准入通过"
    REVIEW = "review", "慎招"
    REJECT = "reject", "不招"


class AdmissionDecisionQuerySet(AppendOnlyQuerySet):
    def overrides(self):
        return self.filter(overridden=True)


class AdmissionDecision(AppendOnlyModel):
    """One recorded admission decision. ``overridden`` marks a 不招 verdict that was decided to be taken anyway
    (needs ``projects.override_admission`` and a reason); a 慎招 verdict is recorded for collective decision."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="admission_decisions"
    )
    verdict = models.CharField("准入结论", max_length=10, choices=AdmissionVerdict.choices)
    rules = models.JSONField("触发的规则", default=list)
    reasons = models.JSONField("理由", default=list)
    industry = models.CharField("产业分类", max_length=50, blank=True)
    overridden = models.BooleanField("决定放行", default=False)
    reason = models.TextField("决定理由", blank=True)
    decided_by = recorded_by("决定人")
    decided_at = models.DateTimeField("决定时间", auto_now_add=True)

    scope_field = "project__path"
    objects = AdmissionDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "准入决定"
        ordering = ["-decided_at", "-id"]
        permissions = [("override_admission", "放行准入结论为“不招”的项目（须记录理由）")]

    def __str__(self):
        action = "决定放行" if self.overridden else "记录"
        return f"{self.project}：{self.get_verdict_display()}（{action}）"
