from django import forms

from zhaoshang.chains.choices import Decision, Position, ValueTier
from zhaoshang.chains.models import ChainNode
from zhaoshang.chains.reference import default_thresholds

THRESHOLD_LABELS = {
    "strong_lq": "优势：区位熵不低于",
    "strong_min_enterprises": "优势：本地企业不少于（家）",
    "strong_max_hhi": "优势：集中度HHI不高于",
    "leader_strong_lq": "有链主时优势：区位熵不低于",
    "potential_lq": "潜力：区位熵不低于",
    "potential_pipeline": "潜力：在谈线索项目不少于（个）",
}
TEXT = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}
AREA = {"class": "form-control form-control-sm", "rows": 3}


class ChainForm(forms.Form):
    name = forms.CharField(label="产业链名称", max_length=60, widget=forms.TextInput(attrs=TEXT))
    short_name = forms.CharField(label="简称", max_length=20, widget=forms.TextInput(attrs=TEXT))
    source = forms.CharField(label="编制依据", required=False, widget=forms.Textarea(attrs=AREA))
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs=AREA))
    revision_note = forms.CharField(
        label="修订说明", max_length=300, required=False, widget=forms.TextInput(attrs=TEXT)
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for key, default in default_thresholds().items():
            field_class = forms.IntegerField if isinstance(default, int) else forms.DecimalField
            options = {"min_value": 0}
            if field_class is forms.DecimalField:
                options["decimal_places"] = 4
            self.fields[f"t_{key}"] = field_class(
                label=THRESHOLD_LABELS.get(key, key), widget=forms.NumberInput(attrs={**TEXT, "step": "any"}), **options
            )

    def thresholds(self) -> dict:
        return {key: self.cleaned_data[f"t_{key}"] for key in default_thresholds()}


class NodeForm(forms.Form):
    parent = forms.ModelChoiceField(
        label="上级节点",
        queryset=ChainNode.objects.none(),
        required=False,
        empty_label="（无：新增环节）",
        widget=forms.Select(attrs=SELECT),
    )
    key = forms.SlugField(label="节点标识", max_length=60, widget=forms.TextInput(attrs=TEXT))
    name = forms.CharField(label="节点名称", max_length=60, widget=forms.TextInput(attrs=TEXT))
    position = forms.ChoiceField(
        label="位置（环节）",
        choices=Position.choices,
        widget=forms.Select(attrs=SELECT),
        help_text="只对环节有效；模块和产品随所属环节",
    )
    value_tier = forms.ChoiceField(label="价值层级", choices=ValueTier.choices, widget=forms.Select(attrs=SELECT))
    is_key_link = forms.BooleanField(label="关键环节", required=False)
    keywords = forms.CharField(
        label="识别词", required=False, widget=forms.Textarea(attrs=AREA), help_text="一行一个；后缀 ^N 表示权重 N"
    )
    exclude_words = forms.CharField(label="排除词", required=False, widget=forms.Textarea(attrs=AREA))
    gbt_codes = forms.CharField(
        label="对应行业小类", max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs=AREA))
    seq = forms.IntegerField(label="同级排序", min_value=0, initial=100, widget=forms.NumberInput(attrs=TEXT))

    def __init__(self, *args, user=None, chain=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["parent"]
            del self.fields["key"]
        elif chain is not None:
            self.fields["parent"].queryset = ChainNode.objects.filter(chain=chain, level__lt=3).order_by("level", "seq")


class FlowForm(forms.Form):
    source = forms.ModelChoiceField(
        label="供给方节点", queryset=ChainNode.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    target = forms.ModelChoiceField(
        label="需求方节点", queryset=ChainNode.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    note = forms.CharField(label="说明", max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args, user=None, chain=None, **kwargs):
        super().__init__(*args, **kwargs)
        if chain is not None:
            nodes = ChainNode.objects.filter(chain=chain).order_by("level", "seq", "id")
            self.fields["source"].queryset = nodes
            self.fields["target"].queryset = nodes


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[(Decision.CONFIRMED, "确认"), (Decision.REJECTED, "否定")])
    note = forms.CharField(max_length=300, required=False)


def style_fields(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget, and the one YYYY-MM-DD date widget of the platform on every date."""
    from zhaoshang.core.forms import DateInput

    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()
            field.input_formats = ["%Y-%m-%d"]
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        css = SELECT["class"] if isinstance(widget, forms.Select) else TEXT["class"]
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class StyledForm(forms.Form):
    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.setup(user)
        style_fields(self)

    def setup(self, user) -> None:
        """Querysets and choices that depend on the user."""


class WeightsForm(forms.Form):
    """靶向寻商 factor weights of a chain: each in [0, 1], summing to 1 (the service checks it again)."""

    def __init__(self, *args, user=None, **kwargs):
        from zhaoshang.chains.targeting import FACTOR_LABELS

        super().__init__(*args, **kwargs)
        for code, label in FACTOR_LABELS.items():
            self.fields[code] = forms.DecimalField(
                label=f"{label}权重",
                min_value=0,
                max_value=1,
                max_digits=5,
                decimal_places=4,
                widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}),
                error_messages={
                    "required": f"请填写{label}的权重",
                    "invalid": "权重须为数字，如 0.35",
                    "min_value": "权重不能为负",
                    "max_value": "单项权重不能大于1",
                    "max_decimal_places": "权重最多保留4位小数",
                },
            )

    def clean(self):
        from decimal import Decimal

        data = super().clean()
        values = [data.get(code) for code in self.fields]
        if all(v is not None for v in values) and sum(values) != Decimal(1):
            raise forms.ValidationError(f"各项权重之和须为1，现为 {sum(values).normalize():f}")
        return data

    def weights(self) -> dict:
        return {code: self.cleaned_data[code] for code in self.fields}
