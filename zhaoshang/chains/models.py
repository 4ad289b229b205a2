"""Industry chains (产业链全景图): versioned chains of nodes (a tree kept by django-tree-queries), the supply flows
between nodes (kept apart from the tree), and the placement of enterprises and projects on nodes.

A chain is edited as a new version: the administrators draft a copy of the current version, change it, and approve
it; the version it replaces stays as it was (its nodes, flows, thresholds and placements), so a diagnosis made on
it can always be made again. Every figure of a diagnosis names the version it was computed on.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from tree_queries.fields import TreeNodeForeignKey
from tree_queries.query import TreeQuerySet

from zhaoshang.chains.choices import (
    ChainStatus,
    Decision,
    LinkRole,
    NodeLevel,
    Origin,
    Position,
    Strength,
    ValueTier,
)
from zhaoshang.core.models import TimeStampedModel, recorded_by
from zhaoshang.core.scope import REFERENCE, ScopedQuerySet


def word_lines(text: str) -> list[str]:
    """Words of a keyword field: one a line, or separated by | or 、 (an administrator types either)."""
    words = []
    for line in (text or "").replace("|", "\n").replace("、", "\n").splitlines():
        word = line.strip()
        if word:
            words.append(word)
    return words


class ChainQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(status=ChainStatus.CURRENT)

    def drafts(self):
        return self.filter(status=ChainStatus.DRAFT)

    def versions_of(self, code: str):
        return self.filter(code=code).order_by("-version")


class IndustryChain(TimeStampedModel):
    """One version of the chain of a key industry (or of a focus chain the province names: 新能源电池, 磷化工 …).

    Province-wide reference data: every bureau reads the same chains. ``thresholds`` are the grade thresholds of
    the diagnosis (``diagnosis.Thresholds``), data of the version like its nodes."""

    code = models.SlugField("编码", max_length=40)
    name = models.CharField("产业链名称", max_length=60)
    short_name = models.CharField("简称", max_length=20, help_text="命令行和接口按简称或名称查找，如“绿色硅”")
    key_industry = models.ForeignKey(
        "catalog.KeyIndustry",
        verbose_name="所属重点产业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chains",
    )
    is_focus = models.BooleanField("省重点关注产业链", default=False)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    version = models.PositiveIntegerField("版本号", default=1)
    status = models.CharField("状态", max_length=10, choices=ChainStatus.choices, default=ChainStatus.DRAFT)
    source = models.TextField("编制依据", blank=True)
    description = models.TextField("说明", blank=True)
    revision_note = models.CharField("修订说明", max_length=300, blank=True)
    thresholds = models.JSONField("诊断分级阈值", default=dict, blank=True)
    # 靶向寻商 factor weights of this chain (``targeting.Weights``); empty = the shipped defaults.
    targeting_weights = models.JSONField("寻商评分权重", default=dict, blank=True)
    based_on = models.ForeignKey(
        "self", verbose_name="修订自", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions"
    )
    approved_by = recorded_by("审定人", null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)
    # The digest of the shipped data this version was loaded from ("" for a version the administrators made): a
    # newer shipped version replaces a current version only while it is still the one loaded.
    shipped_digest = models.CharField(max_length=64, blank=True, editable=False)

    scope_field = REFERENCE
    objects = ChainQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "产业链"
        ordering = ["sort_order", "code", "-version"]
        permissions = [
            ("export_industrychain", "导出产业链诊断"),
            ("approve_industrychain", "审定发布产业链版本"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="chains_chain_unique_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(status=ChainStatus.CURRENT), name="chains_chain_one_current"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(status=ChainStatus.DRAFT), name="chains_chain_one_draft"
            ),
        ]

    def __str__(self):
        return f"{self.name}（第{self.version}版）"

    def get_absolute_url(self):
        return reverse("chains:chain_map", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == ChainStatus.DRAFT

    @property
    def version_label(self) -> str:
        return f"第{self.version}版（{self.get_status_display()}）"


class ChainNodeQuerySet(TreeQuerySet, ScopedQuerySet):
    def of_chain(self, chain):
        return self.filter(chain=chain)


class ChainNode(models.Model):
    """A node of a chain: a segment (环节, with its position 上游/中游/下游/配套), a module below it, or a product or
    technology below that. ``key`` names the node across versions of its chain (placements and diagnoses of two
    versions are compared by it). The words identify enterprises and projects on the node (``placement.py``)."""

    chain = models.ForeignKey(IndustryChain, verbose_name="产业链", on_delete=models.CASCADE, related_name="nodes")
    parent = TreeNodeForeignKey(
        "self", verbose_name="上级节点", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    key = models.SlugField("节点标识", max_length=60, help_text="版本间不变的标识，只用字母、数字、下划线和连字符")
    name = models.CharField("节点名称", max_length=60)
    level = models.PositiveSmallIntegerField("层级", choices=NodeLevel.choices)
    position = models.CharField("位置", max_length=12, choices=Position.choices)
    value_tier = models.CharField("价值层级", max_length=8, choices=ValueTier.choices, default=ValueTier.MEDIUM)
    is_key_link = models.BooleanField("关键环节", default=False)
    keywords = models.TextField("识别词", blank=True, help_text="一行一个（或用 | 分隔）；后缀 ^N 表示权重 N")
    exclude_words = models.TextField("排除词", blank=True, help_text="文本中出现这些词时，先遮盖再识别本节点")
    gbt_codes = models.CharField(
        "对应行业小类", max_length=200, blank=True, help_text="GB/T 4754-2017 小类代码，逗号分隔"
    )
    description = models.TextField("说明", blank=True)
    seq = models.PositiveIntegerField("同级排序", default=0)

    scope_field = REFERENCE
    objects = ChainNodeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "产业链节点"
        ordering = ["chain", "seq", "id"]
        constraints = [models.UniqueConstraint(fields=["chain", "key"], name="chains_node_unique_key")]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.parent_id:
            if self.parent.chain_id != self.chain_id:
                errors["parent"] = "上级节点必须属于同一产业链"
            elif self.parent.level >= NodeLevel.PRODUCT:
                errors["parent"] = "产品/技术节点下不能再设下级节点"
            elif self.pk and self.parent_id in self.subtree_ids():
                errors["parent"] = "上级节点不能是本节点或其下级"
        if errors:
            raise ValidationError(errors)

    def subtree_ids(self) -> set[int]:
        """This node and every node below it (one recursive query)."""
        return set(ChainNode.objects.descendants(self, include_self=True).values_list("pk", flat=True))

    @property
    def keyword_list(self) -> list[str]:
        return word_lines(self.keywords)

    @property
    def exclude_list(self) -> list[str]:
        return word_lines(self.exclude_words)

    @property
    def gbt_list(self) -> list[str]:
        return [c.strip() for c in self.gbt_codes.replace(";", ",").split(",") if c.strip()]


class ChainFlow(models.Model):
    """``source`` supplies ``target`` (供给关系): kept apart from the tree, since a product feeds nodes in other
    segments (工业硅 → 多晶硅 → 拉晶 …) and the tree only says where a node belongs."""

    chain = models.ForeignKey(IndustryChain, verbose_name="产业链", on_delete=models.CASCADE, related_name="flows")
    source = models.ForeignKey(ChainNode, verbose_name="供给方节点", on_delete=models.CASCADE, related_name="flows_out")
    target = models.ForeignKey(ChainNode, verbose_name="需求方节点", on_delete=models.CASCADE, related_name="flows_in")
    note = models.CharField("说明", max_length=200, blank=True)

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "产业链供给关系"
        ordering = ["chain", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="chains_flow_unique")]

    def __str__(self):
        return f"{self.source} → {self.target}"

    def clean(self):
        if self.source_id and self.target_id:
            if self.source_id == self.target_id:
                raise ValidationError("供给关系的两端不能是同一节点")
            if self.source.chain_id != self.chain_id or self.target.chain_id != self.chain_id:
                raise ValidationError("供给关系的两端必须属于本产业链")


class NodeLinkBase(models.Model):
    """A placement: who is on a node, in what role, on what evidence, and who decided. Automatic placement writes
    ``auto`` rows; an officer's confirmation or rejection makes it ``officer`` and is never overwritten by a later
    automatic run."""

    role = models.CharField("角色", max_length=14, choices=LinkRole.choices, default=LinkRole.PRODUCER)
    strength = models.CharField("证据强度", max_length=8, choices=Strength.choices)
    evidence = models.JSONField("证据", default=list, blank=True)
    score = models.FloatField("得分", default=0)
    decision = models.CharField("结论", max_length=10, choices=Decision.choices, default=Decision.UNCERTAIN)
    origin = models.CharField("来源", max_length=8, choices=Origin.choices, default=Origin.AUTO)
    decided_by = recorded_by("决定人", null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    placed_at = models.DateTimeField("识别时间", auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def evidence_text(self) -> str:
        """The evidence in words: 「项目简介：多晶硅、还原炉」；「行业代码：3218」."""
        parts = []
        for item in self.evidence or []:
            words = "、".join(item.get("words", []))
            parts.append(f"{item.get('source', '')}：{words}" if words else item.get("source", ""))
        return "；".join(parts)


class EnterpriseNodeLink(NodeLinkBase):
    """An enterprise on a node. Enterprises are shared across the province (reference data), and so are these."""

    node = models.ForeignKey(ChainNode, verbose_name="节点", on_delete=models.CASCADE, related_name="enterprise_links")
    enterprise = models.ForeignKey(
        "investors.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="chain_links"
    )

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "企业挂链"
        ordering = ["node", "id"]
        permissions = [("export_enterprisenodelink", "导出企业挂链")]
        constraints = [models.UniqueConstraint(fields=["node", "enterprise"], name="chains_enterprise_link_unique")]
        indexes = [
            models.Index(fields=["enterprise", "node"], name="chains_elink_enterprise_idx"),
            models.Index(fields=["node", "decision"], name="chains_elink_node_decision_idx"),
        ]

    def __str__(self):
        return f"{self.enterprise} @ {self.node}"


class ProjectNodeLink(NodeLinkBase):
    """A project on a node by its own words (name, description, industry code); a project is also on the nodes of
    its investor (inherited in the diagnosis, not copied here)."""

    node = models.ForeignKey(ChainNode, verbose_name="节点", on_delete=models.CASCADE, related_name="project_links")
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="chain_links"
    )

    scope_field = "project__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "项目挂链"
        ordering = ["node", "id"]
        permissions = [("export_projectnodelink", "导出项目挂链")]
        constraints = [models.UniqueConstraint(fields=["node", "project"], name="chains_project_link_unique")]
        indexes = [
            models.Index(fields=["project", "node"], name="chains_plink_project_idx"),
            models.Index(fields=["node", "decision"], name="chains_plink_node_decision_idx"),
        ]

    def __str__(self):
        return f"{self.project} @ {self.node}"


# Issue 16's models, in their own module (see its docstring); imported here so Django finds them.
from zhaoshang.chains.presence_models import InvestorPresence, NodePresence  # noqa: E402
from zhaoshang.chains.targeting_models import ParkProfile, Signal, TargetOutcome  # noqa: E402

__all__ = [
    "ChainFlow",
    "ChainNode",
    "EnterpriseNodeLink",
    "IndustryChain",
    "InvestorPresence",
    "NodePresence",
    "ParkProfile",
    "ProjectNodeLink",
    "Signal",
    "TargetOutcome",
]
