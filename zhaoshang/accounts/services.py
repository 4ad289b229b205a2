from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhaoshang.accounts.models import User
from zhaoshang.accounts.roles import ROLES, SEPARATED_ADMIN_ROLES
from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action


def validate_role_combination(role_codes: set[str]) -> None:
    """三员分立: one account holds at most one of the system, security and audit administrator roles, and
    none of them together with a business role."""
    unknown = role_codes - set(ROLES)
    if unknown:
        raise ValidationError(f"未知角色：{'、'.join(sorted(unknown))}")
    admin_roles = role_codes & SEPARATED_ADMIN_ROLES
    if len(admin_roles) > 1:
        names = "、".join(ROLES[c].name for c in sorted(admin_roles))
        raise ValidationError(f"系统管理员、安全管理员、审计管理员须由不同账户担任，不能同时授予：{names}")
    if admin_roles and role_codes - admin_roles:
        raise ValidationError("三员（系统、安全、审计管理员）账户不能再兼任业务角色")


@transaction.atomic
def user_set_roles(*, actor, user: User, role_codes: set[str]) -> User:
    validate_role_combination(role_codes)
    before = sorted(user.role_codes)
    groups = [Group.objects.get(name=ROLES[code].name) for code in sorted(role_codes)]
    user.groups.set(groups)
    audit_record(
        actor=actor, action="set_roles", obj=user, before={"roles": before}, after={"roles": sorted(role_codes)}
    )
    return user


def account_login_failed(*, user: User | None, username: str) -> None:
    """Count a failed password; the fifth in a row locks the account for LOGIN_LOCK_MINUTES.

    Runs outside any surrounding transaction's fate: the counter is an atomic UPDATE of its own.
    """
    if user is None:
        audit_record(actor=None, action=Action.LOGIN_FAILED, actor_name=username[:150], object_type="accounts.User")
        return
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
        user.refresh_from_db(fields=["failed_login_count", "locked_until"])
        audit_record(
            actor=None,
            action=Action.LOGIN_FAILED,
            obj=user,
            actor_name=user.username,
            after={"failed_login_count": user.failed_login_count},
            path=user.scope_path,
        )
        if user.failed_login_count >= settings.LOGIN_FAILURE_LIMIT:
            until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=until)
            audit_record(
                actor=None,
                action=Action.LOCKOUT,
                obj=user,
                actor_name=user.username,
                after={"locked_until": until},
                path=user.scope_path,
            )


def account_login_refused_locked(*, user: User) -> None:
    audit_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        obj=user,
        actor_name=user.username,
        after={"reason": "locked", "locked_until": user.locked_until},
        path=user.scope_path,
    )


def account_login_succeeded(*, user: User, via: str) -> None:
    if user.failed_login_count or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    audit_record(actor=user, action=Action.LOGIN, obj=user, after={"via": via})


@transaction.atomic
def account_unlock(*, actor, user: User) -> User:
    before = {"failed_login_count": user.failed_login_count, "locked_until": user.locked_until}
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    user.refresh_from_db()
    audit_record(actor=actor, action="unlock", obj=user, before=before, after={"locked_until": None})
    return user
