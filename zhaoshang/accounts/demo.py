"""The demo accounts of the README. Created by `make run` and by the tests, never in production."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.accounts.roles import ROLES
from zhaoshang.core.demo import DEMO_PASSWORD

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "create_demo_accounts"]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    org_code: str | None
    role: str
    is_staff: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("province_admin", "省局管理员", "BUREAU-530000", "province_admin"),
    DemoAccount("chuxiong_officer", "楚雄州招商干部", "BUREAU-532300", "prefecture_officer"),
    DemoAccount("lufeng_officer", "禄丰市招商干部", "BUREAU-532302", "county_officer"),
    DemoAccount("kunming_officer", "昆明市招商干部", "BUREAU-530100", "prefecture_officer"),
    DemoAccount("leader_province", "省领导（只读）", "BUREAU-530000", "leader"),
    DemoAccount("system_admin", "系统管理员", "BUREAU-530000", "system_admin", is_staff=True),
    DemoAccount("security_admin", "安全管理员", "BUREAU-530000", "security_admin", is_staff=True),
    DemoAccount("audit_admin", "审计管理员", "BUREAU-530000", "audit_admin"),
    DemoAccount("enterprise_demo", "演示企业用户", None, "enterprise"),
]


# 楚雄市: the receiving side of the demo 项目流转 from 禄丰 (a transfer is accepted by the county that hosts it).
# Made with the demo transfers (``seed_demo_transfers``), not with the test personas.
RECEIVING_COUNTY_ACCOUNT = DemoAccount("chuxiongshi_officer", "楚雄市招商干部", "BUREAU-532301", "county_officer")


def create_demo_accounts(accounts: list[DemoAccount] | None = None) -> list[str]:
    if settings.PRODUCTION:
        raise ImproperlyConfigured("演示账号不能在生产模式下创建")
    created = []
    for account in DEMO_ACCOUNTS if accounts is None else accounts:
        org = OrgUnit.objects.get(code=account.org_code) if account.org_code else None
        user, is_new = User.objects.get_or_create(
            username=account.username,
            defaults={"full_name": account.full_name, "org_unit": org, "is_staff": account.is_staff},
        )
        if is_new:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created.append(user.username)
        else:
            # `make run` on a development database left for months: the README's accounts still open (their
            # password age and idle clock restart; one disabled for idleness is enabled again).
            now = timezone.now()
            User.objects.filter(pk=user.pk).update(password_changed_at=now, reenabled_at=now, is_active=True)
        user.groups.set([Group.objects.get(name=ROLES[account.role].name)])
    return created
