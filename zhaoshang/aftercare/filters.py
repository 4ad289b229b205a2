import django_filters
from django import forms

from zhaoshang.aftercare.choices import PromiseKind, PromiseState, TicketCategory, TicketState
from zhaoshang.aftercare.models import Promise, Ticket

SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control form-control-sm"}


class TicketFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="编号或标题", method="filter_q", widget=forms.TextInput(attrs=TEXT))
    state = django_filters.ChoiceFilter(
        label="状态", choices=TicketState.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    category = django_filters.ChoiceFilter(
        label="类别", choices=TicketCategory.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    path = django_filters.CharFilter(label="辖区", method="filter_path", widget=forms.HiddenInput)
    ids = django_filters.CharFilter(label="", method="filter_ids", widget=forms.HiddenInput)

    class Meta:
        model = Ticket
        fields = []

    def filter_q(self, rows, name, value):
        return rows.filter(title__icontains=value) | rows.filter(number__icontains=value)

    def filter_path(self, rows, name, value):
        return rows.filter(path__startswith=value)

    def filter_ids(self, rows, name, value):
        # The drill-down of a measure: the tickets behind a figure, within the user's rows.
        ids = [int(part) for part in value.split(",") if part.isdigit()][:2000]
        return rows.filter(pk__in=ids)


class PromiseFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label="状态", choices=PromiseState.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    kind = django_filters.ChoiceFilter(
        label="类型", choices=PromiseKind.choices, empty_label="全部", widget=forms.Select(attrs=SELECT)
    )
    flagged = django_filters.BooleanFilter(label="公平竞争审查标记", widget=forms.NullBooleanSelect(attrs=SELECT))

    class Meta:
        model = Promise
        fields = []
