from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as AuthUserAdmin
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import TokenProxy

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.core.admin import ScopedModelAdmin
from zhaoshang.core.audit import audit_record


@admin.register(User)
class UserAdmin(ScopedModelAdmin, AuthUserAdmin):
    """The system administrator creates accounts and places them in org units. Roles, staff status and locks are
    not editable here: the security administrator sets them on the platform's user page (三员分立)."""

    list_display = ["username", "full_name", "org_unit", "is_active", "locked_until", "last_login"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "full_name", "phone"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["full_name", "phone", "email", "org_unit", "is_active"]}),
        (
            "角色与登录（只读）",
            {"fields": ["role_names", "is_staff", "last_login", "failed_login_count", "locked_until"]},
        ),
    ]
    add_fieldsets = [(None, {"fields": ["username", "password1", "password2", "full_name", "org_unit"]})]
    readonly_fields = ["role_names", "is_staff", "last_login", "failed_login_count", "locked_until"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "org_unit":
            kwargs["queryset"] = OrgUnit.objects.for_user(request.user, action=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_queryset(request).get(pk=id)
            audit_record(actor=request.user, action="password_change", obj=user, after={"by": "admin"})
        return response


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedModelAdmin):
    list_display = ["code", "name", "kind", "region", "park", "key_industry"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    readonly_fields = ["path"]


admin.site.unregister(Group)
# API tokens are secrets: nobody lists them, each user obtains their own through /api/v1/auth/token/.
admin.site.unregister(TokenProxy)
