from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "zhaoshang.stats"
    verbose_name = "目标与考核"

    def ready(self):
        from zhaoshang.core.panels import register_panel
        from zhaoshang.stats import audit_labels
        from zhaoshang.stats.parks import park_panel

        audit_labels.register()
        register_panel("park", park_panel)
