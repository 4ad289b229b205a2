import django_filters
from django import forms

from zhaoshang.core.forms import DateInput
from zhaoshang.risk.choices import WarningState
from zhaoshang.risk.models import RiskRule, RiskWarning

SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control form-control-sm"}


class WarningFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="项目名称", method="filter_q", widget=forms.TextInput(attrs=TEXT))
    state = django_filters.ChoiceFilter(
        label="状态", choices=WarningState.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    rule = django_filters.ModelChoiceFilter(
        label="规则", queryset=RiskRule.objects.all(), empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    cleared = django_filters.BooleanFilter(
        label="条件已消除", method="filter_cleared", widget=forms.NullBooleanSelect(attrs=SELECT)
    )
    first_seen_from = django_filters.DateFilter(
        label="发现日期起",
        field_name="first_seen",
        lookup_expr="gte",
        widget=DateInput(attrs=TEXT),
    )

    class Meta:
        model = RiskWarning
        fields = []

    def filter_q(self, rows, name, value):
        return rows.filter(project__name__icontains=value)

    def filter_cleared(self, rows, name, value):
        return rows.filter(cleared_on__isnull=not value)
