"""The drill-down behind "含流转分成": the benefit-sharing agreements that bear on a region's figure, with what each
side is credited, exported to Excel like every list."""

from django.http import Http404

from zhaoshang.core.views import ScopedListView
from zhaoshang.projects.models import SharingAgreement, credit_share
from zhaoshang.regions.models import Region
from zhaoshang.stats.choices import INDICATORS
from zhaoshang.stats.sharing import agreements_affecting

EXPORT_COLUMNS = [
    ("项目", "transfer.project.name"),
    ("引进方", "transfer.from_label"),
    ("落地方", "transfer.to_label"),
    ("引进方分成（%）", "source_share"),
    ("落地方分成（%）", "target_share"),
    ("分成口径", "measures_label"),
    ("分成年度", "years_label"),
    ("流转完成日期", "transfer.completed_on"),
    ("本地区计入比例（%）", "region_pct"),
]


class SharingAgreementListView(ScopedListView):
    """Agreements of completed transfers touching the region (the user's own node by default, or one below it), for
    the figure's indicator and year when given."""

    model = SharingAgreement
    template_name = "stats/sharing.html"
    export_title = "利益共享协议"
    export_columns = EXPORT_COLUMNS

    def load(self, **kwargs) -> None:
        params = self.request.GET
        regions = Region.objects.for_user(self.request.user)
        code = params.get("region")
        self.region = (
            regions.filter(code=code).first() if code else Region.objects.containing(self.request.user.scope_path)
        )
        if self.region is None:
            raise Http404("没有这个辖区")
        indicator = params.get("indicator") or None
        self.indicator = indicator if indicator in INDICATORS else None
        year = params.get("year") or ""
        self.year = int(year) if year.isdigit() else None
        self.shares = {s.agreement.pk: s for s in agreements_affecting(self.indicator, self.region.path, self.year)}

    def get_queryset(self):
        rows = super().get_queryset().filter(pk__in=list(self.shares))
        rows = rows.select_related("transfer__project", "transfer__from_county", "transfer__to_county")
        return rows.select_related("transfer__from_park", "transfer__to_park").order_by("-transfer__completed_on", "pk")

    def export_value(self, row, accessor: str):
        if accessor == "region_pct":
            return share_pct(self.shares[row.pk], self.region.path)
        return super().export_value(row, accessor)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for row in context["object_list"]:
            row.region_pct = share_pct(self.shares[row.pk], self.region.path)
        context.update(
            region=self.region,
            indicator=self.indicator,
            indicator_name=INDICATORS[self.indicator].name if self.indicator else "全部指标",
            year=self.year,
        )
        return context


def share_pct(share, region_path: str):
    """The percentage of the project's amount the region is credited with (100 for a region above both sides)."""
    return credit_share(list(share.sides), region_path) * 100
