from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "zhaoshang.regions"
    verbose_name = "辖区与园区"

    def ready(self):
        from zhaoshang.regions import audit_labels

        audit_labels.register()
