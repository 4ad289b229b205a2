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
    SIGNAL = "chain_signal"
    SIGNAL_IMPORT = "chain_signal_import"
    OUTCOME = "chain_target_outcome"
    PARK_PROFILE = "chain_park_profile"
    WEIGHTS = "chain_targeting_weights"
    LABELS = {
        SIGNAL: "登记企业扩张信号",
        SIGNAL_IMPORT: "导入企业扩张信号",
        OUTCOME: "记录靶向寻商结果",
        PARK_PROFILE: "修改园区承载条件",
        WEIGHTS: "修改寻商评分权重",
        LOAD_CHAINS: "载入产业链图谱",
        DRAFT: "新建产业链修订版",
        EDIT: "修订产业链",
        APPROVE: "审定发布产业链版本",
        PLACE: "企业和项目自动挂链",
        DECIDE: "确认或否定挂链",
        SEED: "生成产业链演示数据",
    }


class SignalKind(models.TextChoices):
    """Expansion signals (扩张信号); the weight of each kind is data (``data/targeting.yaml``)."""

    FINANCING = "financing", "融资"
    NEW_SUBSIDIARY = "new_subsidiary", "新设子公司"
    NEW_BRANCH = "new_branch", "新设分支"
    EXPANSION = "expansion", "扩产"
    PLANNED_PROJECT = "planned_project", "拟建项目"
    REMOTE_BID = "remote_bid", "异地中标"
    RANKING = "ranking", "入选榜单"
    CLOSED_SUBSIDIARY = "closed_subsidiary", "注销子公司"
    DEREGISTERED = "deregistered", "企业注销"


class SignalOrigin(models.TextChoices):
    OFFICER = "officer", "干部登记"
    IMPORT = "import", "Excel导入"
    PLATFORM = "platform", "平台数据"


class OutcomeStatus(models.TextChoices):
    CONTACTING = "contacting", "联系中"
    DECLINED = "declined", "无意向"
    NEGOTIATING = "negotiating", "在谈"
    SIGNED = "signed", "签约"


class PowerKind(models.TextChoices):
    NONE = "", "未填"
    GREEN = "green", "绿电直供"
    GRID = "grid", "电网供电"
