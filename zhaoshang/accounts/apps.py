from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, org units, roles (permission sets), sign-in with lockout and a second factor, enterprise accounts,
    demo accounts."""

    name = "zhaoshang.accounts"
    verbose_name = "账户与机构"

    def ready(self):
        from zhaoshang.accounts.reference import load_org_units, sync_roles
        from zhaoshang.accounts.services import park_committee_follow
        from zhaoshang.core.reference import register_reference
        from zhaoshang.regions.services import register_park_follower

        register_park_follower(park_committee_follow)

        register_reference("机构", load_org_units, order=50)  # after the parks: a park committee sits in its park
        register_reference("角色", lambda: (0, sync_roles()), order=200)  # every role's permissions set again
        from zhaoshang.accounts import audit_labels, retention

        audit_labels.register()
        retention.register()  # personal information kept past its period is purged (core.retention)
