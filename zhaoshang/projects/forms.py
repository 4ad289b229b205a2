from django import forms
from django.db.models import Q

from zhaoshang.catalog.models import IndustryClass, KeyIndustry
from zhaoshang.core.forms import DateInput
from zhaoshang.core.scope import path_q, user_node_path
from zhaoshang.projects.choices import CorrectionDecision, ProjectCategory, Stage
from zhaoshang.projects.models import Agreement, Project
from zhaoshang.projects.services import PROJECT_FIELDS
from zhaoshang.regions.models import Park, Region


def counties_for(user):
    """Counties a user may place a project in: those at or below their node, or the county above their park."""
    counties = Region.objects.counties()
    if user.is_superuser:
        return counties
    node = user_node_path(user)
    if not node:
        return counties.none()
    parts = node.split("/")
    ancestors = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return counties.filter(path_q("path", node) | Q(path__in=ancestors))


def parks_for(user):
    return Park.objects.for_user(user).active().select_related("region")


def style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class ProjectForm(forms.ModelForm):
    investor_name = forms.CharField(label="投资方企业名称", max_length=200)
    investor_credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    on = forms.DateField(label="登记日期", widget=DateInput())
    parent = forms.ModelChoiceField(label="增资扩产的原项目", queryset=Project.objects.none(), required=False)
    confirm_not_duplicate = forms.BooleanField(label="已核对疑似重复项目，确认不是同一项目", required=False)
    admission_override_reason = forms.CharField(
        label="放行决定理由",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅当准入结论为“不招”而决定引进时填写（如已落实产能置换方案、经集体研究同意等）；"
        "决定将连同理由记录并审计",
    )

    field_order = ["name", "description"]

    class Meta:
        model = Project
        fields = ["name", "county", "park", *PROJECT_FIELDS]
        widgets = {"stalled_note": forms.TextInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["county"].queryset = counties_for(user)
        self.fields["park"].queryset = parks_for(user)
        self.fields["key_industry"].queryset = KeyIndustry.objects.all()
        self.fields["key_industry"].empty_label = "非重点产业"
        self.fields["category"].required = False  # 产业类 unless the officer says otherwise
        self.fields["industry_class"].queryset = IndustryClass.objects.small_classes()
        self.fields["industry_class"].widget.attrs["data-search"] = "1"
        self.fields["county"].widget.attrs["data-search"] = "1"
        if not user.has_perm("projects.override_admission"):
            del self.fields["admission_override_reason"]
        if self.instance.pk:
            for name in ("investor_name", "investor_credit_code", "on", "parent", "confirm_not_duplicate"):
                del self.fields[name]
        else:
            self.fields["parent"].queryset = Project.objects.for_user(user).counted().signed()
            self.fields["parent"].widget = forms.HiddenInput()
        style(self)

    def clean(self):
        data = super().clean()
        county, park = data.get("county"), data.get("park")
        if county and park and park.region_id != county.pk:
            self.add_error("park", f"园区“{park.name}”不属于{county.name}")
        node = user_node_path(self.user) or ""
        if county and not park and not self.user.is_superuser and len(node.split("/")) > 3:
            self.add_error("park", "园区用户须选择本园区")
        return data

    def clean_category(self):
        return self.cleaned_data.get("category") or ProjectCategory.INDUSTRY


class AdmissionPreviewForm(forms.Form):
    """The project form's facts as typed so far, for the live classification and admission check. Every field
    is optional; one that does not parse yet is left out of the check."""

    name = forms.CharField(max_length=200, required=False)
    description = forms.CharField(max_length=5000, required=False)
    agreed_investment_wan = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    land_mu = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    expected_annual_tax_wan = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    investor_name = forms.CharField(max_length=200, required=False)
    investor_credit_code = forms.CharField(max_length=18, required=False)
    county = forms.ModelChoiceField(queryset=Region.objects.none(), required=False)
    park = forms.ModelChoiceField(queryset=Park.objects.none(), required=False)
    key_industry = forms.ModelChoiceField(queryset=KeyIndustry.objects.all(), required=False)
    industry_class = forms.ModelChoiceField(queryset=IndustryClass.objects.small_classes(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties_for(user)
        self.fields["park"].queryset = parks_for(user)

    def facts(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {
            "name": data.get("name") or "",
            "description": data.get("description") or "",
            "investment_wan": data.get("agreed_investment_wan"),
            "land_mu": data.get("land_mu"),
            "expected_annual_tax_wan": data.get("expected_annual_tax_wan"),
            "investor_name": data.get("investor_name") or "",
            "investor_credit_code": data.get("investor_credit_code") or "",
            "county": data.get("county"),
            "park": data.get("park"),
        }


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label="变更为")
    on = forms.DateField(label="日期", widget=DateInput())
    note = forms.CharField(label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(code, Stage(code).label) for code in project.allowed_next] or [
            ("", "（无可变更的阶段）")
        ]
        style(self)


class AgreementForm(forms.Form):
    upgrades = forms.ModelChoiceField(
        label="升格自（原协议）",
        queryset=Agreement.objects.none(),
        required=False,
        empty_label="（首份协议）",
        help_text="框架协议转为正式合同等升格，只计入增加的投资额",
    )
    kind = forms.ChoiceField(label="协议类型", choices=Agreement._meta.get_field("kind").choices)
    signed_on = forms.DateField(label="签约日期", widget=DateInput())
    amount_wan = forms.DecimalField(label="协议投资额（万元）", max_digits=14, decimal_places=2, min_value=0)
    term_years = forms.IntegerField(label="协议期限（年）", required=False, min_value=1, max_value=99)
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upgrades"].queryset = project.current_agreements()
        style(self)


class ClauseForm(forms.Form):
    content = forms.CharField(label="优惠条款", max_length=300, required=False)
    amount_wan = forms.DecimalField(label="金额（万元）", max_digits=14, decimal_places=2, required=False)
    conditions = forms.CharField(label="兑现条件", max_length=300, required=False)
    due_on = forms.DateField(label="兑现期限", required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


ClauseFormSet = forms.formset_factory(ClauseForm, extra=3, max_num=20)


class InvestorChangeForm(forms.Form):
    investor_name = forms.CharField(label="新投资方企业名称", max_length=200)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    on = forms.DateField(label="变更日期", widget=DateInput())
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(label="合并到（保留的项目）", queryset=Project.objects.none())
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = (
            Project.objects.for_user(user, "change").counted().filter(county=project.county_id).exclude(pk=project.pk)
        )
        style(self)


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (the browser's month picker), kept as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]


class FundingEntryForm(forms.Form):
    month = MonthField(label="月份")
    amount_wan = forms.DecimalField(label="到位资金（万元）", max_digits=14, decimal_places=2)
    outside_province_wan = forms.DecimalField(
        label="其中省外资金（万元）", max_digits=14, decimal_places=2, required=False
    )
    outside_prefecture_wan = forms.DecimalField(
        label="其中州（市）外资金（万元）",
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="含省外资金；留空则等于省外资金",
    )
    foreign_usd_wan = forms.DecimalField(label="其中外资（万美元）", max_digits=14, decimal_places=2, required=False)
    usd_rate = forms.DecimalField(label="汇率（1美元兑人民币元）", max_digits=8, decimal_places=4, required=False)
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class CorrectionForm(forms.Form):
    reason = forms.CharField(label="更正原因", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class CorrectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="审核结果", choices=CorrectionDecision.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="审核意见", max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["class"] = "form-control"


class MonthUnlockForm(forms.Form):
    reason = forms.CharField(
        label="解除原因",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：更正已上报数据，经省级同意",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class MonthLockForm(forms.Form):
    prefecture = forms.ModelChoiceField(label="州市", queryset=Region.objects.none())
    month = MonthField(label="月份")
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].queryset = Region.objects.for_user(user).prefectures()
        style(self)


class StepDecisionForm(forms.Form):
    """A step of a workflow (the project library, a transfer): the actions the user's side may take now, and 退回
    only with its reason. A subclass names its labels and its return action."""

    RETURN = "return"
    reason_help = "退回时必须填写原因"

    action = forms.ChoiceField(label="操作", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="意见 / 退回原因",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args, user=None, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(action, self.label_of(action)) for action in actions]
        self.fields["reason"].help_text = self.reason_help
        if len(actions) == 1:
            self.fields["action"].initial = actions[0]

    def label_of(self, action: str) -> str:
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if data.get("action") == self.RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", "退回须填写原因")
        return data
