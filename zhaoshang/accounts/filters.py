import django_filters
from django import forms
from django.db.models import Q

from zhaoshang.accounts.models import User
from zhaoshang.accounts.roles import ROLES


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="账号/姓名/机构",
        method="filter_q",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    role = django_filters.ChoiceFilter(
        label="角色",
        choices=[(r.name, r.name) for r in ROLES.values()],
        field_name="groups__name",
        empty_label="全部",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    locked = django_filters.BooleanFilter(
        label="仅看已锁定",
        method="filter_locked",
        widget=forms.Select(choices=[("", "全部"), ("true", "是")], attrs={"class": "form-select form-select-sm"}),
    )

    class Meta:
        model = User
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value) | Q(full_name__icontains=value) | Q(org_unit__name__icontains=value)
        )

    def filter_locked(self, queryset, name, value):
        from django.utils import timezone

        return queryset.filter(locked_until__gt=timezone.now()) if value else queryset
