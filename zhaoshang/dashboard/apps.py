from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The 工作台 (home: to-dos, headline 序时进度, recent changes) and the cockpit (驾驶舱) with its map."""

    name = "zhaoshang.dashboard"
    verbose_name = "驾驶舱"

    def ready(self):
        from zhaoshang.core.panels import register_panel
        from zhaoshang.dashboard.views import workbench_panel

        register_panel("home", workbench_panel, order=10)
