"""The target-enterprise library (重要目标企业库): enterprises, their tags and their contacts."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from zhaoshang.core.models import TimeStampedModel, not_null_indexes
from zhaoshang.core.pii import EncryptedCharField, PiiKind, mask_email, mask_middle, mask_name
from zhaoshang.core.scope import REFERENCE, ScopedQuerySet
from zhaoshang.core.validators import credit_code_error
from zhaoshang.investors.choices import FOLLOW_UP_DUE_DAYS, CreditStatus, EnterpriseSize, TagKind
from zhaoshang.investors.names import name_lines, normalise_enterprise_name, normalised_aliases
from zhaoshang.projects.choices import PROVINCE_CHOICES

MAX_GROUP_DEPTH = 20  # a parent chain longer than this is a data error (or a cycle); we stop walking


def search_terms(q: str) -> tuple[str, str] | None:
    """What a search for ``q`` compares: (normalised name fragment, credit code / stock code prefix or "").
    None when there is nothing to search for (every enterprise matches)."""
    q = (q or "").strip()
    if not q:
        return None
    code = q.upper() if q.isascii() and q.replace(".", "").isalnum() and len(q) >= 6 else ""
    return normalise_enterprise_name(q), code


class EnterpriseQuerySet(ScopedQuerySet):
    def named(self, name: str):
        """Enterprises whose name is the same once suffixes and brackets are ignored."""
        return self.filter(normalised_name=normalise_enterprise_name(name))

    def search(self, q: str):
        """Name fragment or a credit code / stock code prefix. The fragment is compared on the normalised name and
        on the other names (Chinese, English, short and former names: ``search_aliases``), each served by a
        trigram index on PostgreSQL. ``zhaoshang.investors.search`` runs the same query as one precompiled
        statement for the typeahead."""
        terms = search_terms(q)
        if terms is None:
            return self
        fragment, code = terms
        condition = (
            models.Q(normalised_name__contains=fragment) | models.Q(search_aliases__contains=fragment)
            if fragment
            else models.Q(pk__in=[])
        )
        if code:
            condition |= models.Q(credit_code__startswith=code) | models.Q(tags__code__startswith=code)
            return self.filter(condition).distinct()
        return self.filter(condition)

    def tagged(self, kind: str, year: int | None = None):
        lookup = {"tags__kind": kind}
        if year is not None:
            lookup["tags__year"] = year
        return self.filter(**lookup).distinct()

    def global500_current(self):
        """The latest Fortune Global 500 list held in the library."""
        year = EnterpriseTag.objects.filter(kind=TagKind.GLOBAL500).aggregate(y=models.Max("year"))["y"]
        return self.tagged(TagKind.GLOBAL500, year) if year else self.none()

    def follow_ups_of(self, user):
        return self.filter(owner=user, next_follow_up_on__isnull=False).order_by("next_follow_up_on", "pk")

    def overdue_for(self, user, today):
        return self.follow_ups_of(user).filter(next_follow_up_on__lt=today)

    def due_for(self, user, today):
        """The user's follow-ups due today or within ``FOLLOW_UP_DUE_DAYS`` (not yet overdue)."""
        return self.open_for(user, today).filter(next_follow_up_on__gte=today)

    def open_for(self, user, today):
        """The user's follow-ups that need doing now: overdue, or due within ``FOLLOW_UP_DUE_DAYS``."""
        soon = today + timedelta(days=FOLLOW_UP_DUE_DAYS)
        return self.follow_ups_of(user).filter(next_follow_up_on__lte=soon)


class Enterprise(TimeStampedModel):
    """An investor or target enterprise. Enterprises are shared reference data across the province: the same
    company invests in several counties. A project of a member of a group counts for the group (``group_root``)."""

    name = models.CharField("企业名称", max_length=200)
    normalised_name = models.CharField("规范名称", max_length=200, editable=False)
    chinese_name = models.CharField(
        "中文名称", max_length=200, blank=True, help_text="境外企业只有英文名称时待填；填写后作为企业名称"
    )
    english_name = models.CharField("英文名称", max_length=200, blank=True)
    former_names = models.TextField("曾用名", blank=True, help_text="每行一个")
    short_names = models.TextField("简称", blank=True, help_text="每行一个，如 中国石化、中石化")
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="所属集团/母公司",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        db_index=False,
    )
    hq_province = models.CharField("总部所在省份", max_length=20, blank=True, choices=PROVINCE_CHOICES)
    hq_city = models.CharField("总部所在城市", max_length=50, blank=True)
    country = models.CharField("国家/地区", max_length=50, blank=True)
    key_industry = models.ForeignKey(
        "catalog.KeyIndustry", verbose_name="重点产业", null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )
    industry_class = models.ForeignKey(
        "catalog.IndustryClass",
        verbose_name="国民经济行业分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )
    industry_text = models.CharField("行业（来源分类）", max_length=100, blank=True)
    size = models.CharField("企业规模", max_length=10, blank=True, choices=EnterpriseSize.choices)
    credit_status = models.CharField("信用状况", max_length=10, blank=True, choices=CreditStatus.choices)
    website = models.URLField("网站", blank=True)
    notes = models.TextField("备注", blank=True)
    yunnan_entity = models.BooleanField("在滇设有注册主体", default=False)
    is_global500 = models.BooleanField("世界500强", default=False)
    is_china500 = models.BooleanField("中国500强", default=False)
    is_private500 = models.BooleanField("民营500强", default=False)
    is_chain_leader = models.BooleanField("链主企业", default=False)
    is_headquarters = models.BooleanField("总部企业", default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="专人盯（责任人）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_enterprises",
        db_index=False,
    )
    next_follow_up_on = models.DateField("下次跟进日期", null=True, blank=True)
    source_key = models.CharField("来源标识", max_length=120, blank=True, editable=False)
    # The normalised other names (names.normalised_aliases), kept by save() and by the list loader. A database default
    # as well, so that rows written by raw inserts (bulk imports, benchmarks) are valid without naming it.
    search_aliases = models.TextField("其他名称（检索用）", blank=True, default="", db_default="", editable=False)

    scope_field = REFERENCE
    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "企业"
        ordering = ["name"]
        permissions = [("export_enterprise", "导出企业库")]
        # Plain indexes (no LIKE index: names are searched by fragment through the trigram index, source keys
        # matched whole), and partial ones for what most enterprises leave empty: imports insert thousands.
        indexes = [
            models.Index(fields=["normalised_name"], name="enterprise_normalised_idx"),
            models.Index(fields=["source_key"], name="enterprise_source_key_idx"),
            *not_null_indexes("ent", ["parent", "key_industry", "industry_class", "owner", "next_follow_up_on"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("investors:enterprise_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_enterprise_name(self.name)
        self.search_aliases = normalised_aliases(self.normalised_name, self.other_names())
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.credit_code:
            problem = credit_code_error(self.credit_code)
            if problem:
                errors["credit_code"] = f"统一社会信用代码{problem}"
        if self.parent_id and self.pk and self.pk in self.group_above(self.parent_id):
            errors["parent"] = "所属集团不能是本企业或其下属企业"  # the group would contain itself
        if errors:
            raise ValidationError(errors)

    @property
    def needs_chinese_name(self) -> bool:
        return bool(self.english_name) and not self.chinese_name

    @property
    def former_name_list(self) -> list[str]:
        return name_lines(self.former_names)

    @property
    def short_name_list(self) -> list[str]:
        return name_lines(self.short_names)

    def other_names(self) -> list[str]:
        """Every name the enterprise is also known by: Chinese, English, short and former names."""
        return [self.chinese_name, self.english_name, *self.short_name_list, *self.former_name_list]

    def ancestors(self) -> list["Enterprise"]:
        """The parent chain, nearest first (stops at a cycle or after MAX_GROUP_DEPTH steps)."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen and len(chain) < MAX_GROUP_DEPTH:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    @staticmethod
    def group_above(enterprise_id: int) -> set[int]:
        """The enterprise and its parent chain as stored (not as an object in memory may hold it)."""
        return {enterprise_id} | {e.pk for e in Enterprise.objects.get(pk=enterprise_id).ancestors()}

    @property
    def group_root(self) -> "Enterprise":
        """The top of the group this enterprise belongs to (itself when it has no parent)."""
        chain = self.ancestors()
        return chain[-1] if chain else self

    @property
    def is_global500_group(self) -> bool:
        """A member of a Fortune Global 500 group: itself or any enterprise up its parent chain is on the list."""
        return self.is_global500 or any(e.is_global500 for e in self.ancestors())

    def group_member_ids(self) -> set[int]:
        """This enterprise and every enterprise below it (subsidiaries of subsidiaries included)."""
        found, frontier = {self.pk}, {self.pk}
        for _ in range(MAX_GROUP_DEPTH):
            frontier = set(Enterprise.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
            if not frontier:
                break
            found |= frontier
        return found

    def display_tags(self):
        return self.tags.all()


class EnterpriseTag(models.Model):
    """One listing of an enterprise: 世界500强 2024 第3名, 上市 600000.SH, 专精特新 …"""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField("标签", max_length=20, choices=TagKind.choices, db_index=True)
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    rank = models.PositiveIntegerField("排名", null=True, blank=True)
    code = models.CharField("代码（股票代码等）", max_length=20, blank=True, db_index=True)
    source = models.CharField("来源", max_length=200, blank=True)

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "企业标签"
        ordering = ["kind", "-year", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "kind", "year", "code"], name="enterprise_tag_unique")
        ]

    def __str__(self):
        parts = [self.get_kind_display()]
        if self.year:
            parts.append(f"{self.year}年")
        if self.rank:
            parts.append(f"第{self.rank}名")
        if self.code:
            parts.append(self.code)
        return " ".join(parts)


mask = mask_middle  # ``13812345678`` → ``138****5678`` (core.pii)


class Contact(TimeStampedModel):
    """A person at an enterprise. Name, phone, ID number and e-mail are personal information: stored encrypted
    (SM4, ``core.pii``), shown masked; revealing them needs ``investors.reveal_contact`` and a reason, and is
    audited (``contact_reveal``)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="contacts")
    name = EncryptedCharField("姓名", max_length=50, pii=PiiKind.NAME)
    title = models.CharField("职务", max_length=100, blank=True)
    phone = EncryptedCharField("手机/电话", max_length=30, blank=True, pii=PiiKind.PHONE)
    id_number = EncryptedCharField("身份证号", max_length=18, blank=True, pii=PiiKind.ID_NUMBER)
    email = EncryptedCharField("邮箱", max_length=254, blank=True, pii=PiiKind.EMAIL)
    note = models.CharField("备注", max_length=300, blank=True)

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "企业联系人"
        ordering = ["id"]
        permissions = [("reveal_contact", "查看联系人完整个人信息（姓名、电话、身份证号、邮箱）")]

    def __str__(self):
        # Masked: this is what the audit trail (object_repr), the admin and error messages show.
        return f"{self.masked_name}（{self.enterprise}）"

    def pii_subject_label(self) -> str:
        return f"{self.masked_name}（{self.enterprise}的联系人）"

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_middle(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_middle(self.id_number, 4, 4)

    @property
    def masked_email(self) -> str:
        return mask_email(self.email)
