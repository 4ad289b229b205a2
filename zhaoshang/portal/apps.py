from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zhaoshang.portal"
    verbose_name = "投资云南（对外门户）"

    def ready(self):
        from zhaoshang.core.panels import register_panel
        from zhaoshang.portal import audit_labels
        from zhaoshang.portal.panels import project_enquiry_panel

        audit_labels.register()
        register_panel("project", project_enquiry_panel, order=10)
