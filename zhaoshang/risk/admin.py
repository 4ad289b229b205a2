from django.contrib import admin

from zhaoshang.core.admin import ScopedModelAdmin
from zhaoshang.risk.models import RiskRule, RiskWarning


@admin.register(RiskRule)
class RiskRuleAdmin(ScopedModelAdmin):
    """Read-only here: weights, parameters and enabled are changed on the rules page, through the audited service."""

    list_display = ["code", "name", "weight", "enabled"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RiskWarning)
class RiskWarningAdmin(ScopedModelAdmin):
    """Read-only: a warning changes state only through the services (each audited)."""

    list_display = ["project", "rule", "state", "first_seen", "last_seen", "cleared_on"]
    list_filter = ["state", "rule"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
