"""/api/v1/chains/ (chains with their nodes and flows) and /api/v1/chains/{id}/diagnosis/?region=CODE&year=YYYY.

The diagnosis is the page's (``selectors.diagnosis_payload``). A region outside the user's jurisdiction is 404; the
base figures (the province's, or the nation's for the province) are province-wide reference figures and come with
every diagnosis."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from zhaoshang.chains.choices import ChainStatus
from zhaoshang.chains.models import ChainFlow, ChainNode, IndustryChain
from zhaoshang.chains.selectors import area_lookup, diagnosis_for, diagnosis_payload, user_home_area
from zhaoshang.chains.views import MAX_YEAR, MIN_YEAR
from zhaoshang.core.api import ScopedReadOnlyViewSet


class NodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChainNode
        fields = [
            "id",
            "key",
            "name",
            "parent",
            "level",
            "position",
            "value_tier",
            "is_key_link",
            "keywords",
            "exclude_words",
            "gbt_codes",
            "seq",
        ]


class FlowSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChainFlow
        fields = ["id", "source", "target", "note"]


class ChainSerializer(serializers.ModelSerializer):
    key_industry = serializers.CharField(source="key_industry.code", default=None, read_only=True)
    nodes = NodeSerializer(many=True, read_only=True)
    flows = FlowSerializer(many=True, read_only=True)

    class Meta:
        model = IndustryChain
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "key_industry",
            "is_focus",
            "version",
            "status",
            "source",
            "thresholds",
            "approved_at",
            "nodes",
            "flows",
        ]


class ChainViewSet(ScopedReadOnlyViewSet):
    """Chain versions (current ones unless ``status`` says otherwise), each with its nodes and flows."""

    queryset_model = IndustryChain
    serializer_class = ChainSerializer
    filterset_fields = ["code", "status", "version"]
    search_fields = ["name", "short_name", "code"]
    ordering_fields = ["sort_order", "code", "version"]

    def get_queryset(self):
        rows = super().get_queryset().select_related("key_industry").prefetch_related("nodes", "flows")
        if self.action == "list" and "status" not in self.request.query_params:
            rows = rows.filter(status=ChainStatus.CURRENT)
        return rows.order_by("sort_order", "code", "-version")

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="行政区划代码或园区编码，须在本人辖区内（辖区外为404）"),
            OpenApiParameter("year", int, description="年度，默认今年"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def diagnosis(self, request, pk=None):
        chain = self.get_object()
        code = request.query_params.get("region", "").strip()
        area = area_lookup(request.user, code) if code else user_home_area(request.user)
        if area is None:
            raise Http404("不在您的辖区范围内")
        try:
            year = int(request.query_params.get("year") or timezone.localdate().year)
        except ValueError:
            year = 0
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise serializers.ValidationError({"year": "年度无效"})
        return Response(diagnosis_payload(diagnosis_for(chain=chain, area=area, year=year)))
