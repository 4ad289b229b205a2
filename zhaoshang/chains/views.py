"""Chain pages: the list, the chain map (ECharts tree coloured by the region's grades), the diagnosis with its
ranked gap list, the comparison of two regions, a node's drill-down, and the exports (Excel, .docx report).

Every page takes ``region`` (a region or park code in the user's scope; 404 elsewhere) and ``year``; the chain is
a version (``pk``), so a past version's diagnosis can be made again."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhaoshang.chains.diagnosis import ACTION_LABELS, GRADE_LABELS, TIER_LABELS
from zhaoshang.chains.exports import (
    comparison_headers,
    comparison_rows,
    comparison_workbook,
    diagnosis_docx,
    diagnosis_workbook,
    title_of,
)
from zhaoshang.chains.models import ChainNode, IndustryChain
from zhaoshang.chains.selectors import (
    Area,
    area_lookup,
    areas_for_user,
    chain_list,
    diagnosis_for,
    diagnosis_payload,
    node_drilldown,
    user_home_area,
)
from zhaoshang.core import formatting
from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.documents import DOCX_TYPE
from zhaoshang.core.excel import xlsx_response
from zhaoshang.core.views import ScopedPageView

GRADE_COLOURS = {"strong": "#2a9d8f", "potential": "#4c8bf5", "weak": "#f4a261", "empty": "#d9d9d9"}
POSITION_LABELS = {"upstream": "上游", "midstream": "中游", "downstream": "下游", "supporting": "配套"}
MIN_YEAR, MAX_YEAR = 2000, 2100


def requested_year(params) -> int:
    try:
        year = int(params.get("year") or 0)
    except ValueError:
        year = 0
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


class ChainPageMixin(ScopedPageView):
    """A page about one chain version (``pk``) for a region (``?region=``, default the user's own) and a year."""

    permission_required = "chains.view_industrychain"

    def chain(self) -> IndustryChain:
        return get_object_or_404(IndustryChain.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def area(self, param: str = "region") -> Area:
        code = (self.request.GET.get(param) or "").strip()
        if code:
            area = area_lookup(self.request.user, code)
        else:
            area = user_home_area(self.request.user)
        if area is None:
            raise Http404("不在您的辖区范围内")
        return area

    def common(self, chain: IndustryChain, area: Area, year: int) -> dict:
        versions = IndustryChain.objects.filter(code=chain.code).order_by("-version")
        return {
            "chain": chain,
            "area": area,
            "year": year,
            "areas": areas_for_user(self.request.user),
            "versions": versions,
            "can_export": self.request.user.has_perm("chains.export_industrychain"),
            "grade_labels": GRADE_LABELS,
        }

    def audit_export(self, chain: IndustryChain, what: str, fmt: str) -> None:
        if not self.request.user.has_perm("chains.export_industrychain"):
            raise PermissionDenied("您没有导出权限")
        audit_record(
            actor=self.request.user,
            action=Action.EXPORT,
            obj=chain,
            object_repr=f"{what}",
            after={"format": fmt, "url": self.request.get_full_path()},
        )


def node_rows(d) -> list[dict]:
    """The table beside the chart: every node in tree order with its depth and figures."""
    by_id = d.result.by_id()
    rows = []
    for node in d.nodes:
        r = by_id[node.pk]
        rows.append({"node": node, "depth": getattr(node, "tree_depth", node.level - 1), "r": r})
    return rows


def tree_data(d) -> dict:
    """The ECharts tree: the chain as root, its segments, modules and products; names are drawn on the canvas (no
    HTML) and the tooltip escapes them (``chain_map.js``)."""
    by_id = d.result.by_id()
    money = [r.stock_wan for r in d.result.nodes]
    top = max(money) if money else 0
    children: dict = {}
    for node in d.nodes:
        children.setdefault(node.parent_id, []).append(node)

    def size(value) -> float:
        return 10 + (22 * float(value / top) ** 0.5 if top else 0)

    def build(node) -> dict:
        r = by_id[node.pk]
        return {
            "name": node.name,
            "id": node.pk,
            "value": str(r.stock_wan),
            "grade": r.grade,
            "grade_label": r.grade_label,
            "action_label": r.action_label if r.action else "",
            "enterprises": r.enterprises,
            "lq": None if r.lq is None else str(r.lq),
            "key": node.is_key_link,
            "symbolSize": size(r.stock_wan),
            "itemStyle": {
                "color": GRADE_COLOURS[r.grade],
                "borderColor": "#c0392b" if node.is_key_link else "#666",
                "borderWidth": 3 if node.is_key_link else 1,
            },
            "children": [build(c) for c in children.get(node.pk, [])],
        }

    return {
        "name": d.chain.short_name,
        "id": 0,
        "itemStyle": {"color": "#1f4e79"},
        "symbolSize": 14,
        "children": [build(n) for n in children.get(None, [])],
    }


class ChainListView(ScopedPageView):
    permission_required = "chains.view_industrychain"
    template_name = "chains/chain_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        editor = user.has_perm("chains.change_industrychain")
        context["chains"] = chain_list(include_drafts=editor).annotate(node_count=Count("nodes"))
        context["editor"] = editor
        context["area"] = user_home_area(user)
        return context


class DiagnosisHomeView(ChainListView):
    """产业诊断 in the menu: the chains, each opening on the user's region."""

    template_name = "chains/diagnosis_home.html"


class ChainMapView(ChainPageMixin):
    template_name = "chains/chain_map.html"

    def get(self, request, *args, **kwargs):
        chain, area, year = self.chain(), self.area(), requested_year(request.GET)
        d = diagnosis_for(chain=chain, area=area, year=year)
        context = self.get_context_data(**kwargs)
        context.update(self.common(chain, area, year))
        context.update(
            d=d,
            rows=node_rows(d),
            tree=tree_data(d),
            colours=GRADE_COLOURS,
            counts=d.result.grade_counts(),
            position_labels=POSITION_LABELS,
            tier_labels=TIER_LABELS,
        )
        return self.render_to_response(context)


class DiagnosisView(ChainPageMixin):
    template_name = "chains/diagnosis.html"

    def get(self, request, *args, **kwargs):
        chain, area, year = self.chain(), self.area(), requested_year(request.GET)
        d = diagnosis_for(chain=chain, area=area, year=year)
        export = request.GET.get("export")
        if export == "xlsx":
            self.audit_export(chain, f"产业链诊断 {title_of(d)}", "xlsx")
            return xlsx_response(filename=f"{title_of(d)}.xlsx", content=diagnosis_workbook(d))
        if export == "docx":
            self.audit_export(chain, f"产业链诊断报告 {title_of(d)}", "docx")
            content = diagnosis_docx(d, issuer=issuer_for(area), issued_on=timezone.localdate())
            return docx_response(f"关于{title_of(d)}的报告.docx", content)
        if export == "json":
            from django.http import JsonResponse

            return JsonResponse(diagnosis_payload(d), json_dumps_params={"ensure_ascii": False})
        gaps = d.result.gaps()
        fill = [r for r in gaps if r.action == "fill"]
        context = self.get_context_data(**kwargs)
        context.update(self.common(chain, area, year))
        leaves = [r for r in d.result.nodes if not r.node.has_children]
        context.update(
            d=d,
            rows=node_rows(d),
            gaps=gaps,
            fill_count=len(fill),
            counts=d.result.grade_counts(),
            chart={
                "grades": [
                    {"grade": g, "label": GRADE_LABELS[g], "count": c, "colour": GRADE_COLOURS[g]}
                    for g, c in d.result.grade_counts().items()
                ],
                "lq": [
                    {"name": r.node.name, "lq": None if r.lq is None else str(r.lq), "grade": r.grade}
                    for r in leaves
                    if r.lq is not None
                ],
            },
            position_labels=POSITION_LABELS,
            tier_labels=TIER_LABELS,
            action_labels=ACTION_LABELS,
        )
        return self.render_to_response(context)


class CompareView(ChainPageMixin):
    template_name = "chains/compare.html"

    def get(self, request, *args, **kwargs):
        chain, year = self.chain(), requested_year(request.GET)
        a = self.area("a") if request.GET.get("a") else self.area()
        b_code = request.GET.get("b")
        b = self.area("b") if b_code else None
        context = self.get_context_data(**kwargs)
        context.update(self.common(chain, a, year))
        context["b_area"] = b
        if b is not None:
            da = diagnosis_for(chain=chain, area=a, year=year)
            db = diagnosis_for(chain=chain, area=b, year=year)
            if request.GET.get("export") == "xlsx":
                self.audit_export(chain, f"产业链两地对比 {a.name}/{b.name} {chain.short_name}", "xlsx")
                return xlsx_response(
                    filename=f"{a.name}与{b.name}{chain.short_name}产业链对比（{year}年）.xlsx",
                    content=comparison_workbook(da, db),
                )
            money_columns = {8, 9, 10, 11}
            context.update(
                headers=comparison_headers(da, db),
                rows=[
                    [formatting.figure(v) if i in money_columns else v for i, v in enumerate(row)]
                    for row in comparison_rows(da, db)
                ],
                da=da,
                db=db,
                chart={
                    "names": [r.node.name for r in da.result.nodes if not r.node.has_children],
                    "a": [None if r.lq is None else str(r.lq) for r in da.result.nodes if not r.node.has_children],
                    "b": [None if r.lq is None else str(r.lq) for r in db.result.nodes if not r.node.has_children],
                    "a_name": a.name,
                    "b_name": b.name,
                },
            )
        return self.render_to_response(context)


class NodeDetailView(ChainPageMixin):
    """A node's drill-down: shown in the map's side panel (HTMX) or as a page of its own."""

    template_name = "chains/node_detail.html"

    def get_template_names(self):
        return ["chains/_node_panel.html"] if self.request.htmx else [self.template_name]

    def get(self, request, *args, **kwargs):
        chain, area, year = self.chain(), self.area(), requested_year(request.GET)
        node = get_object_or_404(ChainNode.objects.filter(chain=chain), pk=kwargs["node_pk"])
        d = diagnosis_for(chain=chain, area=area, year=year)
        drill = node_drilldown(user=request.user, nodes=d.nodes, node=node, area=area, year=year)
        context = self.get_context_data(**kwargs)
        context.update(self.common(chain, area, year))
        context.update(
            node=node,
            r=d.result.by_id()[node.pk],
            drill=drill,
            base_label=d.result.base_label,
            position_labels=POSITION_LABELS,
        )
        return self.render_to_response(context)


def issuer_for(area: Area) -> str:
    if area.kind == "province":
        return "云南省投资促进局"
    if area.kind == "park":
        return f"{area.name}管委会"
    return f"{area.name}投资促进局"


def docx_response(filename: str, content: bytes) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
