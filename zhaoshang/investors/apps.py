from django.apps import AppConfig


class InvestorsConfig(AppConfig):
    name = "zhaoshang.investors"
    verbose_name = "客商与目标企业"

    def ready(self):
        from zhaoshang.core.reference import register_reference
        from zhaoshang.investors.reference import load_enterprises

        register_reference("企业名单（世界500强、A股上市公司）", load_enterprises, order=110)
        from zhaoshang.investors import audit_labels, retention

        audit_labels.register()
        retention.register()  # personal information kept past its period is purged (core.retention)
