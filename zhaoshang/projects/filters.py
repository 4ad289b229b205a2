import html

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe

from zhaoshang.catalog.models import KeyIndustry
from zhaoshang.core.forms import DateInput
from zhaoshang.projects.choices import BILLION_WAN, TEN_BILLION_WAN, RegionGroup, Stage
from zhaoshang.projects.forms import counties_for, parks_for
from zhaoshang.projects.models import AdmissionVerdict, FundingEntry, Project
from zhaoshang.regions.models import Park, Region

TEXT = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}
DATE = {"type": "date", "class": "form-control form-control-sm"}
AMOUNT_BANDS = [("1yi", "亿元以上"), ("10yi", "10亿元以上")]
YES_NO = [("1", "是"), ("0", "否")]


class FastSelect(forms.Select):
    """A ``Select`` that writes its options in Python. The project list's filter panel has some 250 options (129
    counties, the parks, the industries), and rendering each through the option templates took about half of the
    page's Python time; the HTML is the same as the template renderer's (the first matching option selected)."""

    def render(self, name, value, attrs=None, renderer=None):
        wanted = {str(v) for v in self.format_value(value)}
        parts = [f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>']
        chosen = False

        def option(option_value, label) -> str:
            nonlocal chosen
            option_value = "" if option_value is None else str(option_value)
            selected = not chosen and option_value in wanted
            chosen = chosen or selected
            # html.escape is what django.utils.html.escape applies, without its lazy-string wrapper per call.
            value_html, label_html = html.escape(option_value), html.escape(str(label))
            return f'<option value="{value_html}"{" selected" if selected else ""}>{label_html}</option>'

        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(option_value)}">')
                parts.extend(option(v, sub) for v, sub in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("</select>")
        return mark_safe("".join(parts))


class SharedChoices(tuple):
    """(id, name) pairs, which never change once read: the form copies every field for each request, and a deep
    copy of some 300 options took longer than the page's own SQL for them."""

    def __deepcopy__(self, memo):
        return self


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="项目/投资方", method="filter_q", widget=forms.TextInput(attrs=TEXT))
    stage = django_filters.ChoiceFilter(
        label="阶段", choices=Stage.choices, empty_label="全部", widget=FastSelect(attrs=SELECT)
    )
    # Industry, county and park choices are (id, name) pairs read per request in ``__init__`` (the user's own
    # counties and parks): some 220 options, which as model instances cost more than the rest of the panel.
    key_industry = django_filters.ChoiceFilter(
        label="重点产业", field_name="key_industry_id", empty_label="全部", widget=FastSelect(attrs=SELECT)
    )
    county = django_filters.ChoiceFilter(
        label="县市区",
        field_name="county_id",
        empty_label="全部",
        widget=FastSelect(attrs=SELECT | {"data-search": "1"}),
    )
    park = django_filters.ChoiceFilter(
        label="园区", field_name="park_id", empty_label="全部", widget=FastSelect(attrs=SELECT | {"data-search": "1"})
    )
    band = django_filters.ChoiceFilter(
        label="投资规模",
        choices=AMOUNT_BANDS,
        empty_label="全部",
        method="filter_band",
        widget=FastSelect(attrs=SELECT),
    )
    top500 = django_filters.ChoiceFilter(
        label="500强", choices=YES_NO, empty_label="全部", method="filter_top500", widget=FastSelect(attrs=SELECT)
    )
    region_group = django_filters.ChoiceFilter(
        label="来源区域", choices=RegionGroup.choices, empty_label="全部", widget=FastSelect(attrs=SELECT)
    )
    signed_from = django_filters.DateFilter(
        label="签约日期从", field_name="first_signed_on", lookup_expr="gte", widget=DateInput(attrs=DATE)
    )
    signed_to = django_filters.DateFilter(
        label="至", field_name="first_signed_on", lookup_expr="lte", widget=DateInput(attrs=DATE)
    )
    stalled = django_filters.ChoiceFilter(
        label="停滞", choices=YES_NO, empty_label="全部", method="filter_stalled", widget=FastSelect(attrs=SELECT)
    )
    collective = django_filters.ChoiceFilter(
        label="需集体研判",
        choices=YES_NO,
        empty_label="全部",
        method="filter_collective",
        widget=FastSelect(attrs=SELECT),
    )
    admission_verdict = django_filters.ChoiceFilter(
        label="准入结论", choices=AdmissionVerdict.choices, empty_label="全部", widget=FastSelect(attrs=SELECT)
    )

    class Meta:
        model = Project
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request is not None else None
        choices = {
            "key_industry": KeyIndustry.objects.order_by("sort_order", "code"),
            "county": counties_for(user) if user is not None else Region.objects.none(),
            "park": parks_for(user).select_related(None) if user is not None else Park.objects.none(),
        }
        for name, rows in choices.items():
            self.filters[name].extra["choices"] = SharedChoices(rows.values_list("id", "name"))

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(investor__name__icontains=value))

    def filter_band(self, queryset, name, value):
        return queryset.at_least_wan(TEN_BILLION_WAN if value == "10yi" else BILLION_WAN)

    def filter_top500(self, queryset, name, value):
        top = queryset.fortune500()
        return top if value == "1" else queryset.exclude(pk__in=top.values("pk"))

    def filter_stalled(self, queryset, name, value):
        return queryset.filter(stalled=value == "1")

    def filter_collective(self, queryset, name, value):
        return queryset.filter(needs_collective_decision=value == "1")


class CorrectionFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label="状态",
        choices=[("for_me", "待我审核"), ("pending", "待审核"), ("decided", "已审核")],
        empty_label="全部",
        method="filter_state",
        widget=FastSelect(attrs=SELECT),
    )

    class Meta:
        model = FundingEntry
        fields = []

    def filter_state(self, queryset, name, value):
        if value == "for_me":  # what the user may decide: pending, and entered by someone else (the 工作台 links here)
            user = getattr(self.request, "user", None)
            return queryset.pending().exclude(entered_by_id=getattr(user, "pk", None))
        return queryset.filter(approval__isnull=value == "pending")
