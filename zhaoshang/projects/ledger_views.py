"""Pages of the funds-in-place ledger: entries, corrections and their approval, month locks."""

from datetime import date

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.urls import reverse

from zhaoshang.core.formatting import wan
from zhaoshang.core.periods import last_complete_month
from zhaoshang.core.scope import ensure_path_in_scope
from zhaoshang.core.views import ScopedDetailView, ScopedFormView, ScopedListView
from zhaoshang.projects import services
from zhaoshang.projects.filters import CorrectionFilter
from zhaoshang.projects.forms import (
    CorrectionDecisionForm,
    CorrectionForm,
    FundingEntryForm,
    MonthLockForm,
    MonthUnlockForm,
)
from zhaoshang.projects.models import FundingEntry, MonthLock, Project


class FundingEntryCreateView(ScopedFormView):
    model = FundingEntry
    scope_action = "add"
    form_class = FundingEntryForm
    template_name = "projects/action_form.html"

    def load(self, **kwargs) -> None:
        projects = Project.objects.for_user(self.request.user, "view")
        self.project = get_object_or_404(projects, pk=kwargs["project_pk"])
        # A project transferred away stays readable by the sending side, but only its holder records money in it.
        ensure_path_in_scope(self.request.user, self.project.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.project, title="录入到位资金", submit_label="保存")
        return context

    def perform(self, form):
        data = form.cleaned_data
        entry = services.funding_record(
            actor=self.request.user,
            project=self.project,
            month=data["month"],
            amount_wan=data["amount_wan"],
            outside_province_wan=data["outside_province_wan"],
            outside_prefecture_wan=data["outside_prefecture_wan"],
            foreign_usd_wan=data["foreign_usd_wan"],
            usd_rate=data["usd_rate"],
            note=data["note"],
        )
        messages.success(self.request, f"已录入 {entry.month:%Y年%m月} 到位资金 {wan(entry.amount_wan)}")
        began = services.funding_before_project(self.project, entry.month)
        if began is not None:
            messages.warning(
                self.request,
                f"注意：{entry.month:%Y年%m月}早于项目最早的记录日期（{began:%Y-%m-%d}），已按备注说明录入：{entry.note}",
            )
        return entry

    def get_success_url_for(self, saved):
        return reverse("projects:project_detail", args=[saved.project_id]) + "#ledger"


class FundingEntryDetailView(ScopedDetailView):
    """One ledger entry: its figures, its correction and approval, and its evidence (到位凭证, ``core.attachments``)."""

    model = FundingEntry
    template_name = "projects/funding_entry.html"
    context_object_name = "entry"

    def get_queryset(self):
        related = ("project", "entered_by", "reverses", "approval__decided_by", "merged_from")
        return super().get_queryset().select_related(*related)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, entry = self.request.user, self.object
        context.update(
            project=entry.project,
            corrections=entry.corrections.select_related("entered_by", "approval"),
            can_correct=user.has_perm("projects.add_fundingentry") and not entry.is_correction,
            can_approve=user.has_perm("projects.approve_fundingentry"),
        )
        return context


class EntryActionView(ScopedFormView):
    """A form acting on one ledger entry: the page names the entry; subclasses give the wording."""

    model = FundingEntry
    template_name = "projects/action_form.html"
    title_format = ""
    submit_label = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.object
        title = self.title_format.format(month=f"{entry.month:%Y年%m月}", amount=wan(entry.amount_wan), pk=entry.pk)
        context.update(object=entry.project, entry=entry, title=title, submit_label=self.submit_label)
        return context


class CorrectionCreateView(EntryActionView):
    scope_action = "add"
    form_class = CorrectionForm
    title_format = "冲销更正：{month} {amount}（第{pk}号分录）"
    submit_label = "提交冲销（待另一位人员审核）"

    def perform(self, form):
        correction = services.funding_correct(
            actor=self.request.user, entry=self.object, reason=form.cleaned_data["reason"]
        )
        messages.success(self.request, "已提交冲销更正，须由另一位有审核权限的人员审核后生效")
        return correction

    def get_success_url_for(self, saved):
        return reverse("projects:project_detail", args=[saved.project_id]) + "#ledger"


class CorrectionDecideView(EntryActionView):
    scope_action = "approve"
    form_class = CorrectionDecisionForm
    title_format = "审核冲销更正（第{pk}号，{month} {amount}）"
    submit_label = "提交审核"

    def perform(self, form):
        approval = services.correction_decide(
            actor=self.request.user,
            entry=self.object,
            approve=form.cleaned_data["decision"] == "approved",
            note=form.cleaned_data["note"],
        )
        messages.success(self.request, f"更正已审核：{approval.get_decision_display()}")
        return approval

    def get_success_url_for(self, saved):
        return reverse("projects:correction_list")


class CorrectionListView(ScopedListView):
    model = FundingEntry
    scope_action = "approve"
    filterset_class = CorrectionFilter
    template_name = "projects/correction_list.html"
    default_sort = "-id"
    sort_fields = {"id": "id", "month": "month"}
    export_title = "到位资金更正"
    export_columns = [
        ("分录编号", "id"),
        ("项目", "project.name"),
        ("月份", "month"),
        ("金额（万元）", "amount_wan"),
        ("更正原因", "reason"),
        ("录入人", "entered_by"),
        ("状态", "status_label"),
    ]

    def get_queryset(self):
        rows = super().get_queryset().corrections()
        return rows.select_related("project", "entered_by", "reverses", "approval__decided_by")


class MonthLockView(ScopedFormView):
    model = MonthLock
    scope_action = "add"
    form_class = MonthLockForm
    template_name = "projects/monthlock.html"

    def get_initial(self):
        """The month to lock is by default the last complete month (``core/periods.py``), the one just reported."""
        year, month = last_complete_month()
        return {"month": date(year, month, 1)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["locks"] = MonthLock.objects.for_user(self.request.user).select_related(
            "prefecture", "created_by", "unlocked_by"
        )[:120]
        return context

    def perform(self, form):
        data = form.cleaned_data
        lock = services.month_lock(
            actor=self.request.user, prefecture=data["prefecture"], month=data["month"], note=data["note"]
        )
        messages.success(self.request, f"已锁定：{lock}")
        return lock

    def get_success_url_for(self, saved):
        return reverse("projects:month_lock")


class MonthUnlockView(ScopedFormView):
    """Lift a month lock (province): the lock is looked up in the user's jurisdiction, 404 outside it."""

    model = MonthLock
    scope_action = "unlock"
    form_class = MonthUnlockForm
    template_name = "projects/action_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=None, title=f"解除月份锁定：{self.object}", submit_label="解除锁定")
        return context

    def perform(self, form):
        lock = services.month_unlock(actor=self.request.user, lock=self.object, reason=form.cleaned_data["reason"])
        messages.success(self.request, f"已解除锁定：{lock}")
        return lock

    def get_success_url_for(self, saved):
        return reverse("projects:month_lock")
