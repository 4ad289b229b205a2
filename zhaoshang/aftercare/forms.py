from django import forms

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.aftercare.choices import (
    CoHandlerRole,
    ConditionKind,
    OfflineKind,
    PromiseKind,
    Rating,
    TicketCategory,
    TicketNature,
)
from zhaoshang.core.forms import DateInput
from zhaoshang.projects.choices import STAGE_PATH
from zhaoshang.regions.models import Region

TEXT = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}


def regions_for_registration():
    # The counties (and prefectures, and the province) an enterprise may invest in: the verifying bureau's node.
    return Region.objects.order_by("path")


class RegisterForm(forms.Form):
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, widget=forms.TextInput(attrs=TEXT))
    name = forms.CharField(label="企业名称（营业执照全称）", max_length=200, widget=forms.TextInput(attrs=TEXT))
    region = forms.ModelChoiceField(
        label="投资所在地（负责核验的投促部门）",
        queryset=Region.objects.none(),
        widget=forms.Select(attrs=SELECT),
        empty_label="请选择",
    )
    contact_name = forms.CharField(label="联系人", max_length=50, widget=forms.TextInput(attrs=TEXT))
    contact_phone = forms.CharField(label="联系电话", max_length=20, widget=forms.TextInput(attrs=TEXT))
    email = forms.EmailField(label="电子邮箱（接收提醒，可不填）", required=False, widget=forms.EmailInput(attrs=TEXT))
    username = forms.CharField(label="登录账号", max_length=150, widget=forms.TextInput(attrs=TEXT))
    password = forms.CharField(label="密码", widget=forms.PasswordInput(attrs=TEXT))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_registration()
        self.fields["region"].label_from_instance = lambda region: "　" * (region.level - 1) + region.name


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(
        label="核验结果", choices=[("approve", "通过核验"), ("reject", "不通过")], widget=forms.Select(attrs=SELECT)
    )
    note = forms.CharField(label="核验意见", max_length=300, required=False, widget=forms.TextInput(attrs=TEXT))


class TicketForm(forms.Form):
    category = forms.ChoiceField(label="诉求类别", choices=TicketCategory.choices, widget=forms.Select(attrs=SELECT))
    nature = forms.ChoiceField(
        label="办理性质",
        choices=TicketNature.choices,
        initial=TicketNature.COORDINATION,
        widget=forms.Select(attrs=SELECT),
    )
    urgent = forms.BooleanField(
        label="紧急（当日签收）", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    project = forms.ChoiceField(label="涉及项目", required=False, widget=forms.Select(attrs=SELECT))
    region = forms.ModelChoiceField(
        label="办理地（不涉及项目时选择）",
        queryset=Region.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
        empty_label="按项目所在地",
    )
    title = forms.CharField(label="标题", max_length=100, widget=forms.TextInput(attrs=TEXT))
    description = forms.CharField(label="诉求内容", max_length=4000, widget=forms.Textarea(attrs=TEXT | {"rows": 5}))

    def __init__(self, *args, user=None, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", "不涉及具体项目")] + [(str(p.pk), p.name) for p in projects]
        self.fields["region"].queryset = Region.objects.order_by("path")
        self.projects = {str(p.pk): p for p in projects}

    def clean_project(self):
        value = self.cleaned_data.get("project")
        return self.projects.get(value) if value else None


class NoteForm(forms.Form):
    note = forms.CharField(
        label="说明", max_length=4000, required=False, widget=forms.Textarea(attrs=TEXT | {"rows": 2})
    )


class DispatchForm(forms.Form):
    handler = forms.ModelChoiceField(
        label="承办单位", queryset=OrgUnit.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    note = forms.CharField(label="说明", max_length=300, required=False, widget=forms.TextInput(attrs=TEXT))


class UnitForm(forms.Form):
    org_unit = forms.ModelChoiceField(
        label="联办协办单位", queryset=OrgUnit.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    role = forms.ChoiceField(label="方式", choices=CoHandlerRole.choices, widget=forms.Select(attrs=SELECT))


class OfflineForm(forms.Form):
    kind = forms.ChoiceField(label="方式", choices=OfflineKind.choices, widget=forms.Select(attrs=SELECT))
    on = forms.DateField(label="日期", widget=DateInput(attrs=TEXT))
    note = forms.CharField(label="情况", max_length=1000, widget=forms.TextInput(attrs=TEXT))


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延期（工作日）", min_value=1, max_value=20, widget=forms.NumberInput(attrs=TEXT))
    note = forms.CharField(label="理由", max_length=500, widget=forms.TextInput(attrs=TEXT))


class RateForm(forms.Form):
    rating = forms.ChoiceField(label="评价", choices=Rating.choices, widget=forms.Select(attrs=SELECT))
    note = forms.CharField(label="意见", max_length=500, required=False, widget=forms.TextInput(attrs=TEXT))


class PromiseForm(forms.Form):
    kind = forms.ChoiceField(label="承诺类型", choices=PromiseKind.choices, widget=forms.Select(attrs=SELECT))
    amount_wan = forms.DecimalField(
        label="金额（万元）",
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs=TEXT | {"step": "0.01"}),
    )
    stage = forms.ChoiceField(
        label="条件：项目达到阶段",
        required=False,
        choices=[("", "不限")] + [(s.value, s.label) for s in STAGE_PATH],
        widget=forms.Select(attrs=SELECT),
    )
    funds_wan = forms.DecimalField(
        label="条件：到位资金不低于（万元）",
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs=TEXT | {"step": "0.01"}),
    )
    from_date = forms.DateField(label="条件：日期起", required=False, widget=DateInput(attrs=TEXT))
    responsible = forms.ModelChoiceField(
        label="责任单位", queryset=OrgUnit.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    due_on = forms.DateField(label="兑现期限", required=False, widget=DateInput(attrs=TEXT))
    legal_basis = forms.CharField(label="政策依据", max_length=500, required=False, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def conditions(self) -> list[dict]:
        data, items = self.cleaned_data, []
        if data.get("stage"):
            items.append({"kind": ConditionKind.STAGE, "stage": data["stage"]})
        if data.get("funds_wan"):
            items.append({"kind": ConditionKind.FUNDS, "min_wan": str(data["funds_wan"])})
        if data.get("from_date"):
            items.append({"kind": ConditionKind.DATE, "on": data["from_date"].isoformat()})
        return items


class PaymentForm(forms.Form):
    amount_wan = forms.DecimalField(
        label="支付金额（万元）",
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs=TEXT | {"step": "0.01"}),
    )
    paid_on = forms.DateField(label="支付日期", widget=DateInput(attrs=TEXT))
    note = forms.CharField(label="说明", max_length=300, required=False, widget=forms.TextInput(attrs=TEXT))


class BasisForm(forms.Form):
    legal_basis = forms.CharField(
        label="法律、行政法规依据或国务院批准文件", max_length=500, widget=forms.TextInput(attrs=TEXT)
    )
