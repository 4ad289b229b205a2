from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "zhaoshang.stats"
    verbose_name = "目标与考核"

    def ready(self):
        from zhaoshang.stats import audit_labels

        audit_labels.register()
