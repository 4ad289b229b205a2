from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "zhaoshang.chains"
    verbose_name = "产业链"

    def ready(self):
        from zhaoshang.chains import audit_labels

        audit_labels.register()
