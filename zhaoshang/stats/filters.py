import django_filters
from django import forms

from zhaoshang.regions.filters import regions_for
from zhaoshang.stats.choices import INDICATOR_CHOICES
from zhaoshang.stats.models import Target

SELECT = {"class": "form-select form-select-sm"}


class TargetFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label="年度", widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"})
    )
    region = django_filters.ModelChoiceFilter(
        label="辖区", queryset=regions_for, empty_label="全部", widget=forms.Select(attrs=SELECT | {"data-search": "1"})
    )
    indicator = django_filters.ChoiceFilter(
        label="指标", choices=INDICATOR_CHOICES, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )

    class Meta:
        model = Target
        fields = []
