"""``/api/v1/assessments/``: the quarter's scores of the children of a node in the user's scope (a county user: its own
row), published or preview, each with its breakdown; ``/api/v1/assessments/{id}/``: one published score."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from zhaoshang.core.api import ScopedReadOnlyViewSet
from zhaoshang.stats.assessment.models import AssessmentScore
from zhaoshang.stats.assessment.scoring import ItemScore
from zhaoshang.stats.assessment.selectors import assessment_for
from zhaoshang.stats.assessment.views import default_quarter, region_for


class QuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="年度，默认最近一个完整季度所在年"
    )
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4, help_text="季度 1—4")
    region = serializers.RegexField(r"^\d{6}$", required=False, help_text="6位区划代码：本级或下级；默认本级")


class ItemSerializer(serializers.Serializer):
    source = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["base", "bonus", "penalty"])
    method = serializers.ChoiceField(choices=["completion", "rank", "threshold", "per_unit"])
    weight = serializers.DecimalField(max_digits=8, decimal_places=2)
    unit = serializers.CharField(allow_blank=True)
    raw = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True, help_text="完成值")
    target = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True, help_text="序时目标")
    annual_target = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    completion_pct = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    points = serializers.DecimalField(max_digits=8, decimal_places=2)
    note = serializers.CharField(allow_blank=True)


class ScoreSerializer(serializers.Serializer):
    region = serializers.CharField(help_text="6位区划代码")
    region_name = serializers.CharField()
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["published", "preview"], help_text="published 已发布；preview 预览")
    scheme_version = serializers.IntegerField(allow_null=True)
    score = serializers.DecimalField(max_digits=8, decimal_places=2)
    rank = serializers.IntegerField()
    last_year_score = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    breakdown = ItemSerializer(many=True)


class AssessmentViewSet(ScopedReadOnlyViewSet):
    """考核评价得分（含分项）。"""

    queryset_model = AssessmentScore
    serializer_class = ScoreSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return super().get_queryset().select_related("region", "publication")

    @extend_schema(
        parameters=[QuerySerializer],
        responses={
            200: ScoreSerializer(many=True),
            400: OpenApiResponse(description="参数有误"),
            404: OpenApiResponse(description="不在您的辖区范围内，或账户不对应某一行政区划"),
        },
    )
    def list(self, request, *args, **kwargs):
        query = QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        default_year, default_q = default_quarter()
        year = query.validated_data.get("year", default_year)
        quarter = query.validated_data.get("quarter", default_q)
        code = query.validated_data.get("region")
        node = region_for(request.user, code)
        result = assessment_for(node, year, quarter)
        rows = [
            {
                "region": row.code,
                "region_name": row.name,
                "year": year,
                "quarter": quarter,
                "state": result.state,
                "scheme_version": result.scheme_version,
                "score": row.score,
                "rank": row.rank,
                "last_year_score": row.last_year,
                "breakdown": [vars(item) for item in row.items],
            }
            for row in result.rows
        ]
        return Response(ScoreSerializer(rows, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        score = self.get_object()
        data = {
            "region": score.region.code,
            "region_name": score.region.name,
            "year": score.publication.year,
            "quarter": score.publication.quarter,
            "state": "published",
            "scheme_version": score.publication.scheme_version,
            "score": score.score,
            "rank": score.rank,
            "last_year_score": None,
            "breakdown": [vars(ItemScore.from_json(item)) for item in score.breakdown],
        }
        return Response(ScoreSerializer(data).data)
