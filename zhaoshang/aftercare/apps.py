from django.apps import AppConfig


class AftercareConfig(AppConfig):
    """The enterprise service loop (requests routed, timed, escalated and rated), incentive promises and their
    payment, notifications."""

    name = "zhaoshang.aftercare"
    verbose_name = "企业服务"

    def ready(self):
        from zhaoshang.aftercare import attachments, audit_labels

        audit_labels.register()
        attachments.register()
