import django_filters

from zhaoshang.portal.models import Enquiry


class EnquiryFilter(django_filters.FilterSet):
    reference = django_filters.CharFilter(label="咨询编号", lookup_expr="icontains")
    company = django_filters.CharFilter(label="公司/机构", lookup_expr="icontains")
    awaiting = django_filters.BooleanFilter(label="待答复", field_name="replied_at", lookup_expr="isnull")

    class Meta:
        model = Enquiry
        fields = ["reference", "company", "awaiting"]
