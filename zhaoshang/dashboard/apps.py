from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "zhaoshang.dashboard"
    verbose_name = "驾驶舱"
