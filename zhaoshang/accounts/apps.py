from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhaoshang.accounts"
    verbose_name = "账户与机构"

    def ready(self):
        from zhaoshang.accounts import audit_labels, retention

        audit_labels.register()
        retention.register()  # personal information kept past its period is purged (core.retention)
