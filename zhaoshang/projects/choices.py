from django.db import models


class Stage(models.TextChoices):
    """The project lifecycle (全生命周期). 终止 ends it from any open stage; 停滞 is a flag, not a stage."""

    LEAD = "lead", "线索"
    NEGOTIATING = "negotiating", "在谈"
    SIGNED = "signed", "签约"
    REGISTERED = "registered", "注册"
    UNDER_CONSTRUCTION = "under_construction", "开工"
    IN_PRODUCTION = "in_production", "投产"
    TERMINATED = "terminated", "终止"


# The forward path; a project moves one step at a time along it, or to 终止.
STAGE_PATH = [
    Stage.LEAD,
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.REGISTERED,
    Stage.UNDER_CONSTRUCTION,
    Stage.IN_PRODUCTION,
]
SIGNED_OR_LATER = [Stage.SIGNED, Stage.REGISTERED, Stage.UNDER_CONSTRUCTION, Stage.IN_PRODUCTION]
STAGE_CODES_HELP = "阶段代码：" + "，".join(f"{value}={label}" for value, label in Stage.choices)


def next_stages(stage: str) -> list[str]:
    """Where a project in ``stage`` may go: the next stage of the path, or 终止 while it is open."""
    if stage not in STAGE_PATH or stage == Stage.IN_PRODUCTION:
        return []
    return [STAGE_PATH[STAGE_PATH.index(stage) + 1], Stage.TERMINATED]


class AgreementKind(models.TextChoices):
    FRAMEWORK = "framework", "框架协议"
    CONTRACT = "contract", "正式投资合同"
    SUPPLEMENT = "supplement", "补充协议"


class RegionGroup(models.TextChoices):
    """Roll-up groups of the source of the money (资金来源地)."""

    YANGTZE_DELTA = "yangtze_delta", "长三角"
    PEARL_DELTA = "pearl_delta", "珠三角·泛珠三角"
    JING_JIN_JI = "jing_jin_ji", "京津冀"
    CHENG_YU = "cheng_yu", "成渝"
    EAST = "east", "东部"
    ABROAD = "abroad", "境外"
    IN_PROVINCE = "in_province", "省内"
    OTHER = "other", "其他地区"


ABROAD = "境外"
# Source province → roll-up group. The groups overlap in policy texts (泛珠三角 includes 四川 and 云南); a
# province counts in one group only, the first that applies in this order: 省内, 成渝, 长三角, 京津冀,
# 珠三角·泛珠三角, 东部, 其他. 港澳台 capital is counted as 境外, as in foreign-investment statistics.
PROVINCE_GROUPS = {
    "云南": RegionGroup.IN_PROVINCE,
    "四川": RegionGroup.CHENG_YU,
    "重庆": RegionGroup.CHENG_YU,
    "上海": RegionGroup.YANGTZE_DELTA,
    "江苏": RegionGroup.YANGTZE_DELTA,
    "浙江": RegionGroup.YANGTZE_DELTA,
    "安徽": RegionGroup.YANGTZE_DELTA,
    "北京": RegionGroup.JING_JIN_JI,
    "天津": RegionGroup.JING_JIN_JI,
    "河北": RegionGroup.JING_JIN_JI,
    "广东": RegionGroup.PEARL_DELTA,
    "福建": RegionGroup.PEARL_DELTA,
    "江西": RegionGroup.PEARL_DELTA,
    "湖南": RegionGroup.PEARL_DELTA,
    "广西": RegionGroup.PEARL_DELTA,
    "海南": RegionGroup.PEARL_DELTA,
    "贵州": RegionGroup.PEARL_DELTA,
    "山东": RegionGroup.EAST,
    "辽宁": RegionGroup.OTHER,
    "吉林": RegionGroup.OTHER,
    "黑龙江": RegionGroup.OTHER,
    "山西": RegionGroup.OTHER,
    "内蒙古": RegionGroup.OTHER,
    "河南": RegionGroup.OTHER,
    "湖北": RegionGroup.OTHER,
    "陕西": RegionGroup.OTHER,
    "甘肃": RegionGroup.OTHER,
    "青海": RegionGroup.OTHER,
    "宁夏": RegionGroup.OTHER,
    "新疆": RegionGroup.OTHER,
    "西藏": RegionGroup.OTHER,
    ABROAD: RegionGroup.ABROAD,
}
PROVINCE_CHOICES = [(name, name if name != ABROAD else "境外（含港澳台）") for name in PROVINCE_GROUPS]


def region_group_for(province: str) -> str:
    """The roll-up group of a source province ("" when the province is not given)."""
    return PROVINCE_GROUPS.get(province, "") if province else ""


class Currency(models.TextChoices):
    CNY = "CNY", "人民币"
    USD = "USD", "美元"
    HKD = "HKD", "港元"
    EUR = "EUR", "欧元"
    JPY = "JPY", "日元"
    GBP = "GBP", "英镑"
    SGD = "SGD", "新加坡元"
    OTHER = "OTHER", "其他"


class CorrectionDecision(models.TextChoices):
    APPROVED = "approved", "同意"
    REJECTED = "rejected", "退回"


class ProjectSource(models.TextChoices):
    ENTRY = "entry", "平台录入"
    API = "api", "接口"
    IMPORT = "import", "Excel导入"
    DEMO = "demo", "演示数据"


BILLION_WAN = 10_000  # 亿元以上项目: 协议投资额 ≥ 1 亿元 = 10,000 万元
TEN_BILLION_WAN = 100_000  # 10亿元以上项目 (招大引强)


class ProjectCategory(models.TextChoices):
    """产业类 is what the headline figures count; 房地产, 基础设施 and 金融 projects are recorded but not 产业类."""

    INDUSTRY = "industry", "产业类"
    REAL_ESTATE = "real_estate", "房地产"
    INFRASTRUCTURE = "infrastructure", "基础设施"
    FINANCE = "finance", "金融"


class DecisionKind(models.TextChoices):
    """风险防范 (2022 opinion 六（六）): a 慎招 project is decided collectively; a flagged clause is reviewed for
    lawfulness."""

    COLLECTIVE = "collective", "集体决策"
    LEGALITY = "legality", "合法性审查"


class DecisionOutcome(models.TextChoices):
    AGREED = "agreed", "同意"
    REFUSED = "refused", "不同意"
    DEFERRED = "deferred", "暂缓"
