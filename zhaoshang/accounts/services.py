"""Accounts: roles (三员分立), sign-in and lockout, the second factor, passwords, org-unit moves, disabling.

Rules every path goes through (pages, the admin site, the API, commands):
- 三员分立: one of the system / security / audit administrator roles per account, none with a business role; a
  change to the account of one of the three (or one that would make an account one of them) is filed here and
  carried out only when a second administrator of the three approves it (``account_change_approve``).
- Only the security administrator resets another account's password or second factor, and moves an account to an
  org unit that widens its scope; the system administrator creates accounts with a one-time password and may move
  an account only within the scope it has.
- A lockout, a disabling and a password reset end every session of the account (``session_version``) and delete
  its API tokens; any password change deletes its tokens.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from zhaoshang.accounts import mfa
from zhaoshang.accounts.choices import OrgKind
from zhaoshang.accounts.models import (
    AccountChangeKind,
    AccountChangeRequest,
    AccountChangeStatus,
    OrgUnit,
    RecoveryCode,
    User,
)
from zhaoshang.accounts.roles import ROLES, SEPARATED_ADMIN_ROLES
from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.choices import Action
from zhaoshang.core.scope import ensure_path_in_scope, path_within

# One answer for an unknown user, a wrong password, a wrong code and a locked or disabled account: the sign-in
# pages and the token endpoint never tell which usernames exist.
LOGIN_REFUSED = (
    "用户名、密码或动态口令错误，或账户已锁定、停用。连续 5 次错误将锁定账户 30 分钟，如需解锁请联系安全管理员。"
)


class AccountLocked(PermissionDenied):
    pass


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


def _require(actor, permission: str, message: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(message)


def _needs_second_administrator(actor, user: User, role_codes: set[str] | None = None) -> bool:
    """A change made by a person (not a command) to an account of the three, or one that makes it one of them."""
    if actor is None:
        return False
    return user.is_separated_admin or bool((role_codes or set()) & SEPARATED_ADMIN_ROLES)


# -- 三员: changes to an administrator's account wait for a second administrator ---------------------------------
@transaction.atomic
def account_change_request(*, actor, user: User, kind: str, payload: dict | None = None) -> AccountChangeRequest:
    request = AccountChangeRequest.objects.create(kind=kind, user=user, payload=payload or {}, requested_by=actor)
    shown = {k: v for k, v in (payload or {}).items() if k != "password"}
    audit_record(
        actor=actor,
        action="account_change_request",
        obj=user,
        after={"kind": kind, "request": request.pk, **shown},
    )
    return request


@transaction.atomic
def account_change_approve(*, actor, change: AccountChangeRequest) -> AccountChangeRequest:
    change = (
        AccountChangeRequest.objects.select_for_update(of=("self",))
        .select_related("user", "requested_by")
        .get(pk=change.pk)
    )
    _check_decider(actor=actor, change=change)
    requester, user, payload = change.requested_by, change.user, change.payload
    if change.kind == AccountChangeKind.PASSWORD_RESET:
        _password_store(actor=requester, user=user, encoded=payload["password"], approved_by=actor)
    elif change.kind == AccountChangeKind.MFA_RESET:
        _mfa_clear(actor=requester, user=user, approved_by=actor)
    elif change.kind == AccountChangeKind.MOVE:
        _move(actor=requester, user=user, org_unit=OrgUnit.objects.get(pk=payload["org_unit"]), approved_by=actor)
    elif change.kind == AccountChangeKind.SET_ROLES:
        _set_roles(actor=requester, user=user, role_codes=set(payload["roles"]), approved_by=actor)
    elif change.kind == AccountChangeKind.UNLOCK:
        _unlock(actor=requester, user=user, approved_by=actor)
    AccountChangeRequest.objects.filter(pk=change.pk).update(
        status=AccountChangeStatus.APPROVED, decided_by=actor, decided_at=timezone.now()
    )
    audit_record(
        actor=actor, action="account_change_approve", obj=user, after={"kind": change.kind, "request": change.pk}
    )
    change.refresh_from_db()
    return change


@transaction.atomic
def account_change_reject(*, actor, change: AccountChangeRequest) -> AccountChangeRequest:
    change = AccountChangeRequest.objects.select_for_update(of=("self",)).select_related("user").get(pk=change.pk)
    _check_decider(actor=actor, change=change, rejecting=True)
    AccountChangeRequest.objects.filter(pk=change.pk).update(
        status=AccountChangeStatus.REJECTED, decided_by=actor, decided_at=timezone.now()
    )
    audit_record(
        actor=actor, action="account_change_reject", obj=change.user, after={"kind": change.kind, "request": change.pk}
    )
    change.refresh_from_db()
    return change


def _check_decider(*, actor, change: AccountChangeRequest, rejecting: bool = False) -> None:
    if change.status != AccountChangeStatus.PENDING:
        raise ValidationError("该申请已处理")
    if not actor.has_perm("accounts.approve_accountchangerequest") or not actor.is_separated_admin:
        raise PermissionDenied("只有系统、安全、审计管理员可以复核三员账户的变更")
    if actor.pk == change.user_id:
        raise ValidationError("不能复核涉及本人账户的申请")
    if actor.pk == change.requested_by_id and not rejecting:
        raise ValidationError("申请人不能复核自己的申请，须由另一名管理员复核")
    ensure_path_in_scope(actor, change.user.scope_path or "")


# -- roles ---------------------------------------------------------------------------------------------------------
@transaction.atomic
def user_set_roles(*, actor, user: User, role_codes: set[str]) -> User | AccountChangeRequest:
    validate_role_combination(role_codes)
    user = _lock_for_change(actor=actor, user=user)
    if _needs_second_administrator(actor, user, role_codes):
        return account_change_request(
            actor=actor, user=user, kind=AccountChangeKind.SET_ROLES, payload={"roles": sorted(role_codes)}
        )
    return _set_roles(actor=actor, user=user, role_codes=role_codes)


def _set_roles(*, actor, user: User, role_codes: set[str], approved_by=None) -> User:
    validate_role_combination(role_codes)
    before = sorted(user.role_codes)
    groups = [Group.objects.get(name=ROLES[code].name) for code in sorted(role_codes)]
    user.groups.set(groups)
    # Only the system and security administrators use the admin site.
    is_staff = bool(role_codes & {"system_admin", "security_admin"})
    if user.is_staff != is_staff:
        User.objects.filter(pk=user.pk).update(is_staff=is_staff)
    after = {"roles": sorted(role_codes)} | _approved(approved_by)
    audit_record(actor=actor, action="set_roles", obj=user, before={"roles": before}, after=after)
    return user


def _approved(approved_by) -> dict:
    return {"approved_by": approved_by.username} if approved_by is not None else {}


# -- sign-in, lockout, sessions ------------------------------------------------------------------------------------
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


def account_sessions_end(*, user: User) -> None:
    """End every web session of the account (its session hash changes) and delete its API tokens."""
    from rest_framework.authtoken.models import Token

    User.objects.filter(pk=user.pk).update(session_version=F("session_version") + 1)
    Token.objects.filter(user_id=user.pk).delete()


def account_login_failed(*, user: User | None, username: str, attempt: int, factor: str = "password") -> None:
    """Record a failed password or code; the LOGIN_FAILURE_LIMIT-th attempt in a row locks the account, ends its
    sessions and deletes its tokens. Of a burst of parallel failures only the one that locks writes the lockout."""
    if user is None:
        audit_record(actor=None, action=Action.LOGIN_FAILED, actor_name=username[:150], object_type="accounts.User")
        return
    with transaction.atomic():
        after = {"attempt": attempt} | ({"factor": factor} if factor != "password" else {})
        audit_record(
            actor=None,
            action=Action.LOGIN_FAILED,
            obj=user,
            actor_name=user.username,
            after=after,
            path=user.scope_path,
        )
        if attempt < settings.LOGIN_FAILURE_LIMIT:
            return
        now = timezone.now()
        until = now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
        locked = (
            User.objects.filter(pk=user.pk)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
            .update(failed_login_count=0, locked_until=until)
        )
        user.refresh_from_db(fields=["locked_until"])
        if not locked:
            return  # another request of the burst locked it
        account_sessions_end(user=user)
        audit_record(
            actor=None,
            action=Action.LOCKOUT,
            obj=user,
            actor_name=user.username,
            after={"locked_until": until, "sessions_ended": True},
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


def account_login_succeeded(*, user: User, via: str, second_factor: str = "") -> None:
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    after = {"via": via} | ({"second_factor": second_factor} if second_factor else {})
    audit_record(actor=user, action=Action.LOGIN, obj=user, after=after)


def account_password_verify(*, user: User, password: str, complete: bool = True) -> bool:
    """A password check that counts like a sign-in: claimed first (so that a burst of parallel guesses cannot all
    pass the lock check; claims past the limit are refused without looking at the password), a failure counts
    toward the lock. ``complete``: a right password ends the run of failures — not when a second factor is still
    to come (it then leaves the count as it was), so that a guesser of codes holding the password cannot reset the
    count with it. AccountLocked while locked."""
    attempt = account_login_attempt_claim(user=user)
    if attempt is None:
        User().set_password(password)  # the work of a real check: a lock is not told apart by timing
        account_login_refused(user=user, reason="locked")
        raise AccountLocked(user.locked_until)
    if attempt > settings.LOGIN_FAILURE_LIMIT:
        User().set_password(password)
        account_login_failed(user=user, username=user.username, attempt=attempt)
        raise AccountLocked(user.locked_until)
    if not user.check_password(password):
        account_login_failed(user=user, username=user.username, attempt=attempt)
        return False
    if complete:
        account_login_reset(user=user)
    else:  # the attempt is the code's to count: a right password neither counts nor clears the failures
        User.objects.filter(pk=user.pk, failed_login_count__gt=0).update(failed_login_count=F("failed_login_count") - 1)
    return True


# -- the second factor ---------------------------------------------------------------------------------------------
def mfa_required_for(user: User) -> bool:
    """Enrolled accounts always give their code; with MFA_REQUIRED (production) every internal account must."""
    return user.mfa_enrolled or (settings.MFA_REQUIRED and user.is_internal)


def account_mfa_verify(*, user: User, code: str) -> str | None:
    """Check a TOTP code (each step once) or a recovery code (once); counted like a password. The kind of factor
    that matched ("totp", "recovery"), or None. AccountLocked while locked."""
    attempt = account_login_attempt_claim(user=user)
    if attempt is None:
        account_login_refused(user=user, reason="locked")
        raise AccountLocked(user.locked_until)
    if attempt > settings.LOGIN_FAILURE_LIMIT:
        account_login_failed(user=user, username=user.username, attempt=attempt, factor="totp")
        raise AccountLocked(user.locked_until)
    factor = None
    if user.mfa_enrolled:
        step = mfa.matching_step(mfa.decrypt_secret(user.totp_secret), code)
        if step is not None:
            # A code is used once: a second use of the same step (seen over a shoulder, replayed) fails.
            fresh = (
                User.objects.filter(pk=user.pk)
                .filter(Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step))
                .update(totp_last_step=step)
            )
            factor = "totp" if fresh else None
        elif _recovery_code_use(user=user, code=code):
            factor = "recovery"
    if factor is None:
        account_login_failed(user=user, username=user.username, attempt=attempt, factor="totp")
        return None
    account_login_reset(user=user)
    return factor


def _recovery_code_use(*, user: User, code: str) -> bool:
    unused = RecoveryCode.objects.filter(user=user, used_at__isnull=True)
    for key_id in set(unused.values_list("key_id", flat=True)):
        _, digest = mfa.recovery_digest(code, key_id)
        if unused.filter(key_id=key_id, digest=digest).update(used_at=timezone.now()):
            return True
    return False


@transaction.atomic
def account_mfa_enrol(*, user: User, secret: str, code: str) -> list[str]:
    """Bind the authenticator showing ``secret`` once it gives a valid code; new recovery codes (shown once)."""
    step = mfa.matching_step(secret, code)
    if step is None:
        raise ValidationError("动态口令不正确，请核对手机时间后重试")
    user = User.objects.select_for_update().get(pk=user.pk)
    User.objects.filter(pk=user.pk).update(
        totp_secret=mfa.encrypt_secret(secret), totp_confirmed_at=timezone.now(), totp_last_step=step
    )
    codes = _recovery_codes_replace(user=user)
    audit_record(actor=user, action="mfa_enrol", obj=user, after={"recovery_codes": len(codes)})
    return codes


def _recovery_codes_replace(*, user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = mfa.new_recovery_codes()
    rows = []
    for code in codes:
        key_id, digest = mfa.recovery_digest(code)
        rows.append(RecoveryCode(user=user, key_id=key_id, digest=digest))
    RecoveryCode.objects.bulk_create(rows)
    return codes


@transaction.atomic
def account_mfa_reset(*, actor, user: User) -> User | AccountChangeRequest:
    """The security administrator clears a lost authenticator; the account enrols again at its next sign-in."""
    _require(actor, "accounts.reset_password_user", "只有安全管理员可以重置他人的动态口令")
    user = _lock_for_change(actor=actor, user=user)
    if _needs_second_administrator(actor, user):
        return account_change_request(actor=actor, user=user, kind=AccountChangeKind.MFA_RESET)
    return _mfa_clear(actor=actor, user=user)


def _mfa_clear(*, actor, user: User, approved_by=None) -> User:
    User.objects.filter(pk=user.pk).update(totp_secret="", totp_confirmed_at=None, totp_last_step=None)
    RecoveryCode.objects.filter(user=user).delete()
    account_sessions_end(user=user)
    audit_record(actor=actor, action="mfa_reset", obj=user, after={"sessions_ended": True} | _approved(approved_by))
    user.refresh_from_db()
    return user


# -- passwords -----------------------------------------------------------------------------------------------------
@transaction.atomic
def account_password_change(*, user: User, password: str) -> User:
    """The account holder's own new password (old password checked by the form, rules by ``validate_password``):
    clears the one-time mark; its other sessions end with the old hash, its tokens are deleted (``User.save``)."""
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.save()
    audit_record(actor=user, action="password_change", obj=user)
    return user


@transaction.atomic
def account_password_reset(*, actor, user: User, password: str) -> User | AccountChangeRequest:
    """Another account's password, set by the security administrator: one-time (changed at the next sign-in),
    every session and token of the account ended. An administrator of the three waits for a second one."""
    _require(actor, "accounts.reset_password_user", "只有安全管理员可以重置他人密码")
    user = _lock_for_change(actor=actor, user=user)
    validate_password(password, user)
    encoded = make_password(password)
    if _needs_second_administrator(actor, user):
        return account_change_request(
            actor=actor, user=user, kind=AccountChangeKind.PASSWORD_RESET, payload={"password": encoded}
        )
    return _password_store(actor=actor, user=user, encoded=encoded)


def _password_store(*, actor, user: User, encoded: str, approved_by=None) -> User:
    from zhaoshang.accounts.models import PasswordHistory

    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    User.objects.filter(pk=user.pk).update(
        password=encoded, password_changed_at=timezone.now(), must_change_password=True
    )
    account_sessions_end(user=user)
    audit_record(
        actor=actor,
        action="password_reset",
        obj=user,
        after={"must_change_password": True, "sessions_ended": True} | _approved(approved_by),
    )
    user.refresh_from_db()
    return user


# -- creating, changing, moving, disabling accounts ----------------------------------------------------------------
def org_move_widens(old: OrgUnit | None, new: OrgUnit | None) -> bool:
    """A move widens the scope unless the new node lies at or below the old one (nothing new comes into view)."""
    if new is None or (old is not None and old.pk == new.pk):
        return False
    return old is None or not path_within(new.path, old.path)


WIDEN_REFUSED = "调到该机构会扩大其可见的数据范围，须由安全管理员在平台「用户与角色」页办理"
ADMIN_ACCOUNT_REFUSED = (
    "三员（系统、安全、审计管理员）账户的变更须由安全管理员提交、另一名管理员复核，请在平台「用户与角色」页办理"
)


def user_change_check(*, actor, user: User, changes: dict) -> None:
    """What the system administrator may change on an account in the admin site (the form calls this, and
    ``user_update`` again): nothing of an administrator of the three but their own contact details, and no move
    that widens a scope."""
    if user.pk is None:
        return
    if user.is_separated_admin and (actor.pk != user.pk or {"org_unit", "is_active"} & set(changes)):
        raise ValidationError(ADMIN_ACCOUNT_REFUSED)
    if "org_unit" in changes and org_move_widens(user.org_unit, changes["org_unit"]):
        if not actor.has_perm("accounts.move_user"):
            raise ValidationError(WIDEN_REFUSED)


def org_unit_change_check(*, actor, org_unit: OrgUnit, region, park) -> None:
    """An org unit's node follows its park or region; moving a unit that has accounts to a node not below its
    own widens all their scopes at once, which is not for the admin site (a new unit, then ``user_move``)."""
    if org_unit.pk is None:
        return
    new_path = park.path if park is not None else region.path
    if path_within(new_path, org_unit.path) or not User.objects.filter(org_unit=org_unit).exists():
        return
    if not actor.has_perm("accounts.move_user"):
        raise ValidationError(
            f"机构已有用户，改到该辖区会扩大他们的数据范围。{WIDEN_REFUSED}（先建新机构，再逐个调整用户）"
        )


@transaction.atomic
def account_create(*, actor, user: User) -> User:
    """A new account from the admin site, its password already set by the form: one-time, changed at the first
    sign-in. No roles (the security administrator assigns them)."""
    if user.org_unit_id:
        ensure_path_in_scope(actor, user.org_unit.path)
    user.must_change_password = True
    user.is_staff = False
    user.is_superuser = False
    user.save()
    return user


@transaction.atomic
def user_update(*, actor, user: User, changes: dict) -> User:
    """Contact details, org unit and active flag from the admin site (checked by ``user_change_check``)."""
    current = User.objects.select_for_update(of=("self",)).select_related("org_unit").get(pk=user.pk)
    changes = {k: v for k, v in changes.items() if getattr(current, k) != v}
    user_change_check(actor=actor, user=current, changes=changes)
    if "org_unit" in changes and changes["org_unit"] is not None:
        ensure_path_in_scope(actor, changes["org_unit"].path)
    for name, value in changes.items():
        setattr(current, name, value)
    if changes.get("is_active") is True:
        current.reenabled_at = timezone.now()  # counts as use: not disabled again for inactivity at once
    current.save()
    if changes.get("is_active") is False:
        account_sessions_end(user=current)
    return current


@transaction.atomic
def user_move(*, actor, user: User, org_unit: OrgUnit) -> User | AccountChangeRequest:
    """The security administrator moves an account to another org unit, also one that widens its scope."""
    _require(actor, "accounts.move_user", "只有安全管理员可以调整用户所属机构")
    user = _lock_for_change(actor=actor, user=user)
    ensure_path_in_scope(actor, org_unit.path)
    if _needs_second_administrator(actor, user):
        return account_change_request(
            actor=actor, user=user, kind=AccountChangeKind.MOVE, payload={"org_unit": org_unit.pk}
        )
    return _move(actor=actor, user=user, org_unit=org_unit)


def _move(*, actor, user: User, org_unit: OrgUnit, approved_by=None) -> User:
    before = {"org_unit": user.org_unit_id, "path": user.scope_path}
    User.objects.filter(pk=user.pk).update(org_unit=org_unit)
    account_sessions_end(user=user)  # the scope of open sessions and tokens was the old one
    after = {"org_unit": org_unit.pk, "path": org_unit.path, "widens": org_move_widens(user.org_unit, org_unit)}
    audit_record(actor=actor, action="account_move", obj=user, before=before, after=after | _approved(approved_by))
    user.refresh_from_db()
    return user


@transaction.atomic
def account_unlock(*, actor, user: User) -> User | AccountChangeRequest:
    user = _lock_for_change(actor=actor, user=user)
    if _needs_second_administrator(actor, user):
        return account_change_request(actor=actor, user=user, kind=AccountChangeKind.UNLOCK)
    return _unlock(actor=actor, user=user)


def _unlock(*, actor, user: User, approved_by=None) -> User:
    before = {"failed_login_count": user.failed_login_count, "locked_until": user.locked_until}
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    user.refresh_from_db()
    audit_record(
        actor=actor, action="unlock", obj=user, before=before, after={"locked_until": None} | _approved(approved_by)
    )
    return user


def inactive_accounts(*, now=None, days: int | None = None):
    """Active accounts unused for ``ACCOUNT_INACTIVE_DAYS``: no sign-in (or, never signed in, no creation) and
    no re-enabling since."""
    days = settings.ACCOUNT_INACTIVE_DAYS if days is None else days
    if not days:
        return User.objects.none()
    cutoff = (now or timezone.now()) - timedelta(days=days)
    unused = Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    return User.objects.filter(unused, is_active=True).exclude(reenabled_at__gte=cutoff)


def accounts_disable_inactive(*, now=None, days: int | None = None, only: User | None = None) -> list[str]:
    """Disable the accounts unused for ``days`` (or just ``only``, if it is one), end their sessions and tokens,
    one audit row each. Run by ``manage.py accounts_disable_inactive`` (a periodic job) and at sign-in."""
    disabled = []
    rows = inactive_accounts(now=now, days=days).select_related("org_unit")
    if only is not None:
        rows = rows.filter(pk=only.pk)
    for user in rows:
        with transaction.atomic():
            if not User.objects.filter(pk=user.pk, is_active=True).update(is_active=False):
                continue
            account_sessions_end(user=user)
            last_used = user.last_login or user.date_joined
            audit_record(
                actor=None,
                action="account_disable",
                obj=user,
                before={"is_active": True},
                after={"is_active": False, "last_used": last_used, "days": days or settings.ACCOUNT_INACTIVE_DAYS},
            )
        disabled.append(user.username)
    return disabled


def park_committee_follow(*, actor, park, created: bool) -> None:
    """A park's 管委会 is the org unit its officers belong to, at the park's node: created with the park and moved
    with it (registered with ``regions.services`` in ``AccountsConfig.ready``; runs in the park's transaction)."""
    if created:
        committee = OrgUnit.objects.create(
            code=f"PARK-{park.code}",
            name=f"{park.name}管委会",
            kind=OrgKind.PARK_COMMITTEE,
            region=park.region,
            park=park,
            path=park.path,
        )
        audit_record(actor=actor, action=Action.CREATE, obj=committee, after=snapshot(committee))
        return
    for committee in OrgUnit.objects.select_for_update().filter(park=park).exclude(path=park.path):
        before = snapshot(committee)
        committee.path, committee.region = park.path, park.region
        committee.save(update_fields=["path", "region"])
        audit_record(actor=actor, action=Action.UPDATE, obj=committee, before=before, after=snapshot(committee))
