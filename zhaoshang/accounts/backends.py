from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from zhaoshang.accounts.demo import DEMO_PASSWORD
from zhaoshang.accounts.models import User
from zhaoshang.accounts.services import (
    account_login_attempt_claim,
    account_login_failed,
    account_login_refused,
    account_login_reset,
)


class AccountLocked(PermissionDenied):
    pass


class LockoutModelBackend(ModelBackend):
    """Password login for pages, the admin and the API alike, so that every failed attempt counts toward the lock.

    An attempt is claimed (counted) before the password is checked, so a burst of parallel guesses cannot all
    pass the lock check: the claims past the limit are refused without looking at the password.
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
        attempt = account_login_attempt_claim(user=user)
        if attempt is None:
            account_login_refused(user=user, reason="locked")
            raise AccountLocked(user.locked_until)
        if attempt > settings.LOGIN_FAILURE_LIMIT:
            account_login_failed(user=user, username=username, attempt=attempt)
            raise AccountLocked(user.locked_until)
        if not (user.check_password(password) and self.user_can_authenticate(user)):
            account_login_failed(user=user, username=username, attempt=attempt)
            return None
        if settings.PRODUCTION and password == DEMO_PASSWORD:
            # The demo password is public (README): such an account must never open a production system.
            account_login_refused(user=user, reason="demo_password_in_production")
            raise PermissionDenied("演示密码不能在生产环境使用")
        account_login_reset(user=user)
        return user


class ExpiringTokenAuthentication(TokenAuthentication):
    """API tokens expire (API_TOKEN_HOURS after issue) and stop working while the account is locked."""

    def authenticate_credentials(self, key):
        from django.utils import timezone

        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - settings.API_TOKEN_LIFETIME:
            token.delete()
            raise exceptions.AuthenticationFailed("令牌已过期，请重新获取")
        if user.is_locked():
            raise exceptions.AuthenticationFailed("账户已锁定")
        return user, token
