import django_filters
from django import forms
from django.db.models import Q

from zhaoshang.regions.choices import ParkLevel, ParkStatus
from zhaoshang.regions.models import Park, Region

TEXT = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}


def regions_for(request):
    if request is None:
        return Region.objects.none()
    return Region.objects.for_user(request.user).filter(level__gte=2)


class ParkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称/主导产业", method="filter_q", widget=forms.TextInput(attrs=TEXT))
    region = django_filters.ModelChoiceFilter(
        label="州市/县市区",
        queryset=regions_for,
        empty_label="全部",
        method="filter_region",
        widget=forms.Select(attrs=SELECT | {"data-search": "1"}),
    )
    level = django_filters.ChoiceFilter(
        label="级别", choices=ParkLevel.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    zone_type = django_filters.CharFilter(label="类型", lookup_expr="icontains", widget=forms.TextInput(attrs=TEXT))
    status = django_filters.ChoiceFilter(
        label="状态", choices=ParkStatus.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )

    class Meta:
        model = Park
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(leading_industries__icontains=value) | Q(code__iexact=value)
        )

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value)
