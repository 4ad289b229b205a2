from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from zhaoshang.accounts.models import User
from zhaoshang.accounts.roles import ROLES, SEPARATED_ADMIN_ROLES
from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.scope import ensure_path_in_scope


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


def _lock_for_change(*, actor, user: User) -> User:
    """Lock the account row, re-check that it is in the actor's jurisdiction, and refuse changing oneself."""
    user = User.objects.select_for_update(of=("self",)).select_related("org_unit").get(pk=user.pk)
    if actor is not None:
        if actor.pk == user.pk:
            raise ValidationError("不能修改本人账户的角色或锁定状态，请由另一名管理员操作")
        ensure_path_in_scope(actor, user.scope_path or "")
    return user


@transaction.atomic
def user_set_roles(*, actor, user: User, role_codes: set[str]) -> User:
    validate_role_combination(role_codes)
    user = _lock_for_change(actor=actor, user=user)
    before = sorted(user.role_codes)
    groups = [Group.objects.get(name=ROLES[code].name) for code in sorted(role_codes)]
    user.groups.set(groups)
    # Only the system and security administrators use the admin site.
    is_staff = bool(role_codes & {"system_admin", "security_admin"})
    if user.is_staff != is_staff:
        User.objects.filter(pk=user.pk).update(is_staff=is_staff)
    audit_record(
        actor=actor, action="set_roles", obj=user, before={"roles": before}, after={"roles": sorted(role_codes)}
    )
    return user


def account_login_attempt_claim(*, user: User) -> int | None:
    """Count this attempt before the password is checked; the number of the attempt, or None while locked."""
    now = timezone.now()
    claimed = (
        User.objects.filter(pk=user.pk)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(failed_login_count=F("failed_login_count") + 1)
    )
    user.refresh_from_db(fields=["failed_login_count", "locked_until"])
    return user.failed_login_count if claimed else None


def account_login_reset(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)


def account_login_failed(*, user: User | None, username: str, attempt: int) -> None:
    """Record a failed password; the LOGIN_FAILURE_LIMIT-th attempt in a row locks the account."""
    if user is None:
        audit_record(actor=None, action=Action.LOGIN_FAILED, actor_name=username[:150], object_type="accounts.User")
        return
    with transaction.atomic():
        audit_record(
            actor=None,
            action=Action.LOGIN_FAILED,
            obj=user,
            actor_name=user.username,
            after={"attempt": attempt},
            path=user.scope_path,
        )
        if attempt >= settings.LOGIN_FAILURE_LIMIT and not user.is_locked():
            until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=until)
            user.locked_until = until
            audit_record(
                actor=None,
                action=Action.LOCKOUT,
                obj=user,
                actor_name=user.username,
                after={"locked_until": until},
                path=user.scope_path,
            )


def account_login_refused(*, user: User, reason: str) -> None:
    audit_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        obj=user,
        actor_name=user.username,
        after={"reason": reason, "locked_until": user.locked_until},
        path=user.scope_path,
    )


def account_login_succeeded(*, user: User, via: str) -> None:
    audit_record(actor=user, action=Action.LOGIN, obj=user, after={"via": via})


@transaction.atomic
def account_unlock(*, actor, user: User) -> User:
    user = _lock_for_change(actor=actor, user=user)
    before = {"failed_login_count": user.failed_login_count, "locked_until": user.locked_until}
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    user.refresh_from_db()
    audit_record(actor=actor, action="unlock", obj=user, before=before, after={"locked_until": None})
    return user
