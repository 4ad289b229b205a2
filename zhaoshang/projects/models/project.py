from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Sum
from django.urls import reverse

from zhaoshang.core.formatting import wan
from zhaoshang.core.models import JurisdictionModel, not_null_indexes, recorded_by
from zhaoshang.core.scope import ScopedQuerySet, path_q
from zhaoshang.projects.choices import (
    BILLION_WAN,
    PROVINCE_CHOICES,
    SIGNED_OR_LATER,
    TEN_BILLION_WAN,
    AgreementKind,
    Currency,
    ProjectCategory,
    ProjectSource,
    RegionGroup,
    Stage,
    next_stages,
)
from zhaoshang.projects.models.admission import AdmissionVerdict
from zhaoshang.projects.models.transfer import project_shared_scope

MONEY = {"max_digits": 14, "decimal_places": 2}


class ProjectQuerySet(ScopedQuerySet):
    """Roll-up helpers. ``counted()`` is where every roll-up starts: one real investment is one record."""

    def counted(self):
        """Projects that count: a record merged into another (a duplicate) never does."""
        return self.filter(merged_into__isnull=True)

    def in_stage(self, *stages):
        return self.filter(stage__in=stages)

    def signed(self):
        """Projects that have been signed (including those signed and then terminated)."""
        return self.filter(first_signed_on__isnull=False)

    def signed_between(self, start: date, end: date):
        """Counted projects whose first signing falls in [start, end]: a project is signed once, at its first
        signing; a later upgrade (升格) of its agreement does not sign it again."""
        return self.counted().filter(first_signed_on__gte=start, first_signed_on__lte=end)

    def signed_in(self, year: int):
        return self.signed_between(date(year, 1, 1), date(year, 12, 31))

    def at_least_wan(self, threshold):
        return self.filter(agreed_investment_wan__gte=threshold)

    def billion_plus(self):
        """亿元以上项目: 协议投资额 ≥ 1 亿元."""
        return self.at_least_wan(BILLION_WAN)

    def ten_billion_plus(self):
        """10亿元以上项目 (招大引强)."""
        return self.at_least_wan(TEN_BILLION_WAN)

    def fortune500(self):
        return self.filter(Q(is_global500=True) | Q(is_china500=True) | Q(is_private500=True))

    def in_industry(self, code: str):
        return self.filter(key_industry__code=code)

    def in_region(self, region):
        return self.filter(path_q("path", region.path))

    def stalled(self):
        return self.filter(stalled=True)

    def needing_collective_decision(self):
        """慎招 projects: saved, but to be decided collectively."""
        return self.filter(needs_collective_decision=True)

    def capital_increases(self):
        """增资扩产 records: children of an earlier project, each carrying only its increment."""
        return self.filter(parent__isnull=False)

    def agreed_total_wan(self):
        """Sum of 协议投资额 of counted projects; a 增资 child holds only its increment, so nothing counts twice."""
        return self.counted().aggregate(total=Sum("agreed_investment_wan"))["total"] or 0


class Project(JurisdictionModel):
    """One real investment project. ``path`` is its county's path, or its park's when it sits in a park."""

    name = models.CharField("项目名称", max_length=200)
    description = models.TextField(
        "项目简介", max_length=5000, blank=True, help_text="建设内容、产品和规模，用于产业分类和准入检查"
    )
    investor = models.ForeignKey(
        "investors.Enterprise", verbose_name="投资方", on_delete=models.PROTECT, related_name="projects"
    )
    key_industry = models.ForeignKey(
        "catalog.KeyIndustry",
        verbose_name="重点产业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        help_text="不属于12个重点产业的留空（非重点产业）",
    )
    industry_class = models.ForeignKey(
        "catalog.IndustryClass",
        verbose_name="国民经济行业分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )
    # Left empty by the officer, the industry and class are taken from the classification of the name and
    # description; these say so (pages show 系统建议) until the officer sets them.
    industry_suggested = models.BooleanField("重点产业由系统建议", default=False)
    class_suggested = models.BooleanField("行业分类由系统建议", default=False)
    county = models.ForeignKey(
        "regions.Region", verbose_name="所在县市区", on_delete=models.PROTECT, related_name="projects", db_index=False
    )
    park = models.ForeignKey(
        "regions.Park",
        verbose_name="所在园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        db_index=False,
    )
    agreed_investment_wan = models.DecimalField("协议投资额（万元）", default=0, **MONEY)
    source_province = models.CharField("资金来源省份", max_length=20, blank=True, choices=PROVINCE_CHOICES)
    region_group = models.CharField("来源区域", max_length=20, blank=True, choices=RegionGroup.choices, editable=False)
    category = models.CharField(
        "项目类别",
        max_length=20,
        choices=ProjectCategory.choices,
        default=ProjectCategory.INDUSTRY,
        help_text="房地产、基础设施、金融项目不计入产业类到位资金",
    )
    is_foreign = models.BooleanField("外资项目", default=False)
    currency = models.CharField("币种", max_length=5, choices=Currency.choices, default=Currency.CNY)
    is_global500 = models.BooleanField("世界500强", default=False)
    is_china500 = models.BooleanField("中国500强", default=False)
    is_private500 = models.BooleanField("民营500强", default=False)
    is_chain_leader = models.BooleanField("链主企业", default=False)
    is_headquarters = models.BooleanField("总部项目", default=False)
    land_mu = models.DecimalField("用地（亩）", max_digits=12, decimal_places=2, null=True, blank=True)
    expected_annual_tax_wan = models.DecimalField("预计年税收（万元）", null=True, blank=True, **MONEY)
    jobs = models.PositiveIntegerField("带动就业（人）", null=True, blank=True)
    responsible_person = models.CharField("责任人（专人盯）", max_length=50, blank=True)
    lead_department = models.CharField("牵头单位", max_length=100, blank=True)
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices, default=Stage.LEAD)
    stage_on = models.DateField("进入当前阶段日期")
    first_signed_on = models.DateField("首次签约日期", null=True, blank=True, db_index=True, editable=False)
    stalled = models.BooleanField("停滞", default=False)
    stalled_note = models.CharField("停滞说明", max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="增资扩产的原项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="capital_increases",
        db_index=False,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="已合并入",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_projects",
        editable=False,
        db_index=False,
    )
    merged_on = models.DateField("合并日期", null=True, blank=True, editable=False)
    source = models.CharField("来源", max_length=10, choices=ProjectSource.choices, default=ProjectSource.ENTRY)
    # The latest admission check (准入), written by the create/update services; "" = not checked yet.
    admission_verdict = models.CharField(
        "准入结论", max_length=10, choices=AdmissionVerdict.choices, blank=True, editable=False
    )
    admission_rules = models.JSONField("触发的准入规则", default=list, blank=True, editable=False)
    admission_reasons = models.JSONField("准入理由", default=list, blank=True, editable=False)
    needs_collective_decision = models.BooleanField("需集体研判", default=False, editable=False)
    external_code = models.CharField(
        "项目编号",
        max_length=50,
        blank=True,
        editable=False,
        help_text="导入文件中的项目编号，县市区内唯一：再次导入同一文件不会重复创建",
    )

    objects = ProjectQuerySet.as_manager()
    shared_scope = project_shared_scope("pk")  # read-only for the side a completed transfer moved it from

    class Meta:
        verbose_name = verbose_name_plural = "项目"
        ordering = ["-id"]
        permissions = [("export_project", "导出项目")]
        indexes = [
            models.Index(fields=["county", "stage"]),
            models.Index(fields=["agreed_investment_wan"]),
            # The project list: a filter on stage and industry, newest first, reads its page straight from the index;
            # sorted by amount or first signing, newest first (``pk`` breaks ties, ascending), likewise; the ascending
            # sorts use the single-column indexes.
            models.Index(fields=["stage", "key_industry", "id"], name="project_stage_industry_idx"),
            models.Index(fields=["key_industry", "id"], name="project_industry_idx"),
            models.Index(F("agreed_investment_wan").desc(), "id", name="project_amount_desc_idx"),
            models.Index(F("first_signed_on").desc(), "id", name="project_signed_desc_idx"),
            # Every index is written by every import (10,000 rows at a time): county, stage and industry are
            # served by the composite indexes above that start with them; flags by partial indexes of the few
            # rows that carry them; no pattern-matching (LIKE) index for the coded fields.
            models.Index(fields=["admission_verdict"], name="project_admission_idx"),
            models.Index(fields=["id"], condition=Q(stalled=True), name="project_stalled_idx"),
            models.Index(fields=["id"], condition=Q(needs_collective_decision=True), name="project_collective_idx"),
            # References that most rows leave empty are indexed only where set: they are looked up by value.
            *not_null_indexes("project", ["park", "industry_class", "parent", "merged_into"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "external_code"],
                condition=~Q(external_code=""),
                name="project_external_code_unique_per_county",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.county_id and self.county.level != 3:
            errors["county"] = "请选择县市区"
        if self.park_id and self.county_id and self.park.region_id != self.county_id:
            errors["park"] = f"园区“{self.park.name}”不属于{self.county.name}"
        if self.agreed_investment_wan is not None and self.agreed_investment_wan < 0:
            errors["agreed_investment_wan"] = "协议投资额不能为负数"
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = "项目不能是自己的增资扩产"
        if errors:
            raise ValidationError(errors)

    @property
    def node_path(self) -> str:
        return self.park.path if self.park_id else self.county.path

    @property
    def amount_yi(self):
        return (self.agreed_investment_wan or 0) / 10000

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    @property
    def admission_overridden(self) -> bool:
        """A 不招 verdict that an authorised user decided to take anyway (the decision row says who and why)."""
        return self.admission_verdict == AdmissionVerdict.REJECT

    @property
    def is_signed(self) -> bool:
        return self.stage in SIGNED_OR_LATER

    @property
    def allowed_next(self) -> list[str]:
        return [] if self.is_merged else next_stages(self.stage)

    @property
    def allowed_next_labels(self) -> list[tuple[str, str]]:
        return [(code, Stage(code).label) for code in self.allowed_next]

    def investor_on(self, day: date):
        """The investor the project counted under on ``day`` (换业主 takes effect on its date)."""
        investor = self.investor
        for change in self.investor_changes.select_related("from_investor").order_by("-on", "-id"):
            if change.on > day:
                investor = change.from_investor
        return investor

    def current_agreements(self):
        """Agreements in force: those no later agreement has upgraded."""
        return self.agreements.filter(upgraded_by__isnull=True)


class ProjectTransition(models.Model):
    """One step of the lifecycle, with its date, who made it and why. Rows are written only by services. A step
    taken through the platform is always dated; an imported project's intermediate stage that the file gives no
    date for (注册 of a project imported at 开工) has none, and says so (``on`` is None: 日期未填报)."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="transitions")
    from_stage = models.CharField("原阶段", max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField("新阶段", max_length=20, choices=Stage.choices)
    on = models.DateField("日期", null=True, blank=True, help_text="导入的中间阶段未填报日期时为空")
    actor = recorded_by("操作人", null=True)
    note = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    merged_from = models.ForeignKey(
        Project, verbose_name="合并自", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scope_field = "project__path"
    objects = ScopedQuerySet.as_manager()
    shared_scope = project_shared_scope("project_id")

    class Meta:
        verbose_name = verbose_name_plural = "项目阶段变更"
        # The order recorded (an undated step has no place in a sort by date; ``in_order`` interleaves a merge).
        ordering = ["id"]

    def __str__(self):
        return f"{self.project} {self.get_from_stage_display() or '—'} → {self.get_to_stage_display()}"

    @staticmethod
    def in_order(transitions) -> list["ProjectTransition"]:
        """A project's steps in the order taken: by date, an undated step right after the step recorded before it
        (in the same record: a merge brings another record's steps)."""
        known, keyed = {}, []
        for step in sorted(transitions, key=lambda t: t.pk):
            source = step.merged_from_id
            if step.on is not None:
                known[source] = step.on
            keyed.append(((step.on or known.get(source) or date.min), step.pk, step))
        return [step for *_, step in sorted(keyed, key=lambda item: item[:2])]


class AgreementQuerySet(ScopedQuerySet):
    def counted(self):
        return self.filter(project__merged_into__isnull=True)

    def signed_between(self, start: date, end: date):
        return self.counted().filter(signed_on__gte=start, signed_on__lte=end)

    def counted_total_wan(self):
        """Signed investment of a period: an upgrade (升格) adds only its increment."""
        return self.aggregate(total=Sum("counted_amount_wan"))["total"] or 0


class Agreement(models.Model):
    """An investment agreement. An upgrade (升格) is a new agreement that ``upgrades`` the earlier one and
    counts only the increase (``counted_amount_wan``)."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField("协议类型", max_length=20, choices=AgreementKind.choices, default=AgreementKind.CONTRACT)
    signed_on = models.DateField("签约日期")
    amount_wan = models.DecimalField("协议投资额（万元）", **MONEY)
    counted_amount_wan = models.DecimalField("计入签约额（万元）", editable=False, **MONEY)
    term_years = models.PositiveSmallIntegerField("协议期限（年）", null=True, blank=True)
    upgrades = models.OneToOneField(
        "self", verbose_name="升格自", null=True, blank=True, on_delete=models.PROTECT, related_name="upgraded_by"
    )
    note = models.CharField("备注", max_length=500, blank=True)
    created_by = recorded_by("录入人", null=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    scope_field = "project__path"
    objects = AgreementQuerySet.as_manager()
    shared_scope = project_shared_scope("project_id")

    class Meta:
        verbose_name = verbose_name_plural = "投资协议"
        ordering = ["signed_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.signed_on:%Y-%m-%d}，{wan(self.amount_wan)}）"


class IncentiveClause(models.Model):
    """A promised incentive (招商承诺) of an agreement, kept as a row so that its payment can be tracked."""

    agreement = models.ForeignKey(Agreement, verbose_name="协议", on_delete=models.PROTECT, related_name="clauses")
    content = models.CharField("优惠条款", max_length=300)
    amount_wan = models.DecimalField("金额（万元）", null=True, blank=True, **MONEY)
    conditions = models.CharField("兑现条件", max_length=300, blank=True)
    due_on = models.DateField("兑现期限", null=True, blank=True)

    scope_field = "agreement__project__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "协议优惠条款"
        ordering = ["id"]

    def __str__(self):
        return self.content


class InvestorChange(models.Model):
    """换业主: the project is kept; from ``on`` it counts under the new investor."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="investor_changes")
    from_investor = models.ForeignKey(
        "investors.Enterprise", verbose_name="原投资方", on_delete=models.PROTECT, related_name="+"
    )
    to_investor = models.ForeignKey(
        "investors.Enterprise", verbose_name="新投资方", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField("变更日期")
    note = models.CharField("说明", max_length=500, blank=True)
    actor = recorded_by("操作人", null=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    scope_field = "project__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "换业主记录"
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.project}：{self.from_investor} → {self.to_investor}"
