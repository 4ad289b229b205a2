import django_filters
from django import forms
from django.utils import timezone

from zhaoshang.core.forms import DateInput
from zhaoshang.investors.choices import FOLLOW_UP_DUE_DAYS, ActivityKind, LeaderLevel, Place, TagKind
from zhaoshang.investors.models import Activity, Enterprise
from zhaoshang.projects.choices import PROVINCE_CHOICES

TEXT = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称/代码", method="filter_q", widget=forms.TextInput(attrs=TEXT))
    tag = django_filters.ChoiceFilter(
        label="标签",
        choices=TagKind.choices,
        method="filter_tag",
        empty_label="全部",
        widget=forms.Select(attrs=SELECT),
    )
    hq_province = django_filters.ChoiceFilter(
        label="总部省份", choices=PROVINCE_CHOICES, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    mine = django_filters.BooleanFilter(
        label="我盯的企业", method="filter_mine", widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    class Meta:
        model = Enterprise
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_tag(self, queryset, name, value):
        return queryset.tagged(value)

    def filter_mine(self, queryset, name, value):
        return queryset.filter(owner=self.request.user) if value else queryset


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="类型", choices=ActivityKind.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    leader_level = django_filters.ChoiceFilter(
        label="领导级别", choices=LeaderLevel.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    place = django_filters.ChoiceFilter(
        label="地点", choices=Place.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    date_from = django_filters.DateFilter(
        label="起始日期",
        field_name="start_on",
        lookup_expr="gte",
        widget=DateInput(attrs=TEXT),
    )
    date_to = django_filters.DateFilter(
        label="截止日期",
        field_name="start_on",
        lookup_expr="lte",
        widget=DateInput(attrs=TEXT),
    )
    follow_up = django_filters.ChoiceFilter(
        label="后续跟进",
        choices=[("open", "到期或逾期"), ("due", f"{FOLLOW_UP_DUE_DAYS}日内到期"), ("overdue", "已逾期")],
        empty_label="全部",
        method="filter_follow_up",
        widget=forms.Select(attrs=SELECT),
    )

    class Meta:
        model = Activity
        fields = []

    def filter_follow_up(self, queryset, name, value):
        today = timezone.localdate()
        if value == "open":
            return queryset.follow_up_open(today)
        return queryset.follow_up_due(today) if value == "due" else queryset.follow_up_overdue(today)
