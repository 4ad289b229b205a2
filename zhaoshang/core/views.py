"""Base views. Every page that shows jurisdiction data is built on these, so the one scope applies.

A view that shows no jurisdiction data (login, reference boundaries) says so with ``unscoped(reason)``; a test
walks every URL and fails on a view that is neither.
"""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.excel import workbook_bytes, xlsx_response
from zhaoshang.core.filters import AuditLogFilter
from zhaoshang.core.models import AuditLog, Job
from zhaoshang.core.scope import permission_name


def unscoped(reason: str):
    """Declare that a view shows no jurisdiction-owned data, and why. Works on functions and classes."""
    if not reason:
        raise ImproperlyConfigured("unscoped() needs a reason")

    def mark(view):
        view.unscoped_reason = reason
        return view

    return mark


class ScopedViewMixin(LoginRequiredMixin):
    """Signed in, holding ``<app>.<scope_action>_<model>``, and only rows of the user's jurisdiction."""

    model = None
    scope_action = "view"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm(permission_name(self.model, self.scope_action)):
            raise PermissionDenied("您没有此功能的权限")
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Runs after the permission check (403) and before the handler: look up objects here (404)."""

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user, self.scope_action)


class ScopedListView(ScopedViewMixin, ListView):
    """A filterable, sortable, paginated list whose current search exports to Excel (``?export=xlsx``)."""

    filterset_class = None
    paginate_by = 50
    sort_fields: dict[str, str] = {}
    default_sort = ""
    export_columns: list[tuple[str, str]] = []  # (header, attribute or callable name on the row)
    export_title = "导出"

    def get_queryset(self):
        rows = super().get_queryset()
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=rows, request=self.request)
            rows = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else rows
        sort = self.request.GET.get("sort", self.default_sort)
        field = self.sort_fields.get(sort.lstrip("-"))
        if field:
            rows = rows.order_by(("-" if sort.startswith("-") else "") + field, "pk")
        return rows

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = getattr(self, "filterset", None)
        context["sort"] = self.request.GET.get("sort", self.default_sort)
        context["can_export"] = self.request.user.has_perm(permission_name(self.model, "export"))
        return context

    def export_value(self, row, accessor: str):
        value = row
        for part in accessor.split("."):
            value = getattr(value, part, None)
            if callable(value):
                value = value()
        return value

    def export(self):
        user = self.request.user
        if not user.has_perm(permission_name(self.model, "export")):
            raise PermissionDenied("您没有导出权限")
        rows = self.get_queryset()
        content = workbook_bytes(
            title=self.export_title,
            headers=[header for header, _ in self.export_columns],
            rows=(
                [self.export_value(row, acc) for _, acc in self.export_columns]
                for row in rows.iterator(chunk_size=2000)
            ),
        )
        audit_record(
            actor=user,
            action=Action.EXPORT,
            object_type=self.model._meta.label,
            object_repr=f"{self.export_title}：{self.request.GET.urlencode()}",
            after={"query": self.request.GET.dict(), "rows": rows.count()},
        )
        stamp = timezone.localtime().strftime("%Y%m%d%H%M")
        return xlsx_response(filename=f"{self.export_title}_{stamp}.xlsx", content=content)


class ScopedDetailView(ScopedViewMixin, DetailView):
    """Outside the user's jurisdiction the object does not exist: 404."""


class ScopedJsonView(ScopedViewMixin, View):
    """JSON for charts and maps, from the scoped queryset."""

    def get(self, request, *args, **kwargs):
        return JsonResponse(self.get_data(self.get_queryset()), json_dumps_params={"ensure_ascii": False})

    def get_data(self, rows):
        raise NotImplementedError


class ScopedFormView(ScopedViewMixin, FormView):
    """Create or change through a service. The service raises ValidationError; the form keeps what was typed.

    For a change, ``object`` is looked up in the scoped queryset for ``scope_action`` (404 outside it).
    """

    scope_action = "add"
    object = None

    def load(self, **kwargs) -> None:
        if "pk" in kwargs:
            self.object = self.get_object()

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context

    def form_valid(self, form):
        try:
            saved = self.perform(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                form.add_error(None, error.messages)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url_for(saved))

    def perform(self, form):
        raise NotImplementedError

    def get_success_url_for(self, saved):
        return saved.get_absolute_url()


class ScopedPageView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """A page composed of several queries, each of which calls ``for_user`` itself (home page, dashboards)."""

    permission_required = None  # every subclass says which permission opens it; () means any signed-in user

    def has_permission(self):
        if self.permission_required is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must set permission_required")
        return super().has_permission()

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied("您没有此功能的权限")
        return super().handle_no_permission()


class HomeView(ScopedPageView):
    permission_required = ()  # any signed-in user; each count below is scoped and needs its own permission
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        from zhaoshang.regions.models import Park, Region

        user = self.request.user
        regions = Region.objects.for_user(user)
        parks = Park.objects.for_user(user)
        context = super().get_context_data(**kwargs)
        context["summary"] = {
            "node": Region.objects.containing(user.scope_path),
            "show_regions": user.has_perm("regions.view_region"),
            "show_parks": user.has_perm("regions.view_park"),
            "prefectures": regions.prefectures().count(),
            "counties": regions.counties().count(),
            "parks": parks.active().count(),
            "national_parks": parks.active().filter(level="national").count(),
        }
        return context


class AuditLogListView(ScopedListView):
    model = AuditLog
    filterset_class = AuditLogFilter
    template_name = "core/auditlog_list.html"
    sort_fields = {"id": "id", "created_at": "created_at", "action": "action", "actor_name": "actor_name"}
    default_sort = "-id"
    export_title = "审计日志"
    export_columns = [
        ("序号", "id"),
        ("时间", "created_at"),
        ("操作人", "actor_name"),
        ("操作", "action_label"),
        ("对象类型", "object_type"),
        ("对象编号", "object_id"),
        ("对象", "object_repr"),
        ("IP", "ip"),
        ("请求编号", "request_id"),
        ("变更前", "before"),
        ("变更后", "after"),
    ]


class OwnJobsMixin:
    """Jobs are shown to the user who started them only (within the scope, like everything else)."""

    model = Job

    def get_queryset(self):
        return super().get_queryset().filter(owner=self.request.user)


class JobListView(OwnJobsMixin, ScopedListView):
    template_name = "core/job_list.html"
    paginate_by = 30


class JobDetailView(OwnJobsMixin, ScopedDetailView):
    template_name = "core/job_detail.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["core/_job_progress.html"]
        return [self.template_name]


class JobResultView(OwnJobsMixin, ScopedDetailView):
    def get(self, request, *args, **kwargs):
        job = self.get_object()
        if not job.result_file:
            raise Http404("该任务没有结果文件")
        audit_record(actor=request.user, action=Action.EXPORT, obj=job, after={"file": job.result_file.name})
        return FileResponse(
            job.result_file.open("rb"), as_attachment=True, filename=job.result_file.name.split("/")[-1]
        )
