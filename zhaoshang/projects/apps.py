from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Projects through their life, agreements, the funds-in-place ledger with corrections and month locks, 甄别 and
    merge, the Excel and 台账 imports, the big-project library (招大引强项目库) and its project book,
    funding roll-ups."""

    name = "zhaoshang.projects"
    verbose_name = "项目"

    def ready(self):
        from zhaoshang.projects import attachments, audit_labels

        audit_labels.register()
        attachments.register()
