from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.views import View

from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.excel import xlsx_response
from zhaoshang.core.formatting import measure, period_label
from zhaoshang.core.importing import template_bytes
from zhaoshang.core.jobs import job_start
from zhaoshang.core.scope import ensure_path_in_scope
from zhaoshang.core.views import ScopedDetailView, ScopedFormView, ScopedListView, ScopedPageView, ScopedViewMixin
from zhaoshang.projects.services.rollup import figures_version
from zhaoshang.regions.models import Region
from zhaoshang.regions.selectors import FIGURES_PERMISSION, home_region, user_region
from zhaoshang.stats.choices import INDICATORS
from zhaoshang.stats.filters import TargetFilter
from zhaoshang.stats.forms import BulletinForm, TargetForm, TargetImportForm
from zhaoshang.stats.importers import target_columns
from zhaoshang.stats.indicators import Period
from zhaoshang.stats.models import Bulletin, Target
from zhaoshang.stats.rankings import RANKED_INDICATORS, combined_ranking, ranking
from zhaoshang.stats.schedule import DEFAULT_INDICATOR, schedule, schedule_sheets
from zhaoshang.stats.service_rankings import LABELS as SERVICE_LABELS
from zhaoshang.stats.service_rankings import RANKED as SERVICE_RANKED
from zhaoshang.stats.service_rankings import service_ranking
from zhaoshang.stats.services import target_set
from zhaoshang.stats.tasks import TARGET_IMPORT_KIND, generate_bulletin, targets_import_task
from zhaoshang.stats.year_end import margin_pct, year_end_rows

IMPORT_INSTRUCTIONS = [
    "每行一个目标：年度 × 辖区 × 指标 × 单位（× 产业、起始年度）。已有的同一目标会被更新，不会重复。",
    "金额目标填“万元”或“亿元”；增长目标填“增长率（%）”，目标值写百分数（15 表示增长15%）。",
    "只能填写您辖区内下级的目标；本级目标由上级下达。任何一行有误则整份文件不导入，并列出出错的行和列。",
]


class TargetListView(ScopedListView):
    model = Target
    filterset_class = TargetFilter
    template_name = "stats/target_list.html"
    sort_fields = {"year": "year", "region": "region__code", "indicator": "indicator"}
    default_sort = "-year"
    export_title = "目标"
    export_columns = [
        ("年度", "year"),
        ("起始年度", "from_year"),
        ("辖区", "region.name"),
        ("区划代码", "region.code"),
        ("园区", "park.name"),
        ("指标", "indicator_name"),
        ("产业", "industry_code"),
        ("目标值", "value"),
        ("单位", "unit"),
        ("依据", "source"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("region", "park")


class TargetCreateView(ScopedFormView):
    model = Target
    scope_action = "add"
    form_class = TargetForm
    template_name = "stats/target_form.html"

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["industry_code"] = data["industry_code"] or ""
        target = target_set(actor=self.request.user, **data)
        messages.success(self.request, f"已保存目标：{target}")
        return target

    def get_success_url_for(self, saved):
        return reverse("stats:target_list")


class TargetUpdateView(TargetCreateView):
    scope_action = "change"
    edits_object = True

    def object_initial(self):
        t = self.object
        return {
            "year": t.year,
            "region": t.region,
            "park": t.park,
            "indicator": t.indicator,
            "value": t.value,
            "unit": t.unit,
            "from_year": t.from_year if t.from_year != t.year else None,
            "industry_code": t.industry_code,
            "source": t.source,
        }


class TargetImportView(ScopedFormView):
    model = Target
    scope_action = "add"
    form_class = TargetImportForm
    template_name = "stats/target_import.html"

    def perform(self, form):
        """A background job (``stats.tasks``): the file is parsed there, under the upload limits."""
        upload = form.cleaned_data["file"]
        return job_start(
            actor=self.request.user,
            kind=TARGET_IMPORT_KIND,
            title=f"目标导入：{upload.name}",
            task=targets_import_task,
            upload=upload,
        )


class TargetTemplateView(ScopedViewMixin, View):
    model = Target
    scope_action = "add"

    def get(self, request):
        content = template_bytes(
            title="目标导入模板",
            columns=target_columns(request.user),
            instructions=IMPORT_INSTRUCTIONS,
            example=[2026, "楚雄彝族自治州", "州外到位资金", 15, "增长率（%）", None, None, "2026年目标任务"],
        )
        return xlsx_response(filename="目标导入模板.xlsx", content=content)


class BulletinListView(ScopedListView):
    model = Bulletin
    template_name = "stats/bulletin_list.html"
    paginate_by = 30

    def get_queryset(self):
        return super().get_queryset().select_related("region", "created_by")


class BulletinCreateView(ScopedFormView):
    model = Bulletin
    scope_action = "add"
    form_class = BulletinForm
    template_name = "stats/bulletin_form.html"

    def get_initial(self):
        period = Period.default()  # the last complete month, as on every page with a period
        return {
            "region": home_region(self.request.user),
            "year": period.year,
            "month": period.month,
        }

    def perform(self, form):
        data = form.cleaned_data
        ensure_path_in_scope(self.request.user, data["region"].path)
        return job_start(
            actor=self.request.user,
            kind="bulletin",
            title=f"生成通报：{data['region'].name} {period_label(data['year'], data['month'])}（{data['number']}）",
            task=generate_bulletin,
            region_id=data["region"].pk,
            year=data["year"],
            month=data["month"],
            issued_on=timezone.localdate().isoformat(),
            number=data["number"],
        )


class BulletinDownloadView(ScopedDetailView):
    model = Bulletin

    def get(self, request, *args, **kwargs):
        bulletin = self.get_object()
        kind = "xlsx" if request.GET.get("format") == "xlsx" else "docx"
        file = getattr(bulletin, kind)
        audit_record(actor=request.user, action=Action.EXPORT, obj=bulletin, after={"format": kind})
        return FileResponse(file.open("rb"), as_attachment=True, filename=file.name.split("/")[-1])


def rankings_cached(node: Region, period: Period, indicator: str) -> tuple[list, list]:
    """The page's ranking and the combined one, cached until the figures change (keyed on their version, as the
    cockpit: ``projects/services/rollup.py``)."""

    def compute():
        rows = ranking(indicator, node, period)
        return rows, combined_ranking(node, period, known={indicator: rows})

    key = f"rankings:v2:{node.code}:{period.year}-{period.month}:{indicator}:{figures_version()}"
    return cache.get_or_set(key, compute, timeout=3600)


class RankingView(ScopedPageView):
    """Rankings of the user's prefectures (province) or counties (prefecture) on each indicator and combined, with
    the red list (ahead of elapsed time) and the black list (behind it)."""

    permission_required = ("stats.view_target", FIGURES_PERMISSION)  # the figures are sums of projects
    template_name = "stats/rankings.html"

    def get(self, request, *args, **kwargs):
        try:
            node = user_region(request.user, max_level=2)
        except Http404:
            raise Http404("排名适用于省和州市：省排各州市，州市排各县市区") from None
        period = Period.requested(request.GET)  # default: the last complete month
        indicator = request.GET.get("indicator", RANKED_INDICATORS[0])
        if indicator not in INDICATORS:
            indicator = RANKED_INDICATORS[0]
        rows, combined = rankings_cached(node, period, indicator)
        service = service_ranking(request.user, period) if request.user.has_perm("aftercare.view_ticket") else None
        if request.GET.get("export") == "service" and service is not None:
            if not request.user.has_perm("aftercare.export_ticket"):
                raise PermissionDenied("您没有导出权限")
            audit_record(actor=request.user, action=Action.EXPORT, obj=node, object_repr=f"企业服务排名 {node.name}")
            return xlsx_response(
                filename=f"企业服务排名_{node.name}_{period_label(period.year, period.month)}.xlsx",
                content=service_ranking_workbook(service),
            )
        if request.GET.get("export") == "xlsx":
            if not request.user.has_perm("stats.export_target"):
                raise PermissionDenied("您没有导出权限")
            audit_record(actor=request.user, action=Action.EXPORT, obj=node, object_repr=f"排名 {node.name}")
            return xlsx_response(
                filename=f"排名_{node.name}_{period_label(period.year, period.month)}.xlsx",
                content=ranking_workbook(indicator, rows, combined),
            )
        context = self.get_context_data(
            node=node,
            period=period,
            indicator=indicator,
            unit="万元" if INDICATORS[indicator].kind == "money" else "个",
            indicators=[(code, INDICATORS[code].name) for code in INDICATORS if code != "fortune500_present"],
            rows=rows,
            red=[r for r in rows if r.listed == "red"],
            black=[r for r in rows if r.listed == "black"],
            combined=combined,
            combined_indicators=[INDICATORS[code].name for code in RANKED_INDICATORS],
            service=service,
            service_measures=[(code, SERVICE_LABELS[code]) for code in SERVICE_RANKED],
            ticket_list_url=reverse("aftercare:ticket_list"),
        )
        return self.render_to_response(context)


def service_ranking_workbook(service) -> bytes:
    from zhaoshang.core.excel import workbook_bytes

    return workbook_bytes(
        title="企业服务排名",
        headers=["综合名次", "地区", "诉求数", *[f"{SERVICE_LABELS[c]}（%）" for c in SERVICE_RANKED], "平均名次"],
        rows=(
            [
                r.position,
                r.bureau.region.name,
                r.bureau.total,
                *[r.bureau.measures[c].rate for c in SERVICE_RANKED],
                r.mean_rank,
            ]
            for r in service
        ),
    )


def ranking_workbook(indicator: str, rows, combined) -> bytes:
    from zhaoshang.core.excel import workbook_bytes

    unit = "万元" if INDICATORS[indicator].kind == "money" else "个"
    return workbook_bytes(
        title=INDICATORS[indicator].name,
        headers=[
            "排名",
            "地区",
            f"完成（{unit}）",
            f"上年同期（{unit}）",
            "增长（%）",
            "完成全年目标进度（%）",
            "超/滞后（百分点）",
            "红黑榜",
            "综合名次",
        ],
        rows=(
            [
                r.rank,
                r.region.name,
                r.progress.actual,
                r.progress.actual_last_year,
                r.progress.growth_printed,
                r.progress.completion_printed,
                r.progress.ahead_points,
                {"red": "红榜", "black": "黑榜"}.get(r.listed, ""),
                next(c.position for c in combined if c.region.pk == r.region.pk),
            ]
            for r in rows
        ),
    )


class ScheduleView(ScopedPageView):
    """序时进度 of the user's jurisdiction and its children (a county: itself; a prefecture: itself and its counties;
    the province: itself and the prefectures), or of a node below it (``?region=``; elsewhere 404), for January to
    the period's month (by default the last complete month), as a table, a chart and an Excel export."""

    permission_required = ("stats.view_target", FIGURES_PERMISSION)  # the figures are sums of projects
    template_name = "stats/schedule.html"

    def node(self) -> Region:
        return user_region(self.request.user, code=self.request.GET.get("region", ""))

    def get(self, request, *args, **kwargs):
        node = self.node()
        period = Period.requested(request.GET)  # default: the last complete month
        if request.GET.get("export") == "xlsx":
            if not request.user.has_perm("stats.export_target"):
                raise PermissionDenied("您没有导出权限")
            label = period_label(period.year, period.month)
            audit_record(
                actor=request.user, action=Action.EXPORT, obj=node, object_repr=f"序时进度 {node.name} {label}"
            )
            return xlsx_response(filename=f"序时进度_{node.name}_{label}.xlsx", content=schedule_workbook(node, period))
        data = schedule(node, period, request.GET.get("indicator", DEFAULT_INDICATOR))
        home = home_region(request.user)
        projections = year_end_rows(data["own"], period)
        for row in data["chart"]["own"]:  # the chart marks each indicator's projected year-end share of its target
            year_end = projections[row["indicator"]]
            completion = year_end.projected_completion_pct
            row["projected"] = None if completion is None else str(completion)
            row["projected_text"] = f"{measure(year_end.value, row['unit'])}（{year_end.method_name}）"
        context = self.get_context_data(
            data=data,
            projections=projections,
            own_rows=[(row, projections[row.indicator]) for row in data["own"]],
            alert_margin=margin_pct(),
            node=node,
            period=period,
            home=home,
            parent=node.parent if home is not None and node.pk != home.pk else None,
        )
        return self.render_to_response(context)


def schedule_workbook(node: Region, period: Period) -> bytes:
    from openpyxl import Workbook

    from zhaoshang.core.excel import book_bytes, write_table

    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in schedule_sheets(node, period):
        sheet = book.create_sheet(title)
        write_table(sheet, headers=headers, rows=rows)
        sheet.freeze_panes = "A2"
    return book_bytes(book)
