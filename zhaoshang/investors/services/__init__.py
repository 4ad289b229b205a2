"""Writes of the investors app. Keyword-only, atomic, each writing its audit row."""

from zhaoshang.investors.services.activities import (
    activity_create,
    activity_create_lead,
    activity_link_project,
    activity_update,
)
from zhaoshang.investors.services.enterprises import (
    ENTERPRISE_FIELDS,
    contact_create,
    contact_reveal,
    enterprise_create,
    enterprise_find_duplicate,
    enterprise_get_or_create,
    enterprise_set_follow_up,
    enterprise_set_tag,
    enterprise_update,
    validate_credit_code,
)

__all__ = [
    "ENTERPRISE_FIELDS",
    "activity_create",
    "activity_create_lead",
    "activity_link_project",
    "activity_update",
    "contact_create",
    "contact_reveal",
    "enterprise_create",
    "enterprise_find_duplicate",
    "enterprise_get_or_create",
    "enterprise_set_follow_up",
    "enterprise_set_tag",
    "enterprise_update",
    "validate_credit_code",
]
