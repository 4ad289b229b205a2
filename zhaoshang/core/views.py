"""Base views. Every page that shows jurisdiction data is built on these, so the one scope applies.

A view that shows no jurisdiction data (login, reference boundaries) says so with ``unscoped(reason)``; a test
walks every URL and fails on a view that is neither.
"""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.forms.models import BaseModelForm
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View, defaults
from django.views.generic import DetailView, FormView, ListView, TemplateView

from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.excel import workbook_file, xlsx_file_response
from zhaoshang.core.filters import AuditLogFilter
from zhaoshang.core.models import AuditLog, Job
from zhaoshang.core.panels import panels_for
from zhaoshang.core.scope import permission_name, user_node_path


def unscoped(reason: str):
    """Declare that a view shows no jurisdiction-owned data, and why. Works on functions and classes."""
    if not reason:
        raise ImproperlyConfigured("unscoped() needs a reason")

    def mark(view):
        view.unscoped_reason = reason
        return view

    return mark


def unix_newlines(data):
    """Posted text with the line ends it is stored with: a browser sends a textarea's lines ending in CRLF, so an
    unchanged text saved from a page would otherwise differ from what the API or an import stored."""
    if not any("\r" in value for _, values in data.lists() for value in values if isinstance(value, str)):
        return data
    data = data.copy()
    for key, values in data.lists():
        data.setlist(key, [v.replace("\r\n", "\n") if isinstance(v, str) else v for v in values])
    return data


def filter_conditions(filterset) -> dict[str, str]:
    """The search of a list in words, for the audit row of its export: {filter label: the value as chosen}."""
    if filterset is None or not filterset.is_bound or not filterset.is_valid():
        return {}
    conditions = {}
    for name, value in filterset.form.cleaned_data.items():
        field = filterset.form.fields[name]
        if value in (None, "", [], ()) or (value is False and not isinstance(field, forms.NullBooleanField)):
            continue
        if isinstance(value, list | tuple | set) or hasattr(value, "model"):
            shown = "、".join(str(v) for v in value)
        elif getattr(field, "choices", None) and not hasattr(value, "pk"):
            shown = str({str(key): label for key, label in field.choices}.get(str(value), value))
        elif isinstance(value, bool):
            shown = "是" if value else "否"
        else:
            shown = str(value)
        conditions[str(field.label or name)] = shown
    return conditions


# Above this many rows an export is sent as a stream from its temporary file, not read into memory first.
STREAM_EXPORT_ROWS = 5000


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
    # Headers of columns that hold personal information: the export's audit row then lists whose (core.pii_access).
    export_personal_columns: tuple[str, ...] = ()

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
        count = rows.count()
        file = workbook_file(
            title=self.export_title,
            headers=[header for header, _ in self.export_columns],
            rows=(
                [self.export_value(row, acc) for _, acc in self.export_columns]
                for row in rows.iterator(chunk_size=2000)
            ),
        )
        conditions = filter_conditions(getattr(self, "filterset", None))
        shown = "；".join(f"{label}：{value}" for label, value in conditions.items())
        audit_record(
            actor=user,
            action=Action.EXPORT,
            object_type=self.model._meta.label,
            object_repr=f"{self.export_title}（{shown or '全部'}）",
            after={"conditions": conditions, "rows": count, "format": "xlsx"} | self.export_subjects(rows),
        )
        stamp = timezone.localtime().strftime("%Y%m%d%H%M")
        filename = f"{self.export_title}_{stamp}.xlsx"
        return xlsx_file_response(filename=filename, file=file, stream=count > STREAM_EXPORT_ROWS)

    def export_subjects(self, rows) -> dict:
        if not self.export_personal_columns:
            return {}
        ids = list(rows.order_by().values_list("pk", flat=True).distinct())
        return {"fields": list(self.export_personal_columns), "subjects": {"model": self.model._meta.label, "ids": ids}}


class ScopedDetailView(ScopedViewMixin, DetailView):
    """Outside the user's jurisdiction the object does not exist: 404."""

    def get_object(self, queryset=None):
        # ``get(pk=…)`` on the scoped rows, so that a miss is noted and an attempt on an existing object elsewhere
        # is audited (``core.refusals``).
        queryset = self.get_queryset() if queryset is None else queryset
        return get_object_or_404(queryset, pk=self.kwargs[self.pk_url_kwarg])


class ScopedJsonView(ScopedViewMixin, View):
    """JSON for charts and maps, from the scoped queryset."""

    def get(self, request, *args, **kwargs):
        return JsonResponse(self.get_data(self.get_queryset()), json_dumps_params={"ensure_ascii": False})

    def get_data(self, rows):
        raise NotImplementedError


class ScopedFormView(ScopedViewMixin, FormView):
    """Create or change through a service. The service raises ValidationError; the form keeps what was typed.

    For a change, ``object`` is looked up in the scoped queryset for ``scope_action`` (404 outside it).

    An edit page (``edits_object = True``) starts from the object as saved: a ModelForm gets it as its instance,
    any other form the values of ``object_initial()``. ``get_initial()`` — a new object's defaults, such as
    today's date — is not used there, so an edit view built on its create view cannot inherit them and move the
    object when it is saved unchanged (``core/tests/test_edit_forms.py`` saves every edit page unchanged).
    """

    scope_action = "add"
    object = None
    edits_object = False

    def load(self, **kwargs) -> None:
        if "pk" in kwargs:
            self.object = self.get_object()

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def object_initial(self) -> dict:
        """An edit page's initial values read from ``self.object`` (a ModelForm reads its instance instead)."""
        return {}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.edits_object:
            kwargs["initial"] = self.object_initial()
            if issubclass(self.get_form_class(), BaseModelForm):
                kwargs["instance"] = self.object
        if "data" in kwargs:
            kwargs["data"] = unix_newlines(kwargs["data"])
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


def _back_url(request) -> str:
    """Where 返回上一页 leads: the page the user came from on this site, else "" — the browser's history, through
    the page's ``data-history-back`` link (core/app.js; the Content-Security-Policy runs no ``javascript:`` link)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return ""


def _reason(exception) -> str:
    """The reason a view gave, when it gave one in words (ours are Chinese; Django's own are not shown)."""
    message = str(exception or "")
    return message if message and not message.isascii() else ""


def permission_denied(request, exception):
    """403 in the site's layout, with the reason the view gave and a way back."""
    context = {"reason": _reason(exception), "back_url": _back_url(request)}
    return render(request, "403.html", context, status=403)


def _api_error(request, status: int, detail: str):
    """An address under /api/ that no API view answered (no such route, an id that is not a number) gets its error
    in JSON like every API answer, as the schema says (core/openapi.py); pages get the site's layout."""
    return JsonResponse({"detail": detail}, status=status) if request.path.startswith("/api/v") else None


# Sites with their own layout (the public investor site) register the addresses they answer and their 404 page.
_NOT_FOUND_PAGES: list[tuple[tuple[str, ...], Callable]] = []


def register_not_found_page(*, prefixes: tuple[str, ...], view: Callable) -> None:
    """``view(request)`` answers a 404 under any of ``prefixes``; registered from an app's ``ready``."""
    if (prefixes, view) not in _NOT_FOUND_PAGES:
        _NOT_FOUND_PAGES.append((prefixes, view))


def page_not_found(request, exception):
    """404 in the site's layout. It says nothing about why: outside the scope an object does not exist."""
    if api := _api_error(request, 404, "未找到。"):
        return api
    for prefixes, view in _NOT_FOUND_PAGES:
        if request.path.startswith(prefixes):
            return view(request)
    return render(request, "404.html", {"back_url": _back_url(request)}, status=404)


def server_error(request):
    """500 in the site's layout (with the user's menu); if that cannot be rendered (the database is down), the
    same page without the request's context."""
    if api := _api_error(request, 500, "服务器错误，请稍后重试"):
        return api
    try:
        return render(request, "500.html", {"back_url": _back_url(request)}, status=500)
    except Exception:  # any failure here must still answer with the error page
        return defaults.server_error(request)


def bureau_staff_required(view):
    """Bureau staff only (a signed-in user with a jurisdiction node, or a superuser): the API documentation
    describes the bureaus' interfaces, which enterprise accounts do not use. Others are sent to sign in (anonymous)
    or refused (403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_superuser and not user_node_path(user):
            raise PermissionDenied("API 文档供招商部门工作人员使用，企业账户不能查看")
        return view(request, *args, **kwargs)

    return wrapped


class HomeView(ScopedPageView):
    """工作台: the apps' home panels (``core.panels``: the dashboard's to-dos, figures and recent changes, then the
    jurisdiction's summary from regions). An enterprise account gets a home of its own."""

    permission_required = ()  # any signed-in user; each panel is scoped and needs its own permission
    template_name = "core/home.html"

    def get_template_names(self):
        # An enterprise account has no jurisdiction: its own home, with no bureau data at all.
        if not self.request.user.is_superuser and not user_node_path(self.request.user):
            return ["core/home_enterprise.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_node"] = bool(user_node_path(self.request.user))
        if context["has_node"] or self.request.user.is_superuser:
            context["panels"] = panels_for("home", self.request)
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
        ("对象类型", "object_type_label"),
        ("对象编号", "object_id"),
        ("对象", "object_repr"),
        ("IP", "ip"),
        ("请求编号", "request_id"),
        ("变更前", "before"),
        ("变更后", "after"),
    ]

    def get_context_data(self, **kwargs):
        from zhaoshang.core.audit_masking import rows_for

        context = super().get_context_data(**kwargs)
        context["object_list"] = rows_for(self.request.user, context["object_list"])  # the audit administrator's
        return context

    def export_value(self, row, accessor: str):
        from zhaoshang.core.audit_masking import rows_for

        if not hasattr(row, "business_masked"):
            row.business_masked = False
            rows_for(self.request.user, [row])
        return super().export_value(row, accessor)


class AuditLogDetailView(ScopedDetailView):
    """One row of the trail: who, when, from where, and its before/after field by field (changed fields marked)."""

    model = AuditLog
    template_name = "core/auditlog_detail.html"
    context_object_name = "row"

    def get_context_data(self, **kwargs):
        from zhaoshang.core.audit_masking import MASK, change_rows_for, concerns_administration, masks_business_values
        from zhaoshang.core.changes import change_rows

        context = super().get_context_data(**kwargs)
        row = self.object
        context["changes"] = change_rows_for(self.request.user, row, change_rows(row))
        if masks_business_values(self.request.user) and not concerns_administration(row):
            context["business_masked"] = True
            row.object_repr = MASK if row.object_repr else ""
        context["two_sides"] = row.before is not None and row.after is not None
        context["actor_org"] = getattr(row.actor, "org_unit", None) if row.actor_id else None
        return context


class OwnJobsMixin:
    """Jobs are shown to the user who started them only (within the scope, like everything else)."""

    model = Job

    def load(self, **kwargs) -> None:
        # A job whose process died mid-run is marked failed before it is shown (core.jobs.jobs_reap_stale).
        from zhaoshang.core.jobs import jobs_reap_stale

        jobs_reap_stale()
        super().load(**kwargs)

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
