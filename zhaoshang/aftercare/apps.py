from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "zhaoshang.aftercare"
    verbose_name = "企业服务"

    def ready(self):
        from zhaoshang.aftercare import attachments, audit_labels

        audit_labels.register()
        attachments.register()
