from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from zhaoshang.accounts.models import User
from zhaoshang.accounts.roles import ROLES


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续 5 次错误将锁定账户 30 分钟。",
        "inactive": "该账户已停用，请联系系统管理员。",
        "locked": "账户已锁定，请于 %(until)s 后再试，或联系安全管理员解锁。",
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            username = self.cleaned_data.get("username")
            user = User.objects.filter(username=username).only("locked_until").first() if username else None
            if user is not None and user.is_locked():
                until = timezone.localtime(user.locked_until).strftime("%H:%M")
                raise forms.ValidationError(
                    self.error_messages["locked"], code="locked", params={"until": until}
                ) from None
            raise


class UserRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="角色", choices=[(r.code, r.name) for r in ROLES.values()], widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
