from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "zhaoshang.regions"
    verbose_name = "辖区与园区"
