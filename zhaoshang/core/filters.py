import django_filters
from django import forms

from zhaoshang.core.choices import Action
from zhaoshang.core.forms import DateInput
from zhaoshang.core.models import AuditLog


class AuditLogFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="对象", method="filter_q", widget=forms.TextInput(attrs={"class": "form-control form-control-sm"})
    )
    actor_name = django_filters.CharFilter(
        label="操作人", lookup_expr="icontains", widget=forms.TextInput(attrs={"class": "form-control form-control-sm"})
    )
    action = django_filters.ChoiceFilter(
        label="操作",
        choices=list(Action.LABELS.items()),
        empty_label="全部",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    date_from = django_filters.DateFilter(
        label="起始日期",
        field_name="created_at",
        lookup_expr="date__gte",
        widget=DateInput(attrs={"class": "form-control form-control-sm"}),
    )
    date_to = django_filters.DateFilter(
        label="截止日期",
        field_name="created_at",
        lookup_expr="date__lte",
        widget=DateInput(attrs={"class": "form-control form-control-sm"}),
    )

    kind = django_filters.ChoiceFilter(
        label="类别",
        choices=[(code, label) for code, (label, _) in Action.KINDS.items()],
        empty_label="全部",
        method="filter_kind",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    org_unit = django_filters.ModelChoiceFilter(
        label="操作人所属机构",
        field_name="actor__org_unit",
        queryset=None,  # the org units of the reader's scope, set in __init__
        empty_label="全部",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    class Meta:
        model = AuditLog
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # The user model's org unit (accounts), reached through the audit row's actor: core imports no domain app.
        org_units = AuditLog._meta.get_field("actor").related_model._meta.get_field("org_unit").related_model
        user = getattr(request, "user", None)
        self.filters["org_unit"].queryset = (
            org_units.objects.for_user(user, action=None) if user else org_units.objects.none()
        )

    def filter_q(self, queryset, name, value):
        return queryset.search(q=value)

    def filter_kind(self, queryset, name, value):
        return queryset.filter(action__in=Action.KINDS[value][1])
