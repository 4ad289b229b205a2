from django.apps import AppConfig


class InvestorsConfig(AppConfig):
    name = "zhaoshang.investors"
    verbose_name = "客商与目标企业"

    def ready(self):
        from zhaoshang.investors import audit_labels, retention

        audit_labels.register()
        retention.register()  # personal information kept past its period is purged (core.retention)
