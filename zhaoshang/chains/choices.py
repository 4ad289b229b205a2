"""Choices of the industry-chain app: node levels and positions, value tiers, placement roles and decisions, the
diagnosis grades and actions."""

from django.db import models


class ChainStatus(models.TextChoices):
    DRAFT = "draft", "草稿（修订中）"
    CURRENT = "current", "现行版本"
    RETIRED = "retired", "历史版本"


class NodeLevel(models.IntegerChoices):
    SEGMENT = 1, "环节"
    MODULE = 2, "模块"
    PRODUCT = 3, "产品/技术"


class Position(models.TextChoices):
    UPSTREAM = "upstream", "上游"
    MIDSTREAM = "midstream", "中游"
    DOWNSTREAM = "downstream", "下游"
    SUPPORTING = "supporting", "配套"


class ValueTier(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


TIER_RANK = {ValueTier.HIGH: 0, ValueTier.MEDIUM: 1, ValueTier.LOW: 2}


class LinkRole(models.TextChoices):
    CHAIN_LEADER = "chain_leader", "链主"
    PRODUCER = "producer", "生产"
    SUPPORTER = "supporter", "配套"
    USER = "user", "应用"


class Strength(models.TextChoices):
    STRONG = "strong", "强"
    MEDIUM = "medium", "中"
    WEAK = "weak", "弱"


STRENGTH_RANK = {Strength.STRONG: 3, Strength.MEDIUM: 2, Strength.WEAK: 1}


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", "确认"
    UNCERTAIN = "uncertain", "待确认"
    REJECTED = "rejected", "否定"


class Origin(models.TextChoices):
    AUTO = "auto", "自动识别"
    OFFICER = "officer", "人工"


class Grade(models.TextChoices):
    EMPTY = "empty", "空白"
    WEAK = "weak", "薄弱"
    POTENTIAL = "potential", "潜力"
    STRONG = "strong", "优势"


class ChainAction(models.TextChoices):
    FILL = "fill", "补链"
    STRENGTHEN = "strengthen", "强链"
    EXTEND = "extend", "延链"
    NONE = "", "—"


class AuditAction:
    """The audit actions of this app (labels registered with the core in ``apps.py``)."""

    LOAD_CHAINS = "chain_load"
    DRAFT = "chain_draft"
    EDIT = "chain_edit"
    APPROVE = "chain_approve"
    PLACE = "chain_place"
    DECIDE = "chain_decide"
    SEED = "chain_seed_demo"
    LABELS = {
        LOAD_CHAINS: "载入产业链图谱",
        DRAFT: "新建产业链修订版",
        EDIT: "修订产业链",
        APPROVE: "审定发布产业链版本",
        PLACE: "企业和项目自动挂链",
        DECIDE: "确认或否定挂链",
        SEED: "生成产业链演示数据",
    }
