from rest_framework import serializers

from zhaoshang.core.api import ScopedModelViewSet
from zhaoshang.regions.models import Park, Region
from zhaoshang.stats.choices import INDICATOR_CHOICES, Unit
from zhaoshang.stats.models import Target
from zhaoshang.stats.services import target_set


class TargetSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), help_text="6位区划代码")
    park = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Park.objects.all(),
        required=False,
        allow_null=True,
        help_text="园区编码（园区目标）；辖区目标不填",
    )
    indicator = serializers.ChoiceField(choices=INDICATOR_CHOICES)
    unit = serializers.ChoiceField(choices=Unit.choices, help_text="万元 / 亿元 / 个 / 家 / %（增长率）")
    from_year = serializers.IntegerField(required=False, allow_null=True, help_text="累计目标的起始年度")

    class Meta:
        model = Target
        fields = ["id", "year", "from_year", "region", "park", "indicator", "industry_code", "value", "unit", "source"]
        validators = []  # one target per cell is kept by target_set, which updates the existing row


class TargetViewSet(ScopedModelViewSet):
    """Targets per year × jurisdiction × indicator. Writes are scoped: a jurisdiction's own targets come from
    the level above."""

    queryset_model = Target
    serializer_class = TargetSerializer
    filterset_fields = ["year", "indicator", "unit"]
    ordering_fields = ["year", "indicator"]

    def get_queryset(self):
        return super().get_queryset().select_related("region", "park")

    def perform_create(self, serializer):
        serializer.instance = target_set(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        current = serializer.instance
        cell = {
            name: getattr(current, name) for name in ("year", "region", "park", "indicator", "unit", "industry_code")
        }
        cell["from_year"] = current.from_year
        # Changing a key field (year, region, indicator…) sets that other cell; this row stays as it was.
        serializer.instance = target_set(actor=self.request.user, **(cell | serializer.validated_data))
