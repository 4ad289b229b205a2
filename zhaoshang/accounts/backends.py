from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from zhaoshang.accounts.demo import DEMO_PASSWORD
from zhaoshang.accounts.models import User
from zhaoshang.accounts.services import (
    AccountLocked,
    account_login_failed,
    account_login_refused,
    account_password_verify,
    accounts_disable_inactive,
    inactive_accounts,
    mfa_required_for,
)

__all__ = ["AccountLocked", "ExpiringTokenAuthentication", "LockoutModelBackend"]


class LockoutModelBackend(ModelBackend):
    """Password login for pages, the admin and the API alike, so that every failed attempt counts toward the lock.

    An attempt is claimed (counted) before the password is checked, so a burst of parallel guesses cannot all
    pass the lock check: the claims past the limit are refused without looking at the password. An account
    unused for ACCOUNT_INACTIVE_DAYS is disabled here too, should the periodic job not have run.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = User._default_manager.select_related("org_unit").filter(username=username).first()
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not reveal usernames
            account_login_failed(user=None, username=username, attempt=0)
            return None
        if user.is_active and inactive_accounts().filter(pk=user.pk).exists():
            accounts_disable_inactive(only=user)
            user.is_active = False
        if not self.user_can_authenticate(user):
            User().set_password(password)
            account_login_refused(user=user, reason="inactive")
            return None
        # Not complete yet when a second factor follows: the run of failures ends with the code.
        if not account_password_verify(user=user, password=password, complete=not mfa_required_for(user)):
            return None
        if settings.PRODUCTION and password == DEMO_PASSWORD:
            # The demo password is public (README): such an account must never open a production system.
            account_login_refused(user=user, reason="demo_password_in_production")
            raise PermissionDenied("演示密码不能在生产环境使用")
        return user


class ExpiringTokenAuthentication(TokenAuthentication):
    """API tokens expire (API_TOKEN_HOURS after issue), stop working while the account is locked, and are not
    accepted while its password must be changed (one-time or expired)."""

    def authenticate_credentials(self, key):
        from django.utils import timezone

        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - settings.API_TOKEN_LIFETIME:
            token.delete()
            raise exceptions.AuthenticationFailed("令牌已过期，请重新获取")
        if user.is_locked():
            raise exceptions.AuthenticationFailed("账户已锁定")
        if user.password_change_required():
            raise exceptions.AuthenticationFailed("密码已过期或为初始/重置密码，请先在网页上修改密码")
        return user, token
