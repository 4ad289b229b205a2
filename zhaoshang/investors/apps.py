from django.apps import AppConfig


class InvestorsConfig(AppConfig):
    name = "zhaoshang.investors"
    verbose_name = "客商与目标企业"

    def ready(self):
        from zhaoshang.investors import audit_labels

        audit_labels.register()
