from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as AuthUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import TokenProxy

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.accounts.roles import ROLE_BY_NAME
from zhaoshang.accounts.services import validate_role_combination
from zhaoshang.core.admin import ScopedModelAdmin


class UserChangeForm(AuthUserAdmin.form):
    def clean_groups(self):
        groups = self.cleaned_data.get("groups") or []
        codes = {ROLE_BY_NAME[g.name].code for g in groups if g.name in ROLE_BY_NAME}
        try:
            validate_role_combination(codes)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return groups


@admin.register(User)
class UserAdmin(ScopedModelAdmin, AuthUserAdmin):
    form = UserChangeForm
    list_display = ["username", "full_name", "org_unit", "is_active", "locked_until", "last_login"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "full_name", "phone"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["full_name", "phone", "email", "org_unit"]}),
        ("角色", {"fields": ["is_active", "is_staff", "groups"]}),
        ("登录", {"fields": ["last_login", "failed_login_count", "locked_until"]}),
    ]
    readonly_fields = ["last_login", "failed_login_count"]


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedModelAdmin):
    list_display = ["code", "name", "kind", "region", "park", "key_industry"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    readonly_fields = ["path"]


admin.site.unregister(Group)
# API tokens are secrets: nobody lists them, each user obtains their own through /api/v1/auth/token/.
admin.site.unregister(TokenProxy)
