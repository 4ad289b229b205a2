from django import forms
from django.utils import timezone

from zhaoshang.accounts.models import User
from zhaoshang.core.forms import DateInput
from zhaoshang.core.scope import path_q, user_node_path
from zhaoshang.core.uploads import validate_upload
from zhaoshang.investors.choices import YUNNAN, ActivityKind
from zhaoshang.investors.models import Activity, Contact, Enterprise
from zhaoshang.investors.services import ENTERPRISE_FIELDS
from zhaoshang.investors.services.activities import ACTIVITY_FIELDS
from zhaoshang.projects.forms import counties_for, parks_for, style
from zhaoshang.regions.models import Region


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", *ENTERPRISE_FIELDS]
        widgets = {"former_names": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Enterprise.objects.all()
        self.fields["parent"].widget = forms.NumberInput()
        self.fields["parent"].help_text = "集团（母公司）在企业库中的编号"
        style(self)

    def _post_clean(self):
        """Checks live in the service (one place for pages, API and imports)."""


class FollowUpForm(forms.Form):
    owner = forms.ModelChoiceField(label="责任人（专人盯）", queryset=User.objects.none(), required=False)
    next_follow_up_on = forms.DateField(label="下次跟进日期", required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        node = user_node_path(user)
        staff = User.objects.filter(is_active=True, org_unit__isnull=False)
        self.fields["owner"].queryset = (
            staff if user.is_superuser else staff.filter(path_q("org_unit__path", node or "-"))
        )
        style(self)


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "id_number", "email", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def _post_clean(self):
        pass


class RevealForm(forms.Form):
    reason = forms.CharField(label="查看原因", max_length=200, help_text="将记入审计日志，例如：电话联系安排考察")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload)  # size, type by content, the zip's directory (the import job checks the sheets)
        return upload


class ActivityForm(forms.ModelForm):
    enterprise_names = forms.CharField(
        label="拜访/会见企业",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一家，按统一社会信用代码或名称匹配企业库（忽略“有限公司”等后缀），库中没有的自动建档",
    )

    class Meta:
        model = Activity
        fields = list(ACTIVITY_FIELDS)
        widgets = {
            "start_on": DateInput(),
            "end_on": DateInput(),
            "follow_up_on": DateInput(),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination_region"].queryset = Region.objects.exclude(level=1).order_by("code")
        self.fields["kind"].initial = ActivityKind.TRIP
        self.fields["destination_province"].initial = YUNNAN
        if self.instance.pk:
            names = self.instance.enterprises.values_list("name", flat=True)
            self.fields["enterprise_names"].initial = "\n".join(names)
        style(self)

    def _post_clean(self):
        pass

    def enterprise_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("enterprise_names", "").splitlines() if line.strip()]


class LeadForm(forms.Form):
    name = forms.CharField(label="项目名称", max_length=200)
    investor = forms.ModelChoiceField(label="投资方", queryset=Enterprise.objects.none())
    county = forms.ModelChoiceField(label="所在县市区", queryset=Region.objects.none())
    park = forms.ModelChoiceField(label="所在园区", queryset=Region.objects.none(), required=False)
    on = forms.DateField(label="登记日期", widget=DateInput())

    def __init__(self, *args, user, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investor"].queryset = activity.enterprises.all()
        self.fields["county"].queryset = counties_for(user)
        self.fields["park"].queryset = parks_for(user)
        self.fields["on"].initial = timezone.localdate()
        style(self)


class SummaryForm(forms.Form):
    region = forms.ModelChoiceField(label="辖区", queryset=Region.objects.none(), required=False)
    start = forms.DateField(label="起始日期", required=False, widget=DateInput())
    end = forms.DateField(label="截止日期", required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.for_user(user, action=None).exclude(level=1).order_by("code")
        self.fields["region"].empty_label = "本辖区"
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-control form-control-sm"
                if not isinstance(field.widget, forms.Select)
                else "form-select form-select-sm"
            )
