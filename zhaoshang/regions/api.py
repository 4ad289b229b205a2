from rest_framework import serializers

from zhaoshang.core.api import ScopedReadOnlyViewSet
from zhaoshang.regions.models import Park, Region


class RegionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "short_name", "level", "division_type", "parent_code", "path"]


class ParkSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Park
        fields = [
            "id",
            "code",
            "name",
            "level",
            "level_display",
            "zone_type",
            "approval_authority",
            "approved_on",
            "approved_area_ha",
            "leading_industries",
            "region_code",
            "region_name",
            "location",
            "lon",
            "lat",
            "location_approximate",
            "status",
            "retired_on",
            "retire_reason",
        ]


class RegionViewSet(ScopedReadOnlyViewSet):
    """Jurisdiction nodes at or below the user's own."""

    queryset_model = Region
    serializer_class = RegionSerializer
    filterset_fields = ["level", "code"]
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name", "level"]

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class ParkViewSet(ScopedReadOnlyViewSet):
    """Development zones and parks in the user's jurisdiction."""

    queryset_model = Park
    serializer_class = ParkSerializer
    filterset_fields = ["level", "status", "zone_type"]
    search_fields = ["name", "code", "leading_industries"]
    ordering_fields = ["code", "name", "approved_on", "approved_area_ha"]

    def get_queryset(self):
        return super().get_queryset().select_related("region").order_by("region__code", "code")
