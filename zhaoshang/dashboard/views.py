from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from zhaoshang.aftercare.selectors import cockpit_figures as service_figures
from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.excel import xlsx_response
from zhaoshang.core.formatting import period_label
from zhaoshang.core.panels import Panel
from zhaoshang.core.scope import user_node_path
from zhaoshang.core.views import ScopedPageView
from zhaoshang.dashboard.cockpit import cockpit
from zhaoshang.dashboard.export import cockpit_workbook
from zhaoshang.dashboard.selectors import workbench
from zhaoshang.projects.services.rollup import figures_version
from zhaoshang.regions.models import Region
from zhaoshang.regions.selectors import FIGURES_PERMISSION, home_region, user_region
from zhaoshang.stats.indicators import Period


def cockpit_cached(node: Region, period: Period) -> dict:
    """The cockpit's figures, cached until they change: the key holds the figures' version, which every write of
    the ledger, projects, agreements or targets moves (``projects/services/rollup.py``) and nothing else does, so a
    sign-in, an export or an edit of an enterprise leaves the cached cockpit in place."""
    key = f"cockpit:v4:{node.code}:{period.year}-{period.month}:{figures_version()}"  # v4: with 利益共享 marks
    return cache.get_or_set(key, lambda: cockpit(node, period), timeout=CACHE_SECONDS)


CACHE_SECONDS = 3600


class CockpitView(ScopedPageView):
    """驾驶舱 for the user's jurisdiction, or a node below it (``?region=``); anything else is 404."""

    # The cockpit lists projects and their investors: it needs the project permission as well as the targets'.
    permission_required = ("stats.view_target", FIGURES_PERMISSION)
    template_name = "dashboard/cockpit.html"

    def node(self) -> Region:
        return user_region(self.request.user, code=self.request.GET.get("region", ""))

    def period(self) -> Period:
        """The period asked for, by default the last complete month (``core/periods.py``)."""
        return Period.requested(self.request.GET)

    def get(self, request, *args, **kwargs):
        node, period = self.node(), self.period()
        data = cockpit_cached(node, period)
        if request.GET.get("export") == "xlsx":
            if not request.user.has_perm("stats.export_target"):
                raise PermissionDenied("您没有导出权限")
            audit_record(actor=request.user, action=Action.EXPORT, obj=node, object_repr=f"驾驶舱 {node.name}")
            content = cockpit_workbook(data)
            label = period_label(period.year, period.month)
            return xlsx_response(filename=f"驾驶舱_{node.name}_{label}.xlsx", content=content)
        context = self.get_context_data(**kwargs)
        context.update(
            node=node,
            period=period,
            data=data,
            home=home_region(request.user),
            service=service_figures(node.path),
        )
        return self.render_to_response(context)


def workbench_panel(request) -> Panel | None:
    """The 工作台 on the home page (``core.panels``): bureau staff only; an enterprise account has its own home."""
    user = request.user
    if not user.is_authenticated or not user_node_path(user):
        return None
    return Panel("dashboard/workbench.html", workbench(user))
