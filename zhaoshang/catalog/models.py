from django.db import models

from zhaoshang.core.scope import REFERENCE, ScopedQuerySet


class KeyIndustry(models.Model):
    """One of the 12 key industries (重点产业) of the 2022-12-01 opinion."""

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    description = models.TextField("说明", blank=True)
    clause = models.CharField("依据", max_length=200, blank=True)
    terms = models.TextField(
        "识别词", blank=True, help_text="产业级识别词（子项的识别词在子项中）。一行一个；后缀 ^N 表示权重 N"
    )
    gbt_codes = models.CharField(
        "对应行业小类", max_length=200, blank=True, help_text="GB/T 4754-2017 小类代码，逗号分隔"
    )

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


TERMS_HELP = "一行一个识别词；后缀 ^N 表示权重 N（如 topcon^3）"
CODES_HELP = "GB/T 4754-2017 小类代码，逗号分隔"


class IndustrySubItem(models.Model):
    """A guidance-catalog sub-item of a key industry (附件1 一), with the words that identify it."""

    industry = models.ForeignKey(
        KeyIndustry, verbose_name="重点产业", on_delete=models.CASCADE, related_name="sub_items"
    )
    seq = models.PositiveSmallIntegerField("序号")
    name = models.CharField("子项", max_length=120)
    detail = models.TextField("目录原文", blank=True)
    terms = models.TextField("识别词", blank=True, help_text=TERMS_HELP)
    gbt_codes = models.CharField("对应行业小类", max_length=200, blank=True, help_text=CODES_HELP)

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "重点产业子项"
        ordering = ["industry__sort_order", "seq"]
        constraints = [models.UniqueConstraint(fields=["industry", "seq"], name="catalog_subitem_unique_seq")]

    def __str__(self):
        return f"{self.industry.name} {self.seq}. {self.name}"


class ExcludedKind(models.Model):
    """Kinds that are not 产业类 (房地产 / 基础设施 / 金融), recognised by the classifier."""

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    clause = models.CharField("依据", max_length=200, blank=True)
    terms = models.TextField("识别词", blank=True, help_text=TERMS_HELP)
    gbt_codes = models.CharField("对应行业小类", max_length=200, blank=True, help_text=CODES_HELP)

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "非产业类项目类别"
        ordering = ["code"]

    def __str__(self):
        return self.name


class OvercapacityIndustry(models.Model):
    """An industry named as severely over capacity (产能严重过剩) by a State Council document."""

    industry = models.CharField("行业", max_length=30)
    industry_en = models.CharField("英文名", max_length=60, blank=True)
    policy_document = models.CharField("文件名称", max_length=120)
    doc_number = models.CharField("文号", max_length=40)
    published = models.DateField("发布日期", null=True, blank=True)
    capacity_utilization_2012_pct = models.DecimalField(
        "2012年产能利用率（%）", max_digits=5, decimal_places=1, null=True, blank=True
    )
    policy_targets = models.TextField("政策目标", blank=True)
    gbt_codes = models.CharField("对应行业小类", max_length=200, blank=True, help_text=CODES_HELP)
    terms = models.TextField("识别新增产能的词", blank=True, help_text=TERMS_HELP)
    exclude_terms = models.TextField("排除词（下游、综合利用等）", blank=True, help_text="一行一个")
    source_url = models.TextField("来源", blank=True)
    shipped_digest = models.CharField(max_length=64, blank=True, editable=False)  # see AdmissionRule

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "产能严重过剩行业"
        ordering = ["industry", "doc_number"]
        constraints = [
            models.UniqueConstraint(fields=["industry", "doc_number"], name="catalog_overcapacity_unique_doc")
        ]

    def __str__(self):
        return f"{self.industry}（{self.doc_number}）"


class RuleCategory(models.TextChoices):
    PROHIBITED = "prohibited", "禁止类"
    RESTRICTED = "restricted", "限制类"
    ELIMINATED = "eliminated", "淘汰类"
    SECURITY_ECOLOGY = "security_ecology", "危害国家安全、生态安全或公共利益"
    CAUTIOUS = "cautious", "慎招"


class ThresholdMeasure(models.TextChoices):
    T_PER_YEAR = "t_per_year", "吨/年"
    T_PER_DAY = "t_per_day", "吨/日"
    T = "t", "吨"
    KVA = "kva", "千伏安"
    MW = "mw", "兆瓦"
    M2 = "m2", "平方米"
    M3 = "m3", "立方米"
    HA = "ha", "公顷"
    MU = "mu", "亩"
    KV = "kv", "千伏"


class ThresholdOp(models.TextChoices):
    BELOW = "below", "以下（不含）"
    AT_MOST = "at_most", "及以下"
    ABOVE = "above", "以上（不含）"


class AdmissionRule(models.Model):
    """A 禁止/限制/淘汰 item of a national list (or a 慎招 / 安全生态 rule) with the words that identify it.

    It fires when every line of ``match_all`` finds one of its ``|``-separated words in the project text, not
    negated in its clause, and no word of ``unless_terms`` is affirmed there (a planned or denied exemption does
    not count). With a size threshold, it fires only for a stated size on the threshold's side, and asks for
    review when the text states no size.
    """

    code = models.SlugField("编码", max_length=60, unique=True)
    category = models.CharField("类别", max_length=20, choices=RuleCategory.choices)
    title = models.CharField("条目", max_length=300)
    source = models.CharField("出处", max_length=300)
    list_name = models.CharField("所属目录", max_length=60, blank=True)
    sector = models.CharField("行业", max_length=30, blank=True)
    clause = models.CharField("条目位置", max_length=120, blank=True)
    match_all = models.TextField("识别词", help_text="每行一组，组内用 | 分隔；每组至少命中一个")
    unless_terms = models.TextField("除外词", blank=True, help_text="用 | 分隔；任一词被肯定表述时不触发")
    reports_as = models.CharField(
        "结论中的规则",
        max_length=40,
        blank=True,
        help_text="留空时为类别（慎招为编码）；同一类慎招的多条线索填同一规则",
    )
    threshold_measure = models.CharField("规模指标", max_length=12, choices=ThresholdMeasure.choices, blank=True)
    threshold_op = models.CharField("阈值方向", max_length=10, choices=ThresholdOp.choices, blank=True)
    threshold_value = models.DecimalField("规模阈值", max_digits=14, decimal_places=2, null=True, blank=True)
    new_only = models.BooleanField("仅限新建、扩建", default=False)
    verified = models.BooleanField("已与官方文本核对", default=False)
    confidence = models.CharField("把握程度", max_length=10, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    active = models.BooleanField("启用", default=True)
    # The digest of the values last loaded from the shipped data: a row still equal to them was not edited by an
    # administrator, so a newer shipped version may replace it.
    shipped_digest = models.CharField(max_length=64, blank=True, editable=False)

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "准入规则条目"
        ordering = ["category", "code"]

    def __str__(self):
        return f"[{self.get_category_display()}] {self.title}"


class CreditBlacklistEntry(models.Model):
    """A market entity under joint punishment for dishonesty (《全国失信惩戒措施基础清单》), kept by import."""

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("市场主体名称", max_length=200, db_index=True)
    listed_on = models.DateField("列入日期")
    authority = models.CharField("认定部门", max_length=100)
    reason = models.CharField("失信情形", max_length=300, blank=True)
    removed_on = models.DateField("移出日期", null=True, blank=True)

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "失信主体名单"
        ordering = ["-listed_on", "credit_code"]

    def __str__(self):
        return f"{self.name}（{self.credit_code}）"


class LandUseThreshold(models.Model):
    """Minimum 投资强度 and 亩均税收 (万元/亩) for a park or a county; the province row is the default."""

    region = models.ForeignKey(
        "regions.Region", verbose_name="行政区划", null=True, blank=True, on_delete=models.CASCADE
    )
    park = models.ForeignKey("regions.Park", verbose_name="园区", null=True, blank=True, on_delete=models.CASCADE)
    min_intensity_wan_per_mu = models.DecimalField("投资强度下限（万元/亩）", max_digits=10, decimal_places=2)
    min_tax_wan_per_mu = models.DecimalField("亩均税收下限（万元/亩）", max_digits=10, decimal_places=2)
    basis = models.CharField("依据", max_length=300, blank=True)
    land_kinds = models.CharField(
        "适用用地类型",
        max_length=200,
        default="industrial",
        help_text="逗号分隔的用地类型编码（industrial 工业用地、logistics 物流仓储用地 等）；其他用地不按本标准校验",
    )

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "投资强度和亩均税收标准"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(region__isnull=False, park__isnull=True))
                | models.Q(region__isnull=True, park__isnull=False),
                name="catalog_threshold_region_xor_park",
            ),
            models.UniqueConstraint(fields=["region"], name="catalog_threshold_unique_region"),
            models.UniqueConstraint(fields=["park"], name="catalog_threshold_unique_park"),
        ]

    def __str__(self):
        return f"{self.park or self.region}：{self.min_intensity_wan_per_mu} / {self.min_tax_wan_per_mu} 万元/亩"
