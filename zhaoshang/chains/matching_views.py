"""项目匹配 and the data behind the scores: a project's park matches (page, panel on the project page, API), the park
profile form (the park's bureau and the province), and expansion signals (list, entry, Excel import with its
template, all or nothing)."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from zhaoshang.chains import targeting_services as services
from zhaoshang.chains.choices import SignalKind
from zhaoshang.chains.forms import StyledForm, style_fields
from zhaoshang.chains.matching import LABELS, WEIGHTS, needs_of, park_matches
from zhaoshang.chains.models import ParkProfile, Signal
from zhaoshang.chains.targeting_services import PARK_PROFILE_FIELDS
from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.excel import workbook_bytes, xlsx_response
from zhaoshang.core.forms import DateField, DateInput
from zhaoshang.core.panels import Panel
from zhaoshang.core.panels import register_panel as register_panels
from zhaoshang.core.views import ScopedPageView, unscoped

NEED_PARAMS = {
    "land_mu": "用地（亩）",
    "investment_wan": "投资额（万元）",
    "tax_wan": "年税收（万元）",
    "power_mva": "用电容量（兆伏安）",
    "water_t_day": "用水（吨/日）",
}
EIA_CLASSES = ("报告书", "报告表", "登记表")


def needs_overrides(params) -> dict:
    """A lead's needs typed on the panel (blank keeps the project's own)."""
    overrides = {}
    for key in NEED_PARAMS:
        raw = (params.get(key) or "").strip()
        if raw:
            try:
                value = Decimal(raw)
            except InvalidOperation:
                continue
            if value >= 0:
                overrides[key] = value
    eia = (params.get("eia_class") or "").strip()
    if eia in EIA_CLASSES:
        overrides["eia_class"] = eia
    return overrides


def scoped_project(user, pk: int):
    from zhaoshang.projects.models import Project

    return get_object_or_404(Project.objects.for_user(user).select_related("investor"), pk=pk)


class ParkMatchesView(ScopedPageView):
    permission_required = "projects.view_project"
    template_name = "chains/park_matches.html"

    def get(self, request, *args, **kwargs):
        project = scoped_project(request.user, kwargs["pk"])
        result = park_matches(needs=needs_of(project, **needs_overrides(request.GET)), project_id=project.pk)
        if request.GET.get("export") == "xlsx":
            if not request.user.has_perm("projects.export_project"):
                raise PermissionDenied("您没有导出权限")
            headers = [
                "排名",
                "园区",
                "所在地区",
                "得分",
                *[f"{LABELS[c]}（值）" for c in WEIGHTS],
                *[f"{LABELS[c]}（百分位）" for c in WEIGHTS],
                "筛除原因",
            ]
            rows = [
                [
                    rank,
                    m.name,
                    m.region,
                    round(m.score, 1),
                    *[f.shown for f in m.factors],
                    *[round(f.percentile, 1) for f in m.factors],
                    "",
                ]
                for rank, m in enumerate(result.matches, start=1)
            ]
            blank = [None] * (2 * len(WEIGHTS))  # a filtered park has no rank, score or factors: only its reasons
            rows += [[None, f.name, f.region, None, *blank, "；".join(f.reasons)] for f in result.filtered]
            title = f"{project.name}园区匹配"
            audit_record(
                actor=request.user,
                action=Action.EXPORT,
                obj=project,
                object_repr=title,
                after={"format": "xlsx", "url": request.get_full_path(), "rows": len(rows)},
            )
            return xlsx_response(
                filename=f"{title}.xlsx", content=workbook_bytes(title=title, headers=headers, rows=rows)
            )
        return self.render_to_response(
            self.get_context_data(
                project=project,
                result=result,
                labels=LABELS,
                weights=WEIGHTS,
                need_fields=[(k, v, request.GET.get(k, "")) for k, v in NEED_PARAMS.items()],
                eia_classes=EIA_CLASSES,
                params=request.GET,
            )
        )


def panel_context(user, project) -> dict | None:
    result = park_matches(needs=needs_of(project), project_id=project.pk)
    return {
        "project": project,
        "matches": result.matches[:5],
        "filtered": result.filtered,
        "labels": LABELS,
        "needs": result.needs,
        "total": len(result.matches),
    }


def park_panel(request, *, project) -> Panel | None:
    """The park matching panel of the project page (``core.panels``, page "project_detail"): a closed panel that
    loads its ranking from ``ParkPanelView`` when opened, so a view of the project page matches no parks."""
    if not request.user.has_perm("chains.view_industrychain"):
        return None
    return Panel("chains/_park_panel.html", {"project": project})


class ParkPanelView(ScopedPageView):
    """The body of the project page's park matching panel (HTMX, on opening it); the project is looked up in the
    user's scope (404 outside)."""

    permission_required = ("chains.view_industrychain", "projects.view_project")
    template_name = "chains/_park_panel_body.html"

    def get(self, request, *args, **kwargs):
        project = scoped_project(request.user, kwargs["pk"])
        return self.render_to_response({"data": panel_context(request.user, project)})


def register_panel() -> None:
    register_panels("project_detail", park_panel)


@unscoped("项目在用户辖区内查找（for_user），辖区外按不存在回答 404；园区条件为全省招商公开信息")
class ParkMatchesAPI(APIView):
    """/api/v1/projects/{id}/park-matches/: the parks ranked for the project (scoped: another county's project is
    404), every factor with its value and percentile, and the parks filtered out with their reasons."""

    @extend_schema(
        parameters=[OpenApiParameter(k, OpenApiTypes.NUMBER, description=v) for k, v in NEED_PARAMS.items()]
        + [OpenApiParameter("eia_class", OpenApiTypes.STR, enum=list(EIA_CLASSES))],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, pk: int):
        if not request.user.has_perm("projects.view_project"):
            raise PermissionDenied("您没有此功能的权限")
        project = scoped_project(request.user, pk)
        result = park_matches(needs=needs_of(project, **needs_overrides(request.query_params)), project_id=project.pk)
        return Response({"project": {"id": project.pk, "name": project.name}, **result.payload()})


# -- park profile -------------------------------------------------------------------------------------------------
class ParkProfileForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    class Meta:
        model = ParkProfile
        fields = list(PARK_PROFILE_FIELDS)
        widgets = {
            "admitted_nodes": forms.Textarea(attrs={"rows": 2}),
            "excluded_nodes": forms.Textarea(attrs={"rows": 2}),
            "as_of": DateInput(),
        }


class ParkProfileView(ScopedPageView):
    permission_required = "chains.view_parkprofile"
    template_name = "chains/park_profile.html"

    def park(self):
        from zhaoshang.regions.models import Park

        return get_object_or_404(Park.objects.for_user(self.request.user, action=None), pk=self.kwargs["pk"])

    def render(self, park, form, status=200):
        can_edit = self.request.user.has_perm("chains.change_parkprofile")
        return self.render_to_response(self.get_context_data(park=park, form=form, can_edit=can_edit), status=status)

    def get(self, request, *args, **kwargs):
        park = self.park()
        profile = ParkProfile.objects.filter(park=park).first()
        form = ParkProfileForm(instance=profile, initial=None if profile else {"as_of": timezone.localdate()})
        return self.render(park, form)

    def post(self, request, *args, **kwargs):
        park = self.park()
        if not request.user.has_perm("chains.change_parkprofile"):
            raise PermissionDenied("您没有修改园区承载条件的权限")
        profile = ParkProfile.objects.filter(park=park).first()
        form = ParkProfileForm(request.POST, instance=profile or ParkProfile(park=park))
        if form.is_valid():
            try:
                services.park_profile_save(
                    actor=request.user, park=park, **{k: form.cleaned_data[k] for k in PARK_PROFILE_FIELDS}
                )
            except ValidationError as error:
                for field, errs in (
                    error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
                ):
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.success(request, "园区承载条件已保存")
                return HttpResponseRedirect(reverse("chains:park_profile", args=[park.pk]))
        return self.render(park, form, status=400)


# -- signals ------------------------------------------------------------------------------------------------------
class SignalForm(StyledForm):
    enterprise = forms.IntegerField(label="企业编号", widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="信号类型", choices=SignalKind.choices)
    on = DateField(label="日期")
    source = forms.CharField(label="来源", max_length=200)
    evidence = forms.CharField(label="证据", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SignalListView(ScopedPageView):
    permission_required = "chains.view_signal"
    template_name = "chains/signals.html"

    def rows(self):
        rows = Signal.objects.for_user(self.request.user).select_related("enterprise").order_by("-on", "-id")
        q = (self.request.GET.get("q") or "").strip()
        if q:
            rows = rows.filter(enterprise__name__icontains=q)
        kind = self.request.GET.get("kind") or ""
        if kind in SignalKind.values:
            rows = rows.filter(kind=kind)
        return rows

    def get(self, request, *args, **kwargs):
        if request.GET.get("template") == "xlsx":
            return xlsx_response(filename="企业扩张信号导入模板.xlsx", content=services.signals_template())
        rows = self.rows()
        if request.GET.get("export") == "xlsx":
            if not request.user.has_perm("chains.export_signal"):
                raise PermissionDenied("您没有导出权限")
            headers = ["企业", "信号类型", "日期", "来源", "证据", "登记方式"]
            data = [
                [s.enterprise.name, s.get_kind_display(), s.on, s.source, s.evidence, s.get_origin_display()]
                for s in rows[:50000]
            ]
            audit_record(
                actor=request.user,
                action=Action.EXPORT,
                object_type=Signal._meta.label,
                object_repr="企业扩张信号",
                after={"format": "xlsx", "url": request.get_full_path(), "rows": len(data)},
            )
            return xlsx_response(
                filename="企业扩张信号.xlsx", content=workbook_bytes(title="企业扩张信号", headers=headers, rows=data)
            )
        return self.render_to_response(
            self.get_context_data(
                rows=rows[:200], kinds=SignalKind.choices, can_add=request.user.has_perm("chains.add_signal")
            )
        )

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("chains.add_signal"):
            raise PermissionDenied("您没有登记扩张信号的权限")
        upload = request.FILES.get("file")
        if upload is not None:
            report = services.signals_import(actor=request.user, content=upload.read())
            if report.ok:
                messages.success(request, f"已导入 {report.created} 条扩张信号")
                return HttpResponseRedirect(reverse("chains:signals"))
            return self.render_to_response(
                self.get_context_data(
                    rows=self.rows()[:200], kinds=SignalKind.choices, can_add=True, import_errors=report.errors
                ),
                status=400,
            )
        return HttpResponse(status=400)


class SignalCreateView(ScopedPageView):
    permission_required = "chains.add_signal"
    template_name = "chains/signal_form.html"

    def enterprise(self):
        from zhaoshang.investors.models import Enterprise

        return get_object_or_404(Enterprise.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        enterprise = self.enterprise()
        form = SignalForm(initial={"enterprise": enterprise.pk, "on": timezone.localdate()})
        return self.render_to_response(self.get_context_data(form=form, enterprise=enterprise))

    def post(self, request, *args, **kwargs):
        enterprise = self.enterprise()
        form = SignalForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.signal_create(
                    actor=request.user,
                    enterprise=enterprise,
                    kind=data["kind"],
                    on=data["on"],
                    source=data["source"],
                    evidence=data["evidence"],
                )
            except ValidationError as error:
                for field, errs in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.success(request, "已登记扩张信号")
                back = request.GET.get("next") or ""
                if back.startswith("/") and not back.startswith("//"):
                    return HttpResponseRedirect(back)
                return HttpResponseRedirect(reverse("chains:signals"))
        return self.render_to_response(self.get_context_data(form=form, enterprise=enterprise), status=400)
