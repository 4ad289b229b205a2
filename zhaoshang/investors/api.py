from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from zhaoshang.core.api import ScopedModelViewSet, ScopedReadOnlyViewSet
from zhaoshang.investors import services
from zhaoshang.investors.models import Activity, Enterprise, EnterpriseTag
from zhaoshang.investors.search import TYPEAHEAD_LIMIT, enterprise_search
from zhaoshang.investors.services.activities import ACTIVITY_FIELDS
from zhaoshang.regions.models import Region


class TagSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = EnterpriseTag
        fields = ["kind", "kind_display", "year", "rank", "code"]


class EnterpriseSerializer(serializers.ModelSerializer):
    tags = TagSerializer(many=True, read_only=True)
    # Plain text in the schema: the province choice set is already published by the projects API.
    hq_province = serializers.CharField(read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "chinese_name",
            "english_name",
            "short_names",
            "former_names",
            "credit_code",
            "parent",
            "hq_province",
            "hq_city",
            "country",
            "industry_text",
            "is_global500",
            "is_china500",
            "is_private500",
            "is_chain_leader",
            "tags",
        ]


class EnterpriseBriefSerializer(serializers.ModelSerializer):
    hq_province = serializers.CharField(read_only=True)

    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code", "hq_province"]


class EnterpriseListSchema(AutoSchema):
    """The list answers a page of enterprises, or with ``brief`` the first matches in short form without a count
    (the typeahead); the schema says both, so a client (and the API contract test) can rely on it."""

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        if getattr(self.view, "action", None) == "list" and status_code == "200":
            brief = self.resolve_serializer(EnterpriseBriefSerializer(), direction).ref
            typeahead = {
                "type": "object",
                "required": ["results"],
                "properties": {"results": {"type": "array", "items": brief}},
                "description": "brief=1：前20个匹配，不计总数",
            }
            for media in response.get("content", {}).values():
                media["schema"] = {"anyOf": [media["schema"], typeahead]}
        return response


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="名称片段（含中文名、英文名、简称、曾用名，忽略“有限公司”等后缀）或统一社会信用代码/股票代码前缀",
            ),
            OpenApiParameter("brief", bool, description="只返回编号、名称、代码（输入提示用）"),
        ]
    )
)
class EnterpriseViewSet(ScopedReadOnlyViewSet):
    """The target-enterprise library: reference data every signed-in bureau user may read (contacts are not
    exposed here)."""

    queryset_model = Enterprise
    filter_backends = []
    schema = EnterpriseListSchema()

    def brief(self) -> bool:
        """``brief`` is a boolean: ``brief=false`` (as a client sends a documented boolean) is the full list."""
        return self.request.query_params.get("brief", "").strip().lower() in {"1", "true", "yes", "on"}

    def get_serializer_class(self):
        return EnterpriseBriefSerializer if self.brief() else EnterpriseSerializer

    def get_queryset(self):
        rows = super().get_queryset().search(self.request.query_params.get("q", ""))
        if self.brief():
            return rows.only("id", "name", "credit_code", "hq_province")
        return rows.prefetch_related("tags")

    def list(self, request, *args, **kwargs):
        if self.brief():
            # Typeahead: the first 20 matches in index order, without a page count or a sort: counting or sorting
            # every match of a common fragment (50,000 of 1,000,000) is what makes a search slow. One precompiled
            # statement returning the brief fields as dicts (the rows EnterpriseBriefSerializer would give); the
            # user's scope (view permission; enterprises are reference data) is applied by enterprise_search.
            q = request.query_params.get("q", "")
            return Response({"results": enterprise_search(request.user, q, TYPEAHEAD_LIMIT)})
        return super().list(request, *args, **kwargs)


class ActivitySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    organiser = serializers.CharField(source="organiser.name", read_only=True)
    destination_region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True, help_text="省内地点区划代码"
    )
    enterprises = serializers.PrimaryKeyRelatedField(many=True, queryset=Enterprise.objects.all(), required=False)
    destination_province = serializers.CharField(
        max_length=20, help_text="省份（如 云南、广东；境外填“境外”），由服务按省份列表校验"
    )

    class Meta:
        model = Activity
        fields = ["id", "kind_display", "organiser", "path", "place", *ACTIVITY_FIELDS, "enterprises"]
        read_only_fields = ["path", "place"]


class ActivityViewSet(ScopedModelViewSet):
    """Activities of the user's jurisdiction (organiser's node). Create records one for the user's org unit."""

    queryset_model = Activity
    serializer_class = ActivitySerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["kind", "leader_level", "place"]
    ordering_fields = ["start_on", "id"]

    def get_queryset(self):
        return super().get_queryset().select_related("organiser", "destination_region").prefetch_related("enterprises")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        enterprises = data.pop("enterprises", [])
        for key in (
            "destination_city",
            "leader_name",
            "leader_level",
            "participants",
            "organisers",
            "outcome",
            "follow_up",
        ):
            data[key] = data.get(key) or ""
        serializer.instance = services.activity_create(actor=self.request.user, enterprises=enterprises, **data)
