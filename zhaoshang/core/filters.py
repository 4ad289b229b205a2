import django_filters
from django import forms

from zhaoshang.core.choices import Action
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
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    date_to = django_filters.DateFilter(
        label="截止日期",
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )

    class Meta:
        model = AuditLog
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.search(q=value)
