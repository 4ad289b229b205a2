from django.contrib import admin

from zhaoshang.catalog.models import (
    AdmissionRule,
    CreditBlacklistEntry,
    ExcludedKind,
    IndustryClass,
    IndustrySubItem,
    KeyIndustry,
    LandUseThreshold,
    OvercapacityIndustry,
)
from zhaoshang.core.admin import ScopedModelAdmin


@admin.register(KeyIndustry)
class KeyIndustryAdmin(ScopedModelAdmin):
    list_display = ["sort_order", "name", "code", "clause", "gbt_codes"]
    search_fields = ["name", "terms"]


@admin.register(IndustrySubItem)
class IndustrySubItemAdmin(ScopedModelAdmin):
    list_display = ["industry", "seq", "name", "gbt_codes"]
    list_filter = ["industry"]
    search_fields = ["name", "detail", "terms"]


@admin.register(ExcludedKind)
class ExcludedKindAdmin(ScopedModelAdmin):
    list_display = ["name", "code", "gbt_codes"]


@admin.register(OvercapacityIndustry)
class OvercapacityIndustryAdmin(ScopedModelAdmin):
    list_display = ["industry", "doc_number", "published", "capacity_utilization_2012_pct", "gbt_codes"]
    search_fields = ["industry", "terms"]


@admin.register(AdmissionRule)
class AdmissionRuleAdmin(ScopedModelAdmin):
    list_display = ["code", "category", "sector", "title", "threshold_value", "verified", "active"]
    list_filter = ["category", "list_name", "sector", "verified", "active"]
    search_fields = ["code", "title", "match_all", "source"]


@admin.register(CreditBlacklistEntry)
class CreditBlacklistEntryAdmin(ScopedModelAdmin):
    list_display = ["credit_code", "name", "listed_on", "authority", "removed_on"]
    search_fields = ["credit_code", "name"]
    list_filter = ["authority"]


@admin.register(LandUseThreshold)
class LandUseThresholdAdmin(ScopedModelAdmin):
    list_display = ["__str__", "region", "park", "min_intensity_wan_per_mu", "min_tax_wan_per_mu", "land_kinds"]
    autocomplete_fields = []
    raw_id_fields = ["region", "park"]


@admin.register(IndustryClass)
class IndustryClassAdmin(ScopedModelAdmin):
    list_display = ["code", "name", "level"]
    search_fields = ["code", "name"]
    list_filter = ["level"]
