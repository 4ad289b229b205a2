from django.apps import AppConfig


class InvestorsConfig(AppConfig):
    name = "zhaoshang.investors"
    verbose_name = "客商与目标企业"
