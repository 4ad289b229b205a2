from django.apps import AppConfig


class RiskConfig(AppConfig):
    """Risk warnings on projects (风险预警): rules as data with weights, set-based scans, warnings a person confirms,
    dismisses with a reason or resolves, a risk score per project and a weekly digest."""

    name = "zhaoshang.risk"
    verbose_name = "风险预警"

    def ready(self):
        from zhaoshang.core.panels import register_panel
        from zhaoshang.core.reference import register_reference
        from zhaoshang.risk import audit_labels
        from zhaoshang.risk.reference import load_rules
        from zhaoshang.risk.views import project_risk_panel

        audit_labels.register()
        register_reference("风险规则", load_rules, order=900)
        register_panel("project_detail", project_risk_panel, order=20)
