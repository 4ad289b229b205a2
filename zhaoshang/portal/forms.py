import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from zhaoshang.portal.cache import STAMP_SALT
from zhaoshang.portal.choices import CONTENT_LANGUAGES, CooperationMode

MIN_SECONDS = getattr(settings, "PORTAL_MIN_SUBMIT_SECONDS", 3)  # a person reads and types; a script posts at once
MAX_SECONDS = 6 * 60 * 60
PHONE = re.compile(r"\+?[\d\s()-]{6,24}")


def phone_or_email_error(value: str) -> bool:
    if "@" in value:
        try:
            validate_email(value)
        except forms.ValidationError:
            return True
        return False
    return not (PHONE.fullmatch(value) and sum(c.isdigit() for c in value) >= 6)


class EnquiryForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    company = forms.CharField(label=_("公司/机构"), max_length=200)
    contact = forms.CharField(label=_("联系电话或邮箱"), max_length=100)
    message = forms.CharField(label=_("咨询内容"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    consent = forms.BooleanField(
        label=_("我同意主管招商部门为答复本次咨询处理上述个人信息（《个人信息保护法》第十三条、第十四条）"),
        error_messages={"required": _("须同意个人信息处理后才能提交")},
    )
    # Spam protection without third parties: a field people never see (bots fill it) and the signed time the form
    # was shown (a post within seconds, or a day later, is not a person filling it in).
    website = forms.CharField(label=_("网址（请留空）"), required=False)
    stamp = forms.CharField(widget=forms.HiddenInput)

    def clean_contact(self):
        value = self.cleaned_data["contact"].strip()
        if phone_or_email_error(value):
            raise forms.ValidationError(_("请填写有效的电话号码或邮箱"))
        return value

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("提交未通过校验，请刷新页面后重试"), code="honeypot")
        try:
            signing.TimestampSigner(salt=STAMP_SALT).unsign(self.data.get("stamp", ""), max_age=MAX_SECONDS)
            age = _age(self.data.get("stamp", ""))
        except signing.BadSignature:
            raise forms.ValidationError(_("页面已过期，请刷新页面后重试"), code="stamp") from None
        if age < MIN_SECONDS:
            raise forms.ValidationError(_("提交过快，请稍候再提交"), code="too_fast")
        return data


def _age(stamp: str) -> float:
    return 0.0 if not stamp else time.time() - signing.b62_decode(stamp.split(":")[-2])


def translation_fields(form: forms.Form, fields: dict[str, forms.Field]) -> None:
    """An English (and later 缅甸语, 老挝语, 越南语) version of each translatable field: ``<field>__<language>``."""
    for language, language_name in CONTENT_LANGUAGES.items():
        for name, field in fields.items():
            copy = forms.CharField(
                label=f"{field.label}（{language_name}）",
                required=False,
                max_length=field.max_length,
                widget=field.widget.__class__(attrs=dict(field.widget.attrs)),
            )
            form.fields[f"{name}__{language}"] = copy


def translations_from(cleaned: dict, fields) -> dict:
    result: dict = {}
    for language in CONTENT_LANGUAGES:
        for name in fields:
            text = (cleaned.get(f"{name}__{language}") or "").strip()
            if text:
                result.setdefault(language, {})[name] = text
    return result


def translation_initial(item, fields) -> dict:
    initial = {}
    for language in CONTENT_LANGUAGES:
        for name in fields:
            initial[f"{name}__{language}"] = item.translated(name, language) if item else ""
    return initial


class PublishForm(forms.Form):
    """The fields every bureau form shares: the user (scoped choices), translations added per item."""

    translated: tuple[str, ...] = ()

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        translation_fields(self, {name: self.fields[name] for name in self.translated if name in self.fields})

    def translations(self) -> dict:
        return translations_from(self.cleaned_data, self.translated)


class ListingForm(PublishForm):
    translated = ("title", "summary", "industry", "land")
    title = forms.CharField(label="对外项目名称", max_length=200)
    summary = forms.CharField(label="项目概况", max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    industry = forms.CharField(label="所属产业", max_length=100)
    investment_wan = forms.DecimalField(label="拟投资额（万元）", max_digits=14, decimal_places=2, min_value=0)
    cooperation_mode = forms.ChoiceField(label="合作方式", choices=CooperationMode.choices)
    land = forms.CharField(label="用地情况", max_length=300, required=False)
    public_phone = forms.CharField(label="对外联系电话（办公电话或热线）", max_length=30, required=False)
    public_email = forms.EmailField(label="对外联系邮箱（单位公共邮箱）", max_length=100, required=False)


class ParkProfileForm(PublishForm):
    translated = ("name", "positioning", "land_ready", "standards")
    name = forms.CharField(label="园区名称", max_length=100, disabled=True, required=False)
    positioning = forms.CharField(label="产业定位", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    land_ready = forms.CharField(
        label="可供土地", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    standards = forms.CharField(
        label="准入标准与配套", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    public_phone = forms.CharField(label="对外联系电话（办公电话或热线）", max_length=30, required=False)
    public_email = forms.EmailField(label="对外联系邮箱（单位公共邮箱）", max_length=100, required=False)
    photo = forms.ImageField(label="园区图片（上传后自动缩小）", required=False)


class SectionForm(PublishForm):
    translated = ("text",)
    text = forms.CharField(label="内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))


class DecisionForm(forms.Form):
    note = forms.CharField(label="意见", max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
