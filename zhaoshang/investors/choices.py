"""Choices of the target-enterprise library and of investment-promotion activities."""

from django.db import models


class TagKind(models.TextChoices):
    GLOBAL500 = "global500", "世界500强"
    CHINA500 = "china500", "中国500强"
    PRIVATE500 = "private500", "民营500强"
    CHAIN_LEADER = "chain_leader", "链主"
    SPECIALISED = "specialised", "专精特新"
    LISTED = "listed", "上市"
    CENTRAL_SOE = "central_soe", "央企"
    FOREIGN = "foreign", "外资"


# Tags that mirror the enterprise's boolean flags (the projects app and older code read the flags).
TAG_FLAGS = {
    TagKind.GLOBAL500: "is_global500",
    TagKind.CHINA500: "is_china500",
    TagKind.PRIVATE500: "is_private500",
    TagKind.CHAIN_LEADER: "is_chain_leader",
}


class EnterpriseSize(models.TextChoices):
    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class CreditStatus(models.TextChoices):
    GOOD = "good", "良好"
    NORMAL = "normal", "一般"
    ABNORMAL = "abnormal", "经营异常"
    DISHONEST = "dishonest", "失信"


class ActivityKind(models.TextChoices):
    TRIP = "trip", "外出招商"
    MEETING = "meeting", "会见客商"
    PROMOTION = "promotion", "推介会"
    ONLINE = "online", "网络招商"


EVENT_KINDS = (ActivityKind.PROMOTION, ActivityKind.ONLINE)


class LeaderLevel(models.TextChoices):
    PROVINCE = "province", "省领导"
    PREFECTURE_HEAD = "prefecture_head", "州市党政一把手"
    COUNTY_HEAD = "county_head", "县市区党政一把手"
    DEPARTMENT_HEAD = "department_head", "部门负责人"


class Place(models.TextChoices):
    """Where an activity took place, relative to the organiser's prefecture (as the 楚雄 reply counts)."""

    OUTSIDE_PROVINCE = "outside_province", "省外"
    OUTSIDE_PREFECTURE = "outside_prefecture", "州外省内"
    IN_PREFECTURE = "in_prefecture", "州内"


class ProjectLink(models.TextChoices):
    LINKED = "linked", "关联"
    CREATED = "created", "由活动产生的线索"


YUNNAN = "云南"

# A follow-up (专人盯, or an activity's 跟进期限) is "due" from this many days before its date; after it, overdue.
FOLLOW_UP_DUE_DAYS = 7
