"""Pages of the promise ledger (招商承诺兑现) and the bureaus' measures."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.aftercare import conditions as cond
from zhaoshang.aftercare.filters import PromiseFilter
from zhaoshang.aftercare.forms import BasisForm, NoteForm, PaymentForm, PromiseForm
from zhaoshang.aftercare.lawfulness import flag_reasons
from zhaoshang.aftercare.models import Promise, user_is_bureau
from zhaoshang.aftercare.selectors import MEASURES, bureau_measures
from zhaoshang.aftercare.services import promises
from zhaoshang.aftercare.views import _errors
from zhaoshang.core.views import ScopedDetailView, ScopedFormView, ScopedListView, ScopedPageView
from zhaoshang.projects.models import IncentiveClause


class PromiseListView(ScopedListView):
    model = Promise
    filterset_class = PromiseFilter
    template_name = "aftercare/promise_list.html"
    export_title = "招商承诺"
    default_sort = "-id"
    sort_fields = {"id": "id", "due_on": "due_on", "amount": "amount_wan"}
    export_columns = [
        ("项目", "project.name"),
        ("承诺内容", "content"),
        ("类型", "get_kind_display"),
        ("金额（万元）", "amount_wan"),
        ("已支付（万元）", "paid_wan"),
        ("状态", "get_state_display"),
        ("兑现期限", "due_on"),
        ("责任单位", "responsible"),
        ("公平竞争审查标记", "flagged"),
        ("政策依据", "legal_basis"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("project", "responsible")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if user_is_bureau(self.request.user):
            # Clauses of the jurisdiction's agreements not yet entered as promises.
            from zhaoshang.projects.models import Project

            context["clauses"] = (
                IncentiveClause.objects.filter(agreement__project__in=Project.objects.for_user(self.request.user))
                .filter(promise__isnull=True)
                .select_related("agreement__project")[:50]
            )
        return context


class PromiseDetailView(ScopedDetailView):
    model = Promise
    template_name = "aftercare/promise_detail.html"

    def get_object(self, queryset=None):
        promise = super().get_object(queryset)
        return promises.promise_refresh(promise=promise)  # conditions are read from the project, now

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        promise, user = self.object, self.request.user
        context.update(
            results=cond.evaluate(promise.project, promise.conditions, timezone.localdate()),
            payments=promise.payments.select_related("recorded_by"),
            events=promise.events.select_related("actor"),
            is_bureau=user_is_bureau(user),
            payment_form=PaymentForm(initial={"paid_on": timezone.localdate()}),
            basis_form=BasisForm(initial={"legal_basis": promise.legal_basis}),
            can=lambda perm: user.has_perm(f"aftercare.{perm}_promise"),
            can_apply=user.has_perm("aftercare.apply_promise"),
            can_approve=user.has_perm("aftercare.approve_promise") and user_is_bureau(user),
            can_pay=user.has_perm("aftercare.pay_promise") and user_is_bureau(user),
            can_review=user.has_perm("aftercare.review_promise") and user_is_bureau(user),
            can_change=user.has_perm("aftercare.change_promise") and user_is_bureau(user),
        )
        return context


ACTIONS = {
    "apply": (promises.promise_apply, NoteForm, {"note": "note"}),
    "basis": (promises.promise_record_basis, BasisForm, {"legal_basis": "legal_basis"}),
    "review": (promises.promise_review, NoteForm, {"note": "note"}),
    "approve": (promises.promise_approve, NoteForm, {"note": "note"}),
    "pay": (promises.promise_pay, PaymentForm, {"amount_wan": "amount_wan", "paid_on": "paid_on", "note": "note"}),
    "honour": (promises.promise_honour, NoteForm, {"note": "note"}),
    "dispute": (promises.promise_dispute, NoteForm, {"note": "note"}),
    "resolve": (promises.promise_resolve, NoteForm, {"note": "note"}),
    "terminate": (promises.promise_terminate, NoteForm, {"reason": "note"}),
}


class PromiseActionView(ScopedDetailView):
    model = Promise

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(reverse("aftercare:promise_detail", args=[kwargs["pk"]]))

    def post(self, request, *args, **kwargs):
        promise = self.get_object()
        if kwargs["action"] not in ACTIONS:
            raise PermissionDenied("没有这个办理环节")
        service, form_class, fields = ACTIONS[kwargs["action"]]
        form = form_class(request.POST)
        if not form.is_valid():
            for problems in form.errors.values():
                for problem in problems:
                    messages.error(request, problem)
            return HttpResponseRedirect(promise.get_absolute_url())
        try:
            service(
                actor=request.user, promise=promise, **{arg: form.cleaned_data[name] for arg, name in fields.items()}
            )
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, "已办理")
        return HttpResponseRedirect(promise.get_absolute_url())


class PromiseCreateView(ScopedFormView):
    """An incentive clause of an agreement becomes a promise: its type, conditions, responsible unit, due date."""

    model = Promise
    scope_action = "add"
    form_class = PromiseForm
    template_name = "aftercare/promise_form.html"

    def load(self, **kwargs):
        from zhaoshang.projects.models import Project

        self.clause = get_object_or_404(
            IncentiveClause.objects.select_related("agreement__project").filter(
                agreement__project__in=Project.objects.for_user(self.request.user, "view")
            ),
            pk=kwargs["clause"],
        )

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["responsible"].queryset = OrgUnit.objects.for_user(self.request.user).order_by("path")
        return form

    def get_initial(self):
        return {
            "amount_wan": self.clause.amount_wan,
            "due_on": self.clause.due_on,
            "stage": "in_production" if "投产" in self.clause.conditions else "",
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(clause=self.clause, flags=flag_reasons(self.clause.content))
        return context

    def perform(self, form):
        data = form.cleaned_data
        return promises.promise_create(
            actor=self.request.user,
            clause=self.clause,
            kind=data["kind"],
            responsible=data["responsible"],
            conditions=form.conditions(),
            due_on=data["due_on"],
            legal_basis=data["legal_basis"],
            amount_wan=data["amount_wan"],
        )


class MeasuresView(ScopedPageView):
    """按时签收率、按时办结率、解决率、满意率、重办率、撤单率 per bureau and period; each figure opens its tickets."""

    permission_required = ("aftercare.view_ticket",)
    template_name = "aftercare/measures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        try:
            start = date.fromisoformat(self.request.GET.get("start", ""))
        except ValueError:
            start = date(today.year, 1, 1)
        try:
            end = date.fromisoformat(self.request.GET.get("end", ""))
        except ValueError:
            end = today
        rows = bureau_measures(self.request.user, start=start, end=end) if user_is_bureau(self.request.user) else []
        context.update(start=start, end=end, rows=rows, measures=MEASURES, list_url=reverse("aftercare:ticket_list"))
        return context
