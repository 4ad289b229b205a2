from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public investor site (投资云南) in Chinese and English, publication desk and enquiries."""

    name = "zhaoshang.portal"
    verbose_name = "投资云南（对外门户）"

    def ready(self):
        from zhaoshang.core.panels import register_panel
        from zhaoshang.core.reference import register_reference
        from zhaoshang.core.views import register_not_found_page
        from zhaoshang.portal import audit_labels
        from zhaoshang.portal.panels import park_publication_panel, project_enquiry_panel
        from zhaoshang.portal.public_views import not_found
        from zhaoshang.portal.reference import load_region_names
        from zhaoshang.portal.retention import register_retention

        audit_labels.register()
        register_reference("辖区英文名称", load_region_names, order=950)
        register_not_found_page(prefixes=("/invest/", "/en/invest/"), view=not_found)
        register_panel("project", project_enquiry_panel, order=10)
        register_panel("park", park_publication_panel, order=150)  # after the park's figures
        register_retention()
