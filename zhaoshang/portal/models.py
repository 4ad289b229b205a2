"""What the public site (投资云南) shows, kept apart from the bureaus' records it describes.

A region's profile sections, a park's public profile and a project's public listing each reference the internal row
(Region, Park, Project) and carry only what a bureau chose to publish: texts in Chinese with their translations, and
a public contact that is an office line or hotline, never an officer's mobile. Each goes through the same
publication workflow (``Publishable``): marked by a bureau, approved by the level above, withdrawn at once.
Enquiries from the site are kept here with the enquirer's details encrypted; each becomes a lead (a Project made by
``project_create``) in the pipeline of the county it concerns.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhaoshang.core.models import JurisdictionModel, recorded_by
from zhaoshang.core.pii import EncryptedCharField, PiiKind
from zhaoshang.core.scope import ScopedQuerySet
from zhaoshang.portal.choices import CooperationMode, PublicationStatus, SectionKind

# Fields whose values are meant for the public: the public contact chosen by a bureau. The test that walks the
# public site looks for every other phone number and e-mail address in the database and must find none.
PUBLIC_CONTACT_FIELDS = {"public_phone", "public_email"}


class PublishableQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def pending(self):
        return self.filter(status=PublicationStatus.PENDING)


class Publishable(JurisdictionModel):
    """The publication state of one public item. ``path`` is the node of the bureau that owns the item."""

    status = models.CharField(
        "发布状态", max_length=12, choices=PublicationStatus.choices, default=PublicationStatus.PENDING
    )
    translations = models.JSONField("外文内容", default=dict, blank=True, help_text='{"en": {"字段": "文本"}}')
    public_phone = models.CharField(
        "对外联系电话", max_length=30, blank=True, help_text="办公电话或服务热线，勿填个人手机"
    )
    public_email = models.EmailField("对外联系邮箱", max_length=100, blank=True, help_text="单位公共邮箱")
    marked_by = recorded_by("标记人", null=True, blank=True, related_name="+")
    marked_at = models.DateTimeField("标记时间", null=True, blank=True)
    publishing_org = models.CharField("发布单位", max_length=100, blank=True)
    approved_by = recorded_by("审核人", null=True, blank=True, related_name="+")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=300, blank=True)

    objects = PublishableQuerySet.as_manager()
    translatable_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    def source_text(self, field: str) -> str:
        """The Chinese text of a translatable field."""
        return getattr(self, field, "") or ""

    def translated(self, field: str, language: str) -> str:
        """The text of ``field`` in ``language`` as a bureau entered it; "" when it has none."""
        return ((self.translations or {}).get(language) or {}).get(field, "").strip()


class ProfileSection(Publishable):
    """One section of the 投资指南 of the province, a prefecture or a county."""

    region = models.ForeignKey("regions.Region", verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("栏目", max_length=20, choices=SectionKind.choices)
    text = models.TextField("内容", max_length=5000)

    translatable_fields = ("text",)

    class Meta:
        verbose_name = verbose_name_plural = "投资指南栏目"
        ordering = ["region__code", "kind"]
        permissions = [("approve_profilesection", "审核投资指南栏目")]
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="portal_section_unique_kind")]

    def __str__(self):
        return f"{self.region.name}·{self.get_kind_display()}"

    def public_url(self):
        return reverse("portal:region", args=[self.region.code])


class RegionName(models.Model):
    """A region's name in the languages of the public site (proper names: entered once, not translated by code)."""

    region = models.OneToOneField("regions.Region", verbose_name="辖区", on_delete=models.CASCADE, related_name="+")
    translations = models.JSONField("外文名称", default=dict, blank=True)

    scope_field = "region__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "辖区外文名称"

    def __str__(self):
        return str(self.region)


class ParkProfile(Publishable):
    """A park's public profile: positioning, land ready for investors, standards and its public contact."""

    park = models.OneToOneField("regions.Park", verbose_name="园区", on_delete=models.PROTECT, related_name="+")
    positioning = models.TextField("产业定位", max_length=2000)
    land_ready = models.TextField("可供土地", max_length=2000, blank=True)
    standards = models.TextField("准入标准与配套", max_length=2000, blank=True)
    photo = models.ImageField("园区图片", upload_to="portal/parks/", blank=True)

    translatable_fields = ("name", "positioning", "land_ready", "standards")

    class Meta:
        verbose_name = verbose_name_plural = "园区对外介绍"
        ordering = ["park__code"]
        permissions = [("approve_parkprofile", "审核园区对外介绍")]

    def __str__(self):
        return self.park.name

    def source_text(self, field: str) -> str:
        return self.park.name if field == "name" else super().source_text(field)

    def public_url(self):
        return reverse("portal:park", args=[self.park.code])


class ProjectListing(Publishable):
    """A project a bureau chose to publish as a 招商项目 (seeking investors), with what an investor needs."""

    project = models.OneToOneField("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("对外项目名称", max_length=200)
    summary = models.TextField("项目概况", max_length=3000)
    industry = models.CharField("所属产业", max_length=100)
    investment_wan = models.DecimalField("拟投资额（万元）", max_digits=14, decimal_places=2)
    cooperation_mode = models.CharField("合作方式", max_length=10, choices=CooperationMode.choices)
    land = models.CharField("用地情况", max_length=300, blank=True)

    translatable_fields = ("title", "summary", "industry", "land")

    class Meta:
        verbose_name = verbose_name_plural = "招商项目发布"
        ordering = ["-published_at", "-id"]
        permissions = [("approve_projectlisting", "审核招商项目发布"), ("export_projectlisting", "导出对外发布清单")]

    def __str__(self):
        return self.title

    def public_url(self):
        return reverse("portal:project", args=[self.project_id])


class EnquiryQuerySet(ScopedQuerySet):
    def awaiting_reply(self):
        return self.filter(replied_at__isnull=True)

    def from_address_since(self, digest: str, since):
        return self.filter(address_digest=digest, created_at__gte=since)


class Enquiry(JurisdictionModel):
    """An investor's enquiry from the public site, in the pipeline of the county it concerns (``path``)."""

    reference = models.CharField("咨询编号", max_length=20, unique=True)
    listing = models.ForeignKey(
        ProjectListing, verbose_name="咨询的项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    park_profile = models.ForeignKey(
        ParkProfile, verbose_name="咨询的园区", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead = models.ForeignKey(
        "projects.Project", verbose_name="生成的线索", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead_problem = models.CharField("未生成线索的原因", max_length=300, blank=True)
    name = EncryptedCharField("联系人", max_length=50, pii=PiiKind.NAME)
    company = models.CharField("公司/机构", max_length=200)
    contact = EncryptedCharField("联系方式", max_length=100, pii=PiiKind.PHONE)
    message = models.TextField("咨询内容", max_length=3000)
    language = models.CharField("提交语言", max_length=10)
    consent_at = models.DateTimeField("同意个人信息处理时间")
    reply_by = models.DateField("答复期限")
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    address_digest = models.CharField("来源地址摘要", max_length=64, db_index=True, editable=False)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "网站投资咨询"
        ordering = ["-id"]
        permissions = [("export_enquiry", "导出网站投资咨询")]
        constraints = [
            models.CheckConstraint(
                condition=Q(listing__isnull=False) | Q(park_profile__isnull=False), name="portal_enquiry_has_target"
            )
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("portal_admin:enquiry_detail", args=[self.pk])

    @property
    def target_name(self) -> str:
        return str(self.listing or self.park_profile)


# The account in whose name the site files its leads: inactive, without a password, never signed in.
SITE_ACCOUNT = getattr(settings, "PORTAL_SITE_ACCOUNT", "portal_site")
