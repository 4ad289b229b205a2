from django import forms
from django.contrib.auth import forms as auth_forms

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.accounts.roles import ROLES
from zhaoshang.accounts.services import LOGIN_REFUSED, AccountLocked, account_password_verify


class LoginForm(auth_forms.AuthenticationForm):
    # One message whatever went wrong: an unknown user, a wrong password and a locked account read the same.
    error_messages = {"invalid_login": LOGIN_REFUSED, "inactive": LOGIN_REFUSED}


class MfaCodeForm(forms.Form):
    code = forms.CharField(
        label="动态口令",
        max_length=20,
        help_text="手机验证器中显示的 6 位数字；手机丢失时可输入一个恢复码（每个只能用一次）。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class MfaSetupForm(forms.Form):
    code = forms.CharField(
        label="验证器显示的 6 位动态口令",
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """The old password is checked like a sign-in: a wrong one counts toward the lock, and the lock ends the
    session (the view signs the user out). The new password's rules run in the service (``account_password_change``)."""

    locked = False

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        try:
            right = account_password_verify(user=self.user, password=old_password)
        except AccountLocked:
            self.locked = True
            right = False
        if not right and self.user.is_locked():
            self.locked = True  # this attempt locked it
        if not right:
            raise forms.ValidationError("原密码不正确（连续 5 次错误将锁定账户 30 分钟）", code="password_incorrect")
        return old_password

    def validate_password_for_user(self, user, *args, **kwargs):
        """Left to the service, which every path goes through."""


class PasswordResetForm(forms.Form):
    """The security administrator sets another account's one-time password."""

    new_password1 = forms.CharField(
        label="一次性新密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label="再次输入", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            raise forms.ValidationError("两次输入的密码不一致")
        return data


class UserMoveForm(forms.Form):
    org_unit = forms.ModelChoiceField(label="调至机构", queryset=OrgUnit.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = OrgUnit.objects.for_user(user, action=None)


class ConfirmForm(forms.Form):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class AccountChangeDecideForm(forms.Form):
    decision = forms.ChoiceField(label="复核意见", choices=[("approve", "同意并执行"), ("reject", "驳回")])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class UserRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="角色", choices=[(r.code, r.name) for r in ROLES.values()], widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
