from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    kind: str  # "money" (万元) or "count"
    subject: str  # as a bulletin sentence names it: "1—6月，全州{subject}增长…"


INDICATORS = {
    i.code: i
    for i in (
        Indicator("funds_outside_province", "省外到位资金（产业类）", "money", "引进省外到位资金（产业类）"),
        Indicator("funds_outside_prefecture", "州外到位资金", "money", "引进州外到位资金"),
        Indicator("funds_industrial", "工业引资", "money", "工业引资到位资金"),
        Indicator("agreed_investment", "协议投资额", "money", "新签约项目协议投资额"),
        Indicator("signed_projects", "签约项目数", "count", "新签约项目"),
        Indicator("projects_100m", "亿元以上项目", "count", "新签约亿元以上项目"),
        Indicator("projects_1b", "10亿元以上项目", "count", "引进10亿元以上产业类项目"),
        Indicator("projects_500", "500强企业项目", "count", "新签约500强企业投资项目"),
        Indicator("chain_leaders", "引进链主企业", "count", "引进“链主”企业"),
        Indicator("headquarters", "引进总部企业", "count", "引进优质企业总部"),
        Indicator("fortune500_present", "入滇世界500强企业", "count", "入滇世界500强企业"),
    )
}
INDICATOR_CHOICES = [(i.code, i.name) for i in INDICATORS.values()]


class Unit(models.TextChoices):
    WAN = "万元", "万元"
    YI = "亿元", "亿元"
    ITEMS = "个", "个"
    COMPANIES = "家", "家"
    GROWTH = "%", "增长率（%）"


UNITS_FOR_KIND = {"money": {Unit.WAN, Unit.YI, Unit.GROWTH}, "count": {Unit.ITEMS, Unit.COMPANIES, Unit.GROWTH}}
