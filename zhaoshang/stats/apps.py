from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "zhaoshang.stats"
    verbose_name = "目标与考核"
