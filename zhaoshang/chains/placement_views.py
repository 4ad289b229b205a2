"""挂链审核: the placements of enterprises and projects, filtered, exported, confirmed or rejected in bulk, and the
automatic placement run again for the officer's scope."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views import View

from zhaoshang.chains import services
from zhaoshang.chains.choices import Decision, Strength
from zhaoshang.chains.forms import DecideForm
from zhaoshang.chains.models import EnterpriseNodeLink, IndustryChain, ProjectNodeLink
from zhaoshang.core.views import ScopedListView, ScopedViewMixin

SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control form-control-sm"}


def chain_choices():
    return [(c.pk, c.short_name) for c in IndustryChain.objects.current().order_by("sort_order", "code")]


class LinkFilter(django_filters.FilterSet):
    chain = django_filters.ChoiceFilter(
        label="产业链",
        field_name="node__chain",
        choices=chain_choices,
        empty_label="全部",
        widget=forms.Select(attrs=SELECT),
    )
    decision = django_filters.ChoiceFilter(
        label="结论", choices=Decision.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    strength = django_filters.ChoiceFilter(
        label="证据强度", choices=Strength.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    node = django_filters.CharFilter(
        label="节点", field_name="node__name", lookup_expr="icontains", widget=forms.TextInput(attrs=TEXT)
    )
    q = django_filters.CharFilter(label="名称", method="filter_q", widget=forms.TextInput(attrs=TEXT))

    class Meta:
        model = ProjectNodeLink
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(project__name__icontains=value)


class EnterpriseLinkFilter(LinkFilter):
    class Meta:
        model = EnterpriseNodeLink
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(enterprise__name__icontains=value)


COMMON_COLUMNS = [
    ("产业链", "node.chain.short_name"),
    ("节点", "node.name"),
    ("角色", "get_role_display"),
    ("证据强度", "get_strength_display"),
    ("证据", "evidence_text"),
    ("结论", "get_decision_display"),
    ("来源", "get_origin_display"),
    ("得分", "score"),
]


class ProjectLinkListView(ScopedListView):
    """Project placements in the user's scope (current chain versions)."""

    model = ProjectNodeLink
    filterset_class = LinkFilter
    template_name = "chains/placement_list.html"
    paginate_by = 50
    export_title = "项目挂链"
    export_columns = [("项目", "project.name"), ("项目编号", "project.external_code"), *COMMON_COLUMNS]
    sort_fields = {"score": "score", "name": "project__name", "node": "node__name"}
    default_sort = "-score"
    kind = "project"

    def get_queryset(self):
        rows = super().get_queryset().filter(node__chain__status="current")
        return rows.select_related("node", "node__chain", self.kind)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            kind=self.kind,
            can_decide=user.has_perm(f"chains.change_{self.model._meta.model_name}"),
            can_run=user.has_perm("chains.change_projectnodelink"),
        )
        return context


class EnterpriseLinkListView(ProjectLinkListView):
    """Enterprise placements (shared across the province, like the enterprise library)."""

    model = EnterpriseNodeLink
    filterset_class = EnterpriseLinkFilter
    export_title = "企业挂链"
    export_columns = [("企业", "enterprise.name"), ("行业（来源分类）", "enterprise.industry_text"), *COMMON_COLUMNS]
    sort_fields = {"score": "score", "name": "enterprise__name", "node": "node__name"}
    kind = "enterprise"


class DecideView(ScopedViewMixin, View):
    """Bulk 确认 / 否定 of the ticked placements."""

    model = ProjectNodeLink
    scope_action = "change"
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.POST.get("kind") == "enterprise":
            self.model = EnterpriseNodeLink
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = DecideForm(request.POST)
        kind = "enterprise" if self.model is EnterpriseNodeLink else "project"
        back = request.POST.get("back") or reverse("chains:placement_list")
        if not back.startswith("/"):
            back = reverse("chains:placement_list")
        if not form.is_valid():
            messages.error(request, "请选择确认或否定")
            return HttpResponseRedirect(back)
        ids = [pk for pk in request.POST.getlist("link") if pk.isdigit()]
        try:
            count = services.placement_decide(
                actor=request.user,
                decision=form.cleaned_data["decision"],
                enterprise_links=ids if kind == "enterprise" else (),
                project_links=ids if kind == "project" else (),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已{Decision(form.cleaned_data['decision']).label} {count} 条挂链")
        return HttpResponseRedirect(back)


class RunPlacementView(ScopedViewMixin, View):
    """Place the projects of the user's scope (and their investors) again with the current chains."""

    model = ProjectNodeLink
    scope_action = "change"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        from zhaoshang.projects.models import Project

        projects = Project.objects.for_user(request.user, "view")
        if not request.user.has_perm("chains.change_enterprisenodelink"):
            raise PermissionDenied("您没有确认企业挂链的权限")
        from zhaoshang.investors.models import Enterprise

        enterprises = Enterprise.objects.filter(pk__in=projects.values("investor_id"))
        summary = services.placement_run(actor=request.user, enterprises=enterprises, projects=projects)
        messages.success(
            request,
            f"已重新识别：项目挂链 {summary.project_links} 条，企业挂链 {summary.enterprise_links} 条"
            f"（新增 {summary.created}，移除 {summary.removed}，保留人工结论 {summary.kept}）",
        )
        return HttpResponseRedirect(reverse("chains:placement_list"))
