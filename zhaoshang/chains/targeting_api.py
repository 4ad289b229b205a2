"""/api/v1/targeting/?region=CODE&chain=…&node=…&action=…&top=N: the ranked candidates of a region, as the page and
the ``recommend`` command give them (``Targeting.payload``). A region outside the user's jurisdiction is 404."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from zhaoshang.chains.selectors import area_lookup, user_home_area
from zhaoshang.chains.targeting_selectors import targeting_for
from zhaoshang.chains.targeting_views import chain_by_param, node_by_param
from zhaoshang.chains.views import requested_year
from zhaoshang.core.views import unscoped

MAX_TOP = 500


@unscoped("地区按用户辖区查找（area_lookup，辖区外 404）；候选企业为全省共享的企业库")
class TargetingAPI(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("region", OpenApiTypes.STR, description="行政区划或园区代码，默认本辖区"),
            OpenApiParameter("chain", OpenApiTypes.STR, description="产业链编号、编码、名称或简称"),
            OpenApiParameter("node", OpenApiTypes.STR, description="节点编号、名称或标识（含其下级）"),
            OpenApiParameter("action", OpenApiTypes.STR, enum=["fill", "strengthen", "extend"]),
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("top", OpenApiTypes.INT, description="返回前 N 个，默认 50，最多 500"),
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            404: OpenApiResponse(description="地区不在您的辖区内，或没有这条产业链"),
        },
    )
    def get(self, request):
        if not request.user.has_perm("chains.view_industrychain"):
            raise PermissionDenied("您没有此功能的权限")
        code = (request.query_params.get("region") or "").strip()
        area = area_lookup(request.user, code) if code else user_home_area(request.user)
        if area is None:
            raise Http404("不在您的辖区范围内")
        chain = chain_by_param(request.query_params.get("chain", ""))
        if chain is None:
            raise Http404("没有这条产业链")
        node = node_by_param(chain, request.query_params.get("node", ""))
        try:
            top = min(max(int(request.query_params.get("top") or 50), 1), MAX_TOP)
        except ValueError:
            top = 50
        year = requested_year(request.query_params)
        t = targeting_for(
            chain=chain,
            area=area,
            year=year,
            node=node,
            action=request.query_params.get("action", ""),
            user=request.user,
        )
        return Response(
            {
                "region": {"code": area.code, "name": area.name},
                "chain": {"id": chain.pk, "code": chain.code, "name": chain.name, "version": chain.version},
                "node": {"id": node.pk, "name": node.name} if node else None,
                "year": year,
                "weights": t.weights,
                "weights_version": t.weights_version.as_dict(),
                "count": t.count,
                "candidates": t.payload(top),
                "filtered_out": [{"enterprise": f.name, "reason": f.reason} for f in t.filtered[:top]],
            }
        )
