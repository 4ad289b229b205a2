from django.apps import AppConfig, apps


class CoreConfig(AppConfig):
    """Scope (for_user), the audit trail with its HMAC chain, base views and API viewset, the Excel engine,
    registries (menu, panels, reference loaders, audit labels, personas), background jobs, uploads, Chromium
    helpers."""

    name = "zhaoshang.core"
    verbose_name = "基础"

    def ready(self):
        from zhaoshang.core import audit_labels, lookups  # noqa: F401  (lookups registers __one_of)
        from zhaoshang.core.attachments import labels as attachment_labels
        from zhaoshang.core.scope import check_scope_declarations

        check_scope_declarations(apps.get_models())
        from zhaoshang.core.inputs import install_text_field_guards

        install_text_field_guards()  # control characters refused by every form and serializer text field
        audit_labels.register()
        from zhaoshang.core import pii_labels, retention

        pii_labels.register()  # personal information and commercial cryptography (issue 13)
        retention.register_core_rules()
        attachment_labels.register()
        from django.db.models.signals import post_migrate

        from zhaoshang.core.audit_triggers import reinstall_after_migrate

        post_migrate.connect(reinstall_after_migrate, sender=self)  # audit triggers survive SQLite table rebuilds
        # The task queue's table (django-tasks-db, issue 19) is no one's to edit by hand: not in the admin site,
        # which shows scoped models only (core/tests/test_scope.py). The job pages and /healthz show the queue.
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
