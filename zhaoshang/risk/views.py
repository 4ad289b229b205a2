"""Pages of the risk warnings: the list per bureau (scoped by the project's path), a warning with its actions, the
rules, and the panel on the project page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhaoshang.core.panels import Panel
from zhaoshang.core.views import ScopedDetailView, ScopedFormView, ScopedListView
from zhaoshang.risk import services
from zhaoshang.risk.filters import WarningFilter
from zhaoshang.risk.forms import NoteForm, RuleForm
from zhaoshang.risk.models import RiskRule, RiskWarning
from zhaoshang.risk.selectors import project_risk


class WarningListView(ScopedListView):
    model = RiskWarning
    filterset_class = WarningFilter
    template_name = "risk/warning_list.html"
    export_title = "风险预警"
    default_sort = "-first_seen"
    sort_fields = {"first_seen": "first_seen", "weight": "weight", "last_seen": "last_seen"}
    export_columns = [
        ("项目", "project.name"),
        ("规则", "rule.name"),
        ("权重", "weight"),
        ("预警原因", "reason"),
        ("状态", "get_state_display"),
        ("首次发现", "first_seen"),
        ("最近发现", "last_seen"),
        ("条件消除日期", "cleared_on"),
        ("处理人", "decided_by"),
        ("处理说明", "decision_note"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("project", "rule", "decided_by")


class WarningDetailView(ScopedDetailView):
    model = RiskWarning
    template_name = "risk/warning_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("project", "rule", "decided_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = self.request.user.has_perm("risk.change_riskwarning")
        return context


ACTIONS = {
    # action: (service, keyword of the text, label of the text, required, title)
    "confirm": (services.warning_confirm, "note", "说明", False, "确认预警"),
    "dismiss": (services.warning_dismiss, "reason", "排除理由", True, "排除预警"),
    "resolve": (services.warning_resolve, "note", "处理结果", True, "解决预警"),
}


class WarningActionView(ScopedFormView):
    """确认 / 排除 / 解决 on a page of their own: a refused form (排除 without a reason) keeps what was typed."""

    model = RiskWarning
    scope_action = "change"
    form_class = NoteForm
    template_name = "risk/warning_action.html"

    def load(self, **kwargs):
        if kwargs["action"] not in ACTIONS:
            raise PermissionDenied("没有这个处理环节")
        self.action = ACTIONS[kwargs["action"]]
        super().load(**kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(label=self.action[2], required=self.action[3])
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.action[4]
        return context

    def perform(self, form):
        service, keyword = self.action[0], self.action[1]
        warning = service(actor=self.request.user, warning=self.object, **{keyword: form.cleaned_data["note"]})
        messages.success(self.request, f"已{self.action[4][:2]}")
        return warning


class RuleListView(ScopedListView):
    model = RiskRule
    template_name = "risk/rule_list.html"
    export_title = "风险规则"
    paginate_by = 100
    export_columns = [
        ("代码", "code"),
        ("名称", "name"),
        ("权重", "weight"),
        ("参数", "params"),
        ("启用", "enabled"),
        ("说明", "description"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = self.request.user.has_perm("risk.change_riskrule")
        return context


class RuleEditView(ScopedFormView):
    model = RiskRule
    scope_action = "change"
    form_class = RuleForm
    template_name = "risk/rule_form.html"
    edits_object = True

    def object_initial(self) -> dict:
        import json

        rule = self.object
        params = json.dumps(rule.params, ensure_ascii=False) if rule.params else ""
        return {"weight": rule.weight, "params": params, "enabled": rule.enabled}

    def perform(self, form):
        data = form.cleaned_data
        services.rule_update(
            actor=self.request.user,
            rule=self.object,
            weight=data["weight"],
            params=data["params"],
            enabled=data["enabled"],
        )
        messages.success(self.request, "规则已保存")
        return self.object

    def get_success_url_for(self, saved):
        return reverse("risk:rule_list")


def project_risk_panel(request, *, project) -> Panel | None:
    """The project's risk score with its reasons (``core.panels``, page "project_detail")."""
    if not request.user.has_perm("risk.view_riskwarning"):
        return None
    risk = project_risk(request.user, project)
    return Panel("risk/_project_panel.html", {"score": risk.score, "warnings": risk.warnings, "project": project})
