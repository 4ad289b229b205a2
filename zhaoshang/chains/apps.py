from django.apps import AppConfig


class ChainsConfig(AppConfig):
    """Industry chain maps, placement of enterprises and projects on nodes, diagnosis (产业诊断), 靶向寻商 and park
    matching."""

    name = "zhaoshang.chains"
    verbose_name = "产业链"

    def ready(self):
        from zhaoshang.chains import audit_labels
        from zhaoshang.chains.matching_views import register_panel
        from zhaoshang.chains.services import projects_written_place
        from zhaoshang.projects.hooks import register_after_write

        audit_labels.register()
        register_after_write(projects_written_place)
        register_panel()
