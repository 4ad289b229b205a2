from zhaoshang.investors.models.activity import Activity, ActivityEnterprise, ActivityProject
from zhaoshang.investors.models.enterprise import Contact, Enterprise, EnterpriseQuerySet, EnterpriseTag, mask

__all__ = [
    "Activity",
    "ActivityEnterprise",
    "ActivityProject",
    "Contact",
    "Enterprise",
    "EnterpriseQuerySet",
    "EnterpriseTag",
    "mask",
]
