"""The admin site is for the system and security administrators. Its lists use the same scope as the pages,
and every save is audited; the audit log itself is not registered (nobody edits it)."""

from django.contrib import admin

from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.choices import Action
from zhaoshang.core.pii import blind_index_fields, personal_fields, search_by_index
from zhaoshang.core.scope import ensure_path_in_scope


class ScopedModelAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return self.model.objects.for_user(request.user, "view")

    def save_model(self, request, obj, form, change):
        if getattr(obj, "path", None):
            ensure_path_in_scope(request.user, obj.path)
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        action = Action.UPDATE if change else Action.CREATE
        audit_record(actor=request.user, action=action, obj=obj, before=before, after=snapshot(obj))

    def get_search_results(self, request, queryset, search_term):
        """Encrypted personal fields (a user's phone) are found whole, through their blind index (core.pii)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            for index in blind_index_fields(self.model):
                found = found | search_by_index(queryset, index.source, search_term)
        return found, may_have_duplicates

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The change form shows a record's personal fields in full to the administrator who maintains it: each
        opening is audited as a view of personal information (``pii_access`` finds it)."""
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            shown = [f.name for f in personal_fields(self.model) if obj is not None and getattr(obj, f.attname)]
            if shown:
                audit_record(actor=request.user, action="view_personal", obj=obj, after={"fields": shown})
        return response

    def delete_model(self, request, obj):
        before = snapshot(obj)
        audit_record(actor=request.user, action=Action.DELETE, obj=obj, before=before)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


admin.site.site_header = "云南智慧招商平台 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "用户、机构与目录"
