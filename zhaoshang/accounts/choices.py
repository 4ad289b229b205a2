from django.db import models


class OrgKind(models.TextChoices):
    PROVINCIAL_BUREAU = "provincial_bureau", "省投资促进局"
    PREFECTURE_BUREAU = "prefecture_bureau", "州市投资促进局"
    COUNTY_BUREAU = "county_bureau", "县市区投资促进部门"
    PARK_COMMITTEE = "park_committee", "园区管委会"
    INDUSTRY_DEPARTMENT = "industry_department", "省级重点产业牵头部门"
    # Co-handling units of an enterprise's request (联办协办): a county's power supply, natural resources or human
    # resources office is an org unit too, so a request can be assigned to it and its staff see it.
    DEPARTMENT = "department", "职能部门"


class CompanyStatus(models.TextChoices):
    PENDING = "pending", "待核验"
    VERIFIED = "verified", "已核验"
    REJECTED = "rejected", "未通过核验"
