from django.apps import AppConfig


class StatsConfig(AppConfig):
    """Targets, 序时进度, rankings (红黑榜), bulletins (通报 .docx/.xlsx), indicators and `progress_report`."""

    name = "zhaoshang.stats"
    verbose_name = "目标与考核"

    def ready(self):
        from zhaoshang.core.reference import register_reference
        from zhaoshang.stats.reference import load_policy_targets

        register_reference("政策目标", load_policy_targets, order=100)
        from zhaoshang.core.panels import register_panel
        from zhaoshang.stats import audit_labels
        from zhaoshang.stats.parks import park_panel

        audit_labels.register()
        register_panel("park", park_panel)
