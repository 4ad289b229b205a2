from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "zhaoshang.projects"
    verbose_name = "项目"

    def ready(self):
        from zhaoshang.projects import attachments, audit_labels

        audit_labels.register()
        attachments.register()
