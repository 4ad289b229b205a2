"""Collective decisions (集体决策) and legality reviews (合法性审查) of a project, recorded as they were taken.

A record is a fact of a meeting: written once, never edited (a later meeting is a new record). The workflow reads
them: a 慎招 project (``needs_collective_decision``) signs only after a 集体决策 record with the outcome 同意
(``services.lifecycle.transition_problem``). The record may name the agreement or the incentive clause it is about;
a promise is an aftercare row above this app, so a record names its clause (one promise per clause)."""

from django.db import models
from django.urls import reverse

from zhaoshang.core.models import AppendOnlyModel, AppendOnlyQuerySet, recorded_by
from zhaoshang.projects.choices import DecisionKind, DecisionOutcome


class DecisionRecordQuerySet(AppendOnlyQuerySet):
    def agreed(self):
        return self.filter(outcome=DecisionOutcome.AGREED)

    def collective(self):
        return self.filter(kind=DecisionKind.COLLECTIVE)

    def legality(self):
        return self.filter(kind=DecisionKind.LEGALITY)


class DecisionRecord(AppendOnlyModel):
    append_only_hint = "；如需变更请录入新的决策记录"

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField("类型", max_length=12, choices=DecisionKind.choices)
    agreement = models.ForeignKey(
        "projects.Agreement",
        verbose_name="涉及协议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    clause = models.ForeignKey(
        "projects.IncentiveClause",
        verbose_name="涉及优惠条款（承诺）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    meeting = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("会议日期")
    participants = models.ManyToManyField("accounts.OrgUnit", verbose_name="参会单位", related_name="+", blank=True)
    outcome = models.CharField("结论", max_length=10, choices=DecisionOutcome.choices)
    notes = models.TextField("会议意见", max_length=4000, blank=True)
    path = models.CharField("辖区路径", max_length=120, db_index=True, editable=False)
    recorded_by = recorded_by("录入人", related_name="+")
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    scope_field = "path"
    objects = DecisionRecordQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "集体决策与合法性审查记录"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["project", "kind", "outcome"], name="projects_decision_gate_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.meeting}（{self.held_on:%Y-%m-%d}，{self.get_outcome_display()}）"

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.project_id]) + f"#decision-{self.pk}"
