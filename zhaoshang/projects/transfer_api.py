"""/api/v1/transfers/: 项目流转 of the user's jurisdiction (either side, and the bureau above both that files it) with
their benefit-sharing agreement and steps — list and retrieve, scoped like every list. The steps are taken on the
pages, through the same services."""

from rest_framework import serializers

from zhaoshang.core.api import ScopedReadOnlyViewSet
from zhaoshang.projects.models import SharingAgreement, Transfer, TransferStep


class SharingSerializer(serializers.ModelSerializer):
    to_year = serializers.IntegerField(read_only=True, help_text="分成截止年度")

    class Meta:
        model = SharingAgreement
        fields = [
            "source_share",
            "target_share",
            "shares_signed",
            "shares_funds",
            "shares_tax",
            "from_year",
            "years",
            "to_year",
            "note",
        ]


class StepSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, default="")

    class Meta:
        model = TransferStep
        fields = ["action", "from_status", "to_status", "on", "actor", "reason"]


class TransferSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    from_county = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="引进方县市区代码")
    to_county = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="落地方县市区代码")
    from_park = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="引进方园区编码")
    to_park = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="落地方园区编码")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    sharing = SharingSerializer(read_only=True, allow_null=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "project",
            "project_name",
            "reason",
            "reason_text",
            "from_county",
            "from_park",
            "to_county",
            "to_park",
            "status",
            "status_display",
            "proposed_on",
            "completed_on",
            "last_reason",
            "sharing",
            "steps",
        ]


class TransferViewSet(ScopedReadOnlyViewSet):
    """项目流转 with their 利益共享协议 and steps (read only)."""

    queryset_model = Transfer
    serializer_class = TransferSerializer
    filterset_fields = ["status", "reason"]
    ordering_fields = ["created_at", "completed_on"]

    def get_queryset(self):
        rows = super().get_queryset().select_related("project", "from_county", "to_county", "from_park", "to_park")
        return rows.select_related("sharing").prefetch_related("steps__actor").order_by("-created_at", "-id")
