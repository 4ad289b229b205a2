"""Pages of the 招大引强项目库: the scoped list, the queue of the user's step, the decision form, the province's
threshold, and the project book (项目册) in Excel and Word."""

from urllib.parse import quote

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from zhaoshang.catalog.models import KeyIndustry
from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.excel import xlsx_response
from zhaoshang.core.forms import DateInput
from zhaoshang.core.scope import path_q
from zhaoshang.core.views import ScopedFormView, ScopedListView, ScopedViewMixin
from zhaoshang.projects import projectbook, services
from zhaoshang.projects.choices import SIGNED_OR_LATER
from zhaoshang.projects.forms import StepDecisionForm
from zhaoshang.projects.models import (
    LibraryAction,
    LibraryEntry,
    LibraryLevel,
    LibraryStatus,
    LibraryThreshold,
    Project,
    library_threshold_wan,
)
from zhaoshang.projects.services.library import actor_level, allowed_actions, may_act, submission_problem
from zhaoshang.regions.models import Region

TEXT = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ENTRY_RELATED = ("project__investor", "project__county__parent", "project__park", "project__key_industry")
ACTION_LABELS = {
    LibraryAction.SUBMIT: "申报入库（县级申报）",
    LibraryAction.REVIEW: "审核通过，报省级审定（州市级审核）",
    LibraryAction.APPROVE: "审定入库（省级审定）",
    LibraryAction.RETURN: "退回县级（须填写原因）",
}


def _prefectures(request):
    return Region.objects.for_user(request.user).prefectures() if request is not None else Region.objects.none()


class LibraryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="项目/投资方", method="filter_q", widget=forms.TextInput(attrs=TEXT))
    status = django_filters.ChoiceFilter(
        label="入库状态", choices=LibraryStatus.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    step = django_filters.ChoiceFilter(
        label="当前环节", choices=LibraryLevel.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    key_industry = django_filters.ModelChoiceFilter(
        label="重点产业",
        field_name="project__key_industry",
        queryset=KeyIndustry.objects.all(),
        empty_label="全部",
        widget=forms.Select(attrs=SELECT),
    )
    prefecture = django_filters.ModelChoiceFilter(
        label="州市",
        queryset=_prefectures,
        empty_label="全部",
        method="filter_prefecture",
        widget=forms.Select(attrs=SELECT),
    )
    year = django_filters.NumberFilter(
        label="申报年度", field_name="year", widget=forms.NumberInput(attrs=TEXT | {"style": "width: 7em"})
    )

    class Meta:
        model = LibraryEntry
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(project__name__icontains=value) | Q(project__investor__name__icontains=value))

    def filter_prefecture(self, queryset, name, value):
        return queryset.filter(path_q("project__path", value.path))


LIBRARY_EXPORT_COLUMNS = [
    ("项目编号", "project.id"),
    ("项目名称", "project.name"),
    ("投资方", "project.investor.name"),
    ("重点产业", "project.key_industry.name"),
    ("州市", "project.county.parent.name"),
    ("县市区", "project.county.name"),
    ("园区", "project.park.name"),
    ("协议投资额（万元）", "project.agreed_investment_wan"),
    ("申报时协议投资额（万元）", "amount_wan"),
    ("项目阶段", "project.get_stage_display"),
    ("申报年度", "year"),
    ("入库状态", "get_status_display"),
    ("当前环节", "get_step_display"),
    ("最近申报时间", "submitted_at"),
    ("入库日期", "approved_on"),
    ("最近退回原因", "last_reason"),
]


class LibraryListView(ScopedListView):
    model = LibraryEntry
    filterset_class = LibraryFilter
    template_name = "projects/library_list.html"
    sort_fields = {
        "submitted": "submitted_at",
        "name": "project__name",
        "amount": "amount_wan",
        "status": "status",
        "year": "year",
        "approved": "approved_on",
    }
    default_sort = "-submitted"
    export_title = "招大引强项目库"
    export_columns = LIBRARY_EXPORT_COLUMNS

    def get_queryset(self):
        return super().get_queryset().select_related(*ENTRY_RELATED)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["threshold_wan"] = library_threshold_wan()
        context["years"] = sorted(
            set(LibraryEntry.objects.for_user(self.request.user).approved().values_list("year", flat=True)),
            reverse=True,
        )
        return context


def queue_status(user) -> str | None:
    """The status that waits for the user's step, if the user may take that step."""
    level = actor_level(user)
    if user.is_superuser:
        return None
    if level == LibraryLevel.COUNTY and may_act(user, LibraryAction.SUBMIT):
        return LibraryStatus.RETURNED
    if level == LibraryLevel.PREFECTURE and may_act(user, LibraryAction.REVIEW):
        return LibraryStatus.SUBMITTED
    if level == LibraryLevel.PROVINCE and may_act(user, LibraryAction.APPROVE):
        return LibraryStatus.REVIEWED
    return ""


class LibraryQueueView(ScopedListView):
    """待办: what waits for the user's step (returned submissions and projects that may be submitted for a
    county, submissions to review for a prefecture, reviewed ones to approve for the province)."""

    model = LibraryEntry
    template_name = "projects/library_queue.html"
    sort_fields = {"submitted": "submitted_at", "amount": "amount_wan", "name": "project__name"}
    default_sort = "submitted"
    export_title = "招大引强入库待办"
    export_columns = LIBRARY_EXPORT_COLUMNS

    def get_queryset(self):
        rows = super().get_queryset().select_related(*ENTRY_RELATED)
        status = queue_status(self.request.user)
        if status is None:
            return rows.exclude(status=LibraryStatus.APPROVED)
        return rows.filter(status=status) if status else rows.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        threshold = library_threshold_wan()
        candidates = Project.objects.none()
        if may_act(user, LibraryAction.SUBMIT) and actor_level(user) == LibraryLevel.COUNTY:
            candidates = (
                Project.objects.for_user(user)
                .counted()
                .in_stage(*SIGNED_OR_LATER)
                .at_least_wan(threshold)
                .filter(library_entry__isnull=True)
                .select_related("county", "park", "key_industry")
                .order_by("-agreed_investment_wan", "id")[:100]
            )
        context.update(
            candidates=candidates,
            threshold_wan=threshold,
            level=actor_level(user),
            level_label=LibraryLevel(actor_level(user)).label if actor_level(user) else "",
        )
        return context


class LibraryDecisionForm(StepDecisionForm):
    RETURN = LibraryAction.RETURN
    reason_help = "退回时必须填写原因，原因将退回给县级"

    def label_of(self, action: str) -> str:
        return ACTION_LABELS[action]


class LibraryDecisionView(ScopedFormView):
    """The library step on one project: submit, review, approve, or return with a reason."""

    model = Project
    scope_action = "view"
    form_class = LibraryDecisionForm
    template_name = "projects/library_decide.html"

    def load(self, **kwargs) -> None:
        user = self.request.user
        if not any(may_act(user, action) for action in LibraryAction.values):
            raise PermissionDenied("您没有招大引强项目库的办理权限")
        super().load(**kwargs)  # 404 outside the user's jurisdiction
        self.entry = LibraryEntry.objects.for_user(user).filter(project=self.object).first()
        self.actions = allowed_actions(user=user, project=self.object, entry=self.entry)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["actions"] = self.actions
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        problem = submission_problem(self.object) if self.entry is None else None
        context.update(
            project=self.object,
            entry=self.entry,
            steps=self.entry.steps.select_related("actor") if self.entry else [],
            actions=self.actions,
            problem=problem,
            threshold_wan=library_threshold_wan(),
        )
        return context

    def perform(self, form):
        data = form.cleaned_data
        entry = services.library_decide(
            actor=self.request.user, project=self.object, action=data["action"], reason=data["reason"]
        )
        messages.success(
            self.request, f"已办理“{LibraryAction(data['action']).label}”，当前状态：{entry.get_status_display()}"
        )
        return entry

    def get_success_url_for(self, saved):
        return reverse("projects:library_decide", args=[saved.project_id])


class LibraryThresholdForm(forms.Form):
    threshold_wan = forms.DecimalField(
        label="入库门槛（协议投资额，万元）",
        max_digits=14,
        decimal_places=2,
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
        help_text="1 亿元 = 10000 万元；默认 10 亿元 = 100000 万元",
    )
    effective_from = forms.DateField(label="生效日期", widget=DateInput(attrs={"class": "form-control"}))
    note = forms.CharField(
        label="说明（依据文件）",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class LibraryThresholdView(ScopedFormView):
    model = LibraryThreshold
    scope_action = "add"
    form_class = LibraryThresholdForm
    template_name = "projects/library_threshold.html"

    def get_initial(self):
        return {"threshold_wan": library_threshold_wan(), "effective_from": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = LibraryThreshold.objects.for_user(self.request.user).select_related("created_by")[:50]
        context["current"] = library_threshold_wan()
        return context

    def perform(self, form):
        data = form.cleaned_data
        row = services.library_threshold_set(
            actor=self.request.user,
            threshold_wan=data["threshold_wan"],
            effective_from=data["effective_from"],
            note=data["note"],
        )
        messages.success(self.request, f"已设置入库门槛：{row}")
        return row

    def get_success_url_for(self, saved):
        return reverse("projects:library_threshold")


class LibraryBookView(ScopedViewMixin, View):
    """项目册: every approved project of the user's jurisdiction (optionally one year), in Excel or Word."""

    model = LibraryEntry
    scope_action = "export"

    def get(self, request, fmt: str):
        rows = self.get_queryset().approved().select_related(*ENTRY_RELATED).order_by("year", "approved_on", "id")
        year = request.GET.get("year", "")
        if year.isdigit():
            rows = rows.in_year(int(year))
        entries = list(rows)
        stamp = timezone.localtime().strftime("%Y%m%d%H%M")
        title = f"招大引强项目册{'（' + year + '年度）' if year.isdigit() else ''}"
        audit_record(
            actor=request.user,
            action=Action.EXPORT,
            object_type=LibraryEntry._meta.label,
            object_repr=f"{title}（{fmt}）",
            after={"query": request.GET.dict(), "rows": len(entries), "format": fmt},
        )
        if fmt == "xlsx":
            return xlsx_response(filename=f"{title}_{stamp}.xlsx", content=projectbook.book_xlsx(entries))
        content = projectbook.book_docx(entries, year=int(year) if year.isdigit() else None, user=request.user)
        response = HttpResponse(content, content_type=DOCX_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title + '_' + stamp + '.docx')}"
        return response
