"""Pages of 项目流转: the scoped list (filters, Excel export), the detail with its timeline, agreement and the steps the
user's side may take, and the proposal from the project page ("发起流转")."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhaoshang.core.scope import path_q, user_node_path
from zhaoshang.core.views import ScopedFormView, ScopedListView
from zhaoshang.projects.forms import StepDecisionForm
from zhaoshang.projects.models import Project, Transfer, TransferAction, TransferReason, TransferStatus
from zhaoshang.projects.services.errors import IllegalTransition
from zhaoshang.projects.services.transfer import allowed_actions, transfer_decide, transfer_propose
from zhaoshang.regions.choices import ParkStatus
from zhaoshang.regions.models import Park, Region

TEXT = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}
RELATED = ("project", "from_county", "from_park", "to_county", "to_park", "sharing", "created_by")
DIRECTIONS = (("out", "本地区转出"), ("in", "转入本地区"))


class TransferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="项目", method="filter_q", widget=forms.TextInput(attrs=TEXT))
    status = django_filters.ChoiceFilter(
        label="状态", choices=TransferStatus.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    reason = django_filters.ChoiceFilter(
        label="原因", choices=TransferReason.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    direction = django_filters.ChoiceFilter(
        label="方向",
        choices=DIRECTIONS,
        empty_label="全部",
        method="filter_direction",
        widget=forms.Select(attrs=SELECT),
    )

    class Meta:
        model = Transfer
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(project__name__icontains=value)

    def filter_direction(self, queryset, name, value):
        node = user_node_path(self.request.user) if self.request is not None else None
        if not node:
            return queryset
        return queryset.filter(path_q("from_path" if value == "out" else "to_path", node))


class TransferListView(ScopedListView):
    model = Transfer
    filterset_class = TransferFilter
    template_name = "projects/transfer_list.html"
    sort_fields = {"created": "created_at", "name": "project__name", "status": "status", "completed": "completed_on"}
    default_sort = "-created"
    export_title = "项目流转"
    export_columns = [
        ("项目", "project.name"),
        ("引进方", "from_label"),
        ("落地方", "to_label"),
        ("原因", "get_reason_display"),
        ("原因说明", "reason_text"),
        ("状态", "get_status_display"),
        ("提出日期", "proposed_on"),
        ("完成日期", "completed_on"),
        ("引进方分成（%）", "sharing.source_share"),
        ("落地方分成（%）", "sharing.target_share"),
        ("分成口径", "sharing.measures_label"),
        ("分成年度", "sharing.years_label"),
        ("退回原因", "last_reason"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related(*RELATED)


class TransferDecisionForm(StepDecisionForm):
    RETURN = TransferAction.RETURN

    def label_of(self, action: str) -> str:
        return TransferAction(action).label


class TransferDetailView(ScopedFormView):
    """The transfer, its timeline and agreement; the form offers the steps the user's side may take now."""

    model = Transfer
    scope_action = "view"
    form_class = TransferDecisionForm
    template_name = "projects/transfer_detail.html"

    def load(self, **kwargs) -> None:
        self.object = get_object_or_404(self.get_queryset().select_related(*RELATED), pk=kwargs["pk"])
        self.actions = allowed_actions(user=self.request.user, transfer=self.object)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["actions"] = self.actions
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            transfer=self.object,
            sharing=getattr(self.object, "sharing", None),
            steps=self.object.steps.select_related("actor"),
            actions=self.actions,
            filer=Region.objects.filter(path=self.object.filing_path).first(),
        )
        return context

    def perform(self, form):
        if not self.actions:
            raise PermissionDenied("您不能办理这一流转")
        data = form.cleaned_data
        try:
            transfer = transfer_decide(
                actor=self.request.user, transfer=self.object, action=data["action"], reason=data["reason"]
            )
        except IllegalTransition as error:
            raise ValidationError(error.messages) from error
        messages.success(
            self.request, f"已办理“{TransferAction(data['action']).label}”：{transfer.get_status_display()}"
        )
        return transfer


class TransferProposeForm(forms.Form):
    to_county = forms.ModelChoiceField(
        label="落地方县市区",
        queryset=Region.objects.filter(level=3).order_by("code"),
        widget=forms.Select(attrs=SELECT),
    )
    to_park = forms.ModelChoiceField(
        label="落地方园区",
        queryset=Park.objects.filter(status=ParkStatus.ACTIVE).order_by("code"),
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text="流转到园区时选择，园区须属于所选县市区",
    )
    reason = forms.ChoiceField(
        label="不能承接的原因", choices=TransferReason.choices, widget=forms.Select(attrs=SELECT)
    )
    reason_text = forms.CharField(
        label="原因说明", max_length=500, widget=forms.Textarea(attrs={"class": "form-control", "rows": 2})
    )
    source_share = forms.DecimalField(
        label="引进方分成（%）",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=30,
        widget=forms.NumberInput(attrs=TEXT | {"step": "0.01"}),
    )
    target_share = forms.DecimalField(
        label="落地方分成（%）",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=70,
        widget=forms.NumberInput(attrs=TEXT | {"step": "0.01"}),
    )
    shares_signed = forms.BooleanField(label="签约额分成", required=False, initial=True)
    shares_funds = forms.BooleanField(label="到位资金分成", required=False, initial=True)
    shares_tax = forms.BooleanField(label="税收分成", required=False, initial=True)
    from_year = forms.IntegerField(
        label="起始年度", min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=TEXT)
    )
    years = forms.IntegerField(
        label="分成年限（年）", min_value=1, max_value=30, initial=5, widget=forms.NumberInput(attrs=TEXT)
    )
    note = forms.CharField(label="备注", max_length=500, required=False, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class TransferProposeView(ScopedFormView):
    """发起流转 from the project page: only the side holding the project (its change scope) may offer it."""

    model = Transfer
    scope_action = "add"
    form_class = TransferProposeForm
    template_name = "projects/transfer_form.html"

    def load(self, **kwargs) -> None:
        rows = Project.objects.for_user(self.request.user, "change").select_related("county", "park")
        self.project = get_object_or_404(rows, pk=kwargs["pk"])

    def get_initial(self):
        return {"from_year": timezone.localdate().year}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        transfer = transfer_propose(actor=self.request.user, project=self.project, **data)
        messages.success(self.request, "已提出流转，待接收方确认")
        return transfer
