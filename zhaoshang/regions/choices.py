from django.db import models


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, "省"
    PREFECTURE = 2, "州市"
    COUNTY = 3, "县市区"


class ParkLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    PREFECTURAL = "prefectural", "州市级"
    OTHER = "other", "其他"


class ParkStatus(models.TextChoices):
    ACTIVE = "active", "在册"
    RETIRED = "retired", "已撤销/整合"


ZONE_TYPES = [
    "经济技术开发区",
    "高新技术产业开发区",
    "海关特殊监管区域",
    "边境/跨境经济合作区",
    "其他类型开发区",
    "经济开发区",
    "工业园区",
    "产业园区",
]
