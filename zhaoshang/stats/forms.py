import re

from django import forms

from zhaoshang.core.uploads import validate_upload
from zhaoshang.regions.models import Park, Region
from zhaoshang.stats.choices import INDICATOR_CHOICES, Unit


class TargetForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    region = forms.ModelChoiceField(label="辖区", queryset=Region.objects.none())
    park = forms.ModelChoiceField(
        label="园区（园区目标）",
        queryset=Park.objects.none(),
        required=False,
        help_text="为园区下达目标时选择园区，辖区选园区所属的县市区（州市）；辖区目标留空",
    )
    indicator = forms.ChoiceField(label="指标", choices=INDICATOR_CHOICES)
    value = forms.DecimalField(label="目标值", max_digits=16, decimal_places=4)
    unit = forms.ChoiceField(label="单位", choices=Unit.choices)
    from_year = forms.IntegerField(label="起始年度（累计目标）", required=False, min_value=2000, max_value=2100)
    industry_code = forms.CharField(label="产业（空为全部）", required=False, max_length=40)
    source = forms.CharField(label="依据", required=False, max_length=300)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.for_user(user, action=None)
        self.fields["park"].queryset = Park.objects.for_user(user, action=None).active().select_related("region")
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )


class TargetImportForm(forms.Form):
    file = forms.FileField(label="目标导入文件（.xlsx）")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["class"] = "form-control"
        self.fields["file"].widget.attrs["accept"] = ".xlsx"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload)  # size, type by content, the zip's directory (the import job checks the sheets)
        return upload


# 发文字号: 发文机关代字 + 年份 in 六角括号 + 序号 + 号 (GB/T 9704-2012 7.2.4), e.g. 云投促通〔2026〕12号
DOCUMENT_NUMBER = re.compile(r"(?P<code>\S+?)〔(?P<year>\d{4})〕(?P<seq>\d+)号")
BRACKETS = str.maketrans("[［(（【]］)）】", "〔〔〔〔〔〕〕〕〕〕")


def document_number(value: str) -> str:
    """The 文号 as typed, with its year in 六角括号 whatever brackets were typed; refused when it is not one."""
    text = re.sub(r"\s+", "", value).translate(BRACKETS)
    if not DOCUMENT_NUMBER.fullmatch(text):
        raise forms.ValidationError("文号格式应为：发文机关代字〔年份〕序号号，如 云投促通〔2026〕12号")
    return text


class BulletinForm(forms.Form):
    region = forms.ModelChoiceField(
        label="通报范围", queryset=Region.objects.none(), help_text="省级通报各州市，州市通报各县市区"
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(
        label="截至月份", min_value=1, max_value=12, help_text="默认为最近一个完整月份；3、6、9、12 月为季度通报"
    )
    number = forms.CharField(
        label="文号",
        max_length=60,
        help_text="印在通报标题之上，如 云投促通〔2026〕12号",
        widget=forms.TextInput(attrs={"placeholder": "云投促通〔2026〕12号"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.for_user(user, action=None).filter(level__lte=2)
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def clean_number(self):
        return document_number(self.cleaned_data["number"])

    def clean(self):
        data = super().clean()
        from django.utils import timezone

        today = timezone.localdate()
        if data.get("year") and data.get("month") and (data["year"], data["month"]) > (today.year, today.month):
            raise forms.ValidationError("不能通报尚未到来的月份")
        return data
