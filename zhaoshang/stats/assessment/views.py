"""The assessment's pages: a node's children's scores for a quarter (published or preview), with breakdown,
drill-down, year-on-year and exports; the publication of a quarter; the year's scheme and its edit form."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.excel import xlsx_response
from zhaoshang.core.periods import last_complete_month
from zhaoshang.core.views import ScopedListView, ScopedPageView
from zhaoshang.projects.models import Project
from zhaoshang.regions.models import Region
from zhaoshang.regions.selectors import home_region, user_region
from zhaoshang.stats.assessment.exports import assessment_docx, assessment_xlsx, state_label, title_of
from zhaoshang.stats.assessment.forms import ItemFormSet, SchemeForm, thresholds_text
from zhaoshang.stats.assessment.models import AssessmentScheme, SchemeState
from zhaoshang.stats.assessment.selectors import assessment_for, latest_scheme
from zhaoshang.stats.assessment.services import ITEM_FIELDS, assessment_publish, scheme_publish, scheme_save
from zhaoshang.stats.assessment.sources import SOURCES, quarter_end

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def default_quarter(today: date | None = None) -> tuple[int, int]:
    """The last complete quarter (as the other pages open on the last complete month)."""
    year, month = last_complete_month(today)
    return (year, month // 3) if month >= 3 else (year - 1, 4)


def requested_quarter(params) -> tuple[int, int]:
    year, quarter = default_quarter()
    try:
        year = int(params.get("year", year))
        quarter = int(params.get("quarter", quarter))
    except (TypeError, ValueError):
        raise Http404("年度、季度应为数字") from None
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        raise Http404("年度应在 2000—2100 之间，季度应为 1—4")
    return year, quarter


def region_for(user, code: str | None) -> Region:
    """The user's own node, or a node below it (``?region=``); anything else is 404 (the one user → region helper:
    the scores are sums of projects and drill down to them)."""
    return user_region(user, code=code or "")


class AssessmentView(ScopedPageView):
    permission_required = "stats.view_assessmentscore"
    template_name = "stats/assessment.html"

    def get(self, request, *args, **kwargs):
        node = region_for(request.user, request.GET.get("region"))
        year, quarter = requested_quarter(request.GET)
        result = assessment_for(node, year, quarter)
        export = request.GET.get("export")
        if export in {"xlsx", "docx"}:
            if not request.user.has_perm("stats.export_target"):
                raise PermissionDenied("您没有导出权限")
            audit_record(
                actor=request.user,
                action=Action.EXPORT,
                obj=node,
                object_repr=f"考核评价 {node.name} {year}年第{quarter}季度",
                after={"format": export},
            )
            name = f"考核评价_{node.name}_{year}年第{quarter}季度"
            if export == "xlsx":
                return xlsx_response(filename=f"{name}.xlsx", content=assessment_xlsx(result))
            response = HttpResponse(assessment_docx(result), content_type=DOCX_TYPE)
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}.docx"
            return response
        home = home_region(request.user)
        query = {"year": year, "quarter": quarter}
        for row in result.rows:
            for item in row.items:
                source = SOURCES.get(item.source)
                item.drill_url = (
                    reverse("stats:assessment_projects")
                    + "?"
                    + urlencode(query | {"region": row.code, "source": item.source})
                    if source is not None and source.projects is not None
                    else ""
                )
        context = self.get_context_data(
            node=node,
            result=result,
            state_text=state_label(result),
            title=title_of(result),
            year=year,
            quarter=quarter,
            years=range(year - 3, year + 2),
            home=home,
            parent=node.parent if home is not None and node.pk != home.pk else None,
            can_publish=(
                result.state == "preview"
                and result.scheme_version is not None
                and node.level < 3
                and request.user.has_perm("stats.add_assessmentpublication")
            ),
        )
        return self.render_to_response(context)


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


class AssessmentPublishView(ScopedPageView):
    """Freeze a quarter (POST only): the service re-checks the scope inside its transaction."""

    permission_required = "stats.add_assessmentpublication"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        node = region_for(request.user, request.POST.get("region"))
        year, quarter = requested_quarter(request.POST)
        try:
            assessment_publish(actor=request.user, region=node, year=year, quarter=quarter)
            messages.success(request, f"已发布{node.name}{year}年第{quarter}季度考核结果")
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        query = urlencode({"region": node.code, "year": year, "quarter": quarter})
        return HttpResponseRedirect(reverse("stats:assessment") + "?" + query)


class AssessmentProjectsView(ScopedListView):
    """The projects behind one item of one region's score (January 1 to the quarter's end), from the user's own
    projects only; a region outside the scope is 404."""

    model = Project
    template_name = "stats/assessment_projects.html"
    export_title = "考核项目明细"
    export_columns = [
        ("项目名称", "name"),
        ("县市区", "county.name"),
        ("投资方", "investor_name"),
        ("协议投资额（万元）", "agreed_investment_wan"),
        ("首次签约日期", "first_signed_on"),
    ]

    def load(self, **kwargs) -> None:
        self.region = region_for(self.request.user, self.request.GET.get("region") or None)
        self.year, self.quarter = requested_quarter(self.request.GET)
        self.source = SOURCES.get(self.request.GET.get("source", ""))
        if self.source is None or self.source.projects is None:
            raise Http404("该考核项没有项目明细")

    def get_queryset(self):
        behind = self.source.projects(self.region, date(self.year, 1, 1), quarter_end(self.year, self.quarter))
        rows = super().get_queryset().filter(pk__in=behind.values("pk"))
        return rows.select_related("county").order_by("-first_signed_on", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            region=self.region, year=self.year, quarter=self.quarter, source=self.source, **kwargs
        )


def _scheme_initial(scheme: AssessmentScheme | None) -> tuple[dict, list[dict]]:
    if scheme is None:
        return {"bonus_cap": 10, "penalty_cap": 10}, []
    items = [{name: getattr(i, name) for name in ITEM_FIELDS} for i in scheme.items.all()]
    for item in items:
        item["thresholds"] = thresholds_text(item["thresholds"])
    head = {
        "title": scheme.title,
        "bonus_cap": scheme.bonus_cap,
        "penalty_cap": scheme.penalty_cap,
        "note": scheme.note,
    }
    return head, items


class SchemeView(ScopedPageView):
    """A year's scheme, every version (the published ones as they were), and for the province its edit link."""

    permission_required = "stats.view_assessmentscheme"
    template_name = "stats/assessment_scheme.html"

    def get(self, request, year, *args, **kwargs):
        versions = AssessmentScheme.objects.for_user(request.user).filter(year=year).prefetch_related("items")
        return self.render_to_response(self.get_context_data(year=year, versions=versions))


class SchemeEditView(ScopedPageView):
    """Edit the year's scheme: a draft in place; a published version stays and the edit becomes the next version."""

    permission_required = "stats.change_assessmentscheme"
    template_name = "stats/assessment_scheme_form.html"

    def get(self, request, year, *args, **kwargs):
        head, items = _scheme_initial(latest_scheme(year))
        return self.show(year, SchemeForm(initial=head), ItemFormSet(initial=items, prefix="items"))

    def show(self, year, form, items):
        latest = latest_scheme(year)
        return self.render_to_response(self.get_context_data(year=year, form=form, items=items, latest=latest))

    def post(self, request, year, *args, **kwargs):
        form, items = SchemeForm(request.POST), ItemFormSet(request.POST, prefix="items")
        if form.is_valid() and items.is_valid():
            try:
                scheme = scheme_save(actor=request.user, year=year, items=items.items(), **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, f"已保存{scheme}")
                return HttpResponseRedirect(reverse("stats:assessment_scheme", args=[year]))
        return self.show(year, form, items)


class SchemePublishView(ScopedPageView):
    permission_required = "stats.change_assessmentscheme"
    http_method_names = ["post"]

    def post(self, request, year, *args, **kwargs):
        scheme = latest_scheme(year)
        if scheme is None or scheme.state == SchemeState.PUBLISHED:
            messages.error(request, "没有待发布的草稿版本")
        else:
            try:
                scheme_publish(actor=request.user, scheme=scheme)
                messages.success(request, f"已发布{scheme.title}第{scheme.version}版")
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
        return HttpResponseRedirect(reverse("stats:assessment_scheme", args=[year]))
