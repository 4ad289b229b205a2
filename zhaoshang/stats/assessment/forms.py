"""The scheme's edit form: the scheme's own fields and one row per item (a formset); base weights add up to 100."""

from decimal import Decimal

from django import forms

from zhaoshang.stats.assessment.models import ItemKind, Method
from zhaoshang.stats.assessment.sources import source_choices

TEXT = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}


class SchemeForm(forms.Form):
    title = forms.CharField(label="方案名称", max_length=200, widget=forms.TextInput(attrs=TEXT))
    bonus_cap = forms.DecimalField(
        label="加分上限（分）", min_value=0, max_digits=6, decimal_places=2, widget=forms.NumberInput(attrs=TEXT)
    )
    penalty_cap = forms.DecimalField(
        label="扣分上限（分）", min_value=0, max_digits=6, decimal_places=2, widget=forms.NumberInput(attrs=TEXT)
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs=TEXT | {"rows": 2}))


def thresholds_text(table) -> str:
    """``[[1, 4], [3, 7]]`` → ``1:4; 3:7`` (what the form shows and reads)."""
    return "; ".join(
        f"{Decimal(str(bound)).normalize():f}:{Decimal(str(points)).normalize():f}" for bound, points in table
    )


class ItemForm(forms.Form):
    source = forms.ChoiceField(label="指标来源", widget=forms.Select(attrs=SELECT))
    name = forms.CharField(label="考核项", max_length=100, widget=forms.TextInput(attrs=TEXT))
    kind = forms.ChoiceField(
        label="类别", choices=ItemKind.choices, initial=ItemKind.BASE, widget=forms.Select(attrs=SELECT)
    )
    method = forms.ChoiceField(
        label="计分方法", choices=Method.choices, initial=Method.COMPLETION, widget=forms.Select(attrs=SELECT)
    )
    weight = forms.DecimalField(
        label="权重", min_value=0, max_digits=6, decimal_places=2, initial=0, widget=forms.NumberInput(attrs=TEXT)
    )
    cap_pct = forms.DecimalField(
        label="完成率封顶（%）",
        min_value=0,
        max_digits=6,
        decimal_places=2,
        initial=100,
        widget=forms.NumberInput(attrs=TEXT),
    )
    rank_floor_pct = forms.DecimalField(
        label="末位得分（%）",
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=2,
        initial=60,
        widget=forms.NumberInput(attrs=TEXT),
    )
    thresholds = forms.CharField(
        label="阈值表",
        required=False,
        help_text="下限:得分，用分号分隔，如 1:4; 3:7; 6:10",
        widget=forms.TextInput(attrs=TEXT),
    )
    unit_points = forms.DecimalField(
        label="每个得分", min_value=0, max_digits=6, decimal_places=2, initial=0, widget=forms.NumberInput(attrs=TEXT)
    )
    cap = forms.DecimalField(
        label="单项上限",
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs=TEXT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "请选择")] + source_choices()

    def clean_thresholds(self):
        text = self.cleaned_data["thresholds"].strip()
        table = []
        for part in filter(None, (p.strip() for p in text.replace("；", ";").split(";"))):
            bound, sep, points = part.replace("：", ":").partition(":")
            try:
                table.append([str(Decimal(bound.strip())), str(Decimal(points.strip()))])
            except Exception:
                raise forms.ValidationError(f"“{part}”应写作 下限:得分，如 3:7") from None
            if not sep:
                raise forms.ValidationError(f"“{part}”应写作 下限:得分，如 3:7")
        return table


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not rows:
            raise forms.ValidationError("至少需要一个考核项")
        total = sum((r["weight"] for r in rows if r["kind"] == ItemKind.BASE), Decimal(0))
        if total != 100:
            raise forms.ValidationError(f"基本指标权重合计应为100分，现为{total.normalize():f}分")

    def items(self) -> list[dict]:
        return [
            {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


ItemFormSet = forms.formset_factory(ItemForm, formset=BaseItemFormSet, extra=1, can_delete=True)
