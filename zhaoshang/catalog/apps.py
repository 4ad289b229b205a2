from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "zhaoshang.catalog"
    verbose_name = "产业目录"
