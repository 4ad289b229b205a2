from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from zhaoshang.core.audit import audit_history
from zhaoshang.core.panels import panels_for
from zhaoshang.core.views import (
    ScopedDetailView,
    ScopedFormView,
    ScopedJsonView,
    ScopedListView,
    ScopedPageView,
    unscoped,
)
from zhaoshang.regions import geo
from zhaoshang.regions.filters import ParkFilter
from zhaoshang.regions.forms import ParkForm, ParkRetireForm
from zhaoshang.regions.models import Park, Region
from zhaoshang.regions.services import PARK_FIELDS, park_create, park_retire, park_update


class ParkListView(ScopedListView):
    model = Park
    filterset_class = ParkFilter
    template_name = "regions/park_list.html"
    sort_fields = {
        "code": "code",
        "name": "name",
        "level": "level",
        "region": "region__code",
        "approved_on": "approved_on",
        "area": "approved_area_ha",
    }
    default_sort = "region"
    export_title = "园区名录"
    export_columns = [
        ("园区编码", "code"),
        ("园区名称", "name"),
        ("级别", "get_level_display"),
        ("类型", "zone_type"),
        ("所属辖区", "region.name"),
        ("审批机关", "approval_authority"),
        ("批准设立时间", "approved_on"),
        ("核准面积（公顷）", "approved_area_ha"),
        ("主导产业", "leading_industries"),
        ("所在地", "location"),
        ("经度", "lon"),
        ("纬度", "lat"),
        ("状态", "get_status_display"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class ParkDetailView(ScopedDetailView):
    model = Park
    template_name = "regions/park_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # The park is already in scope; its history is shown to whoever may see the park.
        context["history"] = audit_history(user, self.object, limit=50)
        context["can_change"] = user.has_perm("regions.change_park")
        context["can_retire"] = user.has_perm("regions.retire_park") and self.object.status == "active"
        # The park's projects, money and 序时进度 come from the apps above regions (``core.panels``).
        context["panels"] = panels_for("park", self.request, park=self.object)
        return context


class ParkCreateView(ScopedFormView):
    model = Park
    scope_action = "add"
    form_class = ParkForm
    template_name = "regions/park_form.html"

    def perform(self, form):
        data = form.cleaned_data
        fields = {name: data[name] for name in PARK_FIELDS}
        park = park_create(actor=self.request.user, region=data["region"], code=data["code"], **fields)
        messages.success(self.request, f"已新增园区：{park.name}")
        return park


class ParkUpdateView(ParkCreateView):
    scope_action = "change"
    edits_object = True

    def perform(self, form):
        data = form.cleaned_data
        fields = {name: data[name] for name in PARK_FIELDS}
        park = park_update(actor=self.request.user, park=self.object, region=data["region"], **fields)
        messages.success(self.request, "已保存修改")
        return park


class ParkRetireView(ScopedFormView):
    model = Park
    scope_action = "retire"
    form_class = ParkRetireForm
    template_name = "regions/park_retire.html"

    def get_initial(self):
        return {"retired_on": timezone.localdate()}

    def perform(self, form):
        park = park_retire(
            actor=self.request.user,
            park=self.object,
            on=form.cleaned_data["retired_on"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(self.request, f"园区已撤销/整合：{park.name}")
        return park


class ParkMapView(ScopedPageView):
    """The map page; its points come from ParkMapDataView, boundaries from the geo views."""

    permission_required = "regions.view_park"
    template_name = "regions/park_map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        node = Region.objects.containing(self.request.user.scope_path)
        context["start_prefecture"] = "" if node is None or node.level == 1 else node.prefecture_code
        context["home_region"] = node
        return context


class ParkMapDataView(ScopedJsonView):
    model = Park

    def get_data(self, rows):
        points = [
            {
                "id": park.pk,
                "name": park.name,
                "value": [float(park.lon), float(park.lat)],
                "level": park.get_level_display(),
                "zone_type": park.zone_type,
                "region": park.region.name,
                "prefecture": park.region.prefecture_code,
                "approximate": park.location_approximate,
                "url": reverse("regions:park_detail", args=[park.pk]),
            }
            for park in rows.active().select_related("region")
            if park.lon is not None
        ]
        return {"parks": points}


class RegionListView(ScopedListView):
    model = Region
    template_name = "regions/region_list.html"
    paginate_by = 200
    export_title = "行政区划"
    export_columns = [("区划代码", "code"), ("名称", "name"), ("层级", "get_level_display"), ("类型", "division_type")]

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


@unscoped("行政区划边界（公开的参考地理数据），不含任何业务数据")
class ProvinceGeoView(LoginRequiredMixin, View):
    def get(self, request):
        return HttpResponse(geo.prefectures_geojson(), content_type="application/geo+json")


@unscoped("某州市各县市区边界（公开的参考地理数据），不含任何业务数据")
class PrefectureGeoView(LoginRequiredMixin, View):
    def get(self, request, code):
        content = geo.counties_geojson(code)
        if content is None:
            raise Http404("没有该州市的边界数据")
        return HttpResponse(content, content_type="application/geo+json")
