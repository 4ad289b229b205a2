"""The page that records a collective decision (集体决策) or a legality review (合法性审查) of a project."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.forms import DateField, DateInput
from zhaoshang.core.scope import user_node_path
from zhaoshang.projects import services
from zhaoshang.projects.choices import DecisionKind, DecisionOutcome
from zhaoshang.projects.models import Agreement, IncentiveClause
from zhaoshang.projects.views import ProjectActionView

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


def participant_units(user):
    """The units a meeting of this user's bureau may name: those of its jurisdiction and those of the levels above
    it (a county's 集体研判 is often attended by the prefecture's bureau)."""
    node = user_node_path(user) or ""
    above = ["/".join(node.split("/")[:depth]) for depth in range(1, node.count("/") + 1)]
    return OrgUnit.objects.filter(
        Q(pk__in=OrgUnit.objects.for_user(user, action=None).values("pk")) | Q(path__in=above)
    ).order_by("path", "code")


class UnitsField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # An id the database cannot hold (a number past 64 bits) is no such unit, not a failed query.
        if any(not str(item).isdigit() or len(str(item)) > 18 for item in value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""})
        return super()._check_values(value)


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=DecisionKind.choices, widget=forms.Select(attrs=SELECT))
    meeting = forms.CharField(label="会议名称", max_length=200, widget=forms.TextInput(attrs=TEXT))
    held_on = DateField(label="会议日期", widget=DateInput(attrs=TEXT))
    outcome = forms.ChoiceField(label="结论", choices=DecisionOutcome.choices, widget=forms.Select(attrs=SELECT))
    participants = UnitsField(
        label="参会单位",
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs=SELECT | {"size": 6}),
        help_text="集体决策须列明参会单位",
    )
    agreement = forms.ModelChoiceField(
        label="涉及协议", queryset=Agreement.objects.none(), required=False, widget=forms.Select(attrs=SELECT)
    )
    clause = forms.ModelChoiceField(
        label="涉及优惠条款（承诺）",
        queryset=IncentiveClause.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    notes = forms.CharField(
        label="会议意见", max_length=4000, required=False, widget=forms.Textarea(attrs=TEXT | {"rows": 3})
    )

    def __init__(self, *args, user=None, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = participant_units(user)
        self.fields["agreement"].queryset = Agreement.objects.filter(project=project)
        self.fields["clause"].queryset = IncentiveClause.objects.filter(agreement__project=project)


class DecisionCreateView(ProjectActionView):
    form_class = DecisionForm
    title = "录入集体决策或合法性审查记录"
    submit_label = "保存记录"

    def load(self, **kwargs):
        if not self.request.user.has_perm("projects.add_decisionrecord"):
            raise PermissionDenied("您没有录入决策记录的权限")
        super().load(**kwargs)

    def get_initial(self):
        return {"kind": DecisionKind.COLLECTIVE}

    def perform(self, form):
        data = form.cleaned_data
        record = services.decision_record(actor=self.request.user, project=self.object, **data)
        messages.success(self.request, f"已录入：{record}")
        return self.object
