from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as AuthUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.authtoken.models import TokenProxy

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.accounts.services import account_create, org_unit_change_check, user_change_check, user_update
from zhaoshang.core.admin import ScopedModelAdmin
from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.choices import Action

PASSWORD_HELP = "密码由本人修改；他人的密码只能由安全管理员在平台「用户与角色」页重置为一次性密码。"
EDITABLE = ["full_name", "phone", "email", "org_unit", "is_active"]


class AccountCreationForm(BaseUserCreationForm):
    """A new account always gets a password, and it is one-time (``account_create``)."""

    class Meta(BaseUserCreationForm.Meta):
        model = User
        fields = ["username"]


class AccountChangeForm(UserChangeForm):
    """What the system administrator may change, checked by the same rule the service applies."""

    request_user = None

    class Meta(UserChangeForm.Meta):
        model = User
        fields = ["username", "password", *EDITABLE]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].help_text = PASSWORD_HELP

    def clean(self):
        data = super().clean()
        changes = {name: data.get(name) for name in self.changed_data if name in EDITABLE}
        try:
            user_change_check(actor=self.request_user, user=User.objects.get(pk=self.instance.pk), changes=changes)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return data


@admin.register(User)
class UserAdmin(ScopedModelAdmin, AuthUserAdmin):
    """The system administrator creates accounts (with a one-time password) and places them in org units. Roles,
    staff status, locks and passwords are not editable here: the security administrator handles them on the
    platform's user page, and a move that widens an account's scope is theirs too. The accounts of the three
    administrators are read-only here (三员分立: their changes wait for a second administrator)."""

    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = ["username", "full_name", "org_unit", "is_active", "locked_until", "last_login"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "full_name"]  # and the whole phone number, by its blind index (ScopedModelAdmin)
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": EDITABLE}),
        (
            "角色与登录（只读）",
            {
                "fields": [
                    "role_names",
                    "is_staff",
                    "last_login",
                    "failed_login_count",
                    "locked_until",
                    "must_change_password",
                    "password_changed_at",
                ]
            },
        ),
    ]
    add_fieldsets = [(None, {"fields": ["username", "password1", "password2", "full_name", "org_unit"]})]
    readonly_fields = [
        "role_names",
        "is_staff",
        "last_login",
        "failed_login_count",
        "locked_until",
        "must_change_password",
        "password_changed_at",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.pk != request.user.pk and obj.is_separated_admin:
            return [*self.readonly_fields, "username", *EDITABLE]
        return self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "org_unit":
            kwargs["queryset"] = OrgUnit.objects.for_user(request.user, action=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            account_create(actor=request.user, user=obj)
            audit_record(actor=request.user, action=Action.CREATE, obj=obj, after=snapshot(obj))
            return
        before = snapshot(User.objects.get(pk=obj.pk))
        changes = {name: getattr(obj, name) for name in form.changed_data if name in EDITABLE}
        saved = user_update(actor=request.user, user=obj, changes=changes)
        audit_record(actor=request.user, action=Action.UPDATE, obj=saved, before=before, after=snapshot(saved))

    def user_change_password(self, request, id, form_url=""):
        # 三员分立: the system administrator never sets another account's password; the security administrator
        # resets it on the platform (accounts:user_password_reset), one-time and audited.
        raise PermissionDenied(PASSWORD_HELP)


class OrgUnitForm(forms.ModelForm):
    request_user = None

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "kind", "region", "park", "key_industry"]

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get("region") is not None and {"region", "park"} & set(self.changed_data):
            current = OrgUnit.objects.get(pk=self.instance.pk)
            try:
                org_unit_change_check(
                    actor=self.request_user, org_unit=current, region=data["region"], park=data.get("park")
                )
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return data


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedModelAdmin):
    form = OrgUnitForm
    list_display = ["code", "name", "kind", "region", "park", "key_industry"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    readonly_fields = ["path"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        if change:
            org_unit_change_check(
                actor=request.user, org_unit=OrgUnit.objects.get(pk=obj.pk), region=obj.region, park=obj.park
            )
        super().save_model(request, obj, form, change)


admin.site.unregister(Group)
# API tokens are secrets: nobody lists them, each user obtains their own through /api/v1/auth/token/.
admin.site.unregister(TokenProxy)
