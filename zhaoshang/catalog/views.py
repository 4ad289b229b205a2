import django_filters
from django import forms
from django.db.models import Q

from zhaoshang.catalog.models import IndustryClass, KeyIndustry
from zhaoshang.core.views import ScopedListView


class IndustryClassFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="代码/名称", method="filter_q", widget=forms.TextInput(attrs={"class": "form-control form-control-sm"})
    )
    level = django_filters.ChoiceFilter(
        label="层级",
        choices=[(1, "门类"), (2, "大类"), (3, "中类"), (4, "小类")],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    class Meta:
        model = IndustryClass
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(code__startswith=value) | Q(name__icontains=value))


class KeyIndustryListView(ScopedListView):
    model = KeyIndustry
    template_name = "catalog/keyindustry_list.html"
    paginate_by = None


class IndustryClassListView(ScopedListView):
    model = IndustryClass
    filterset_class = IndustryClassFilter
    template_name = "catalog/industryclass_list.html"
    paginate_by = 100
