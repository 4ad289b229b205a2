from django import forms

from zhaoshang.core.attachments.filetypes import ACCEPT, ALLOWED_TEXT, size_text
from zhaoshang.core.attachments.registry import AttachmentOwner


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类型", widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    file = forms.FileField(
        label="文件",
        widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-sm", "accept": ACCEPT}),
    )
    note = forms.CharField(
        label="说明",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": "选填"}),
    )

    def __init__(self, *args, spec: AttachmentOwner, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ([("", "请选择")] if len(spec.kinds) > 1 else []) + list(spec.kinds)
        self.fields["file"].help_text = f"{ALLOWED_TEXT}，不超过 {size_text(max_bytes)}"


class AttachmentRemoveForm(forms.Form):
    reason = forms.CharField(
        label="删除原因",
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "如：上传错误，已重新上传正确文件"}),
        help_text="附件删除后仍保留记录（谁在何时因何删除），只是不能再下载",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
