"""Pages of the enterprise service: registration and verification, requests (诉求) and their steps."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView

from zhaoshang.accounts.choices import CompanyStatus
from zhaoshang.accounts.models import Company, OrgUnit
from zhaoshang.aftercare.choices import EventKind, TicketState
from zhaoshang.aftercare.filters import TicketFilter
from zhaoshang.aftercare.forms import (
    DispatchForm,
    ExtensionForm,
    NoteForm,
    OfflineForm,
    RateForm,
    RegisterForm,
    TicketForm,
    UnitForm,
    VerifyForm,
)
from zhaoshang.aftercare.models import CompanyLink, Notification, Ticket, user_is_bureau
from zhaoshang.aftercare.services import companies, notify, tickets
from zhaoshang.aftercare.services.clock import clock_status
from zhaoshang.core.attachments.views import panel_context
from zhaoshang.core.scope import user_node_path
from zhaoshang.core.views import ScopedDetailView, ScopedFormView, ScopedListView, ScopedPageView, unscoped
from zhaoshang.projects.models import Project


def _errors(request, error) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(error) or "您没有此功能的权限")


@unscoped("企业自助注册：只写入新企业和它的第一个账号，不显示任何数据")
class RegisterView(FormView):
    template_name = "aftercare/register.html"
    form_class = RegisterForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = companies.company_register(
                credit_code=data["credit_code"],
                name=data["name"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                region=data["region"],
                username=data["username"],
                password=data["password"],
                email=data["email"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
            return self.form_invalid(form)
        # Signing in goes through the login page (its lockout, second factor and session controls), not from here.
        messages.success(
            self.request, f"注册成功，请用账号 {user.username} 登录。投资所在地投促部门核验后，即可提交诉求。"
        )
        return HttpResponseRedirect(reverse("accounts:login"))


class MyCompanyView(ScopedPageView):
    """The enterprise account's own enterprise: its verification, its projects, its colleagues."""

    permission_required = ("aftercare.view_ticket",)
    template_name = "aftercare/my_company.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        company = user.company if user.company_id and not user_node_path(user) else None
        context["company"] = company
        context["links"] = CompanyLink.objects.for_user(user, "").select_related("project") if company else []
        context["colleagues"] = company.users.order_by("username") if company and company.is_verified else []
        return context


class CompanyListView(ScopedListView):
    model = Company
    template_name = "aftercare/company_list.html"
    export_title = "企业账户"
    default_sort = "-id"
    sort_fields = {"id": "id", "name": "name"}
    export_columns = [
        ("统一社会信用代码", "credit_code"),
        ("企业名称", "name"),
        ("投资所在地", "region"),
        ("核验状态", "get_status_display"),
        ("注册时间", "created_at"),
    ]

    def get_queryset(self):
        rows = super().get_queryset().select_related("region")
        status = self.request.GET.get("status")
        return rows.filter(status=status) if status in CompanyStatus.values else rows


class CompanyDetailView(ScopedDetailView):
    model = Company
    template_name = "aftercare/company_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["verify_form"] = VerifyForm()
        context["can_verify"] = user.has_perm("accounts.verify_company")
        context["links"] = CompanyLink.objects.for_user(user, "").filter(company=self.object).select_related("project")
        context["projects"] = Project.objects.for_user(user).order_by("name")[:500]
        return context


class CompanyActionView(ScopedDetailView):
    model = Company
    scope_action = "verify"

    def post(self, request, *args, **kwargs):
        company = self.get_object()
        try:
            if kwargs["action"] == "verify":
                form = VerifyForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("请选择核验结果")
                companies.company_verify(
                    actor=request.user,
                    company=company,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                )
                messages.success(request, "已记录核验结果")
            elif kwargs["action"] == "link":
                project = get_object_or_404(Project.objects.for_user(request.user), pk=request.POST.get("project"))
                companies.company_link(actor=request.user, company=company, project=project)
                messages.success(request, f"已关联项目：{project.name}")
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        return HttpResponseRedirect(reverse("aftercare:company_detail", args=[company.pk]))

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(reverse("aftercare:company_detail", args=[kwargs["pk"]]))


class TicketListView(ScopedListView):
    model = Ticket
    filterset_class = TicketFilter
    template_name = "aftercare/ticket_list.html"
    export_title = "企业诉求"
    default_sort = "-id"
    sort_fields = {"id": "id", "due_on": "due_on", "state": "state"}
    export_columns = [
        ("诉求编号", "number"),
        ("企业", "company.name"),
        ("类别", "get_category_display"),
        ("标题", "title"),
        ("办理地", "region.name"),
        ("承办单位", "handler"),
        ("状态", "get_state_display"),
        ("办理时限", "due_on"),
        ("评价", "get_rating_display"),
        ("重办次数", "reopen_count"),
        ("督办次数", "supervised_count"),
        ("提交时间", "submitted_at"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("company", "region", "handler")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for ticket in context["object_list"]:
            ticket.clock_status = clock_status(ticket, today)
        context["can_submit"] = bool(getattr(self.request.user, "enterprise_scope_id", None))
        return context


class TicketCreateView(ScopedFormView):
    model = Ticket
    scope_action = "add"
    form_class = TicketForm
    template_name = "aftercare/form.html"
    extra_context = {"title": "提交诉求"}

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not getattr(user, "enterprise_scope_id", None) and not user_node_path(user):
            messages.warning(request, "企业账户经投资所在地投促部门核验后才能提交诉求")
            return HttpResponseRedirect(reverse("aftercare:my_company"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        links = CompanyLink.objects.for_user(self.request.user, "").exclude(project=None).select_related("project")
        kwargs["projects"] = [link.project for link in links]
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        return tickets.ticket_submit(
            actor=self.request.user,
            category=data["category"],
            title=data["title"],
            description=data["description"],
            project=data["project"],
            region=data["region"],
            nature=data["nature"],
            urgent=data["urgent"],
        )


ACTIONS = {  # action → (service, form, fields passed)
    "accept": (tickets.ticket_accept, NoteForm, {"note": "note"}),
    "refuse": (tickets.ticket_refuse, NoteForm, {"reason": "note"}),
    "dispatch": (tickets.ticket_dispatch, DispatchForm, {"handler": "handler", "note": "note"}),
    "sign": (tickets.ticket_sign, None, {}),
    "return": (tickets.ticket_return, NoteForm, {"reason": "note"}),
    "start": (tickets.ticket_start, NoteForm, {"note": "note"}),
    "unit": (tickets.ticket_add_unit, UnitForm, {"org_unit": "org_unit", "role": "role"}),
    "offline": (tickets.ticket_offline, OfflineForm, {"kind": "kind", "on": "on", "note": "note"}),
    "extend": (tickets.ticket_request_extension, ExtensionForm, {"days": "days", "reason": "note"}),
    "answer": (tickets.ticket_answer, NoteForm, {"answer": "note"}),
    "visit": (tickets.ticket_visit, NoteForm, {"note": "note"}),
    "rate": (tickets.ticket_rate, RateForm, {"rating": "rating", "note": "note"}),
    "close": (tickets.ticket_close, NoteForm, {"note": "note"}),
    "withdraw": (tickets.ticket_withdraw, NoteForm, {"reason": "note"}),
    "withdraw_check": (tickets.ticket_withdraw_check, NoteForm, {"note": "note"}),
    "supervise": (tickets.ticket_supervise, NoteForm, {"note": "note"}),
}


def unit_choices(user):
    return OrgUnit.objects.for_user(user).order_by("path", "code") if user_node_path(user) else OrgUnit.objects.none()


def co_unit_choices(user):
    # 联办协办 may be any bureau or department of the province (the unit then sees the request it was given).
    return OrgUnit.objects.order_by("path", "code") if user_node_path(user) else OrgUnit.objects.none()


class TicketDetailView(ScopedDetailView):
    model = Ticket
    template_name = "aftercare/ticket_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("company", "region", "handler", "project", "escalated_to")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ticket, user = self.object, self.request.user
        is_bureau = user_is_bureau(user)
        can_handle = is_bureau and Ticket.objects.for_user(user, "change").filter(pk=ticket.pk).exists()
        dispatch = DispatchForm()
        dispatch.fields["handler"].queryset = unit_choices(user)
        unit = UnitForm()
        unit.fields["org_unit"].queryset = co_unit_choices(user)
        context.update(
            is_bureau=is_bureau,
            can_handle=can_handle,
            can_supervise=is_bureau and user.has_perm("aftercare.supervise_ticket"),
            is_owner=not is_bureau and getattr(user, "enterprise_scope_id", None) == ticket.company_id,
            clock=clock_status(ticket, timezone.localdate()),
            events=ticket.events.select_related("actor", "org_unit"),
            units=ticket.units.select_related("org_unit"),
            dispatch_form=dispatch,
            unit_form=unit,
            offline_form=OfflineForm(),
            extension_form=ExtensionForm(),
            rate_form=RateForm(),
            attachments=panel_context(user, ticket),
            S=TicketState,
            pending_extension=ticket.extension_days and ticket.events.filter(kind=EventKind.EXTENSION_REQUEST).exists(),
        )
        return context


class TicketActionView(ScopedDetailView):
    """POST one step of a request to its service; the service checks who may do it, in which state."""

    model = Ticket

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(reverse("aftercare:ticket_detail", args=[kwargs["pk"]]))

    def post(self, request, *args, **kwargs):
        ticket = self.get_object()
        action = kwargs["action"]
        if action == "extension":
            return self.decide_extension(ticket)
        if action not in ACTIONS:
            raise PermissionDenied("没有这个办理环节")
        service, form_class, fields = ACTIONS[action]
        values = {}
        if form_class is not None:
            form = form_class(request.POST)
            if "handler" in form.fields:
                form.fields["handler"].queryset = unit_choices(request.user)
            if "org_unit" in form.fields:
                form.fields["org_unit"].queryset = co_unit_choices(request.user)
            if not form.is_valid():
                for problems in form.errors.values():
                    for problem in problems:
                        messages.error(request, problem)
                return HttpResponseRedirect(ticket.get_absolute_url())
            values = {arg: form.cleaned_data[field] for arg, field in fields.items()}
        try:
            service(actor=request.user, ticket=ticket, **values)
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, f"已办理：{EventKind(self.event_kind(action)).label}")
        return HttpResponseRedirect(ticket.get_absolute_url())

    @staticmethod
    def event_kind(action: str) -> str:
        return {"unit": "co_handler", "extend": "extension_request"}.get(action, action)

    def decide_extension(self, ticket):
        approve = self.request.POST.get("decision") == "approve"
        try:
            tickets.ticket_decide_extension(
                actor=self.request.user, ticket=ticket, approve=approve, note=self.request.POST.get("note", "")
            )
        except (ValidationError, PermissionDenied) as error:
            _errors(self.request, error)
        else:
            messages.success(self.request, "已审批延期申请")
        return HttpResponseRedirect(ticket.get_absolute_url())


class NotificationListView(ScopedPageView):
    permission_required = ()
    template_name = "aftercare/notifications.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = Notification.objects.for_user(self.request.user)
        context["rows"] = list(rows[:200])
        notify.notifications_mark_read(user=self.request.user)
        return context


class CompanyUserView(ScopedPageView):
    """A verified enterprise's account adds a colleague's account."""

    permission_required = ("aftercare.add_ticket",)
    template_name = "aftercare/form.html"

    def post(self, request, *args, **kwargs):
        try:
            companies.company_add_user(
                actor=request.user,
                username=request.POST.get("username", ""),
                password=request.POST.get("password", ""),
                full_name=request.POST.get("full_name", ""),
            )
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, "已添加同事账号，首次登录须修改密码")
        return HttpResponseRedirect(reverse("aftercare:my_company"))

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(reverse("aftercare:my_company"))
