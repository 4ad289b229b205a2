import json

from django import forms

TEXT = {"class": "form-control form-control-sm"}


class NoteForm(forms.Form):
    note = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs=TEXT | {"rows": 3})
    )

    def __init__(self, *args, user=None, label: str = "说明", required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].required = required
        if required:
            self.fields["note"].error_messages["required"] = f"请填写{label}"


class RuleForm(forms.Form):
    weight = forms.IntegerField(label="权重", min_value=0, max_value=100, widget=forms.NumberInput(attrs=TEXT))
    params = forms.CharField(
        label="参数（JSON）",
        required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text='如 {"months": 3}；没有参数留空',
    )
    enabled = forms.BooleanField(
        label="启用", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_params(self):
        text = (self.cleaned_data.get("params") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError('参数须为 JSON 格式，如 {"months": 3}') from error
        if not isinstance(value, dict):
            raise forms.ValidationError('参数须为键值对，如 {"months": 3}')
        return value
