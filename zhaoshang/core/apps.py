from django.apps import AppConfig, apps


class CoreConfig(AppConfig):
    name = "zhaoshang.core"
    verbose_name = "基础"

    def ready(self):
        from zhaoshang.core import audit_labels, lookups  # noqa: F401  (lookups registers __one_of)
        from zhaoshang.core.scope import check_scope_declarations

        check_scope_declarations(apps.get_models())
        audit_labels.register()
