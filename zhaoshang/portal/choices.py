from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Languages of the public site besides Chinese. Content in another language lives in each row's ``translations``
# ({"en": {"field": "text"}}), so 缅甸语 (my), 老挝语 (lo) and 越南语 (vi) are added here and in settings.LANGUAGES,
# with a catalog under portal/locale — no migration.
CONTENT_LANGUAGES = {"en": "English"}
SOURCE_LANGUAGE = "zh-hans"


class PublicationStatus(models.TextChoices):
    """A bureau marks (待审核), the level above approves (已发布) or returns it (已退回); withdrawal is immediate."""

    PENDING = "pending", "待上级审核"
    PUBLISHED = "published", "已发布"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "已撤回"


class SectionKind(models.TextChoices):
    """Sections of a jurisdiction's public profile (投资指南). Labels are translated on the public site."""

    INDUSTRIES = "industries", _("主导产业与产业链定位")
    LAND = "land", _("土地与要素成本")
    LOGISTICS = "logistics", _("交通物流")
    POLICIES = "policies", _("招商政策")


class CooperationMode(models.TextChoices):
    SOLE = "sole", _("独资")
    JOINT = "joint", _("合资合作")
    PPP = "ppp", _("政府和社会资本合作")
    LEASE = "lease", _("租赁经营")
    OTHER = "other", _("其他")


class AuditAction:
    MARK = "publication_mark"
    APPROVE = "publication_approve"
    RETURN = "publication_return"
    WITHDRAW = "publication_withdraw"
    ENQUIRY = "enquiry_receive"
    ENQUIRY_REFUSED = "enquiry_refused"
    LABELS = {
        MARK: "标记对外发布（待上级审核）",
        APPROVE: "审核通过对外发布",
        RETURN: "退回对外发布",
        WITHDRAW: "撤回对外发布",
        ENQUIRY: "收到网站投资咨询",
        ENQUIRY_REFUSED: "网站咨询未生成线索",
    }


# Labels of other apps' choices shown on the public site, for the catalog (regions.choices.ParkLevel): the template
# translates the label it is given (``{% translate park.get_level_display %}``).
OTHER_LABELS = [gettext_noop("国家级"), gettext_noop("省级"), gettext_noop("州市级")]
