from django.contrib import admin

from zhaoshang.catalog.models import KeyIndustry
from zhaoshang.core.admin import ScopedModelAdmin


@admin.register(KeyIndustry)
class KeyIndustryAdmin(ScopedModelAdmin):
    list_display = ["sort_order", "name", "code"]
    search_fields = ["name"]
