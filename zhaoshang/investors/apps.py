from django.apps import AppConfig


class InvestorsConfig(AppConfig):
    """The target-enterprise library (世界500强, 中国500强, 民营500强, 链主, 总部), contacts, activities
    (外出招商, meetings) and their counts."""

    name = "zhaoshang.investors"
    verbose_name = "客商与目标企业"

    def ready(self):
        from zhaoshang.core.reference import register_reference
        from zhaoshang.investors.reference import load_enterprises

        register_reference("企业名单（世界500强、A股上市公司）", load_enterprises, order=110)
        from zhaoshang.investors import audit_labels, retention

        audit_labels.register()
        retention.register()  # personal information kept past its period is purged (core.retention)
